// ${NAME} and ${NAME:-default} templates and the scope that resolves them.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace wscheck {

/// Resolves variable names in this order: --var values, then values
/// captured from messages, then built-in per-run values (WSCHECK_RUN_ID),
/// then the process environment.
class VariableScope {
 public:
  explicit VariableScope(std::map<std::string, std::string> cli_vars = {}, bool use_environment = true)
      : cli_vars_(std::move(cli_vars)), use_environment_(use_environment) {}

  void set_capture(const std::string& name, nlohmann::json value) { captures_[name] = std::move(value); }
  void set_builtin(const std::string& name, std::string value) { builtins_[name] = std::move(value); }
  std::optional<nlohmann::json> lookup(const std::string& name) const;
  bool has_cli_var(const std::string& name) const { return cli_vars_.count(name) != 0; }

 private:
  std::map<std::string, std::string> cli_vars_;
  std::map<std::string, nlohmann::json> captures_;
  std::map<std::string, std::string> builtins_;
  bool use_environment_;
};

struct VarRef {
  std::string name;
  std::optional<std::string> default_value;
  size_t offset = 0;  // byte offset of "${" in the template
  size_t length = 0;  // bytes of the whole reference
};

class TemplateError : public std::runtime_error {
 public:
  TemplateError(size_t offset, const std::string& message) : std::runtime_error(message), offset_(offset) {}
  size_t offset() const { return offset_; }

 private:
  size_t offset_;
};

/// Every reference in `text`. "$${" is an escaped literal "${".
/// Throws TemplateError on an unterminated reference or an invalid name.
std::vector<VarRef> find_var_refs(std::string_view text);

/// Expands all references. Throws TemplateError naming an undefined variable.
std::string expand_template(std::string_view text, const VariableScope& scope);

/// Expands every string inside `value`. A string that is exactly one
/// reference ("${count}") takes the variable's JSON value, so captured
/// numbers stay numbers.
nlohmann::json expand_json(const nlohmann::json& value, const VariableScope& scope);

/// Parses "NAME=VALUE" as given to --var; throws std::invalid_argument.
std::pair<std::string, std::string> parse_var_assignment(const std::string& text);

bool is_valid_var_name(std::string_view name);

}  // namespace wscheck
