// Runs many scenarios on one event loop, N at a time, results in file order.
#pragma once

#include <functional>
#include <optional>
#include <vector>

#include "engine/scenario_runner.h"

namespace wscheck {

/// How many scenarios run at once, and whether the first failure stops the rest.
struct SuiteOptions {
  size_t jobs = 1;
  bool fail_fast = false;
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
  void wind_down(Progress& p);
  EventLoop& loop_;
  const std::vector<const Scenario*>& scenarios_;
  const RunSettings& settings_;
  Redactor& redactor_;
  SuiteOptions options_;
  std::optional<Diagnosis> abort_;
  bool abort_applied_ = false;
};

/// Why a scenario that never finished is reported as not run: the run was
/// interrupted, the event loop failed, the environment stopped the run, or
/// --fail-fast stopped it.
std::string not_run_reason(bool interrupted, bool service_failed, const std::optional<Diagnosis>& abort);

}  // namespace wscheck
