// Unit tests for src/engine/inbox.h and Expectation::scan: the connection
// inbox (selective receive), strict, the silence window, count, until and
// the bound. Plain data, no loop, no sockets.
#include "engine/inbox.h"

#include <doctest/doctest.h>

#include <string>

#include "engine/expectation.h"
#include "matcher_util.h"

using namespace wscheck;
using json = nlohmann::json;
using wscheck_test::json_is;
using wscheck_test::type_is;

namespace {

ReceivedMessage arrival(const std::string& text) {
  ReceivedMessage rm;
  rm.message = Message{false, text};
  return rm;
}

void push_type(Inbox& inbox, const std::string& type) { inbox.push_back(arrival(json{{"type", type}}.dump())); }

void push_next(Inbox& inbox, int n) { inbox.push_back(arrival(json{{"type", "next"}, {"id", "1"}, {"n", n}}.dump())); }

std::string types(const Inbox& inbox) {
  std::string out;
  for (const ReceivedMessage& rm : inbox.messages()) out += json::parse(rm.message.data)["type"].get<std::string>() + ",";
  return out;
}

Expectation stream(size_t count, bool with_until, bool strict = false) {
  StreamSpec spec{count, std::nullopt};
  if (with_until) spec.until = json_is(json{{"type", "complete"}, {"id", "1"}});
  return Expectation(json_is(json{{"type", "next"}, {"id", "1"}}), strict, spec);
}

}  // namespace

