// The preflight's answers as data: report/ renders them (console, JSON).
#pragma once

#include <string>
#include <vector>

#include "diagnose/probe.h"

namespace wscheck {

/// One preflight check: status, time, what was seen, what to try, one fix command.
struct Check {
  enum class Status { kOk, kWarn, kFail };
  Status status = Status::kOk;
  std::string name;                  // "env JWT_SECRET", "python requirements", "tcp", ...
  double ms = 0;
  std::string detail;                // the one-line answer
  std::vector<std::string> details;  // more lines: one per missing / mismatched requirement
  std::string hint;                  // for warn / FAIL: what to try
  std::string fix;                   // one shell command that fixes it all, if there is one
  std::string cls;                   // for a FAIL: the failure class name ("requires_failed")
};

/// A probe phase line as a Check.
Check check_from_line(const CheckLine& line);
std::vector<Check> checks_from_lines(const std::vector<CheckLine>& lines);

bool has_failure(const std::vector<Check>& checks);

/// "requires_failed: numpy: not installed ..." for the first FAIL, or "".
std::string first_failure(const std::vector<Check>& checks);

}  // namespace wscheck
