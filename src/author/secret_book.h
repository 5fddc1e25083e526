// The credentials found in a conversation and the variables that replace them.
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

namespace wscheck {

/// Assigns one ${VARIABLE} per distinct secret value and rewrites text so
/// that no secret value survives. Values are never exposed by its interface
/// except to scrub(); what it reports are names and where they came from.
class SecretBook {
 public:
  /// Registers `value` (found under `name`, described by `origin`, e.g.
  /// "query parameter \"token\"") and returns its variable name; the same
  /// value always gets the same variable.
  std::string variable_for(const std::string& value, const std::string& name, const std::string& origin);

  /// Registers a value that must be replaced wherever it appears, under an
  /// existing variable (a cookie's value inside the Cookie header's variable).
  void also_hide(const std::string& value, const std::string& variable);

  /// Replaces every registered secret in `text` (already template-escaped)
  /// by its ${VARIABLE}, longest first.
  std::string scrub(const std::string& text) const;

  /// True if any registered secret occurs in `text` (the final check before
  /// a file is written).
  bool leaks_into(const std::string& text) const;

  /// (variable, origin) in order of first registration.
  const std::vector<std::pair<std::string, std::string>>& variables() const { return variables_; }

 private:
  std::map<std::string, std::string> by_value_;  // secret value -> variable
  std::vector<std::pair<std::string, std::string>> variables_;
};

/// "${" -> "$${" so literal text survives template expansion.
std::string escape_template(const std::string& text);

}  // namespace wscheck
