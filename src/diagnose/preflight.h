// Preflight: the `requires` checks a scenario declares (env, commands,
// files, Python and Node dependencies, app imports, tcp, http), as data:
// report/preflight_text.cc renders them.
#pragma once

#include <vector>

#include "diagnose/check.h"
#include "scenario/model.h"

namespace wscheck {

/// Runs every check of `requirements` (variables expanded, paths resolved).
/// Every Python question (python_modules, requirement files, pyproject,
/// app imports) is answered by ONE interpreter process; see python_env.h.
std::vector<Check> check_requirements(const Requirements& requirements, int timeout_ms);

}  // namespace wscheck
