// Unit tests for src/engine/expectation.h: matching received messages
// against expect / expect_sequence (ordered, unordered, strict) and the
// bookkeeping of skipped and early messages. No loop, no sockets.
#include "engine/expectation.h"
#include "matcher_util.h"

#include <doctest/doctest.h>

#include <string>
#include <vector>

using wscheck::Expectation;
using wscheck::ExpectationReport;
using wscheck::Matcher;
using wscheck::Message;
using wscheck::SkippedMessages;
using wscheck::StrictMismatch;
using wscheck::WrongOrder;
using json = nlohmann::json;
using wscheck_test::type_is;

namespace {

Message msg(const std::string& type) { return Message{false, json{{"type", type}}.dump()}; }

}  // namespace

TEST_CASE("expect: one matcher, other messages are skipped (left unconsumed) and counted") {
  Expectation e({type_is("pong")}, true, false);
  CHECK(e.offer(msg("noise")) == Expectation::Verdict::kWaiting);
  CHECK_FALSE(e.consumed());
  CHECK(e.offer(msg("noise2")) == Expectation::Verdict::kWaiting);
  CHECK(e.skipped_total() == 2);
  wscheck::Inbox inbox;  // what the runner's inbox still holds
  inbox.push_back(wscheck::ReceivedMessage{msg("noise"), 0, 0, 0});
  inbox.push_back(wscheck::ReceivedMessage{msg("noise2"), 0, 0, 0});
  ExpectationReport r = e.report(inbox, 0);
  CHECK(r.entries == 1);
  CHECK(r.matched == 0);
  CHECK(r.unconsumed.size() == 2);
  CHECK(r.unconsumed[0] == R"({"type":"noise"})");
  REQUIRE(r.closest);
  CHECK(r.closest->path == "/type");
  CHECK(e.offer(msg("pong")) == Expectation::Verdict::kMatched);
  CHECK(e.consumed());
}

TEST_CASE("expect_sequence ordered: in order passes, early entries are not skipped") {
  Expectation e({type_is("a"), type_is("b"), type_is("c")}, true, false);
  CHECK(e.offer(msg("a")) == Expectation::Verdict::kWaiting);
  CHECK(e.offer(msg("b")) == Expectation::Verdict::kWaiting);
  CHECK(e.matched_count() == 2);
  CHECK(e.wanted() == R"({"type":"c"})");
  CHECK(e.offer(msg("c")) == Expectation::Verdict::kMatched);
  CHECK(e.skipped_total() == 0);
}

TEST_CASE("expect_sequence ordered: a later entry first is a wrong order, not a missing message") {
  Expectation e({type_is("a"), type_is("b"), type_is("c")}, true, false);
  CHECK(e.offer(msg("a")) == Expectation::Verdict::kWaiting);
  CHECK(e.offer(msg("c")) == Expectation::Verdict::kWaiting);  // early: remembered, not skipped
  CHECK(e.skipped_total() == 0);
  CHECK(e.report(wscheck::Inbox(), 0).early.count(2) == 1);
  CHECK(e.offer(msg("b")) == Expectation::Verdict::kFailed);
  const auto* wrong = std::get_if<WrongOrder>(&e.failure());
  REQUIRE(wrong);
  CHECK(wrong->early == 2);
  CHECK(wrong->late == 1);
  CHECK(wrong->early_message == R"({"type":"c"})");
  CHECK(wrong->late_message == R"({"type":"b"})");
}

TEST_CASE("expect_sequence ordered: a missing entry leaves the rest waiting and says which") {
  Expectation e({type_is("a"), type_is("b")}, true, false);
  CHECK(e.offer(msg("a")) == Expectation::Verdict::kWaiting);
  CHECK(e.offer(msg("x")) == Expectation::Verdict::kWaiting);
  ExpectationReport r = e.report(wscheck::Inbox(), 0);
  CHECK(r.wanted == R"({"type":"b"})");
  CHECK(r.matched == 1);
  CHECK(r.entries == 2);
  CHECK(e.skipped_total() == 1);
}

