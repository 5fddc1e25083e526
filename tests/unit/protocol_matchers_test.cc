// Unit tests for the protocol matchers: a JSON matcher behind a regex
// `prefix`, named regex groups captured into variables, the `$unordered`
// operator, `send` with a prefix, and the built-in per-run variables.
#include <doctest/doctest.h>

#include <set>
#include <string>

#include "engine/expectation.h"
#include "scenario/matcher.h"
#include "scenario/parser.h"
#include "scenario/regex.h"
#include "scenario/run_variables.h"
#include "scenario/unordered_pairing.h"
#include "scenario/variable_check.h"
#include "test_util.h"

using namespace wscheck;
using wscheck_test::contains;
using wscheck_test::starts_with;
using json = nlohmann::json;

namespace {

Matcher prefixed(std::string prefix, json pattern) {
  Matcher m;
  m.kind = Matcher::Kind::Json;
  m.prefix = std::move(prefix);
  m.json = std::move(pattern);
  return m;
}

Matcher regex(std::string pattern) {
  Matcher m;
  m.kind = Matcher::Kind::Regex;
  m.text = std::move(pattern);
  return m;
}

MatchResult text_match(const Matcher& m, std::string data) { return match_message(m, Message{false, std::move(data)}); }

MatchResult unordered(const char* patterns, const char* actual) {
  return match_json(json{{"$unordered", json::parse(patterns)}}, json::parse(actual));
}

std::string steps_error_of(const std::string& steps) {
  try {
    (void)parse_scenario_text("{\"name\": \"t\", \"steps\": [\n{\"connect\": {\"url\": \"/ws\"}},\n" + steps + "\n]}", "f.json");
  } catch (const ScenarioError& e) {
    return e.str();
  }
  return "";
}

Scenario parse_steps(const std::string& steps) {
  return parse_scenario_text("{\"name\": \"t\", \"steps\": [\n{\"connect\": {\"url\": \"/ws\"}},\n" + steps + "\n]}", "f.json")
      .scenarios.at(0);
}

}  // namespace

