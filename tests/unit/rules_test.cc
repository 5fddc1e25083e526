// Background rules (connect "on_message") and upgrade assertions: parser
// validation, the pure rule dispatch, and the failure wording.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "parse_util.h"
#include "diagnose/diagnose_result.h"
#include "diagnose/failure_text.h"
#include "engine/message_rules.h"
#include "scenario/parser.h"
#include "test_util.h"

using namespace wscheck;
using wscheck_test::contains;
using wscheck_test::starts_with;
using wscheck_test::where_of;

using wscheck_test::errors_of;

namespace {

std::string connect_with(const std::string& extra) {
  return "{\"name\": \"t\", \"steps\": [\n{\"connect\": {\"url\": \"/ws\",\n" + extra + "}}\n]}";
}

const ConnectStep& first_connect(const Scenario& s) { return std::get<ConnectStep>(s.steps.at(0).body); }

MessageRule rule(Matcher::Kind kind, std::string text, std::optional<SendStep> reply, std::string name = "") {
  MessageRule r;
  r.name = std::move(name);
  r.match.kind = kind;
  if (kind == Matcher::Kind::Json) r.match.json = nlohmann::json::parse(text);
  else r.match.text = std::move(text);
  r.reply = std::move(reply);
  return r;
}

SendStep text_send(std::string text) {
  SendStep s;
  s.kind = SendStep::Kind::Text;
  s.text = std::move(text);
  return s;
}

Message text(std::string data) { return Message{false, std::move(data)}; }

}  // namespace

TEST_SUITE("rules") {

TEST_CASE("on_message, expect_subprotocol and expect_headers parse into the model") {
  Scenario s = parse_scenario_text(connect_with(R"("on_message": [
    {"name": "heartbeat", "match": {"text": "2"}, "reply": {"text": "3"}},
    {"match": {"json": {"type": "ka"}}, "ignore": true}],
   "expect_subprotocol": {"$regex": "^graphql"},
   "expect_headers": {"X-Version": "2", "X-Debug": {"$exists": false}})"),
                                   "f.json").scenarios[0];
  const ConnectStep& c = first_connect(s);
  REQUIRE(c.on_message.size() == 2);
  CHECK(c.on_message[0].label() == "heartbeat");
  CHECK(c.on_message[0].reply->text == "3");
  CHECK_FALSE(c.on_message[1].reply.has_value());
  CHECK(c.on_message[1].label() == c.on_message[1].match.describe());
  REQUIRE(c.expect_subprotocol.has_value());
  CHECK((*c.expect_subprotocol)["$regex"] == "^graphql");
  REQUIRE(c.expect_headers.size() == 2);
  CHECK(c.expect_headers[1].first == "x-version");  // lower-cased (object keys are sorted)
  CHECK(c.expect_headers[0].first == "x-debug");
}

TEST_CASE("expect_subprotocol: null is a pattern (the server must select none)") {
  Scenario s = parse_scenario_text(connect_with(R"("expect_subprotocol": null)"), "f.json").scenarios[0];
  REQUIRE(first_connect(s).expect_subprotocol.has_value());
  CHECK(first_connect(s).expect_subprotocol->is_null());
}

TEST_CASE("a rule without match, with both reply and ignore, or with neither is an error at file:line:col") {
  const std::string text = connect_with(R"("on_message": [
    {"reply": {"text": "3"}},
    {"match": {"text": "2"}, "reply": {"text": "3"}, "ignore": true},
    {"match": {"text": "4"}}])");
  auto errors = errors_of(text);
  REQUIRE(errors.size() == 3);
  CHECK(starts_with(errors[0], where_of("f.json", text, "{\"reply\"")));
  CHECK(contains(errors[0], "missing required key \"match\""));
  CHECK(starts_with(errors[1], where_of("f.json", text, "\"ignore\"")));
  CHECK(contains(errors[1], "either replies or ignores"));
  CHECK(starts_with(errors[2], where_of("f.json", text, "{\"match\": {\"text\": \"4\"")));
  CHECK(contains(errors[2], "needs \"reply\""));
}

TEST_CASE("wrong types in rules are errors at file:line:col") {
  const std::string text = connect_with(R"("on_message": [
    {"match": {"text": "2"}, "ignore": "yes"},
    {"match": {"text": "2"}, "ignore": false},
    {"match": {"json": {"a": {"$nope": 1}}}, "ignore": true},
    {"match": {"regex": "("}, "ignore": true},
    {"match": {"text": "2"}, "reply": {"text": 3}},
    {"match": {"text": "2"}, "reply": {"text": "3"}, "nmae": "x"},
    {"match": {"text": "2"}, "ignore": true, "name": 7}])");
  auto errors = errors_of(text);
  REQUIRE(errors.size() == 7);
  CHECK(starts_with(errors[0], where_of("f.json", text, "\"yes\"")));
  CHECK(contains(errors[0], "must be true or false"));
  CHECK(starts_with(errors[1], where_of("f.json", text, "false")));
  CHECK(contains(errors[2], "$nope"));
  CHECK(contains(errors[3], "invalid regex"));
  CHECK(starts_with(errors[4], where_of("f.json", text, "3}")));
  CHECK(contains(errors[5], "unknown key \"nmae\""));
  CHECK(contains(errors[5], "did you mean \"name\""));
  CHECK(starts_with(errors[6], where_of("f.json", text, "7}")));
}

