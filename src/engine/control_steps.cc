// send, ping, close, expect_close and sleep steps.
#include "engine/scenario_runner.h"
#include "scenario/jwt.h"
#include "scenario/regex.h"

namespace wscheck {

void ScenarioRunner::start_aux_timer(int ms) {
  aux_timer_.start(Micros(ms) * 1000, [this] {
    aux_fired_ = true;
    advance();
  });
}

ScenarioRunner::Outcome ScenarioRunner::begin(const SendStep& s) {
  Connection* conn = nullptr;
  if (need_open(conn, "sending") == Outcome::kFailed) return Outcome::kFailed;
  OutgoingFrame frame = render_send(s, scope_);  // the same rendering as a rule's reply
  if (frame.binary) conn->send_binary(std::move(frame.data));
  else conn->send_text(std::move(frame.data));
  return Outcome::kPassed;
}

ScenarioRunner::Outcome ScenarioRunner::check(const SendStep& /*s*/) { return Outcome::kPassed; }

ScenarioRunner::Outcome ScenarioRunner::begin(const PingStep& s) {
  Connection* conn = nullptr;
  if (need_open(conn, "sending a ping") == Outcome::kFailed) return Outcome::kFailed;
  ping_payload_ = s.payload && !s.payload->empty()
                      ? *s.payload
                      : "wscheck-ping-" + std::to_string(index_) + "-" + std::to_string(now_us() % 1000000);
  ping_sent_ = now_us();
  conn->send_ping(ping_payload_);
  return Outcome::kWaiting;
}

ScenarioRunner::Outcome ScenarioRunner::check(const PingStep& /*s*/) {
  Connection* conn = connection(step().conn);
  if (auto pong = conn ? conn->pong_time(ping_payload_) : std::nullopt) {
    current_.rtt_ms = to_ms(*pong - ping_sent_);
    return Outcome::kPassed;
  }
  if (conn && (conn->phase() == ConnPhase::kClosed || conn->finished()))
    return fail_closed(*conn, "waiting for a pong");
  if (!deadline_passed_) return Outcome::kWaiting;
  fail(PongTimedOut{step_timeout_ms()});
  return Outcome::kFailed;
}

ScenarioRunner::Outcome ScenarioRunner::begin(const CloseStep& s) {
  Connection* conn = nullptr;
  if (need_open(conn, "closing") == Outcome::kFailed) return Outcome::kFailed;
  conn->close(s.code, s.reason);
  return Outcome::kWaiting;
}

ScenarioRunner::Outcome ScenarioRunner::check(const CloseStep& /*s*/) {
  Connection* conn = connection(step().conn);
  if (conn && conn->finished()) return Outcome::kPassed;
  if (!deadline_passed_) return Outcome::kWaiting;
  fail(CloseNotAnswered{step_timeout_ms()});
  return Outcome::kFailed;
}

ScenarioRunner::Outcome ScenarioRunner::begin(const ExpectCloseStep& /*s*/) { return Outcome::kWaiting; }

ScenarioRunner::Outcome ScenarioRunner::check(const ExpectCloseStep& s) {
  Connection* conn = connection(step().conn);
  if (!conn) return need_open(conn, "");
  if (conn->phase() == ConnPhase::kClosed || conn->finished()) {
    const auto& close = conn->close_info();
    int code = close ? close->code : 1006;
    std::string reason = close ? close->reason : "";
    bool code_ok = s.codes.empty() || std::find(s.codes.begin(), s.codes.end(), code) != s.codes.end();
    bool reason_ok = true;
    if (s.reason_regex) {
      std::string error;
      auto re = Regex::compile(*s.reason_regex, error);
      reason_ok = re && re->search(reason);
    }
    if (code_ok && reason_ok) return Outcome::kPassed;
    fail(CloseMismatch{code, reason, code_ok, s.codes, s.reason_regex, conn->protocol_error()});
    return Outcome::kFailed;
  }
  if (!deadline_passed_) return Outcome::kWaiting;
  SkippedMessages unconsumed;  // they stay in the inbox
  for (const ReceivedMessage& rm : conn->inbox().messages()) unconsumed.add(rm.message);
  fail(CloseTimedOut{step_timeout_ms(), unconsumed.listed(), unconsumed.total()});
  return Outcome::kFailed;
}

ScenarioRunner::Outcome ScenarioRunner::begin(const SleepStep& s) {
  start_aux_timer(s.ms);
  return Outcome::kWaiting;
}

ScenarioRunner::Outcome ScenarioRunner::check(const SleepStep& /*s*/) {
  return aux_fired_ ? Outcome::kPassed : Outcome::kWaiting;
}

}  // namespace wscheck
