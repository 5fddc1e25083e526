// The preflight's checks as text, for `wscheck run` and `wscheck doctor`.
#pragma once

#include <string>
#include <vector>

#include "diagnose/check.h"
#include "diagnose/diagnosis.h"

namespace wscheck {

/// One block per check: "  FAIL  name  1.2 s  detail", its detail lines,
/// then hint and fix for a warn / FAIL.
std::string render_checks(const std::vector<Check>& checks, bool color);

/// The fix commands of the failed checks, as one block to copy ("" if none).
std::string render_fixes(const std::vector<Check>& checks);

/// What `run` prints when the preflight fails: the first failure, the
/// checks, the fixes, and why the exit status is 3.
std::string render_preflight_failure(const std::vector<Check>& checks, bool color);

/// What `run` prints when the environment stops it before any scenario.
std::string render_environment_failure(const Diagnosis& diagnosis, const std::string& what);

}  // namespace wscheck
