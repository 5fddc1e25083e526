// The one interface every output format implements.
//
/// The engine produces ScenarioResults; reporters turn them into text. A
/// reporter never runs anything, and the engine never formats anything.
#pragma once

#include <string>
#include <vector>

#include "engine/results.h"

namespace wscheck {

struct RunInfo {
  std::string target;        // redacted URL, or "built-in reference server at ..."
  size_t scenario_count = 0;
  std::string started_at;    // ISO 8601 UTC
};

/// --repeat: how often one scenario passed and failed.
struct RepeatCount {
  std::string name;
  size_t passed = 0;
  size_t failed = 0;
  bool flaky() const { return passed > 0 && failed > 0; }
};

struct RunSummary {
  size_t passed = 0;
  size_t failed = 0;
  size_t not_run = 0;
  double total_ms = 0;
  int exit_code = 0;
  bool interrupted = false;
  size_t repeat = 1;                 // --repeat
  size_t flaky = 0;                  // scenarios that both passed and failed
  std::vector<RepeatCount> repeats;  // per scenario, when repeat > 1
};

class Reporter {
 public:
  virtual ~Reporter() = default;
  virtual void on_run_start(const RunInfo& /*info*/) {}
  /// A -v trace line (already redacted).
  virtual void on_trace(const std::string& /*line*/) {}
  virtual void on_scenario_done(const ScenarioResult& result) = 0;
  virtual void on_run_end(const RunSummary& summary, const std::vector<ScenarioResult>& all) = 0;
};

}  // namespace wscheck
