#include "engine/suite_runner.h"

#include <algorithm>
#include <memory>

namespace wscheck {

/// The bookkeeping of one run(): runners, results in file order, counters.
struct SuiteRunner::Progress {
  explicit Progress(size_t n) : runners(n), results(n), finished(n, false), finished_at(n, 0) {}
  std::vector<std::unique_ptr<ScenarioRunner>> runners;
  std::vector<ScenarioResult> results;
  std::vector<bool> finished;
  std::vector<Micros> finished_at;
  size_t next_to_start = 0, next_to_report = 0, active = 0;
  bool stop_starting = false;
};

std::string not_run_reason(bool interrupted, bool service_failed, const std::optional<Diagnosis>& abort) {
  if (interrupted) return "interrupted";
  if (service_failed) return "the event loop failed (lws_service returned an error)";
  if (abort) return std::string("the run stopped: ") + class_name(abort->cls);
  return "--fail-fast stopped the run";
}

SuiteRunner::SuiteRunner(EventLoop& loop, const std::vector<const Scenario*>& scenarios, const RunSettings& settings,
                         Redactor& redactor, SuiteOptions options)
    : loop_(loop), scenarios_(scenarios), settings_(settings), redactor_(redactor), options_(options),
      settle_timer_(loop.context()) {
  if (options_.jobs == 0) options_.jobs = 1;
}

void SuiteRunner::abort(Diagnosis diagnosis) {
  if (abort_) return;
  abort_ = std::move(diagnosis);
  lws_cancel_service(loop_.context());
}

void SuiteRunner::collect(Progress& p, size_t i) {
  p.finished[i] = true;
  p.finished_at[i] = now_us();
  p.results[i] = p.runners[i]->result();
  p.runners[i].reset();  // from the loop's owner, between lws_service() calls
  --p.active;
}

bool SuiteRunner::pump(Progress& p, const std::function<void(const ScenarioResult&)>& on_result,
                       const std::function<void(const std::string&)>& trace) {
  if (abort_ && !abort_applied_) {
    abort_applied_ = true;
    p.stop_starting = true;
    for (auto& r : p.runners)
      if (r) r->abort(*abort_);
  }
  for (size_t i = 0; i < p.next_to_start; ++i) {
    if (p.finished[i] || !p.runners[i] || !p.runners[i]->done()) continue;
    collect(p, i);
    if (options_.fail_fast && p.results[i].status == Status::kFailed) p.stop_starting = true;
  }
  const bool reported_all = report_ready(p, on_result, true);
  while (!p.stop_starting && p.active < options_.jobs && p.next_to_start < p.results.size()) {
    size_t i = p.next_to_start++;
    p.runners[i] = std::make_unique<ScenarioRunner>(loop_, *scenarios_[i], settings_, redactor_, trace);
    ++p.active;
    p.runners[i]->start();
  }
  return p.active == 0 && (p.stop_starting || p.next_to_start == p.results.size()) && reported_all;
}

bool SuiteRunner::report_ready(Progress& p, const std::function<void(const ScenarioResult&)>& on_result, bool wait) {
  while (p.next_to_report < p.results.size() && p.finished[p.next_to_report]) {
    const size_t i = p.next_to_report;
    if (wait && options_.settled && p.finished_at[i] && !options_.settled(p.results[i], p.finished_at[i])) {
      if (!settle_timer_.active()) settle_timer_.start(10 * 1000, [] {});  // firing wakes the loop: pump again
      return false;
    }
    if (options_.on_finished && p.finished_at[i]) options_.on_finished(p.results[i], p.finished_at[i]);
    on_result(p.results[p.next_to_report++]);
  }
  // Finished but unreported results would hold the run open; none remain.
  return std::find(p.finished.begin() + static_cast<long>(p.next_to_report), p.finished.end(), true) == p.finished.end();
}

void SuiteRunner::wind_down(Progress& p) {
  if (loop_.interrupted()) {
    // Interrupted: fail what runs, close its connections with 1001, and give them a moment.
    for (auto& r : p.runners)
      if (r) r->interrupt();
    for (int spins = 0; spins < 200 && p.active > 0; ++spins) {
      if (lws_service(loop_.context(), 0) < 0) break;
      for (size_t i = 0; i < p.next_to_start; ++i)
        if (!p.finished[i] && p.runners[i] && p.runners[i]->done()) collect(p, i);
    }
  }
  // What still runs keeps the result it has; one that had not failed yet did not run to its end.
  for (size_t i = 0; i < p.next_to_start; ++i) {
    if (p.finished[i] || !p.runners[i]) continue;
    collect(p, i);
    if (p.results[i].status == Status::kNotRun) {
      p.results[i].status = Status::kNotRun;
      p.results[i].not_run_reason = not_run_reason(loop_.interrupted(), loop_.service_failed(), abort_);
    }
  }
}

std::vector<ScenarioResult> SuiteRunner::run(const std::function<void(const ScenarioResult&)>& on_result,
                                             const std::function<void(const std::string&)>& trace) {
  const size_t n = scenarios_.size();
  Progress p(n);
  bool completed = loop_.run([&] { return pump(p, on_result, trace); });
  if (!completed) wind_down(p);
  report_ready(p, on_result, false);
  for (size_t i = p.next_to_report; i < n; ++i) {
    if (!p.finished[i]) {
      p.results[i].name = scenarios_[i]->name;
      p.results[i].where = scenarios_[i]->where;
      p.results[i].tags = scenarios_[i]->tags;
      p.results[i].status = Status::kNotRun;
      p.results[i].not_run_reason = not_run_reason(!completed && loop_.interrupted(), loop_.service_failed(), abort_);
    }
    on_result(p.results[i]);
  }
  return p.results;
}

}  // namespace wscheck
