// `wscheck watch`: scenarios on a schedule, served as Prometheus metrics and a status page.
#pragma once

#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace wscheck {

struct WatchCommandOptions {
  std::vector<std::string> paths;
  std::string url;                      // empty: $WSCHECK_URL, else the built-in server
  std::vector<std::string> vars;        // NAME=VALUE
  std::vector<std::string> tags;
  std::vector<std::string> names;       // globs
  std::vector<std::string> intervals{"30s"};  // "30s" and/or "NAME=10s"
  double jitter_percent = 10;
  std::string listen = "127.0.0.1:9464";
  std::string log_format = "text";
  size_t history = 60;
  int probe_timeout_ms = 10000;
  int shutdown_timeout_ms = 10000;
  std::string cert_check_interval = "1h";
  int step_timeout_ms = 5000;
  bool insecure = false;
  std::string ca_file;
  size_t max_message_bytes = 16 * 1024 * 1024;
};

/// Declares the `watch` options on its CLI11 subcommand (cli/watch_options.cc).
void add_watch_options(CLI::App& cmd, WatchCommandOptions& o);

/// Runs until SIGTERM/SIGINT, then exits 0 (2 for bad usage, 3 when it cannot listen).
int watch_command(const WatchCommandOptions& options);

}  // namespace wscheck
