#include "scenario/variable_check.h"

#include <algorithm>

namespace wscheck {

std::vector<ScenarioError> find_undefined_variables(const Scenario& scenario, const VariableScope& scope) {
  std::vector<ScenarioError> errors;
  for (const TemplateRef& t : scenario.templates) {
    for (const VarRef& ref : find_var_refs(t.text)) {
      if (ref.default_value || scope.lookup(ref.name)) continue;
      if (std::find(scenario.captured_vars.begin(), scenario.captured_vars.end(), ref.name) != scenario.captured_vars.end())
        continue;
      errors.emplace_back(t.where, "undefined variable ${" + ref.name + "} in scenario \"" + scenario.name +
                                       "\": pass --var " + ref.name + "=VALUE, export " + ref.name +
                                       ", or write ${" + ref.name + ":-default}");
    }
  }
  return errors;
}

}  // namespace wscheck
