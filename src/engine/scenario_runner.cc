#include "engine/scenario_runner.h"

#include <algorithm>

#include "scenario/run_variables.h"
#include "scenario/variables.h"

namespace wscheck {

namespace {

constexpr Micros kCleanupGraceUs = 1000 * 1000;

}  // namespace

ScenarioRunner::ScenarioRunner(EventLoop& loop, const Scenario& scenario, const RunSettings& settings,
                               Redactor& redactor, std::function<void(const std::string&)> trace)
    : loop_(loop),
      scenario_(scenario),
      settings_(settings),
      redactor_(redactor),
      trace_(std::move(trace)),
      scope_(settings.vars),
      step_timer_(loop.context()),
      aux_timer_(loop.context()),
      scenario_timer_(loop.context()),
      cleanup_timer_(loop.context()),
      sweep_timer_(loop.context()),
      confirm_timer_(loop.context()) {
  set_run_variables(scope_, scenario.name);  // a fresh WSCHECK_RUN_ID for every run of the scenario
  result_.name = scenario.name;
  result_.where = scenario.where;
  result_.tags = scenario.tags;
}

ScenarioRunner::~ScenarioRunner() {
  step_timer_.cancel();
  aux_timer_.cancel();
  scenario_timer_.cancel();
  cleanup_timer_.cancel();
  sweep_timer_.cancel();
  confirm_timer_.cancel();
  connections_.clear();
  retired_.clear();
}

void ScenarioRunner::start() {
  state_ = State::kRunning;
  scenario_started_ = now_us();
  for (size_t i = 0; i < scenario_.steps.size(); ++i) {
    StepResult r;
    r.index = i;
    r.kind = scenario_.steps[i].kind;
    r.label = redactor_.apply(scenario_.steps[i].label());
    r.conn = scenario_.steps[i].conn;
    r.where = scenario_.steps[i].where;
    result_.steps.push_back(r);
  }
  if (scenario_.timeout_ms) {
    scenario_timer_.start(Micros(*scenario_.timeout_ms) * 1000, [this] {
      if (state_ != State::kRunning) return;
      fail(ScenarioTimedOut{*scenario_.timeout_ms, index_, result_.steps[index_].label});
    });
  }
  advance();
}

void ScenarioRunner::on_connection_changed(Connection& connection) {
  if (state_ == State::kRunning) {
    if (auto error = connection.take_rule_error()) {
      fail(RuleReplyFailed{connection.name(), error->rule, error->what});
      return;
    }
    advance();
  }
  else if (state_ == State::kCleaning) maybe_done();
}

int ScenarioRunner::step_timeout_ms() const {
  return step().timeout_ms.value_or(settings_.default_step_timeout_ms);
}

Connection* ScenarioRunner::connection(const std::string& name) {
  auto it = connections_.find(name);
  return it == connections_.end() ? nullptr : it->second.get();
}

void ScenarioRunner::retire(std::unique_ptr<Connection> connection) {
  // Never free a Connection here: this may run inside its own lws callback
  // (its close notified us, and the next step connects under its name).
  retired_.push_back(std::move(connection));
  sweep_timer_.start(0, [this] { retired_.clear(); });
}

Micros ScenarioRunner::step_budget_us() const {
  Micros budget = Micros(step_timeout_ms()) * 1000;
  // A silence or a sleep longer than the step timeout gets its own length plus a second.
  if (const auto* silence = std::get_if<ExpectSilenceStep>(&step().body))
    budget = std::max<Micros>(budget, Micros(silence->ms) * 1000 + 1000000);
  if (const auto* sleep = std::get_if<SleepStep>(&step().body))
    budget = std::max<Micros>(budget, Micros(sleep->ms) * 1000 + 1000000);
  return budget;
}

void ScenarioRunner::advance() {
  if (in_advance_) {
    advance_again_ = true;
    return;
  }
  in_advance_ = true;
  do {
    advance_again_ = false;
    while (state_ == State::kRunning && index_ < scenario_.steps.size()) {
      Outcome outcome;
      if (!step_begun_) {
        step_begun_ = true;
        deadline_passed_ = false;
        step_started_ = now_us();
        current_ = result_.steps[index_];
        current_.started_at_us = step_started_;
        if (trace_) trace_("step " + std::to_string(index_ + 1) + ": " + current_.label);
        outcome = begin_step();
        if (outcome == Outcome::kWaiting) {
          step_timer_.start(step_budget_us(), [this] { on_step_deadline(); });
          outcome = check_step();
        }
      } else {
        outcome = check_step();
      }
      if (outcome == Outcome::kWaiting) break;
      end_step(outcome);
    }
    if (state_ == State::kRunning && index_ >= scenario_.steps.size()) finish();
  } while (advance_again_);
  in_advance_ = false;
}

ScenarioRunner::Outcome ScenarioRunner::begin_step() {
  expectation_ = Expectation();
  liveness_pending_ = false;
  aux_fired_ = false;
  try {
    return std::visit([this](const auto& body) { return begin(body); }, step().body);
  } catch (const TemplateError& e) {
    fail(TemplateFailed{e.what(), index_});
  } catch (const std::exception& e) {
    fail(StepInvalid{e.what()});
  }
  return Outcome::kFailed;
}

ScenarioRunner::Outcome ScenarioRunner::check_step() {
  if (state_ != State::kRunning) return Outcome::kFailed;
  return std::visit([this](const auto& body) { return check(body); }, step().body);
}

ScenarioRunner::Outcome ScenarioRunner::need_open(Connection*& conn, const std::string& doing) {
  conn = connection(step().conn);
  if (conn && conn->is_open()) return Outcome::kPassed;
  if (!conn) {
    fail(NeverOpened{step().conn});
    return Outcome::kFailed;
  }
  return fail_closed(*conn, doing);
}

ScenarioRunner::Outcome ScenarioRunner::fail_closed(const Connection& conn, const std::string& doing, size_t skipped) {
  fail(ConnectionEnded{conn.facts(), doing, skipped, std::nullopt});
  return Outcome::kFailed;
}

void ScenarioRunner::on_step_deadline() {
  if (state_ != State::kRunning) return;
  deadline_passed_ = true;
  advance();
}

void ScenarioRunner::end_step(Outcome outcome) {
  step_timer_.cancel();
  aux_timer_.cancel();
  step_begun_ = false;
  if (state_ != State::kRunning || outcome != Outcome::kPassed) return;  // fail() recorded the failure
  current_.duration_ms = to_ms(now_us() - step_started_);
  current_.status = Status::kPassed;
  result_.steps[index_] = current_;
  ++index_;
}

void ScenarioRunner::fail(FailureFact fact) {
  if (state_ != State::kRunning) return;
  step_timer_.cancel();
  aux_timer_.cancel();
  current_.duration_ms = to_ms(now_us() - step_started_);
  StepFailure failure{std::move(fact), std::nullopt};
  if (!settings_.environment_failure || !may_be_environment(failure.fact)) {
    record(std::move(failure));
    return;
  }
  // Did the environment break (the managed server died)? Ask now and then
  // on a timer: never wait on the loop thread, other scenarios share it.
  pending_ = std::move(failure);
  state_ = State::kConfirming;
  confirm_started_ = now_us();
  confirm_environment();
}

void ScenarioRunner::confirm_environment() {
  if (state_ != State::kConfirming || !pending_) return;
  if (auto cause = settings_.environment_failure()) {
    pending_->cause = std::move(cause);
  } else if (now_us() - confirm_started_ < Micros(settings_.environment_grace_ms) * 1000) {
    confirm_timer_.start(Micros(settings_.environment_poll_ms) * 1000, [this] { confirm_environment(); });
    return;
  }
  StepFailure failure = std::move(*pending_);
  pending_.reset();
  state_ = State::kRunning;
  record(std::move(failure));
}

void ScenarioRunner::record(StepFailure failure) {
  if (state_ != State::kRunning && state_ != State::kConfirming) return;
  step_timer_.cancel();
  aux_timer_.cancel();
  confirm_timer_.cancel();
  pending_.reset();
  state_ = State::kRunning;
  current_.status = Status::kFailed;
  if (std::holds_alternative<MessageTimedOut>(failure.fact) || std::holds_alternative<ScenarioTimedOut>(failure.fact))
    for (const auto& [name, conn] : connections_)
      if (auto partial = conn ? conn->partial_frame() : std::nullopt; partial && !failure.partial_frame)
        failure.partial_frame = partial;
  current_.failure = std::move(failure);
  result_.steps[index_] = current_;
  result_.failed_step = index_;
  result_.status = Status::kFailed;
  if (settings_.step_failed) settings_.step_failed(index_, *current_.failure);
  cleanup();
}

void ScenarioRunner::finish() {
  result_.status = Status::kPassed;
  cleanup();
}

void ScenarioRunner::interrupt() {
  closing_code_ = 1001;  // "going away", not a normal end
  closing_reason_ = "going away";
  if (state_ == State::kRunning || state_ == State::kConfirming) {
    if (state_ == State::kRunning) current_.duration_ms = to_ms(now_us() - step_started_);
    record(StepFailure{Interrupted{index_}, std::nullopt});
  }
  for (auto& [name, conn] : connections_)
    if (conn->is_open()) conn->close(closing_code_, closing_reason_);
}

void ScenarioRunner::abort(const Diagnosis& diagnosis) {
  if (state_ == State::kRunning) {
    current_.duration_ms = to_ms(now_us() - step_started_);
    record(StepFailure{Aborted{}, diagnosis});
  } else if (state_ == State::kConfirming && pending_) {
    StepFailure failure = std::move(*pending_);
    failure.cause = diagnosis;
    record(std::move(failure));
  }
  for (auto& [name, conn] : connections_)
    if (conn->is_open()) conn->close(closing_code_, closing_reason_);
}

void ScenarioRunner::report_connection(const std::string& name, Connection& c) {
  ConnectionReport report;
  report.name = name;
  report.url = redactor_.apply(c.options().url.str());
  report.timings = c.timings();
  report.close = c.close_info();
  report.subprotocol = redactor_.apply(c.accepted_subprotocol());
  report.messages_received = c.messages_received();
  report.http_status = c.observation().http_status;
  for (RuleCount rule : c.rule_counts()) {
    rule.name = redactor_.apply(rule.name);
    report.rules.push_back(std::move(rule));
  }
  for (const auto& frame : c.recent_frames()) report.last_frames.push_back(redactor_.apply(frame));
  result_.connections.push_back(std::move(report));
}

void ScenarioRunner::cleanup() {
  if (state_ == State::kCleaning || state_ == State::kDone) return;
  state_ = State::kCleaning;
  scenario_timer_.cancel();
  result_.duration_ms = to_ms(now_us() - scenario_started_);
  for (const auto& name : connection_order_) {
    Connection* c = connections_[name].get();
    report_connection(name, *c);
    if (c->is_open()) c->close(closing_code_, closing_reason_);
    else if (!c->finished() && c->phase() != ConnPhase::kClosing) c->drop();
  }
  cleanup_timer_.start(kCleanupGraceUs, [this] {
    for (auto& [name, conn] : connections_) conn->drop();
    connections_.clear();  // kills synchronously whatever is left (from a timer: no callback on the stack)
    mark_done();
  });
  maybe_done();
}

void ScenarioRunner::maybe_done() {
  if (state_ != State::kCleaning) return;
  for (auto& [name, conn] : connections_)
    if (!conn->finished() && conn->phase() != ConnPhase::kIdle) return;
  cleanup_timer_.cancel();
  mark_done();
}

void ScenarioRunner::mark_done() {
  state_ = State::kDone;
  // The suite checks done() between lws_service() calls; a state change made
  // from a timer callback would otherwise wait for lws' idle poll (up to 30 s).
  lws_cancel_service(loop_.context());
}

}  // namespace wscheck
