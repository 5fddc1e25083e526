// Before anything runs: every ${VAR} must resolve (or have a default).
#pragma once

#include <vector>

#include "scenario/model.h"
#include "scenario/parser.h"
#include "scenario/variables.h"

namespace wscheck {

/// One error per undefined reference, at the place it is written. Names a
/// scenario captures are defined by the run itself and are not reported.
std::vector<ScenarioError> find_undefined_variables(const Scenario& scenario, const VariableScope& scope);
/// The same for a suite file's "server" block.
std::vector<ScenarioError> find_undefined_variables(const ServerSpec& server, const VariableScope& scope);

}  // namespace wscheck
