#include "scenario/variable_check.h"

#include <algorithm>

#include "scenario/run_variables.h"

namespace wscheck {

namespace {

void check_templates(const std::vector<TemplateRef>& templates, const std::vector<std::string>& captured,
                     const VariableScope& scope, const std::string& in_what, std::vector<ScenarioError>& errors,
                     bool per_run) {
  for (const TemplateRef& t : templates) {
    for (const VarRef& ref : find_var_refs(t.text)) {
      if (ref.default_value || scope.lookup(ref.name)) continue;
      if (std::find(captured.begin(), captured.end(), ref.name) != captured.end()) continue;
      const auto& builtin = run_variable_names();
      if (per_run && std::find(builtin.begin(), builtin.end(), ref.name) != builtin.end()) continue;
      errors.emplace_back(t.where, "undefined variable ${" + ref.name + "} in " + in_what,
                          "pass --var " + ref.name + "=VALUE, export " + ref.name + ", or write ${" + ref.name +
                              ":-default}");
    }
  }
}

}  // namespace

std::vector<ScenarioError> find_undefined_variables(const Scenario& scenario, const VariableScope& scope) {
  std::vector<ScenarioError> errors;
  check_templates(scenario.templates, scenario.captured_vars, scope, "scenario \"" + scenario.name + "\"", errors, true);
  return errors;
}

std::vector<ScenarioError> find_undefined_variables(const ServerSpec& server, const VariableScope& scope) {
  std::vector<ScenarioError> errors;
  check_templates(server.templates, {}, scope, "the \"server\" block", errors, false);
  return errors;
}

}  // namespace wscheck