TEST_CASE("expect_sequence unordered: any order completes") {
  Expectation e({type_is("a"), type_is("b"), type_is("c")}, false, false);
  CHECK(e.offer(msg("c")) == Expectation::Verdict::kWaiting);
  CHECK(e.offer(msg("x")) == Expectation::Verdict::kWaiting);
  CHECK(e.offer(msg("a")) == Expectation::Verdict::kWaiting);
  CHECK(e.wanted() == R"({"type":"b"})");
  CHECK(e.offer(msg("b")) == Expectation::Verdict::kMatched);
  CHECK(e.skipped_total() == 1);
}

TEST_CASE("strict: the first message that is not the next match fails with expected and received") {
  Expectation e({type_is("a"), type_is("b")}, true, true);
  CHECK(e.offer(msg("a")) == Expectation::Verdict::kWaiting);
  CHECK(e.offer(msg("zzz")) == Expectation::Verdict::kFailed);
  const auto* strict = std::get_if<StrictMismatch>(&e.failure());
  REQUIRE(strict);
  CHECK(strict->expected == R"({"type":"b"})");
  CHECK(strict->received == R"({"type":"zzz"})");
  CHECK(strict->best.path == "/type");
}

TEST_CASE("strict ordered: an early entry is still a failure") {
  Expectation e({type_is("a"), type_is("b")}, true, true);
  CHECK(e.offer(msg("b")) == Expectation::Verdict::kFailed);
  CHECK(std::holds_alternative<StrictMismatch>(e.failure()));
}

TEST_CASE("the closest miss is the one that agreed most") {
  Matcher m;
  m.kind = Matcher::Kind::Json;
  m.json = json{{"type", "echo"}, {"payload", "goodbye"}};
  Expectation e({m}, true, false);
  CHECK(e.offer(Message{false, R"({"type":"other"})"}) == Expectation::Verdict::kWaiting);
  CHECK(e.offer(Message{false, R"({"type":"echo","payload":"hello"})"}) == Expectation::Verdict::kWaiting);
  CHECK(e.offer(Message{false, R"({"type":"third"})"}) == Expectation::Verdict::kWaiting);
  ExpectationReport r = e.report(wscheck::Inbox(), 0);
  CHECK(r.closest_message == R"({"type":"echo","payload":"hello"})");
  CHECK(r.closest->path == "/payload");
}

TEST_CASE("skipped messages: the first ten are listed, all are counted") {
  SkippedMessages s;
  for (int i = 0; i < 25; ++i) s.add(Message{false, "m" + std::to_string(i)});
  CHECK(s.total() == 25);
  CHECK(s.listed().size() == SkippedMessages::kListed);
  CHECK(s.listed().front() == "m0");
}

TEST_CASE("binary messages are quoted in hex with their size") {
  CHECK(wscheck::message_excerpt(Message{true, std::string("\x01\xff", 2)}) == "binary 01ff (2 bytes)");
}

TEST_CASE("a regex is compiled once per step, not once per message") {
  Matcher m;
  m.kind = Matcher::Kind::Json;
  m.json = json{{"type", {{"$regex", "^tick-[0-9]+$"}}}};
  Expectation e({m}, true, false);
  for (int i = 0; i < 50; ++i) CHECK(e.offer(msg("tock-" + std::to_string(i))) == Expectation::Verdict::kWaiting);
  CHECK(e.regexes().compilations() == 1);
  CHECK(e.offer(msg("tick-7")) == Expectation::Verdict::kMatched);
  CHECK(e.regexes().compilations() == 1);
}

TEST_CASE("a text regex matcher is compiled once for many messages") {
  Matcher m;
  m.kind = Matcher::Kind::Regex;
  m.text = "^done$";
  Expectation e({m}, true, false);
  for (int i = 0; i < 20; ++i) e.offer(Message{false, "working"});
  CHECK(e.regexes().compilations() == 1);
}
