// Everything the monitor remembers about one scenario, in bounded memory.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>

#include "watch/histogram.h"
#include "watch/run_outcome.h"

namespace wscheck {

/// A change of a scenario's state worth one log line.
struct StateChange {
  enum class Kind { kUp, kDown, kRecovered };
  Kind kind = Kind::kUp;
  std::string scenario;
  std::string failure_class;   // kDown
  std::string failure_line;    // kDown
  std::uint64_t failed_runs = 0;  // kRecovered: how many runs failed in a row
  double down_for_s = 0;       // kRecovered: wall time since it went down
};

/// Counters, histograms and recent history of one scenario. Histograms and
/// per-step series are capped, the history is a ring: memory is flat.
class ScenarioStats {
 public:
  static constexpr size_t kMaxStepSeries = 32;

  ScenarioStats(std::string name, size_t history) : name_(std::move(name)), history_cap_(history) {}

  /// Records one finished run at wall time `now_s` (unix seconds). Returns
  /// the state change it caused, if any (the first run always is one).
  std::optional<StateChange> record(const RunOutcome& outcome, double now_s);
  void record_overrun() { ++overruns_; }

  const std::string& name() const { return name_; }
  bool has_run() const { return runs_passed_ + runs_failed_ > 0; }
  bool up() const { return up_; }
  std::uint64_t runs_passed() const { return runs_passed_; }
  std::uint64_t runs_failed() const { return runs_failed_; }
  std::uint64_t overruns() const { return overruns_; }
  std::uint64_t consecutive_failures() const { return consecutive_failures_; }
  const std::map<std::string, std::uint64_t>& failures_by_class() const { return failures_by_class_; }
  std::optional<double> last_success_s() const { return last_success_s_; }
  std::optional<double> last_run_s() const { return last_run_s_; }
  const std::string& last_failure_class() const { return last_failure_class_; }
  const std::string& last_failure_line() const { return last_failure_line_; }
  /// Recent run durations (seconds, oldest first) and whether each passed.
  const std::deque<std::pair<double, bool>>& history() const { return history_; }

  const BucketHistogram& duration() const { return duration_; }
  /// dns, tcp, tls, upgrade
  const std::map<std::string, BucketHistogram>& phases() const { return phases_; }
  const std::map<std::string, BucketHistogram>& steps() const { return steps_; }
  const BucketHistogram& ping_rtt() const { return ping_rtt_; }

 private:
  std::string name_;
  size_t history_cap_;
  bool up_ = false;
  std::uint64_t runs_passed_ = 0, runs_failed_ = 0, overruns_ = 0, consecutive_failures_ = 0;
  std::map<std::string, std::uint64_t> failures_by_class_;
  std::optional<double> last_success_s_, last_run_s_, down_since_s_;
  std::string last_failure_class_, last_failure_line_;
  std::deque<std::pair<double, bool>> history_;
  BucketHistogram duration_, ping_rtt_;
  std::map<std::string, BucketHistogram> phases_, steps_;
};

}  // namespace wscheck
