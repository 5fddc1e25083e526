// The managed server: the system under test, started, watched and always torn down.
#pragma once

#include <sys/types.h>

#include <atomic>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "diagnose/diagnosis.h"
#include "scenario/regex.h"

namespace wscheck {

struct ManagedServerOptions {
  std::string command;          // run through /bin/sh -c
  std::string ready;            // tcp://h:p, http(s)://..., ws(s)://... ("" = only ready_log or none)
  std::string ready_log;        // regex matched against each output line
  int ready_timeout_ms = 30000;
  int grace_ms = 3000;          // SIGTERM → SIGKILL
  std::string log_path;         // "" = a file in $TMPDIR
  std::map<std::string, std::string> env;
  std::string cwd;
};

/// Starts the command in its own process group with stdout+stderr captured
/// to a log file (and the last lines kept in memory), waits until it is
/// ready while watching it, and tears the whole group down (SIGTERM, then
/// SIGKILL after the grace period) when destroyed.
class ManagedServer {
 public:
  explicit ManagedServer(ManagedServerOptions options);
  ~ManagedServer();
  ManagedServer(const ManagedServer&) = delete;
  ManagedServer& operator=(const ManagedServer&) = delete;

  /// Forks and execs. Returns false with `error` set if it could not start.
  bool start(std::string& error);

  /// Blocks until ready, dead, past the deadline, or `interrupted()` is true.
  /// Returns nullopt when ready, else the diagnosis (server_exited, or a
  /// deadline diagnosis saying what was and was not reached).
  std::optional<Diagnosis> wait_ready(const std::function<bool()>& interrupted);

  /// Non-blocking: has the process exited? (reaps it).
  bool exited();
  /// The diagnosis for a server that exited while scenarios ran.
  Diagnosis death_diagnosis(bool before_ready);

  /// SIGTERM to the group, SIGKILL after the grace period; idempotent.
  void stop();

  /// Output lines the server wrote between `from_us` and `to_us` (monotonic
  /// clock), the last `max` of them: the server's own words about a step.
  std::vector<std::string> lines_between(long long from_us, long long to_us, size_t max);
  /// The last error-looking line (traceback headline, Error, FATAL, panic)
  /// written before `before_us`, or "".
  std::string last_error_line(long long before_us);
  /// True when the server wrote no output for `quiet_ms` since `since_us`
  /// (and no line is half-written): its words about what happened at
  /// `since_us` are all in. Never waits.
  bool log_quiet(long long since_us, int quiet_ms);

  const std::string& log_path() const { return options_.log_path; }
  pid_t pid() const { return pid_; }

 private:
  /// One output line and when it was read.
  struct LogLine {
    long long at_us = 0;
    std::string text;
  };
  void read_output();
  void take_lines(const char* data, size_t n, const std::optional<Regex>& pattern);
  bool stopped_by_us() const;
  bool wait_for_reader(int ms);
  std::string last_lines(size_t n);
  std::string headline_line(bool stopped);
  std::string exit_text() const;

  ManagedServerOptions options_;
  pid_t pid_ = -1;
  int out_fd_ = -1;
  int wake_fd_[2] = {-1, -1};  // written by stop() so the reader thread ends and can be joined
  std::thread reader_;
  std::mutex mutex_;
  std::deque<LogLine> tail_;   // last output lines
  std::string partial_;
  size_t lines_seen_ = 0;
  std::atomic<bool> log_matched_{false};
  std::atomic<bool> reader_done_{false};
  std::optional<int> wait_status_;
  long long started_us_ = 0;
  long long exited_us_ = 0;
  bool stop_requested_ = false;  // we sent SIGTERM: an exit after that is not a crash
};

}  // namespace wscheck
