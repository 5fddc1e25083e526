// `wscheck run`: load scenarios, pick a target, run them, report, exit code.
#pragma once

#include <string>
#include <vector>

namespace wscheck {

struct RunCommandOptions {
  std::vector<std::string> paths;
  std::string url;  // empty: WSCHECK_URL, else the in-process reference server
  std::vector<std::string> vars;  // NAME=VALUE
  std::vector<std::string> tags;
  std::vector<std::string> names;  // globs
  size_t jobs = 1;
  bool fail_fast = false;
  size_t repeat = 1;
  std::string shard;  // "I/N"
  int step_timeout_ms = 5000;
  bool no_preflight = false;
  bool insecure = false;
  std::string ca_file;
  std::vector<std::string> resolve;  // --resolve HOST:PORT:ADDR[,ADDR...]
  bool verbose = false;
  bool quiet = false;
  std::string color = "auto";
  size_t max_message_bytes = 16 * 1024 * 1024;
  // managed server (issue: the app under test dies at import)
  std::string server;           // command, through /bin/sh -c
  std::string ready;            // tcp://, http(s)://, ws(s):// readiness URL
  std::string ready_log;        // or a regex on its output
  int ready_timeout_ms = 0;     // 0: the suite file's, else 30000
  int server_grace_ms = -1;     // -1: the suite file's, else 3000
  std::string server_log;
  // reports
  std::string report_json;
  std::string report_junit;
  std::string report_tap;  // "-" = stdout
};

/// Returns the process exit code (see core/exit_status.h).
int run_command(const RunCommandOptions& options);

}  // namespace wscheck
