// Unit tests for src/diagnose/failure_text.h and diagnose_result.h: failure
// facts in, the class and first line people and e2e tests read out.
#include "diagnose/failure_text.h"

#include <doctest/doctest.h>

#include <algorithm>

#include "core/redactor.h"
#include "diagnose/diagnose_result.h"
#include "test_util.h"

using namespace wscheck;
using wscheck_test::contains;
using wscheck_test::starts_with;

TEST_CASE("message timeout: the first line says what was awaited and what the liveness ping showed") {
  MessageTimedOut f;
  f.report.wanted = R"({"type":"pong"})";
  f.report.entries = 1;
  f.report.unconsumed_total = 1;
  f.report.unconsumed = {"hello"};
  f.timeout_ms = 800;
  f.liveness_ping_ms = 500;
  f.liveness_rtt_ms = 0.4;
  Diagnosis d = describe_fact(f);
  CHECK(d.cls == DiagnosisClass::kMessageTimeout);
  CHECK(d.headline ==
        R"(no message matching {"type":"pong"} within 800 ms; 1 unconsumed message; the server answered a liveness ping )"
        "in 0.4 ms: the connection is alive, the application did not send it");
  CHECK(d.details.back() == "unconsumed: hello");
  f.liveness_rtt_ms.reset();
  f.report.entries = 3;
  f.report.matched = 1;
  f.report.unconsumed_total = 2;
  d = describe_fact(f);
  CHECK(contains(d.headline, "(1 of 3 in the sequence arrived) within 800 ms; 2 unconsumed messages"));
  CHECK(contains(d.headline, "did not answer a liveness ping within 500 ms"));
}

TEST_CASE("message timeout: never says the application did not send a message that arrived") {
  MessageTimedOut f;
  f.report.wanted = R"({"type":"pong"})";
  f.report.entries = 1;
  f.timeout_ms = 800;
  f.liveness_rtt_ms = 0.4;
  f.report.consumed_by = 1;
  f.report.consumed_message = R"({"type":"pong"})";
  Diagnosis d = describe_fact(f);
  CHECK_FALSE(contains(d.headline, "did not send"));
  CHECK(contains(d.headline, "no unconsumed message"));
  CHECK(contains(d.headline, "a matching message arrived, but step 2 consumed it"));
  f.report.consumed_by.reset();
  f.report.dropped = 7;
  d = describe_fact(f);
  CHECK_FALSE(contains(d.headline, "did not send"));
  CHECK(contains(d.headline, "7 older unconsumed messages were dropped"));
  CHECK(std::any_of(d.details.begin(), d.details.end(),
                    [](const std::string& l) { return contains(l, "7 older unconsumed messages were dropped"); }));
}

TEST_CASE("count and until: timeouts, an early terminator and an extra item") {
  MessageTimedOut f;
  f.report.entries = 1;
  f.report.count = 3;
  f.report.items = 2;
  f.report.item = R"({"type":"next"})";
  f.timeout_ms = 900;
  f.liveness_rtt_ms = 1.0;
  Diagnosis d = describe_fact(f);
  CHECK(starts_with(d.headline, R"(only 2 of 3 messages matching {"type":"next"} arrived within 900 ms; )"));
  CHECK(contains(d.headline, "the application sent no more"));
  f.report.until = R"({"type":"complete"})";
  f.report.items = 3;
  d = describe_fact(f);
  CHECK(starts_with(d.headline, R"(the stream of messages matching {"type":"next"} did not end with {"type":"complete"} within 900 ms (3 messages arrived))"));

  d = describe_fact(StreamEndedEarly{2, 3, R"({"type":"next","id":"1"})", R"({"type":"complete","id":"1"})"});
  CHECK(d.cls == DiagnosisClass::kMismatch);
  CHECK(d.headline ==
        R"(the stream ended after 2 of 3 messages matching {"type":"next","id":"1"}: {"type":"complete","id":"1"})");
  d = describe_fact(TooManyMessages{3, 4, "X", "", "x4"});
  CHECK(d.headline == "expected exactly 3 messages matching X, 4 arrived");
  CHECK(d.details.back() == "extra: x4");
  d = describe_fact(TooManyMessages{3, 4, "X", "END", "x4"});
  CHECK(d.headline == "expected exactly 3 messages matching X before END, a further one (#4) arrived");
}

