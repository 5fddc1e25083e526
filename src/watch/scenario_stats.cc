#include "watch/scenario_stats.h"

namespace wscheck {

namespace {

constexpr size_t kMaxClassSeries = 32;  // the diagnosis classes are an enum; this only guards "unknown"s

void observe_phase(std::map<std::string, BucketHistogram>& phases, const char* name, const std::optional<double>& s) {
  if (s) phases[name].observe(*s);
}

}  // namespace

std::optional<StateChange> ScenarioStats::record(const RunOutcome& o, double now_s) {
  const bool first = !has_run();
  const bool was_up = up_;
  last_run_s_ = now_s;
  duration_.observe(o.duration_s);
  observe_phase(phases_, "dns", o.dns_s);
  observe_phase(phases_, "tcp", o.tcp_s);
  observe_phase(phases_, "tls", o.tls_s);
  observe_phase(phases_, "upgrade", o.upgrade_s);
  for (double rtt : o.ping_rtts_s) ping_rtt_.observe(rtt);
  for (const StepTiming& step : o.steps) {
    auto it = steps_.find(step.step);
    if (it == steps_.end()) {
      if (steps_.size() >= kMaxStepSeries) continue;
      it = steps_.emplace(step.step, BucketHistogram{}).first;
    }
    it->second.observe(step.seconds);
  }
  history_.emplace_back(o.duration_s, o.passed);
  while (history_.size() > history_cap_) history_.pop_front();

  if (o.passed) {
    ++runs_passed_;
    up_ = true;
    last_success_s_ = now_s;
    const std::uint64_t failed = consecutive_failures_;
    consecutive_failures_ = 0;
    if (first) return StateChange{StateChange::Kind::kUp, name_, "", "", 0, 0};
    if (!was_up) {
      double down_for = down_since_s_ ? now_s - *down_since_s_ : 0;
      down_since_s_.reset();
      return StateChange{StateChange::Kind::kRecovered, name_, "", "", failed, down_for};
    }
    return std::nullopt;
  }
  ++runs_failed_;
  ++consecutive_failures_;
  up_ = false;
  std::string cls = o.failure_class;
  if (!failures_by_class_.count(cls) && failures_by_class_.size() >= kMaxClassSeries) cls = "other";
  ++failures_by_class_[cls];
  last_failure_class_ = o.failure_class;
  last_failure_line_ = o.failure_line;
  if (first || was_up) {
    down_since_s_ = now_s;
    return StateChange{StateChange::Kind::kDown, name_, o.failure_class, o.failure_line, 0, 0};
  }
  return std::nullopt;
}

}  // namespace wscheck
