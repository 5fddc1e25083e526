#include "bench/scenario_iteration.h"

#include "diagnose/diagnose_result.h"

namespace wscheck {

ScenarioIteration::ScenarioIteration(EventLoop& loop, const Scenario& scenario, const RunSettings& settings)
    : runner_(std::make_unique<ScenarioRunner>(loop, scenario, settings, redactor_, nullptr)) {}

IterationOutcome ScenarioIteration::outcome() const {
  ScenarioResult r = runner_->result();
  diagnose_result(r, redactor_);  // engine facts -> diagnosis
  IterationOutcome out;
  out.passed = r.status == Status::kPassed;
  for (const StepResult& s : r.steps) {
    if (s.status != Status::kPassed) continue;
    std::string label = s.label.size() > 60 ? s.label.substr(0, 57).append("...") : s.label;
    bool timed = s.kind != "sleep" && s.kind != "expect_silence";
    std::string name = "step ";
    name.append(std::to_string(s.index + 1)).append(": ").append(label);
    out.steps.push_back({std::move(name), s.duration_ms, timed});
    if (s.kind == "send") ++out.messages_sent;
  }
  for (const ConnectionReport& c : r.connections) {
    out.connects.push_back(c.timings);
    out.messages_received += c.messages_received;
    if (c.timings.upgrade) ++out.connections_opened;
  }
  if (!out.passed) {
    if (r.diagnosis) {
      out.failure_class = class_name(r.diagnosis->cls);
      out.failure_line = redactor_.apply(r.diagnosis->headline);
    } else {
      out.failure_class = "scenario_timeout";
      out.failure_line = "the iteration ended without a result";
    }
    out.failure_line = r.name + ": " + out.failure_line;
  }
  return out;
}

}  // namespace wscheck
