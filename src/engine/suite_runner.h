// Runs many scenarios on one event loop, N at a time, results in file order.
#pragma once

#include <functional>
#include <optional>
#include <vector>

#include "engine/scenario_runner.h"

namespace wscheck {

struct SuiteOptions {
  size_t jobs = 1;
  bool fail_fast = false;
  /// Called once per scenario the moment it finishes (before it is
  /// reported), e.g. to attach the managed server's log lines.
  std::function<void(ScenarioResult&)> on_finished = {};
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
  EventLoop& loop_;
  const std::vector<const Scenario*>& scenarios_;
  const RunSettings& settings_;
  Redactor& redactor_;
  SuiteOptions options_;
  std::optional<Diagnosis> abort_;
  bool abort_applied_ = false;
};

}  // namespace wscheck