TEST_SUITE("protocol_matchers") {

TEST_CASE("prefix: the text must start with the regex; the rest is matched as JSON") {
  Matcher m = prefixed("42", json::parse(R"J(["chat", {"text": "hi"}])J"));
  MatchResult r = text_match(m, R"J(42["chat",{"text":"hi","from":"x"}])J");
  CHECK(r.ok);
  CHECK(r.body_offset == 2);
  // anchored at offset 0: the prefix found later in the text does not count
  r = text_match(m, R"J(x42["chat",{"text":"hi"}])J");
  CHECK_FALSE(r.ok);
  CHECK(contains(r.reason, "expected text starting with /42/"));
  CHECK(contains(r.reason, "x42["));
  // the prefix matches but what follows is not JSON ("421[...]": an ack id the pattern did not allow for)
  r = text_match(m, R"J(421["chat",{"text":"hi"}])J");
  CHECK_FALSE(r.ok);
  CHECK(contains(r.reason, "expected JSON after the prefix \"42\""));
  // the JSON part mismatches: a pointer into the JSON part
  r = text_match(m, R"J(42["chat",{"text":"bye"}])J");
  CHECK_FALSE(r.ok);
  CHECK(r.path == "/1/text");
  CHECK(r.reason == "expected \"hi\", got \"bye\"");
  CHECK(text_match(prefixed("40/admin,", json::parse(R"J({"sid": {"$type": "string"}})J")), R"J(40/admin,{"sid":"abc"})J").ok);
  CHECK_FALSE(match_message(m, Message{true, "42[]"}).ok);
}

TEST_CASE("prefix: named groups are captured as strings, only on a match") {
  Matcher m = prefixed(R"J(43(?<ack_id>\d+))J", json::parse(R"J([{"ok": true}])J"));
  MatchResult r = text_match(m, R"J(4317[{"ok":true}])J");
  REQUIRE(r.ok);
  CHECK(r.body_offset == 4);
  CHECK(r.captures == std::map<std::string, json>{{"ack_id", "17"}});
  r = text_match(m, R"J(4317[{"ok":false}])J");
  CHECK_FALSE(r.ok);
  CHECK(r.captures.empty());
}

TEST_CASE("regex matcher: named groups are captured; unnamed groups and groups that took no part are not") {
  MatchResult r = text_match(regex(R"J(^user (?<name>\w+) joined (room (?<room>\d+))?(x)?)J"), "user ann joined now");
  REQUIRE(r.ok);
  CHECK(r.captures == std::map<std::string, json>{{"name", "ann"}});
  r = text_match(regex(R"J((?<id>[0-9a-f]+)$)J"), "session 00ff");
  CHECK(r.captures.at("id") == "00ff");
  CHECK(text_match(regex("^x"), "y").captures.empty());
  std::string why;
  auto re = Regex::compile(R"J((?<b>x)(?<a>y)(z))J", why);
  REQUIRE(re);
  CHECK(re->group_names() == std::vector<std::string>{"b", "a"});
}

TEST_CASE("$unordered pairs each pattern with a different element, in any order") {
  CHECK(unordered(R"J([{"id": 1}, {"id": 2}])J", R"J([{"id": 2, "r": "b"}, {"id": 1, "r": "a"}])J").ok);
  CHECK(unordered(R"J([1, 2, 3])J", R"J([3, 1, 2])J").ok);
  CHECK(unordered(R"J([])J", R"J([])J").ok);
  // duplicates: two equal patterns need two equal elements
  CHECK(unordered(R"J([{"ok": true}, {"ok": true}])J", R"J([{"ok": true}, {"ok": true}])J").ok);
  MatchResult r = unordered(R"J([{"ok": true}, {"ok": true}])J", R"J([{"ok": true}, {"ok": false}])J");
  CHECK_FALSE(r.ok);
  CHECK(contains(r.reason, "pattern [1] {\"ok\":true}"));
  CHECK(contains(r.reason, "left over: [1] {\"ok\":false}"));
}

TEST_CASE("$unordered reassigns: a broad pattern first must give up the only element a narrow one fits") {
  // first-fit would give element 0 to pattern 0 and leave pattern 1 with nothing
  CHECK(unordered(R"J([{"id": {"$type": "integer"}}, {"id": 1}])J", R"J([{"id": 1}, {"id": 2}])J").ok);
  Pairing p = pair_one_to_one({{0, 1}, {0}}, 2);
  CHECK(p.complete());
  CHECK(p.element_of[0] == 1u);
  CHECK(p.element_of[1] == 0u);
}

TEST_CASE("$unordered: a miss says which pattern found no element, and why the left-over element failed") {
  MatchResult r = unordered(R"J([{"id": 1}, {"id": 3}])J", R"J([{"id": 1}, {"id": 2}])J");
  CHECK_FALSE(r.ok);
  CHECK(contains(r.reason, "$unordered: pattern [1] {\"id\":3} matches no element"));
  CHECK(contains(r.reason, "left over: [1] {\"id\":2}"));
  CHECK(contains(r.reason, "/id: expected 3, got 2"));
  r = unordered(R"J([{"id": 1}, {"id": {"$gte": 1}}])J", R"J([{"id": 1}, {"id": 0}])J");
  CHECK(contains(r.reason, "pattern [1]"));
  r = unordered(R"J([{"id": 1}, {"id": 1}])J", R"J([{"id": 1}, {"id": 0}])J");
  CHECK(contains(r.reason, "matches only element(s) [0], which other patterns need"));
  r = unordered(R"J([1, 2])J", R"J([1, 2, 3])J");
  CHECK(contains(r.reason, "expected an array of 2 elements in any order, got 3"));
  r = unordered(R"J([1])J", R"J({"a": 1})J");
  CHECK(contains(r.reason, "expected an array (any order), got object"));
  // nested inside an object pattern, with other operators inside
  CHECK(match_json(json::parse(R"J({"batch": {"$unordered": [{"result": {"$gt": 2}}, {"error": {"$exists": true}}]}})J"),
                   json::parse(R"J({"batch": [{"error": {"code": 1}}, {"result": 3}]})J")).ok);
}

TEST_CASE("$unordered must be an array of valid patterns") {
  auto e = validate_json_pattern(json::parse(R"J({"a": {"$unordered": {"id": 1}}})J"));
  REQUIRE(e);
  CHECK(contains(e->first, "$unordered takes an array"));
  CHECK(e->second == "/a/$unordered");
  e = validate_json_pattern(json::parse(R"J({"$unordered": [{"$bogus": 1}]})J"));
  REQUIRE(e);
  CHECK(e->second == "/$unordered/0/$bogus");
  CHECK_FALSE(validate_json_pattern(json::parse(R"J({"$unordered": [1, {"$type": "string"}]})J")));
}

TEST_CASE("parser: prefix, send prefix and named groups") {
  Scenario s = parse_steps(R"J({"send": {"prefix": "42${N:-1}", "json": ["sum", 1, 2]}},)J"
                           "\n"
                           R"J({"expect": {"prefix": "43(?<ack_id>\\d+)", "json": [3]}},)J"
                           "\n"
                           R"J({"expect": {"regex": "room (?<room>\\w+)"}},)J"
                           "\n"
                           R"J({"send": {"text": "${ack_id}/${room}/${WSCHECK_RUN_ID}/${WSCHECK_SCENARIO}"}})J");
  const auto& send = std::get<SendStep>(s.steps[1].body);
  CHECK(send.prefix == "42${N:-1}");
  CHECK(std::get<ExpectStep>(s.steps[2].body).matcher.prefix == "43(?<ack_id>\\d+)");
  CHECK(std::set<std::string>(s.captured_vars.begin(), s.captured_vars.end()) == std::set<std::string>{"ack_id", "room"});
  CHECK(find_undefined_variables(s, VariableScope({}, false)).empty());
  CHECK(contains(std::get<ExpectStep>(s.steps[2].body).matcher.describe(), "prefix /43(?<ack_id>\\d+)/"));
}

TEST_CASE("parser: bad prefixes and $unordered are load errors at file:line:col") {
  std::string e = steps_error_of(R"J({"expect": {"prefix": "4(2", "json": []}})J");
  CHECK(starts_with(e, "f.json:3:23: "));
  CHECK(contains(e, "invalid regex"));
  e = steps_error_of(R"J({"expect": {"prefix": "42"}})J");
  CHECK(starts_with(e, "f.json:3:23: "));
  CHECK(contains(e, "\"prefix\" goes with \"json\""));
  e = steps_error_of(R"J({"expect": {"prefix": "42", "text": "x"}})J");
  CHECK(contains(e, "\"prefix\" goes with \"json\""));
  e = steps_error_of(R"J({"send": {"prefix": "42", "text": "x"}})J");
  CHECK(starts_with(e, "f.json:3:21: "));
  CHECK(contains(e, "\"prefix\" goes with \"json\""));
  e = steps_error_of(R"J({"expect": {"json": {"$unordered": 1}}})J");
  CHECK(starts_with(e, "f.json:3:36: "));
  CHECK(contains(e, "$unordered takes an array"));
  e = steps_error_of(R"J({"expect": {"regex": "x(?<1a>y)"}})J");
  CHECK(starts_with(e, "f.json:3:22: "));
  CHECK(contains(e, "invalid regex"));
  e = steps_error_of(R"J({"send": {"text": "${nope}"}})J");
  CHECK(e.empty());  // the undefined-variable check runs later, with the --var scope
  Scenario s = parse_steps(R"J({"send": {"text": "${nope}"}})J");
  CHECK(find_undefined_variables(s, VariableScope({}, false)).size() == 1);
}

TEST_CASE("run variables: a fresh 16-hex-digit WSCHECK_RUN_ID per run; --var overrides") {
  std::set<std::string> ids;
  for (int i = 0; i < 200; ++i) {
    std::string id = new_run_id();
    CHECK(id.size() == 16);
    CHECK(id.find_first_not_of("0123456789abcdef") == std::string::npos);
    ids.insert(id);
  }
  CHECK(ids.size() == 200);
  VariableScope a({}, false), b({}, false);
  set_run_variables(a, "chat one");
  set_run_variables(b, "chat one");
  REQUIRE(a.lookup("WSCHECK_RUN_ID").has_value());
  REQUIRE(b.lookup("WSCHECK_RUN_ID").has_value());
  CHECK(a.lookup("WSCHECK_RUN_ID")->get<std::string>() != b.lookup("WSCHECK_RUN_ID")->get<std::string>());
  CHECK(a.lookup("WSCHECK_SCENARIO")->get<std::string>() == "chat one");
  VariableScope pinned({{"WSCHECK_RUN_ID", "0123456789abcdef"}}, false);
  set_run_variables(pinned, "x");
  CHECK(expand_template("room-${WSCHECK_RUN_ID}", pinned) == "room-0123456789abcdef");
}

TEST_CASE("Expectation keeps the captures of every matched entry and the JSON offset of the last") {
  Expectation e({regex("^hello (?<who>\\w+)$"), prefixed("43(?<ack>\\d+)", json::array({1}))}, true, false);
  CHECK(e.offer(Message{false, "hello ann"}) == Expectation::Verdict::kWaiting);
  CHECK(e.offer(Message{false, "43x[1]"}) == Expectation::Verdict::kWaiting);
  CHECK(e.offer(Message{false, "437[1]"}) == Expectation::Verdict::kMatched);
  CHECK(e.captures() == std::map<std::string, json>{{"ack", "7"}, {"who", "ann"}});
  CHECK(e.last_body_offset() == 3);
}

}  // TEST_SUITE