TEST_CASE("on_message must be an array; upgrade assertions are checked too") {
  auto e1 = errors_of(connect_with(R"("on_message": {"match": {"text": "2"}, "ignore": true})"));
  REQUIRE(e1.size() == 1);
  CHECK(contains(e1[0], "must be an array of rules"));
  auto e2 = errors_of(connect_with(R"("expect_subprotocol": {"$regex": "("})"));
  REQUIRE(e2.size() == 1);
  CHECK(contains(e2[0], "regex"));
  auto e3 = errors_of(connect_with(R"("expect_headers": {"X-A": {"$exists": 1}, "bad name": "x"})"));
  REQUIRE(e3.size() == 2);
  auto e4 = errors_of(connect_with(R"("expect_rejected": true, "expect_subprotocol": "chat")"));
  REQUIRE(e4.size() == 1);
  CHECK(contains(e4[0], "expects a refusal"));
  auto e5 = errors_of(connect_with(R"("expect_headers": ["x"])"));
  REQUIRE_FALSE(e5.empty());
  CHECK(contains(e5[0], "expected an object, found an array"));
}

TEST_CASE("dispatch: first matching rule wins, replies render, counts add up") {
  VariableScope scope({{"who", "bob"}}, false);
  MessageRules rules({rule(Matcher::Kind::Text, "2", text_send("3"), "heartbeat"),
                      rule(Matcher::Kind::Json, R"({"type": "ping"})", text_send("pong ${who}")),
                      rule(Matcher::Kind::Regex, "^ka", std::nullopt),
                      rule(Matcher::Kind::Regex, ".", text_send("never"))},
                     &scope);
  RuleVerdict v = rules.handle(text("2"));
  CHECK(v.handled);
  CHECK(v.rule == 0);
  REQUIRE(v.reply);
  CHECK(v.reply->data == "3");
  v = rules.handle(text(R"({"type": "ping", "n": 1})"));
  CHECK(v.rule == 1);
  CHECK(v.reply->data == "pong bob");
  v = rules.handle(text("ka 1"));
  CHECK(v.handled);
  CHECK(v.rule == 2);
  CHECK_FALSE(v.reply);
  (void)rules.handle(text("2"));
  CHECK(rules.handle(text("hello")).rule == 3);  // the catch-all after them
  CHECK_FALSE(rules.handle(Message{true, "\x02"}).handled);  // binary: no text/regex/json rule takes it
  auto counts = rules.counts();
  REQUIRE(counts.size() == 4);
  CHECK(counts[0].name == "heartbeat");
  CHECK(counts[0].count == 2);
  CHECK(counts[0].action == RuleAction::kReply);
  CHECK(counts[1].count == 1);
  CHECK(counts[2].action == RuleAction::kIgnore);
  CHECK(counts[2].count == 1);
  CHECK(counts[3].count == 1);
}

TEST_CASE("dispatch: a message no rule matches is not handled; an unrenderable reply is an error") {
  VariableScope scope({}, false);
  MessageRules rules({rule(Matcher::Kind::Text, "2", text_send("${missing}"))}, &scope);
  CHECK_FALSE(rules.handle(text("3")).handled);
  RuleVerdict v = rules.handle(text("2"));
  CHECK(v.handled);
  CHECK_FALSE(v.reply);
  CHECK(contains(v.error, "missing"));
  CHECK(rules.counts()[0].count == 1);
}

TEST_CASE("upgrade mismatches name what was expected and what arrived") {
  Diagnosis none = describe_fact(UpgradeMismatch{"", "\"graphql-transport-ws\"", std::nullopt, {}});
  CHECK(none.cls == DiagnosisClass::kMismatch);
  CHECK(none.headline == "server selected subprotocol (none), expected \"graphql-transport-ws\"");
  Diagnosis other = describe_fact(UpgradeMismatch{"", "{\"$regex\":\"^graphql\"}", std::string("chat"), {}});
  CHECK(other.headline == "server selected subprotocol \"chat\", expected {\"$regex\":\"^graphql\"}");
  Diagnosis absent = describe_fact(UpgradeMismatch{"x-version", "\"2\"", std::nullopt, {}});
  CHECK(absent.headline == "upgrade response header x-version is absent, expected \"2\"");
  Diagnosis present = describe_fact(UpgradeMismatch{"x-debug", "{\"$exists\":false}", std::string("1"), {}});
  CHECK(present.headline == "upgrade response header x-debug is \"1\", expected {\"$exists\":false}");
}

TEST_CASE("rule counts: one line per rule, 'never matched' for zero, the connection named when several") {
  ConnectionReport a;
  a.name = "default";
  a.rules = {{"engine.io heartbeat", RuleAction::kReply, 4}, {"ka", RuleAction::kIgnore, 1}, {"x", RuleAction::kReply, 0}};
  auto lines = rule_count_lines({a});
  REQUIRE(lines.size() == 3);
  CHECK(lines[0] == "rule \"engine.io heartbeat\": replied 4 times");
  CHECK(lines[1] == "rule \"ka\": ignored once");
  CHECK(lines[2] == "rule \"x\": never matched");
  ConnectionReport b;
  b.name = "admin";
  CHECK(rule_count_lines({a, b})[0] == "rule \"engine.io heartbeat\" on default: replied 4 times");
}

}  // TEST_SUITE("rules")
