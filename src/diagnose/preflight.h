// Preflight: the `requires` checks a scenario declares (env, commands,
// files, python modules, tcp, http), each one line ok / FAIL with a hint.
#pragma once

#include <cstdio>
#include <vector>

#include "diagnose/probe.h"
#include "scenario/model.h"

namespace wscheck {

/// Runs every check of `requirements` (already variable-expanded).
/// `python_modules` are imported by `python3 -c "import X"`; an ImportError
/// is quoted in the FAIL line, which is the missing-dependency class of
/// failure caught before any WebSocket timeout.
std::vector<CheckLine> check_requirements(const Requirements& requirements, int timeout_ms);

/// "tcp_refused: nothing is listening on ..." for the first FAIL, or "".
std::string first_failure(const std::vector<CheckLine>& lines);

/// Prints check lines the way doctor and run's preflight show them.
void print_check_lines(std::FILE* out, const std::vector<CheckLine>& lines, bool color);

}  // namespace wscheck
