// A short-lived helper process (the Python dependency checker): stdin in,
// stdout and stderr out, with a deadline after which its process group is killed.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace wscheck {

/// What to run: argv[0] is looked up on PATH unless it contains a '/'.
struct ChildRequest {
  std::vector<std::string> argv;
  std::string cwd;                           // "" = ours
  std::map<std::string, std::string> env;    // added to (or replacing in) our environment
  std::string input;                         // written to its stdin, then closed
  int timeout_ms = 10000;
};

/// How it ended. `started` is false when it could not be run at all (`error` says why).
struct ChildResult {
  bool started = false;
  bool timed_out = false;
  int exit_code = -1;  // -1 when killed by a signal
  std::string out;
  std::string err;
  std::string error;
  double ms = 0;
};

/// Runs it to the end or the deadline (then SIGKILLs its whole process group).
ChildResult run_child(const ChildRequest& request);

}  // namespace wscheck
