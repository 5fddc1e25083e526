// Built-in variables that every scenario run gets: ${WSCHECK_RUN_ID} and
// ${WSCHECK_SCENARIO}.
#pragma once

#include <string>
#include <vector>

#include "scenario/variables.h"

namespace wscheck {

/// The names of the built-in per-run variables; the undefined-variable check
/// treats them as always defined.
const std::vector<std::string>& run_variable_names();

/// 16 random lowercase hex characters (64 bits from the OS's CSPRNG), so
/// concurrent runs (-j workers, bench and watch iterations) never share a room.
std::string new_run_id();

/// Gives one scenario run a fresh WSCHECK_RUN_ID and its WSCHECK_SCENARIO;
/// a --var of the same name still wins (VariableScope::lookup order).
void set_run_variables(VariableScope& scope, const std::string& scenario_name);

}  // namespace wscheck
