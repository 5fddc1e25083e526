#include "watch/engine_adapter.h"

#include "diagnose/diagnose_result.h"

#include "core/redactor.h"
#include "engine/scenario_runner.h"

namespace wscheck {

namespace {

std::optional<double> seconds(const std::optional<double>& ms) {
  if (!ms) return std::nullopt;
  return *ms / 1000.0;
}

bool worth_a_histogram(const Step& step) {
  return !step.name.empty() || step.kind == "expect" || step.kind == "expect_sequence" || step.kind == "ping";
}

}  // namespace

ScenarioExecution::ScenarioExecution(EventLoop& loop, const Scenario& scenario, const WatchEngineSettings& s)
    : scenario_(scenario), settings_(std::make_unique<RunSettings>()), redactor_(std::make_unique<Redactor>()) {
  settings_->base_url = s.base_url;
  settings_->vars = s.vars;
  settings_->default_step_timeout_ms = s.step_timeout_ms;
  settings_->insecure = s.insecure;
  settings_->ca_file = s.ca_file;
  settings_->max_message_bytes = s.max_message_bytes;
  runner_ = std::make_unique<ScenarioRunner>(loop, scenario_, *settings_, *redactor_, nullptr);
}

ScenarioExecution::~ScenarioExecution() = default;

void ScenarioExecution::start() { runner_->start(); }

bool ScenarioExecution::done() const { return runner_->done(); }

void ScenarioExecution::cut(const std::string& why) {
  Diagnosis d;
  d.cls = DiagnosisClass::kScenarioTimeout;
  d.headline = why;
  runner_->abort(d);
}

void ScenarioExecution::interrupt() { runner_->interrupt(); }

RunOutcome ScenarioExecution::outcome() const {
  ScenarioResult r = runner_->result();
  diagnose_result(r, *redactor_);  // engine facts -> diagnosis
  RunOutcome o;
  o.passed = r.status == Status::kPassed;
  o.duration_s = r.duration_ms / 1000.0;
  if (!o.passed) {
    o.failure_class = r.diagnosis ? class_name(r.diagnosis->cls) : "unknown";
    o.failure_line = r.diagnosis ? redactor_->apply(r.diagnosis->headline) : "the scenario did not pass";
  }
  if (!r.connections.empty()) {
    const ConnectionReport& c = r.connections.front();
    o.dns_s = seconds(c.timings.dns);
    o.tcp_s = seconds(c.timings.tcp);
    o.tls_s = seconds(c.timings.tls);
    o.upgrade_s = seconds(c.timings.upgrade);
    o.upgrade_status = c.http_status;
  }
  for (const StepResult& step : r.steps) {
    if (step.status != Status::kPassed || step.index >= scenario_.steps.size()) continue;
    const Step& def = scenario_.steps[step.index];
    if (step.rtt_ms) o.ping_rtts_s.push_back(*step.rtt_ms / 1000.0);
    if (!worth_a_histogram(def)) continue;
    std::string label = !def.name.empty() ? def.name : std::to_string(step.index + 1) + ":" + def.kind;
    o.steps.push_back(StepTiming{label, step.duration_ms / 1000.0});
  }
  return o;
}

}  // namespace wscheck
