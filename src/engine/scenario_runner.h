// Executes one scenario's steps on the event loop and records the result.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "core/redactor.h"
#include "core/url.h"
#include "engine/connection.h"
#include "engine/event_loop.h"
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
  /// Asked before a failure is recorded: when the environment itself broke
  /// (the managed server died), its diagnosis replaces the symptom.
  std::function<std::optional<Diagnosis>()> environment_failure;
};

/// A state machine that drives one scenario: each step starts, waits for
/// connection events or its deadline, and ends passed or failed with a
/// Diagnosis. It never prints; `trace` receives -v lines (redacted).
class ScenarioRunner : public ConnectionObserver {
 public:
  ScenarioRunner(EventLoop& loop, const Scenario& scenario, const RunSettings& settings, Redactor& redactor,
                 std::function<void(const std::string&)> trace);
  ~ScenarioRunner() override;

  void start();
  /// True once the result is final and every connection is gone.
  bool done() const { return state_ == State::kDone; }
  const ScenarioResult& result() const { return result_; }
  /// Ctrl-C: fail the running step as interrupted and close with 1001.
  void interrupt();
  /// The environment broke underneath (the managed server died): fail the
  /// running step with `diagnosis` and close the connections.
  void abort(const Diagnosis& diagnosis);

  void on_connection_changed(Connection& connection) override;

 private:
  enum class State { kIdle, kRunning, kCleaning, kDone };
  enum class Outcome { kWaiting, kPassed, kFailed };

  void advance();
  Outcome begin_step();
  Outcome check_step();
  void on_step_deadline();
  void end_step(Outcome outcome);
  void fail(Diagnosis diagnosis);
  void finish();
  void cleanup();
  void maybe_done();
  void mark_done();

  const Step& step() const { return scenario_.steps[index_]; }
  int step_timeout_ms() const;
  Connection* connection(const std::string& name);
  Outcome need_open(Connection*& conn, const std::string& doing);

  Outcome begin_connect(const ConnectStep& s);
  Outcome check_connect(const ConnectStep& s);
  Outcome check_expect(const std::vector<Matcher>& matchers, bool ordered);
  Outcome check_expect_close(const ExpectCloseStep& s);
  void start_liveness_ping();
  void finish_message_timeout(std::optional<double> liveness_rtt_ms);
  bool capture_from(const Message& message);
  Matcher expand_matcher(const Matcher& m) const;
  size_t first_unmatched() const;
  std::string describe_message(const Message& m) const;

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
  Timer step_timer_;
  Timer aux_timer_;
  Timer scenario_timer_;
  Timer cleanup_timer_;

  // per-step working state
  std::vector<Matcher> expanded_;
  std::vector<bool> matched_;
  size_t sequence_pos_ = 0;
  std::map<size_t, std::string> early_;  // later entries of an ordered sequence seen too soon
  std::vector<std::string> skipped_;
  size_t skipped_total_ = 0;
  std::optional<MatchResult> closest_;
  std::string closest_message_;
  std::string ping_payload_;
  Micros ping_sent_ = 0;
  bool liveness_pending_ = false;
  bool aux_fired_ = false;
  std::optional<Diagnosis> pending_diagnosis_;

  int closing_code_ = 1000;  // what cleanup closes open connections with
  std::string closing_reason_;
  ScenarioResult result_;
  StepResult current_;
};

}  // namespace wscheck