TEST_SUITE("inbox") {

TEST_CASE("arrivals get increasing seqs; consume removes one and remembers which step took it") {
  Inbox inbox;
  CHECK(inbox.last_seq() == 0);
  push_type(inbox, "a");
  push_type(inbox, "b");
  push_type(inbox, "c");
  CHECK(inbox.last_seq() == 3);
  REQUIRE(inbox.first_after(0));
  CHECK(inbox.first_after(0)->seq == 1);
  CHECK(inbox.first_after(2)->seq == 3);
  CHECK(inbox.first_after(3) == nullptr);
  inbox.consume(2, 4);
  CHECK(types(inbox) == "a,c,");
  CHECK(inbox.first_after(1)->seq == 3);
  REQUIRE(inbox.consumed().size() == 1);
  CHECK(inbox.consumed()[0].step == 4);
  inbox.consume(2, 5);  // already gone: no-op
  CHECK(inbox.size() == 2);
}

TEST_CASE("bounded by count: the oldest is dropped and counted") {
  Inbox inbox(Inbox::Limits{3, 1 << 20});
  for (const char* t : {"a", "b", "c", "d", "e"}) push_type(inbox, t);
  CHECK(types(inbox) == "c,d,e,");
  CHECK(inbox.dropped() == 2);
  CHECK(inbox.last_seq() == 5);
}

TEST_CASE("bounded by bytes: the oldest go first, the newest always stays") {
  Inbox inbox(Inbox::Limits{100, 10});
  inbox.push_back(arrival("123456"));
  inbox.push_back(arrival("7890"));
  CHECK(inbox.size() == 2);
  CHECK(inbox.bytes() == 10);
  inbox.push_back(arrival("x"));
  CHECK(inbox.size() == 2);
  CHECK(inbox.dropped() == 1);
  inbox.push_back(arrival(std::string(50, 'y')));
  CHECK(inbox.size() == 1);
  CHECK(inbox.dropped() == 3);
}

TEST_CASE("selective receive: a skipped message stays for a later step") {
  Inbox inbox;
  push_type(inbox, "welcome");
  push_type(inbox, "ready");
  Expectation first({type_is("ready")}, true, false);
  CHECK(first.scan(inbox, 0) == Expectation::Verdict::kMatched);
  CHECK(types(inbox) == "welcome,");
  REQUIRE(first.capture_source());
  CHECK(first.capture_source()->data == R"({"type":"ready"})");
  Expectation second({type_is("welcome")}, true, false);
  CHECK(second.scan(inbox, 1) == Expectation::Verdict::kMatched);
  CHECK(inbox.empty());
}

TEST_CASE("scan offers each message once: new arrivals only on the next call") {
  Inbox inbox;
  push_type(inbox, "noise");
  Expectation e({type_is("pong")}, true, false);
  CHECK(e.scan(inbox, 0) == Expectation::Verdict::kWaiting);
  CHECK(e.scan(inbox, 0) == Expectation::Verdict::kWaiting);
  CHECK(e.skipped_total() == 1);
  push_type(inbox, "pong");
  CHECK(e.scan(inbox, 0) == Expectation::Verdict::kMatched);
  CHECK(types(inbox) == "noise,");
}

TEST_CASE("strict: the oldest unconsumed message must match, even one from before the step") {
  Inbox inbox;
  push_type(inbox, "left-over");
  push_type(inbox, "pong");
  Expectation e({type_is("pong")}, true, true);
  CHECK(e.scan(inbox, 3) == Expectation::Verdict::kFailed);
  const auto* strict = std::get_if<StrictMismatch>(&e.failure());
  REQUIRE(strict);
  CHECK(strict->received == R"({"type":"left-over"})");
  Inbox fresh;
  Expectation ok({type_is("pong")}, true, true);
  CHECK(ok.scan(fresh, 0) == Expectation::Verdict::kWaiting);
  push_type(fresh, "pong");
  CHECK(ok.scan(fresh, 0) == Expectation::Verdict::kMatched);
}

TEST_CASE("expect_sequence over the inbox: entries are consumed, the rest stays in order") {
  Inbox inbox;
  for (const char* t : {"x", "a", "y", "b", "z"}) push_type(inbox, t);
  Expectation e({type_is("a"), type_is("b")}, true, false);
  CHECK(e.scan(inbox, 0) == Expectation::Verdict::kMatched);
  CHECK(types(inbox) == "x,y,z,");
}

TEST_CASE("silence window: only messages after the window's start seq break it") {
  Inbox inbox;
  push_type(inbox, "old");
  const uint64_t window_start = inbox.last_seq();
  CHECK(inbox.first_after(window_start) == nullptr);
  push_type(inbox, "new");
  REQUIRE(inbox.first_after(window_start));
  CHECK(inbox.first_after(window_start)->message.data == R"({"type":"new"})");
}

TEST_CASE("count: passes after the N-th and captures the last one") {
  Inbox inbox;
  push_next(inbox, 1);
  push_type(inbox, "other");
  Expectation e = stream(3, false);
  CHECK(e.scan(inbox, 0) == Expectation::Verdict::kWaiting);
  push_next(inbox, 2);
  push_next(inbox, 3);
  CHECK(e.scan(inbox, 0) == Expectation::Verdict::kMatched);
  CHECK(json::parse(e.capture_source()->data)["n"] == 3);
  CHECK(types(inbox) == "other,");
}

TEST_CASE("count: a further matching message already in the inbox fails") {
  Inbox inbox;
  for (int i = 1; i <= 4; ++i) push_next(inbox, i);
  Expectation e = stream(3, false);
  CHECK(e.scan(inbox, 0) == Expectation::Verdict::kFailed);
  const auto* many = std::get_if<TooManyMessages>(&e.failure());
  REQUIRE(many);
  CHECK(many->count == 3);
  CHECK(many->arrived == 4);
  CHECK(many->extra == R"({"id":"1","n":4,"type":"next"})");
}

TEST_CASE("until without count: any number of items, the terminator is consumed, others stay") {
  Inbox inbox;
  push_next(inbox, 1);
  push_type(inbox, "ka");
  push_next(inbox, 2);
  Expectation e = stream(0, true);
  CHECK(e.scan(inbox, 0) == Expectation::Verdict::kWaiting);
  inbox.push_back(arrival(R"({"type":"complete","id":"1"})"));
  CHECK(e.scan(inbox, 0) == Expectation::Verdict::kMatched);
  CHECK(types(inbox) == "ka,");
  CHECK(json::parse(e.capture_source()->data)["n"] == 2);
  Inbox empty_stream;
  empty_stream.push_back(arrival(R"({"type":"complete","id":"1"})"));
  Expectation none = stream(0, true);
  CHECK(none.scan(empty_stream, 0) == Expectation::Verdict::kMatched);
  CHECK(none.capture_source()->data == R"({"type":"complete","id":"1"})");
}

TEST_CASE("until with count: an early terminator fails at once, even with more items behind it") {
  Inbox inbox;
  push_next(inbox, 1);
  push_next(inbox, 2);
  inbox.push_back(arrival(R"({"type":"complete","id":"1"})"));
  push_next(inbox, 3);
  Expectation e = stream(3, true);
  CHECK(e.scan(inbox, 0) == Expectation::Verdict::kFailed);
  const auto* ended = std::get_if<StreamEndedEarly>(&e.failure());
  REQUIRE(ended);
  CHECK(ended->items == 2);
  CHECK(ended->count == 3);
  CHECK(ended->terminator == R"({"type":"complete","id":"1"})");
}

TEST_CASE("until with count: an (N+1)-th item before the terminator fails at once") {
  Inbox inbox;
  for (int i = 1; i <= 3; ++i) push_next(inbox, i);
  Expectation e = stream(2, true);
  CHECK(e.scan(inbox, 0) == Expectation::Verdict::kFailed);
  const auto* many = std::get_if<TooManyMessages>(&e.failure());
  REQUIRE(many);
  CHECK(many->arrived == 3);
  CHECK(many->until == R"({"id":"1","type":"complete"})");
}

TEST_CASE("until with count and strict: a message matching neither fails") {
  Inbox inbox;
  push_next(inbox, 1);
  push_type(inbox, "ka");
  Expectation e = stream(2, true, true);
  CHECK(e.scan(inbox, 0) == Expectation::Verdict::kFailed);
  CHECK(std::holds_alternative<StrictMismatch>(e.failure()));
}

TEST_CASE("report: unconsumed messages, drops and a match an earlier step consumed") {
  Inbox inbox(Inbox::Limits{2, 1 << 20});
  push_type(inbox, "pong");
  Expectation greedy({json_is(json{{"type", {{"$type", "string"}}}})}, true, false);
  CHECK(greedy.scan(inbox, 1) == Expectation::Verdict::kMatched);  // step 2 took the pong
  for (const char* t : {"a", "b", "c"}) push_type(inbox, t);
  Expectation e({type_is("pong")}, true, false);
  CHECK(e.scan(inbox, 2) == Expectation::Verdict::kWaiting);
  ExpectationReport r = e.report(inbox, 2);
  CHECK(r.unconsumed_total == 2);
  CHECK(r.unconsumed[0] == R"({"type":"b"})");
  CHECK(r.dropped == 1);
  REQUIRE(r.consumed_by);
  CHECK(*r.consumed_by == 1);
  CHECK(r.consumed_message == R"({"type":"pong"})");
  // a message this very step consumed is no evidence of anything
  Inbox items;
  push_next(items, 1);
  Expectation counting = stream(2, false);
  CHECK(counting.scan(items, 0) == Expectation::Verdict::kWaiting);
  ExpectationReport cr = counting.report(items, 0);
  CHECK_FALSE(cr.consumed_by);
  CHECK(cr.items == 1);
  CHECK(cr.count == 2);
}

}  // TEST_SUITE
