// The exit codes wscheck promises to CI (see README "Exit codes").
#pragma once

namespace wscheck {

/// Process exit status; the numbers are a public contract.
enum class ExitStatus : int {
  kPassed = 0,          // every selected scenario passed
  kFailed = 1,          // a scenario failed: the server behaved wrongly
  kUsage = 2,           // bad flags or an invalid scenario file; nothing ran
  kEnvironment = 3,     // target unreachable, managed server died, requires failed
  kInterrupted = 130,   // Ctrl-C / SIGTERM
};

inline int to_int(ExitStatus s) { return static_cast<int>(s); }

}  // namespace wscheck
