#include "scenario/variables.h"

#include <cstdlib>

namespace wscheck {

namespace {

bool name_start(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_'; }
bool name_char(char c) { return name_start(c) || (c >= '0' && c <= '9'); }

std::string json_to_text(const nlohmann::json& value) {
  if (value.is_string()) return value.get<std::string>();
  return value.dump();
}

}  // namespace

bool is_valid_var_name(std::string_view name) {
  if (name.empty() || !name_start(name[0])) return false;
  for (char c : name)
    if (!name_char(c)) return false;
  return true;
}

std::optional<nlohmann::json> VariableScope::lookup(const std::string& name) const {
  if (auto it = cli_vars_.find(name); it != cli_vars_.end()) return nlohmann::json(it->second);
  if (auto it = captures_.find(name); it != captures_.end()) return it->second;
  if (auto it = builtins_.find(name); it != builtins_.end()) return nlohmann::json(it->second);
  if (use_environment_) {
    if (const char* v = std::getenv(name.c_str())) return nlohmann::json(std::string(v));
  }
  return std::nullopt;
}

std::vector<VarRef> find_var_refs(std::string_view text) {
  std::vector<VarRef> refs;
  size_t i = 0;
  while (i + 1 < text.size()) {
    if (text[i] == '$' && text[i + 1] == '$' && i + 2 < text.size() && text[i + 2] == '{') {
      i += 3;  // escaped "$${"
      continue;
    }
    if (!(text[i] == '$' && text[i + 1] == '{')) {
      ++i;
      continue;
    }
    size_t start = i;
    size_t j = i + 2;
    while (j < text.size() && name_char(text[j])) ++j;
    std::string name(text.substr(i + 2, j - i - 2));
    if (!is_valid_var_name(name))
      throw TemplateError(start, "invalid variable reference: a name like ${NAME} is expected after '${'");
    VarRef ref;
    ref.name = name;
    ref.offset = start;
    if (j < text.size() && text[j] == '}') {
      ref.length = j + 1 - start;
    } else if (j + 1 < text.size() && text[j] == ':' && text[j + 1] == '-') {
      size_t close = text.find('}', j + 2);
      if (close == std::string_view::npos)
        throw TemplateError(start, "unterminated variable reference ${" + name + ":-... (missing '}')");
      ref.default_value = std::string(text.substr(j + 2, close - j - 2));
      ref.length = close + 1 - start;
    } else {
      throw TemplateError(start, "unterminated variable reference ${" + name + " (missing '}')");
    }
    refs.push_back(ref);
    i = start + ref.length;
  }
  return refs;
}

std::string expand_template(std::string_view text, const VariableScope& scope) {
  std::vector<VarRef> refs = find_var_refs(text);
  std::string out;
  size_t last = 0;
  auto append_literal = [&](size_t from, size_t to) {
    // turn escaped "$${" into "${"
    for (size_t k = from; k < to; ++k) {
      if (text[k] == '$' && k + 2 < to + 1 && k + 2 < text.size() && text[k + 1] == '$' && text[k + 2] == '{') {
        out += "${";
        k += 2;
      } else {
        out.push_back(text[k]);
      }
    }
  };
  for (const VarRef& ref : refs) {
    append_literal(last, ref.offset);
    auto value = scope.lookup(ref.name);
    // Like the shell's ${NAME:-default}: the default also replaces an empty value
    // (CI systems set a missing secret to "").
    const bool empty_with_default =
        value && ref.default_value && value->is_string() && value->get_ref<const std::string&>().empty();
    if (value && !empty_with_default) {
      out += json_to_text(*value);
    } else if (ref.default_value) {
      out += *ref.default_value;
    } else {
      throw TemplateError(ref.offset, "undefined variable ${" + ref.name + "}");
    }
    last = ref.offset + ref.length;
  }
  append_literal(last, text.size());
  return out;
}

nlohmann::json expand_json(const nlohmann::json& value, const VariableScope& scope) {
  if (value.is_string()) {
    const std::string& s = value.get_ref<const std::string&>();
    std::vector<VarRef> refs = find_var_refs(s);
    if (refs.empty() && s.find("$${") == std::string::npos) return value;
    if (refs.size() == 1 && refs[0].offset == 0 && refs[0].length == s.size()) {
      auto v = scope.lookup(refs[0].name);
      const bool empty_with_default =
          v && refs[0].default_value && v->is_string() && v->get_ref<const std::string&>().empty();
      if (v && !empty_with_default) return *v;
    }
    return expand_template(s, scope);
  }
  if (value.is_object()) {
    nlohmann::json out = nlohmann::json::object();
    for (auto it = value.begin(); it != value.end(); ++it) out[it.key()] = expand_json(it.value(), scope);
    return out;
  }
  if (value.is_array()) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& item : value) out.push_back(expand_json(item, scope));
    return out;
  }
  return value;
}

std::pair<std::string, std::string> parse_var_assignment(const std::string& text) {
  auto eq = text.find('=');
  if (eq == std::string::npos)
    throw std::invalid_argument("--var expects NAME=VALUE, got \"" + text + "\"");
  std::string name = text.substr(0, eq);
  if (!is_valid_var_name(name))
    throw std::invalid_argument("--var name \"" + name + "\" is not a valid variable name (letters, digits, _)");
  return {name, text.substr(eq + 1)};
}

}  // namespace wscheck
