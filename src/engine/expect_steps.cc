// expect, expect_sequence and expect_silence steps, and the liveness ping
// that tells a silent application from a dead connection.
#include <algorithm>

#include "engine/scenario_runner.h"
#include "scenario/json_source.h"
#include "scenario/utf8.h"

namespace wscheck {

Matcher ScenarioRunner::expand_matcher(const Matcher& m) const {
  Matcher out = m;
  if (m.kind == Matcher::Kind::Json) out.json = expand_json(m.json, scope_);
  else if (m.kind == Matcher::Kind::Text) out.text = expand_template(m.text, scope_);
  return out;
}

ScenarioRunner::Outcome ScenarioRunner::begin(const ExpectStep& s) {
  if (s.count > 0 || s.until) {
    StreamSpec stream{static_cast<size_t>(s.count), std::nullopt};
    if (s.until) stream.until = expand_matcher(*s.until);
    expectation_ = Expectation(expand_matcher(s.matcher), step().strict, std::move(stream));
  } else {
    expectation_ = Expectation({expand_matcher(s.matcher)}, true, step().strict);
  }
  return Outcome::kWaiting;
}

ScenarioRunner::Outcome ScenarioRunner::begin(const ExpectSequenceStep& s) {
  std::vector<Matcher> matchers;
  for (const auto& m : s.match) matchers.push_back(expand_matcher(m));
  expectation_ = Expectation(std::move(matchers), s.ordered, step().strict);
  return Outcome::kWaiting;
}

ScenarioRunner::Outcome ScenarioRunner::check(const ExpectStep& /*s*/) { return check_expectation(); }
ScenarioRunner::Outcome ScenarioRunner::check(const ExpectSequenceStep& /*s*/) { return check_expectation(); }

bool ScenarioRunner::capture_from(const Message& message) {
  for (const auto& [var, value] : expectation_.captures()) {  // named regex groups
    scope_.set_capture(var, value);
    if (trace_) trace_("captured " + var + " = " + redactor_.apply(truncate_utf8(value.dump(), 200)));
  }
  if (step().capture.empty()) return true;
  // capture pointers apply to the JSON after a matcher's prefix
  std::string_view body = std::string_view(message.data).substr(std::min(expectation_.last_body_offset(), message.data.size()));
  nlohmann::json doc = message.binary || json_nesting_depth(body, kMaxMessageDepth) > kMaxMessageDepth
                           ? nlohmann::json()
                           : nlohmann::json::parse(body, nullptr, false);
  for (const auto& [var, pointer] : step().capture) {
    nlohmann::json::json_pointer ptr(pointer);
    if (doc.is_discarded() || doc.is_null() || !doc.contains(ptr)) {
      fail(CaptureMissing{var, pointer, message_excerpt(message)});
      return false;
    }
    scope_.set_capture(var, doc.at(ptr));
    if (trace_) trace_("captured " + var + " = " + redactor_.apply(truncate_utf8(doc.at(ptr).dump(), 200)));
  }
  return true;
}

/// Selective receive: the step takes what it matches from the inbox (oldest
/// first, then new arrivals) and leaves the rest for later steps.
ScenarioRunner::Outcome ScenarioRunner::drain_inbox(Connection& conn) {
  switch (expectation_.scan(conn.inbox(), index_)) {
    case Expectation::Verdict::kWaiting: return Outcome::kWaiting;
    case Expectation::Verdict::kMatched:
      if (!expectation_.capture_source()) return Outcome::kPassed;
      return capture_from(*expectation_.capture_source()) ? Outcome::kPassed : Outcome::kFailed;
    case Expectation::Verdict::kFailed: fail(expectation_.failure()); return Outcome::kFailed;
  }
  return Outcome::kWaiting;
}

ScenarioRunner::Outcome ScenarioRunner::check_expectation() {
  Connection* conn = nullptr;
  if (!connection(step().conn)) return need_open(conn, "");
  conn = connection(step().conn);
  if (liveness_pending_) {
    if (std::optional<Micros> pong = conn->pong_time(ping_payload_)) {
      finish_message_timeout(to_ms(*pong - ping_sent_));
      return Outcome::kFailed;
    }
    if (aux_fired_ || conn->finished()) {
      finish_message_timeout(std::nullopt);
      return Outcome::kFailed;
    }
    // messages that arrive while the liveness ping is out still count
  }
  if (Outcome o = drain_inbox(*conn); o != Outcome::kWaiting) return o;
  const bool ended = conn->phase() == ConnPhase::kClosed || conn->phase() == ConnPhase::kFailed;
  if (ended || (!conn->protocol_error().empty() && conn->finished())) {
    fail(ConnectionEnded{conn->facts(), "waiting for " + expectation_.wanted(), 0,
                         expectation_.report(conn->inbox(), index_)});
    return Outcome::kFailed;
  }
  if (deadline_passed_ && !liveness_pending_) start_liveness_ping();
  return Outcome::kWaiting;
}

void ScenarioRunner::start_liveness_ping() {
  Connection* conn = connection(step().conn);
  if (!conn || !conn->is_open()) {
    finish_message_timeout(std::nullopt);
    return;
  }
  liveness_pending_ = true;
  ping_payload_ = "wscheck-liveness-" + std::to_string(index_) + "-" + std::to_string(now_us() % 1000000);
  ping_sent_ = now_us();
  conn->send_ping(ping_payload_);
  start_aux_timer(settings_.liveness_ping_ms);
}

void ScenarioRunner::finish_message_timeout(std::optional<double> rtt) {
  Connection* conn = connection(step().conn);
  Inbox none;
  ExpectationReport report = expectation_.report(conn ? conn->inbox() : none, index_);
  fail(MessageTimedOut{std::move(report), step_timeout_ms(), settings_.liveness_ping_ms, rtt});
}

ScenarioRunner::Outcome ScenarioRunner::begin(const ExpectSilenceStep& s) {
  // Only arrivals during the window break the silence, not what was already unconsumed.
  Connection* conn = connection(step().conn);
  silence_after_ = conn ? conn->inbox().last_seq() : 0;
  start_aux_timer(s.ms);
  return Outcome::kWaiting;
}

ScenarioRunner::Outcome ScenarioRunner::check(const ExpectSilenceStep& s) {
  Connection* conn = connection(step().conn);
  if (const ReceivedMessage* first = conn ? conn->inbox().first_after(silence_after_) : nullptr) {
    fail(SilenceBroken{s.ms, to_ms(first->at - step_started_), message_excerpt(first->message)});
    return Outcome::kFailed;
  }
  if (conn && (conn->phase() == ConnPhase::kClosed || conn->finished()))
    return fail_closed(*conn, "expecting silence");
  return aux_fired_ ? Outcome::kPassed : Outcome::kWaiting;
}

}  // namespace wscheck
