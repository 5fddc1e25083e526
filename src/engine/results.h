// What running scenarios produced: the data every reporter reads.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/diagnosis.h"
#include "engine/failure.h"
#include "engine/message_rules.h"
#include "engine/observation.h"
#include "scenario/model.h"

namespace wscheck {

enum class Status { kPassed, kFailed, kNotRun };
const char* status_name(Status s);

/// The outcome of one step.
struct StepResult {
  size_t index = 0;
  std::string kind;
  std::string label;
  std::string conn;
  SourceRef where;
  Status status = Status::kNotRun;
  double duration_ms = 0;
  Micros started_at_us = 0;      // when the step began (monotonic, core/clock.h)
  std::optional<double> rtt_ms;  // ping steps
  std::optional<StepFailure> failure;  // what the engine saw when the step failed
  std::optional<Diagnosis> diagnosis;  // its wording: filled by diagnose_result() (diagnose/)
};

/// What one connection of a scenario did, for reports.
struct ConnectionReport {
  std::string name;
  std::string url;  // redacted
  PhaseTimings timings;
  std::optional<CloseInfo> close;
  std::string subprotocol;
  std::vector<std::string> last_frames;  // bounded, truncated, redacted
  size_t messages_received = 0;
  int http_status = 0;  // status of the upgrade response (101 when it opened; 0 if none arrived)
  std::vector<RuleCount> rules;  // the connection's on_message rules, with how often each fired
};

/// The outcome of one scenario: its steps, connections and first failure.
struct ScenarioResult {
  std::string name;
  SourceRef where;
  std::vector<std::string> tags;
  Status status = Status::kNotRun;
  double duration_ms = 0;
  std::vector<StepResult> steps;
  std::vector<ConnectionReport> connections;
  std::optional<Diagnosis> diagnosis;  // of the failing step (diagnose_result() fills it)
  std::optional<size_t> failed_step;
  std::string not_run_reason;
  /// The managed server's own words: its output lines written while the
  /// failing step ran, and its last error-looking line before the failure.
  std::vector<std::string> server_log;
  std::string server_error_line;
};

}  // namespace wscheck