TEST_CASE("wrong order names both entries") {
  Diagnosis d = describe_fact(WrongOrder{2, 1, "C", "B"});
  CHECK(d.cls == DiagnosisClass::kMismatch);
  CHECK(d.headline == "message #3 of the sequence arrived before #2: wrong order");
  REQUIRE(d.details.size() == 2);
  CHECK(d.details[0] == "#3 arrived first: C");
  CHECK(d.details[1] == "#2 arrived later: B");
}

TEST_CASE("usage failures") {
  CHECK(describe_fact(NeverOpened{"a"}).headline == "connection \"a\" was never opened");
  CHECK(describe_fact(AlreadyOpen{"b"}).cls == DiagnosisClass::kUsage);
  CHECK(describe_fact(TemplateFailed{"unknown variable ${x}", 2}).headline == "unknown variable ${x} in step 3");
  CHECK(describe_fact(NotWebSocketScheme{"http://x/"}).headline == "cannot open a WebSocket to \"http://x/\": use ws:// or wss://");
}

TEST_CASE("a connection that ended: reset vs closed by the server") {
  ConnectionEnded f;
  f.facts.opened_at = 1000;
  f.facts.close = CloseInfo{1011, "boom", true, 1000 + 12300};
  f.while_doing = "sending";
  f.skipped = 2;
  Diagnosis d = describe_fact(f);
  CHECK(d.cls == DiagnosisClass::kClosedByServer);
  CHECK(d.headline == "server closed the connection: 1011 \"boom\" after 12.3 ms");
  CHECK(d.details[0] == "while sending");
  CHECK(d.details[1] == "received 2 other message(s) first");
  f.facts.close.reset();
  CHECK(describe_fact(f).cls == DiagnosisClass::kReset);
  f.facts.protocol_error = "the server sent invalid UTF-8";
  CHECK(describe_fact(f).cls == DiagnosisClass::kProtocolError);
}

TEST_CASE("close mismatch and timeouts") {
  CHECK(describe_fact(CloseMismatch{1000, "bye", false, {4000}, std::nullopt, ""}).headline ==
        "server closed with 1000 \"bye\", expected code [4000]");
  CHECK(describe_fact(PongTimedOut{300}).headline.rfind("no pong within 300 ms", 0) == 0);
  CHECK(describe_fact(CloseNotAnswered{300}).headline == "the server did not answer our close frame within 300 ms");
  CHECK(describe_fact(ScenarioTimedOut{100, 1, "sleep 500 ms"}).headline ==
        "the scenario's budget of 100 ms ran out during step 2 (sleep 500 ms)");
}

TEST_CASE("an environment cause leads, the symptom is the first detail") {
  Diagnosis cause;
  cause.cls = DiagnosisClass::kServerExited;
  cause.headline = "managed server exited with status 1";
  cause.environment = true;
  Diagnosis d = describe_failure(StepFailure{PongTimedOut{300}, cause});
  CHECK(d.cls == DiagnosisClass::kServerExited);
  CHECK(d.environment);
  REQUIRE(!d.details.empty());
  CHECK(wscheck_test::starts_with(d.details[0], "symptom: message_timeout: no pong within 300 ms"));
  Diagnosis aborted = describe_failure(StepFailure{Aborted{}, cause});
  CHECK(aborted.headline == cause.headline);
  CHECK(aborted.details.empty());
}

TEST_CASE("which facts the environment may explain") {
  CHECK(may_be_environment(PongTimedOut{1}));
  CHECK(may_be_environment(ConnectionEnded{}));
  CHECK_FALSE(may_be_environment(WrongOrder{}));
  CHECK_FALSE(may_be_environment(NeverOpened{}));
  CHECK_FALSE(may_be_environment(Interrupted{}));
}

TEST_CASE("diagnose_result words every failed step and redacts secrets") {
  ScenarioResult r;
  r.steps.resize(2);
  r.steps[1].failure = StepFailure{CaptureMissing{"id", "/id", R"({"token":"s3cr3t"})"}, std::nullopt};
  r.failed_step = 1;
  Redactor redactor;
  redactor.add("s3cr3t");
  diagnose_result(r, redactor);
  REQUIRE(r.diagnosis);
  CHECK(r.diagnosis->cls == DiagnosisClass::kMismatch);
  CHECK(r.diagnosis->headline == "capture \"id\": the matched message has nothing at /id");
  CHECK(r.diagnosis->details[0] == R"(message: {"token":"***"})");
  CHECK_FALSE(r.steps[0].diagnosis);
  REQUIRE(r.steps[1].diagnosis);
}
