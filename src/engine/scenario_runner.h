// Executes one scenario's steps on the event loop and records the result.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/diagnosis.h"
#include "core/redactor.h"
#include "core/url.h"
#include "engine/connection.h"
#include "engine/event_loop.h"
#include "engine/expectation.h"
#include "engine/failure.h"
#include "engine/results.h"
#include "engine/timer.h"
#include "scenario/model.h"
#include "scenario/variables.h"

namespace wscheck {

/// Settings shared by every scenario of a run.
struct RunSettings {
  std::optional<Url> base_url;
  std::map<std::string, std::string> vars;
  int default_step_timeout_ms = 5000;
  bool insecure = false;
  std::string ca_file;
  size_t max_message_bytes = 16 * 1024 * 1024;
  int liveness_ping_ms = 500;  // how long a liveness ping may take after a message_timeout
  size_t max_recorded_frames = 20;
  /// Asked when a step fails in a way the environment may explain: has the
  /// environment itself broken (the managed server died)? Its diagnosis then
  /// replaces the symptom. Must not block: the runner asks again on a timer
  /// (every environment_poll_ms, for up to environment_grace_ms) before it
  /// records the failure, since a dropped connection often shows a moment
  /// before the dead process is reaped.
  std::function<std::optional<Diagnosis>()> environment_failure;
  int environment_poll_ms = 10;
  int environment_grace_ms = 200;
  /// Told of every failed step as it fails (the -v trace names its class);
  /// step_index counts from 0. Must not block.
  std::function<void(size_t step_index, const StepFailure& failure)> step_failed;
};

/// A state machine that drives one scenario: each step starts, waits for
/// connection events or its deadline, and ends passed or failed with the
/// facts of its failure (StepFailure; diagnose/ words them). It never
/// prints; `trace` receives -v lines (redacted).
class ScenarioRunner : public ConnectionObserver {
 public:
  ScenarioRunner(EventLoop& loop, const Scenario& scenario, const RunSettings& settings, Redactor& redactor,
                 std::function<void(const std::string&)> trace);
  ~ScenarioRunner() override;

  void start();
  /// True once the result is final and every connection is gone.
  bool done() const { return state_ == State::kDone; }
  /// The result; failed steps carry `failure` facts (diagnose_result() words them).
  const ScenarioResult& result() const { return result_; }
  /// Ctrl-C: fail the running step as interrupted and close with 1001.
  void interrupt();
  /// The environment broke underneath (the managed server died): fail the
  /// running step with `diagnosis` and close the connections.
  void abort(const Diagnosis& diagnosis);

  void on_connection_changed(Connection& connection) override;

 private:
  enum class State { kIdle, kRunning, kConfirming, kCleaning, kDone };
  enum class Outcome { kWaiting, kPassed, kFailed };

  // scenario_runner.cc: the state machine
  void advance();
  Outcome begin_step();
  Outcome check_step();
  Micros step_budget_us() const;
  void on_step_deadline();
  void end_step(Outcome outcome);
  void fail(FailureFact fact);
  void confirm_environment();
  void record(StepFailure failure);
  void finish();
  void cleanup();
  void report_connection(const std::string& name, Connection& c);
  void maybe_done();
  void mark_done();
  void retire(std::unique_ptr<Connection> connection);

  const Step& step() const { return scenario_.steps[index_]; }
  int step_timeout_ms() const;
  Connection* connection(const std::string& name);
  Outcome need_open(Connection*& conn, const std::string& doing);
  Outcome fail_closed(const Connection& conn, const std::string& doing, size_t skipped = 0);

  // connect_step.cc
  Outcome begin(const ConnectStep& s);
  Outcome check(const ConnectStep& s);
  Outcome check_rejected(const ConnectStep& s, Connection& conn);
  bool build_options(const ConnectStep& s, ConnectOptions& options);
  MessageRules build_rules(const ConnectStep& s) const;
  bool check_upgrade(const ConnectStep& s, const Connection& conn);

  // expect_steps.cc: expect, expect_sequence, expect_silence, liveness ping
  Outcome begin(const ExpectStep& s);
  Outcome begin(const ExpectSequenceStep& s);
  Outcome begin(const ExpectSilenceStep& s);
  Outcome check(const ExpectStep& s);
  Outcome check(const ExpectSequenceStep& s);
  Outcome check(const ExpectSilenceStep& s);
  Outcome check_expectation();
  Outcome drain_inbox(Connection& conn);
  Matcher expand_matcher(const Matcher& m) const;
  bool capture_from(const Message& message);
  void start_liveness_ping();
  void finish_message_timeout(std::optional<double> liveness_rtt_ms);

  // control_steps.cc: send, ping, close, expect_close, sleep
  Outcome begin(const SendStep& s);
  Outcome begin(const PingStep& s);
  Outcome begin(const CloseStep& s);
  Outcome begin(const ExpectCloseStep& s);
  Outcome begin(const SleepStep& s);
  Outcome check(const SendStep& s);
  Outcome check(const PingStep& s);
  Outcome check(const CloseStep& s);
  Outcome check(const ExpectCloseStep& s);
  Outcome check(const SleepStep& s);
  void start_aux_timer(int ms);

  EventLoop& loop_;
  const Scenario& scenario_;
  const RunSettings& settings_;
  Redactor& redactor_;
  std::function<void(const std::string&)> trace_;
  VariableScope scope_;

  State state_ = State::kIdle;
  size_t index_ = 0;
  Micros scenario_started_ = 0;
  Micros step_started_ = 0;
  bool step_begun_ = false;
  bool deadline_passed_ = false;
  bool in_advance_ = false;
  bool advance_again_ = false;

  std::map<std::string, std::unique_ptr<Connection>> connections_;
  std::vector<std::string> connection_order_;
  /// Connections replaced while one of their callbacks may be on the stack:
  /// freed by sweep_timer_ once the loop is back in control.
  std::vector<std::unique_ptr<Connection>> retired_;
  Timer step_timer_;
  Timer aux_timer_;
  Timer scenario_timer_;
  Timer cleanup_timer_;
  Timer sweep_timer_;
  Timer confirm_timer_;

  // per-step working state
  Expectation expectation_;
  uint64_t silence_after_ = 0;  // expect_silence: the inbox seq when the window opened
  std::string ping_payload_;
  Micros ping_sent_ = 0;
  bool liveness_pending_ = false;
  bool aux_fired_ = false;

  // a failure waiting for the environment check (State::kConfirming)
  std::optional<StepFailure> pending_;
  Micros confirm_started_ = 0;

  int closing_code_ = 1000;  // what cleanup closes open connections with
  std::string closing_reason_;
  ScenarioResult result_;
  StepResult current_;
};

}  // namespace wscheck
