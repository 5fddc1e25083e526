#include "scenario/field_reader.h"

#include <algorithm>

#include "scenario/variables.h"

namespace wscheck {

using json = nlohmann::json;

namespace {

/// Levenshtein distance, to suggest the key a typo meant.
size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (size_t j = 1; j <= b.size(); ++j)
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

}  // namespace

std::string join_keys(const keys::KeySet& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

std::string suggestion(const std::string& key, const keys::KeySet& allowed) {
  if (key.size() > 64) return "";  // a pasted blob is no typo; keep the work bounded
  std::string best;
  size_t best_d = 3;
  for (const auto& a : allowed) {
    size_t d = edit_distance(key, a);
    if (d < best_d) {
      best_d = d;
      best = a;
    }
  }
  return best.empty() ? "" : " (did you mean \"" + best + "\"?)";
}

std::string type_word(const json& v) {
  if (v.is_object()) return "an object";
  if (v.is_array()) return "an array";
  if (v.is_string()) return "a string";
  if (v.is_boolean()) return "a boolean";
  if (v.is_number()) return "a number";
  return "null";
}

void FieldReader::note(const std::string& pointer, const std::string& message, const std::string& hint) const {
  if (!errors_.add(ScenarioError(at(pointer), message, hint))) throw Abandon{};
}

void FieldReader::note_key(const std::string& pointer, const std::string& message, const std::string& hint) const {
  if (!errors_.add(ScenarioError(key_at(pointer), message, hint))) throw Abandon{};
}

void FieldReader::fail(const std::string& pointer, const std::string& message, const std::string& hint) const {
  note(pointer, message, hint);
  throw Abandon{};
}

void FieldReader::fail_key(const std::string& pointer, const std::string& message, const std::string& hint) const {
  note_key(pointer, message, hint);
  throw Abandon{};
}

void FieldReader::check_keys(const json& obj, const std::string& pointer, const keys::KeySet& allowed) const {
  for (auto it = obj.begin(); it != obj.end(); ++it) {
    if (!allowed.count(it.key()))
      note_key(pointer_append(pointer, it.key()), "unknown key \"" + it.key() + "\"" + suggestion(it.key(), allowed),
               "allowed here: " + join_keys(allowed));
  }
}

void FieldReader::require_object(const json& v, const std::string& pointer) const {
  if (!v.is_object()) fail(pointer, "expected an object, found " + type_word(v));
}

bool FieldReader::require_key(const json& obj, const std::string& pointer, const std::string& key) const {
  if (obj.contains(key)) return true;
  note(pointer, "missing required key \"" + key + "\"");
  return false;
}

std::optional<std::string> FieldReader::get_string(const json& obj, const std::string& pointer, const std::string& key,
                                                   bool required) const {
  if (!obj.contains(key)) {
    if (required) require_key(obj, pointer, key);
    return std::nullopt;
  }
  const json& v = obj[key];
  if (!v.is_string()) {
    note(pointer_append(pointer, key), "\"" + key + "\" must be a string, found " + type_word(v));
    return std::nullopt;
  }
  return v.get<std::string>();
}

std::optional<long long> FieldReader::get_int(const json& v, const std::string& pointer, const std::string& what,
                                              long long min, long long max) const {
  if (!v.is_number_integer() && !v.is_number_unsigned()) {
    note(pointer, what + " must be an integer, found " + type_word(v));
    return std::nullopt;
  }
  if (v.is_number_unsigned() && v.get<unsigned long long>() > static_cast<unsigned long long>(max)) {
    note(pointer, what + " must be between " + std::to_string(min) + " and " + std::to_string(max) + ", found " + v.dump());
    return std::nullopt;
  }
  long long n = v.get<long long>();
  if (n < min || n > max) {
    note(pointer, what + " must be between " + std::to_string(min) + " and " + std::to_string(max) + ", found " +
                      std::to_string(n));
    return std::nullopt;
  }
  return n;
}

std::optional<int> FieldReader::get_int32(const json& v, const std::string& pointer, const std::string& what, int min,
                                          int max) const {
  auto n = get_int(v, pointer, what, min, max);
  if (!n) return std::nullopt;
  return static_cast<int>(*n);
}

std::optional<bool> FieldReader::get_bool(const json& v, const std::string& pointer, const std::string& what) const {
  if (!v.is_boolean()) {
    note(pointer, what + " must be true or false, found " + type_word(v));
    return std::nullopt;
  }
  return v.get<bool>();
}

std::vector<std::string> FieldReader::get_string_list(const json& v, const std::string& pointer,
                                                       const std::string& what) const {
  std::vector<std::string> out;
  if (!v.is_array()) {
    note(pointer, what + " must be an array of strings, found " + type_word(v));
    return out;
  }
  for (size_t i = 0; i < v.size(); ++i) {
    if (!v[i].is_string()) note(pointer_append(pointer, i), what + " must contain only strings");
    else out.push_back(v[i].get<std::string>());
  }
  return out;
}

std::vector<int> FieldReader::get_int_list(const json& v, const std::string& pointer, const std::string& what, int min,
                                           int max) const {
  std::vector<int> out;
  if (v.is_array()) {
    for (size_t i = 0; i < v.size(); ++i)
      if (auto n = get_int32(v[i], pointer_append(pointer, i), what, min, max)) out.push_back(*n);
  } else if (auto n = get_int32(v, pointer, what, min, max)) {
    out.push_back(*n);
  }
  return out;
}

void FieldReader::add_template(std::vector<TemplateRef>& out, const std::string& text, const std::string& pointer) const {
  try {
    if (find_var_refs(text).empty()) return;
  } catch (const TemplateError& e) {
    note(pointer, e.what(), "write $${ for a literal \"${\"");
    return;
  }
  out.push_back(TemplateRef{text, at(pointer)});
}

void FieldReader::add_json_templates(std::vector<TemplateRef>& out, const json& v, const std::string& pointer) const {
  if (v.is_string()) {
    add_template(out, v.get<std::string>(), pointer);
  } else if (v.is_object()) {
    for (auto it = v.begin(); it != v.end(); ++it) add_json_templates(out, it.value(), pointer_append(pointer, it.key()));
  } else if (v.is_array()) {
    for (size_t i = 0; i < v.size(); ++i) add_json_templates(out, v[i], pointer_append(pointer, i));
  }
}

}  // namespace wscheck
