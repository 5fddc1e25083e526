// Runs many scenarios on one event loop, N at a time, results in file order.
#pragma once

#include <functional>
#include <optional>
#include <vector>

#include "engine/scenario_runner.h"
#include "engine/timer.h"

namespace wscheck {

/// How many scenarios run at once, and whether the first failure stops the rest.
struct SuiteOptions {
  size_t jobs = 1;
  bool fail_fast = false;
  /// Asked before a finished scenario is reported, with the time it finished:
  /// false holds its report back (asked again every 10 ms on a timer, never
  /// blocking the loop), e.g. until the managed server's log has gone quiet.
  std::function<bool(const ScenarioResult&, Micros finished_at_us)> settled = {};
  /// Called once per scenario as it is reported, with the time it finished,
  /// e.g. to attach the managed server's log lines.
  std::function<void(ScenarioResult&, Micros finished_at_us)> on_finished = {};
};

/// Schedules ScenarioRunners on the loop. `on_result` is called in the
/// scenarios' order (not completion order), so output stays stable with -j.
class SuiteRunner {
 public:
  SuiteRunner(EventLoop& loop, const std::vector<const Scenario*>& scenarios, const RunSettings& settings,
              Redactor& redactor, SuiteOptions options);

  /// Runs to the end (or until interrupted). Returns every result in order;
  /// scenarios that never started are Status::kNotRun.
  /// Stops the run from a timer callback: running scenarios fail with
  /// `diagnosis`, the rest are reported as not run.
  void abort(Diagnosis diagnosis);

  std::vector<ScenarioResult> run(const std::function<void(const ScenarioResult&)>& on_result,
                                  const std::function<void(const std::string&)>& trace);

 private:
  struct Progress;
  bool pump(Progress& p, const std::function<void(const ScenarioResult&)>& on_result,
            const std::function<void(const std::string&)>& trace);
  void collect(Progress& p, size_t i);
  bool report_ready(Progress& p, const std::function<void(const ScenarioResult&)>& on_result, bool wait);
  void wind_down(Progress& p);
  EventLoop& loop_;
  const std::vector<const Scenario*>& scenarios_;
  const RunSettings& settings_;
  Redactor& redactor_;
  SuiteOptions options_;
  std::optional<Diagnosis> abort_;
  bool abort_applied_ = false;
  Timer settle_timer_;  // wakes the loop while a finished result waits to settle
};

/// Why a scenario that never finished is reported as not run: the run was
/// interrupted, the event loop failed, the environment stopped the run, or
/// --fail-fast stopped it.
std::string not_run_reason(bool interrupted, bool service_failed, const std::optional<Diagnosis>& abort);

}  // namespace wscheck
