#include "engine/suite_runner.h"

#include <memory>

namespace wscheck {

SuiteRunner::SuiteRunner(EventLoop& loop, const std::vector<const Scenario*>& scenarios, const RunSettings& settings,
                         Redactor& redactor, SuiteOptions options)
    : loop_(loop), scenarios_(scenarios), settings_(settings), redactor_(redactor), options_(options) {
  if (options_.jobs == 0) options_.jobs = 1;
}

void SuiteRunner::abort(Diagnosis diagnosis) {
  if (abort_) return;
  abort_ = std::move(diagnosis);
  lws_cancel_service(loop_.context());
}

std::vector<ScenarioResult> SuiteRunner::run(const std::function<void(const ScenarioResult&)>& on_result,
                                             const std::function<void(const std::string&)>& trace) {
  const size_t n = scenarios_.size();
  std::vector<std::unique_ptr<ScenarioRunner>> runners(n);
  std::vector<ScenarioResult> results(n);
  std::vector<bool> finished(n, false);
  size_t next_to_start = 0, next_to_report = 0, active = 0;
  bool stop_starting = false;

  auto pump = [&]() -> bool {
    if (abort_ && !abort_applied_) {
      abort_applied_ = true;
      stop_starting = true;
      for (auto& r : runners)
        if (r) r->abort(*abort_);
    }
    // collect finished runners
    for (size_t i = 0; i < next_to_start; ++i) {
      if (finished[i] || !runners[i] || !runners[i]->done()) continue;
      finished[i] = true;
      results[i] = runners[i]->result();
      if (options_.on_finished) options_.on_finished(results[i]);
      runners[i].reset();
      --active;
      if (options_.fail_fast && results[i].status == Status::kFailed) stop_starting = true;
    }
    while (next_to_report < n && finished[next_to_report]) on_result(results[next_to_report++]);
    while (!stop_starting && active < options_.jobs && next_to_start < n) {
      size_t i = next_to_start++;
      runners[i] = std::make_unique<ScenarioRunner>(loop_, *scenarios_[i], settings_, redactor_, trace);
      ++active;
      runners[i]->start();
    }
    return active == 0 && (stop_starting || next_to_start == n);
  };

  bool completed = loop_.run(pump);
  if (!completed) {
    // Interrupted: fail what runs, close its connections with 1001, and give them a moment.
    for (auto& r : runners)
      if (r) r->interrupt();
    for (int spins = 0; spins < 200 && active > 0; ++spins) {
      lws_service(loop_.context(), 0);
      for (size_t i = 0; i < next_to_start; ++i) {
        if (!finished[i] && runners[i] && runners[i]->done()) {
          finished[i] = true;
          results[i] = runners[i]->result();
          runners[i].reset();
          --active;
        }
      }
    }
    for (size_t i = 0; i < next_to_start; ++i) {
      if (!finished[i] && runners[i]) {
        results[i] = runners[i]->result();
        finished[i] = true;
        runners[i].reset();
      }
    }
    while (next_to_report < n && finished[next_to_report]) on_result(results[next_to_report++]);
  }
  for (size_t i = next_to_report; i < n; ++i) {
    if (!finished[i]) {
      results[i].name = scenarios_[i]->name;
      results[i].where = scenarios_[i]->where;
      results[i].tags = scenarios_[i]->tags;
      results[i].status = Status::kNotRun;
      results[i].not_run_reason = !completed ? "interrupted"
                                  : abort_  ? std::string("the run stopped: ") + class_name(abort_->cls)
                                            : "--fail-fast stopped the run";
    }
    on_result(results[i]);
  }
  return results;
}

}  // namespace wscheck
