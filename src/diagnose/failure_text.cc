#include "diagnose/failure_text.h"

#include <nlohmann/json.hpp>

#include "core/format.h"
#include "diagnose/classify.h"

namespace wscheck {

namespace {

std::string n(size_t v) { return std::to_string(v); }
std::string n(int v) { return std::to_string(v); }

std::string plural(size_t v, const std::string& one) { return n(v) + " " + one + (v == 1 ? "" : "s"); }

/// The details every waiting expectation shares: the closest miss, early
/// entries, what is still unconsumed, what was dropped or consumed before.
void add_inbox_details(std::vector<std::string>& details, const ExpectationReport& r) {
  if (r.closest && !r.closest->reason.empty()) {
    details.push_back("closest: " + r.closest_message);
    details.push_back("  " + (r.closest->path.empty() ? std::string("") : r.closest->path + ": ") + r.closest->reason);
  }
  for (const auto& [j, excerpt] : r.early)
    details.push_back("#" + n(j + 1) + " of the sequence arrived meanwhile: " + excerpt);
  if (r.consumed_by)
    details.push_back("a matching message arrived, but step " + n(*r.consumed_by + 1) + " consumed it: " +
                      r.consumed_message);
  if (r.dropped)
    details.push_back(plural(r.dropped, "older unconsumed message") + (r.dropped == 1 ? " was" : " were") +
                      " dropped (the inbox keeps at most 1000 messages or 16 MiB)");
  for (const auto& s : r.unconsumed) details.push_back("unconsumed: " + s);
  if (r.unconsumed_total > r.unconsumed.size())
    details.push_back("… and " + n(r.unconsumed_total - r.unconsumed.size()) + " more");
}

/// What the step waited for, as the start of a timeout's first line.
std::string awaited(const ExpectationReport& r, int timeout_ms) {
  const std::string within = " within " + n(timeout_ms) + " ms";
  if (r.count > 0 && r.items < r.count)
    return "only " + n(r.items) + " of " + n(r.count) + " messages matching " + r.item + " arrived" + within +
           (r.until.empty() ? "" : " (the stream ends with " + r.until + ")");
  if (!r.until.empty())
    return "the stream of messages matching " + r.item + " did not end with " + r.until + within + " (" +
           plural(r.items, "message") + " arrived)";
  std::string what = r.wanted;
  if (r.entries > 1) what += " (" + n(r.matched) + " of " + n(r.entries) + " in the sequence arrived)";
  return "no message matching " + what + within;
}

/// Why the awaited message is missing, once the server answered a liveness
/// ping: never "not sent" when it may have arrived and gone elsewhere.
std::string why_missing(const ExpectationReport& r) {
  if (r.consumed_by) return "; a matching message arrived, but step " + n(*r.consumed_by + 1) + " consumed it";
  if (r.dropped)
    return "; " + plural(r.dropped, "older unconsumed message") + (r.dropped == 1 ? " was" : " were") +
           " dropped (inbox full), it may have been among them";
  if (r.count > 0 && r.items > 0 && r.items < r.count) return ", the application sent no more";
  return ", the application did not send it";
}

Diagnosis make(DiagnosisClass cls, std::string headline, std::string hint = "") {
  Diagnosis d;
  d.cls = cls;
  d.headline = std::move(headline);
  d.hint = std::move(hint);
  return d;
}

Diagnosis word(const ScenarioTimedOut& f) {
  return make(DiagnosisClass::kScenarioTimeout,
              "the scenario's budget of " + n(f.budget_ms) + " ms ran out during step " + n(f.step + 1) + " (" +
                  f.label + ")",
              "raise \"timeout_ms\" on the scenario, or find the slow step in the per-step timings (-v)");
}

Diagnosis word(const TemplateFailed& f) {
  return make(DiagnosisClass::kUsage, f.what + " in step " + n(f.step + 1),
              "pass --var NAME=VALUE, or capture it in an earlier step");
}

Diagnosis word(const StepInvalid& f) { return make(DiagnosisClass::kUsage, f.what); }

Diagnosis word(const NeverOpened& f) {
  return make(DiagnosisClass::kUsage, "connection \"" + f.conn + "\" was never opened");
}

Diagnosis word(const AlreadyOpen& f) {
  return make(DiagnosisClass::kUsage,
              "connection \"" + f.conn + "\" is already open; give the second one another name with \"as\"");
}

Diagnosis word(const NotWebSocketScheme& f) {
  return make(DiagnosisClass::kUsage, "cannot open a WebSocket to \"" + f.url + "\": use ws:// or wss://");
}

Diagnosis word(const ConnectFailed& f) {
  Diagnosis d = classify_connect_failure(f.seen, f.url);
  if (f.expected_refusal)
    d.details.insert(d.details.begin(),
                     "expected the server to refuse the upgrade with an HTTP status, but the connection failed differently");
  return d;
}

Diagnosis word(const ConnectionEnded& f) {
  Diagnosis d = describe_closed(f.facts, f.while_doing);
  if (f.skipped) d.details.push_back("received " + n(f.skipped) + " other message(s) first");
  if (f.waiting) {
    const ExpectationReport& r = *f.waiting;
    if (r.count > 0 || !r.until.empty()) d.details.push_back(plural(r.items, "message") + " matching " + r.item + " arrived");
    if (r.entries > 1) d.details.push_back(n(r.matched) + " of " + n(r.entries) + " in the sequence arrived");
    add_inbox_details(d.details, r);
  }
  return d;
}

Diagnosis word(const RefusedWithOtherStatus& f) {
  Diagnosis d = classify_connect_failure(f.seen, f.url);
  d.cls = DiagnosisClass::kMismatch;
  d.headline = "the upgrade was refused as expected, but with HTTP " + http_status_text(f.seen.http_status) +
               " instead of " + nlohmann::json(f.wanted).dump();
  return d;
}

Diagnosis word(const AcceptedThenClosed& f) {
  Diagnosis d = describe_closed(f.facts, "");
  d.cls = DiagnosisClass::kMismatch;
  d.headline = "the server accepted the upgrade and then closed with " + n(f.code) + ", expected a refusal (HTTP " +
               (f.want.status.empty() ? std::string("4xx") : nlohmann::json(f.want.status).dump()) +
               " or close code " +
               (f.want.close_code.empty() ? std::string("any") : nlohmann::json(f.want.close_code).dump()) + ")";
  return d;
}

Diagnosis word(const NotRefused& f) {
  return make(DiagnosisClass::kMismatch, "the server accepted the connection (101) and kept it open for " +
                                             format_ms(f.timeout_ms) +
                                             ", but the scenario expects it to be refused: authentication is not enforced");
}

Diagnosis word(const CaptureMissing& f) {
  Diagnosis d = make(DiagnosisClass::kMismatch,
                     "capture \"" + f.var + "\": the matched message has nothing at " + f.pointer);
  d.details.push_back("message: " + f.message);
  return d;
}

Diagnosis word(const WrongOrder& f) {
  Diagnosis d = make(DiagnosisClass::kMismatch,
                     "message #" + n(f.early + 1) + " of the sequence arrived before #" + n(f.late + 1) + ": wrong order");
  d.details.push_back("#" + n(f.early + 1) + " arrived first: " + f.early_message);
  d.details.push_back("#" + n(f.late + 1) + " arrived later: " + f.late_message);
  return d;
}

Diagnosis word(const StrictMismatch& f) {
  Diagnosis d = make(DiagnosisClass::kMismatch, "the next message does not match (strict): " +
                                                    (f.best.reason.empty() ? std::string("no match") : f.best.reason));
  if (!f.best.path.empty()) d.details.push_back("at " + f.best.path);
  d.details.push_back("expected: " + f.expected);
  d.details.push_back("received: " + f.received);
  return d;
}

Diagnosis word(const StreamEndedEarly& f) {
  Diagnosis d = make(DiagnosisClass::kMismatch, "the stream ended after " + n(f.items) + " of " + n(f.count) +
                                                    " messages matching " + f.item + ": " + f.terminator);
  d.hint = "the server completed the stream early; check what it sends before the terminator (-v shows every frame)";
  return d;
}

Diagnosis word(const TooManyMessages& f) {
  Diagnosis d = make(DiagnosisClass::kMismatch,
                     "expected exactly " + n(f.count) + " messages matching " + f.item +
                         (f.until.empty() ? ", " + n(f.arrived) + " arrived"
                                          : " before " + f.until + ", a further one (#" + n(f.arrived) + ") arrived"));
  d.details.push_back("extra: " + f.extra);
  return d;
}

Diagnosis word(const MessageTimedOut& f) {
  const ExpectationReport& r = f.report;
  Diagnosis d = make(DiagnosisClass::kMessageTimeout,
                     awaited(r, f.timeout_ms) + "; " + (r.unconsumed_total ? plural(r.unconsumed_total, "unconsumed message")
                                                                           : std::string("no unconsumed message")));
  if (f.liveness_rtt_ms)
    d.headline += "; the server answered a liveness ping in " + format_ms(*f.liveness_rtt_ms) +
                  ": the connection is alive" + why_missing(r);
  else
    d.headline += "; the server did not answer a liveness ping within " + n(f.liveness_ping_ms) +
                  " ms: its WebSocket layer is stuck or the connection is dead";
  add_inbox_details(d.details, r);
  d.hint = f.liveness_rtt_ms
               ? "check the server's handler for this message type, or raise the step's timeout_ms if it is just slow"
               : "the server process may be blocked (CPU-bound handler, deadlock) or the network path is broken";
  return d;
}

Diagnosis word(const CloseMismatch& f) {
  Diagnosis d = make(DiagnosisClass::kMismatch,
                     "server closed with " + n(f.code) + (f.reason.empty() ? "" : " \"" + f.reason + "\"") + ", expected " +
                         (f.code_ok ? "a reason matching /" + f.reason_regex.value_or("") + "/"
                                    : "code " + nlohmann::json(f.codes).dump()));
  if (!f.protocol_error.empty()) d.details.push_back(f.protocol_error);
  return d;
}

Diagnosis word(const CloseTimedOut& f) {
  Diagnosis d = make(DiagnosisClass::kMessageTimeout,
                     "the server did not close the connection within " + n(f.timeout_ms) + " ms");
  for (const auto& m : f.unconsumed) d.details.push_back("unconsumed: " + m);
  if (f.unconsumed_total > f.unconsumed.size())
    d.details.push_back("… and " + n(f.unconsumed_total - f.unconsumed.size()) + " more");
  return d;
}

Diagnosis word(const SilenceBroken& f) {
  Diagnosis d = make(DiagnosisClass::kMismatch, "expected silence for " + n(f.ms) + " ms, but a message arrived after " +
                                                    format_ms(f.after_ms));
  d.details.push_back("received: " + f.message);
  return d;
}

Diagnosis word(const PongTimedOut& f) {
  return make(DiagnosisClass::kMessageTimeout,
              "no pong within " + n(f.timeout_ms) +
                  " ms: the connection is open but the server's WebSocket layer does not answer ping frames",
              "RFC 6455 requires a pong for every ping; a blocked event loop also looks like this");
}

Diagnosis word(const CloseNotAnswered& f) {
  return make(DiagnosisClass::kMessageTimeout,
              "the server did not answer our close frame within " + n(f.timeout_ms) + " ms");
}

Diagnosis word(const Interrupted& f) {
  return make(DiagnosisClass::kInterrupted,
              "interrupted during step " + n(f.step + 1) + "; open connections were closed with 1001");
}

Diagnosis word(const Aborted&) { return make(DiagnosisClass::kNone, "the run was stopped"); }

Diagnosis word(const UpgradeMismatch& f) {
  const std::string got = f.got ? nlohmann::json(*f.got).dump() : std::string("(none)");
  Diagnosis d;
  if (f.header.empty()) {
    d = make(DiagnosisClass::kMismatch, "server selected subprotocol " + got + ", expected " + f.expected,
             "check the subprotocols the scenario offers (\"subprotocols\") and the ones the server supports");
  } else {
    const std::string state = f.got ? "is " + got : std::string("is absent");
    d = make(DiagnosisClass::kMismatch,
             "upgrade response header " + f.header + " " + state + ", expected " + f.expected,
             "lws keeps at most one value per header; a header repeated by the server shows its first value");
  }
  if (!f.result.reason.empty()) d.details.push_back(f.result.reason);
  return d;
}

Diagnosis word(const RuleReplyFailed& f) {
  return make(DiagnosisClass::kUsage,
              "the reply of rule \"" + f.rule + "\" on connection " + f.conn + " could not be built: " + f.what,
              "pass --var NAME=VALUE, or capture it before the message arrives");
}

}  // namespace

Diagnosis describe_fact(const FailureFact& fact) {
  return std::visit([](const auto& f) { return word(f); }, fact);
}

/// "a frame is half-received on default: 1200 of 5000 announced bytes arrived ..."
std::string partial_frame_note(const PartialFrame& p) {
  return "a frame is half-received on " + p.conn + ": " + n(p.received) + " of " + n(p.announced) +
         " announced bytes arrived (the server sends slowly or stalled mid-frame)";
}

Diagnosis describe_failure(const StepFailure& failure) {
  if (!failure.cause) {
    Diagnosis d = describe_fact(failure.fact);
    if (failure.partial_frame) d.headline += "; " + partial_frame_note(*failure.partial_frame);
    return d;
  }
  Diagnosis d = *failure.cause;
  if (!std::holds_alternative<Aborted>(failure.fact)) {
    Diagnosis symptom = describe_fact(failure.fact);
    d.details.insert(d.details.begin(), "symptom: " + std::string(class_name(symptom.cls)) + ": " + symptom.headline);
  }
  return d;
}

}  // namespace wscheck
