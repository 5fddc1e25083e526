// The one place bench/ touches ScenarioRunner: one iteration, reduced to numbers.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/redactor.h"
#include "engine/event_loop.h"
#include "engine/scenario_runner.h"

namespace wscheck {

/// What load measurement keeps of one scenario run.
struct IterationOutcome {
  struct Step {
    std::string key;  // "step 4: expect {...}" (stable per scenario step)
    double ms = 0;
    bool timed = true;  // false for sleep / expect_silence (deliberate waits)
  };
  bool passed = false;
  std::vector<Step> steps;  // passed steps only, in order
  std::vector<PhaseTimings> connects;
  std::uint64_t messages_sent = 0;      // passed send steps
  std::uint64_t messages_received = 0;  // counted by the connections
  std::uint64_t connections_opened = 0;
  std::string failure_class;  // diagnosis class name, "" when passed
  std::string failure_line;   // its first line, redacted
};

/// Runs one iteration of `scenario` with its own Redactor (minted tokens
/// of one iteration never pile up in a shared one across a long run).
class ScenarioIteration {
 public:
  ScenarioIteration(EventLoop& loop, const Scenario& scenario, const RunSettings& settings);
  void start() { runner_->start(); }
  bool done() const { return runner_->done(); }
  void interrupt() { runner_->interrupt(); }
  IterationOutcome outcome() const;

 private:
  Redactor redactor_;
  std::unique_ptr<ScenarioRunner> runner_;
};

}  // namespace wscheck
