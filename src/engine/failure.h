// Why a step failed, as facts: the engine records them, diagnose/ words them.
//
/// The engine never writes sentences for people. When a step fails it keeps
/// a StepFailure: which kind of failure, what was expected and what arrived,
/// what the connection observed. diagnose/failure_text.cc turns it into a
/// Diagnosis (class, first line, details, hint). Message texts here are raw
/// excerpts; redaction happens when the Diagnosis is written.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "core/diagnosis.h"
#include "core/url.h"
#include "engine/observation.h"
#include "scenario/matcher.h"
#include "scenario/model.h"

namespace wscheck {

/// The whole scenario's timeout_ms ran out.
struct ScenarioTimedOut {
  static constexpr bool kMayBeEnvironment = true;
  int budget_ms = 0;
  size_t step = 0;  // 0-based
  std::string label;
};

/// A ${var} could not be expanded (TemplateError).
struct TemplateFailed {
  static constexpr bool kMayBeEnvironment = false;
  std::string what;
  size_t step = 0;
};

/// A step could not be built: bad URL after expansion, bad hex, ...
struct StepInvalid {
  static constexpr bool kMayBeEnvironment = false;
  std::string what;
};

/// A step names a connection that was never opened.
struct NeverOpened {
  static constexpr bool kMayBeEnvironment = false;
  std::string conn;
};

/// connect under a name whose connection is still open.
struct AlreadyOpen {
  static constexpr bool kMayBeEnvironment = false;
  std::string conn;
};

/// connect to a URL that is not ws:// or wss://.
struct NotWebSocketScheme {
  static constexpr bool kMayBeEnvironment = false;
  std::string url;
};

/// A connect attempt that did not open.
struct ConnectFailed {
  static constexpr bool kMayBeEnvironment = true;
  ConnectObservation seen;
  Url url;
  bool expected_refusal = false;  // expect_rejected: it failed, but not with an HTTP status
};

/// What an expectation saw before it gave up: for timeouts and closes.
struct ExpectationReport {
  std::string wanted;  // the first unmatched entry, described ("message" if none)
  size_t matched = 0;
  size_t entries = 0;
  size_t count = 0;    // expect with count: items wanted (0 = not counted)
  size_t items = 0;    // expect with count / until: items taken
  std::string item;    // expect with count / until: the item matcher, described
  std::string until;   // expect with until: the terminator, described
  std::optional<MatchResult> closest;
  std::string closest_message;
  std::map<size_t, std::string> early;  // later entries seen too soon
  std::vector<std::string> unconsumed;  // the first few messages still in the inbox
  size_t unconsumed_total = 0;
  size_t dropped = 0;                   // older unconsumed messages dropped (inbox full)
  std::optional<size_t> consumed_by;    // a matching message arrived, but this step (0-based) took it
  std::string consumed_message;
};

/// The connection ended (or broke the protocol) while a step needed it.
struct ConnectionEnded {
  static constexpr bool kMayBeEnvironment = true;
  ConnectionFacts facts;
  std::string while_doing;  // "sending", "waiting for {...}", "" for none
  size_t skipped = 0;       // messages received before it ended
  std::optional<ExpectationReport> waiting;  // an expect step: what it saw and what the inbox holds
};

/// expect_rejected: refused, but with another HTTP status.
struct RefusedWithOtherStatus {
  static constexpr bool kMayBeEnvironment = false;
  ConnectObservation seen;
  Url url;
  std::vector<int> wanted;
};

/// expect_rejected: accepted, then closed with a code not in the list.
struct AcceptedThenClosed {
  static constexpr bool kMayBeEnvironment = false;
  ConnectionFacts facts;
  int code = 0;
  RejectSpec want;
};

/// expect_rejected: accepted and kept open for the whole step.
struct NotRefused {
  static constexpr bool kMayBeEnvironment = false;
  int timeout_ms = 0;
};

/// capture: the matched message has nothing at the pointer.
struct CaptureMissing {
  static constexpr bool kMayBeEnvironment = false;
  std::string var;
  std::string pointer;
  std::string message;
};

/// An ordered sequence: a later entry arrived before an earlier one.
struct WrongOrder {
  static constexpr bool kMayBeEnvironment = false;
  size_t early = 0;  // 0-based index of the entry that came too soon
  size_t late = 0;
  std::string early_message;
  std::string late_message;
};

/// strict: the next message did not match.
struct StrictMismatch {
  static constexpr bool kMayBeEnvironment = false;
  MatchResult best;
  std::string expected;  // the matcher, described
  std::string received;
};

/// expect with count and until: the terminator arrived before `count` items.
struct StreamEndedEarly {
  static constexpr bool kMayBeEnvironment = false;
  size_t items = 0;
  size_t count = 0;
  std::string item;        // the item matcher, described
  std::string terminator;  // the terminator message that arrived
};

/// expect with count: more matching messages arrived than `count`.
struct TooManyMessages {
  static constexpr bool kMayBeEnvironment = false;
  size_t count = 0;
  size_t arrived = 0;  // count + the extra ones seen
  std::string item;    // the item matcher, described
  std::string until;   // the terminator matcher, described ("" without until)
  std::string extra;   // the first extra message
};

/// expect / expect_sequence: no matching message before the deadline.
struct MessageTimedOut {
  static constexpr bool kMayBeEnvironment = true;
  ExpectationReport report;
  int timeout_ms = 0;
  int liveness_ping_ms = 0;
  std::optional<double> liveness_rtt_ms;  // the server answered the liveness ping
};

/// expect_close: closed, but with another code or reason.
struct CloseMismatch {
  static constexpr bool kMayBeEnvironment = false;
  int code = 0;
  std::string reason;
  bool code_ok = false;
  std::vector<int> codes;
  std::optional<std::string> reason_regex;
  std::string protocol_error;
};

/// expect_close: the server did not close in time.
struct CloseTimedOut {
  static constexpr bool kMayBeEnvironment = true;
  int timeout_ms = 0;
  std::vector<std::string> unconsumed;  // the first few messages in the inbox
  size_t unconsumed_total = 0;
};

/// expect_silence: a message arrived.
struct SilenceBroken {
  static constexpr bool kMayBeEnvironment = false;
  int ms = 0;
  double after_ms = 0;
  std::string message;
};

/// ping: no pong in time.
struct PongTimedOut {
  static constexpr bool kMayBeEnvironment = true;
  int timeout_ms = 0;
};

/// close: the server did not answer our close frame in time.
struct CloseNotAnswered {
  static constexpr bool kMayBeEnvironment = true;
  int timeout_ms = 0;
};

/// connect: the upgrade succeeded, but its subprotocol or a response header
/// is not what expect_subprotocol / expect_headers asked for.
struct UpgradeMismatch {
  static constexpr bool kMayBeEnvironment = false;
  std::string header;                // "" = the subprotocol; else the header name (lower case)
  std::string expected;              // the pattern, compact JSON
  std::optional<std::string> got;    // nullopt = none selected / header absent
  MatchResult result;
};

/// A background rule's reply could not be rendered (an undefined ${VAR}).
struct RuleReplyFailed {
  static constexpr bool kMayBeEnvironment = false;
  std::string conn;
  std::string rule;
  std::string what;
};

/// Ctrl-C / SIGTERM.
struct Interrupted {
  static constexpr bool kMayBeEnvironment = false;
  size_t step = 0;
};

/// The run was stopped from outside with a diagnosis (the managed server died).
struct Aborted {
  static constexpr bool kMayBeEnvironment = false;
};

using FailureFact = std::variant<ScenarioTimedOut, TemplateFailed, StepInvalid, NeverOpened, AlreadyOpen,
                                 NotWebSocketScheme, ConnectFailed, ConnectionEnded, RefusedWithOtherStatus,
                                 AcceptedThenClosed, NotRefused, CaptureMissing, WrongOrder, StrictMismatch,
                                 StreamEndedEarly, TooManyMessages,
                                 MessageTimedOut, CloseMismatch, CloseTimedOut, SilenceBroken, PongTimedOut,
                                 CloseNotAnswered, Interrupted, Aborted, UpgradeMismatch, RuleReplyFailed>;

/// One failed step: the symptom the engine saw and, when the environment
/// broke underneath (the managed server died), the diagnosis that replaces it.
struct StepFailure {
  FailureFact fact;
  std::optional<Diagnosis> cause;
  /// A wait that timed out while a frame was half-received says so.
  std::optional<PartialFrame> partial_frame = {};
};

/// True when the environment may be to blame for `fact` (not a mismatch,
/// usage error or interrupt): then the runner asks whether it broke.
bool may_be_environment(const FailureFact& fact);

}  // namespace wscheck
