#include "author/secret_book.h"

#include <algorithm>

#include "author/secret_rules.h"

namespace wscheck {

namespace {

// Shorter values ("1", "yes") would rewrite unrelated text; they still get a
// variable where they were found, but are not searched for elsewhere.
constexpr size_t kMinScrubbedLength = 6;

}  // namespace

std::string escape_template(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '$' && i + 1 < text.size() && text[i + 1] == '{') out.push_back('$');
    out.push_back(text[i]);
  }
  return out;
}

std::string SecretBook::variable_for(const std::string& value, const std::string& name, const std::string& origin) {
  if (auto it = by_value_.find(value); it != by_value_.end()) return it->second;
  std::string base = variable_name_for(name);
  std::string var = base;
  for (int n = 2; std::any_of(variables_.begin(), variables_.end(), [&](const auto& v) { return v.first == var; }); ++n)
    var = base + "_" + std::to_string(n);
  by_value_[value] = var;
  variables_.emplace_back(var, origin);
  return var;
}

void SecretBook::also_hide(const std::string& value, const std::string& variable) {
  if (!value.empty()) by_value_.emplace(value, variable);
}

std::string SecretBook::scrub(const std::string& text) const {
  std::vector<std::pair<std::string, std::string>> order;
  for (const auto& [value, var] : by_value_)
    if (value.size() >= kMinScrubbedLength) order.emplace_back(escape_template(value), var);
  std::sort(order.begin(), order.end(), [](const auto& a, const auto& b) { return a.first.size() > b.first.size(); });
  std::string out = text;
  for (const auto& [value, var] : order) {
    std::string ref = "${" + var + "}";
    for (size_t pos = out.find(value); pos != std::string::npos; pos = out.find(value, pos + ref.size()))
      out.replace(pos, value.size(), ref);
  }
  return out;
}

bool SecretBook::leaks_into(const std::string& text) const {
  for (const auto& [value, var] : by_value_)
    if (value.size() >= kMinScrubbedLength && text.find(value) != std::string::npos) return true;
  return false;
}

}  // namespace wscheck
