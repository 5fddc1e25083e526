// Unit tests for src/scenario/parser.h: scenario files into the model.
#include "parse_util.h"
#include "scenario/parser.h"
#include "scenario/server_block.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>

#include <unistd.h>

#include "test_util.h"

using namespace wscheck;
using wscheck_test::contains;
using wscheck_test::starts_with;
using wscheck_test::where_of;

using wscheck_test::errors_of;

namespace {

/// The first ScenarioError::str() a text produces (and its hint on a
/// second line), or "" when it parses.
std::string error_of(const std::string& text) {
  try {
    (void)parse_scenario_text(text, "f.json");
  } catch (const ScenarioError& e) {
    return e.str() + (e.hint().empty() ? "" : "\nhint: " + e.hint());
  }
  return "";
}

/// Wraps steps into a minimal scenario; the steps start on line 2.
std::string with_steps(const std::string& steps) {
  return "{\"name\": \"t\", \"steps\": [\n" + steps + "\n]}";
}

const std::string kConnect = R"({"connect": {"url": "/ws"}})";

bool has_template(const Scenario& s, const std::string& text) {
  return std::any_of(s.templates.begin(), s.templates.end(), [&](const TemplateRef& t) { return t.text == text; });
}

}  // namespace

TEST_SUITE("parser") {

TEST_CASE("a single scenario with every step kind parses into the model") {
  const std::string text = R"({
  // comments are allowed
  "name": "everything",
  "description": "all step kinds",
  "tags": ["smoke", "full"],
  "timeout_ms": 30000,
  "requires": {"env": ["JWT_SECRET"], "commands": ["python3"], "files": ["app.py"],
               "python_modules": ["fastapi"], "tcp": ["localhost:8000"], "http": ["http://localhost:8000/health"]},
  "steps": [
    {"connect": {"url": "/ws", "headers": {"X-Trace": "abc", "X-User": "${USER_ID:-u1}"},
                 "subprotocols": ["chat.v1", "chat.v2"], "auth": {"token": "${TOKEN}"}}},
    {"connect": {"url": "ws://localhost:8000/ws", "as": "q",
                 "auth": {"jwt": {"secret": "${JWT_SECRET:-test-secret}", "alg": "HS384",
                                  "claims": {"sub": "${USER}", "role": "admin"}, "expires_in_s": 900},
                          "in": "query", "param": "access_token"}}},
    {"connect": {"url": "/ws", "as": "sp", "auth": {"jwt": {"secret": "s3cret"}, "in": "subprotocol"}}},
    {"connect": {"url": "wss://example.com/ws", "as": "ck", "auth": {"jwt": {"secret": "k", "alg": "HS512"}, "in": "cookie", "name": "session"},
                 "tls": {"ca_file": "${CA_DIR}/ca.pem", "insecure": true}}},
    {"connect": {"url": "/ws", "as": "anon", "expect_rejected": {"status": [401, 403], "close_code": 1008}}},
    {"connect": {"url": "/ws", "as": "anon2", "expect_rejected": true}},
    {"send": {"text": "hello ${NAME:-world}"}},
    {"send": {"json": {"type": "echo", "n": 1, "who": "${USER}"}}, "conn": "q"},
    {"send": {"binary_hex": "00ff10"}},
    {"send": {"binary_base64": "AP8Q"}},
    {"expect": {"json": {"type": "echo_response", "run_id": {"$type": "string"}}},
     "strict": true, "capture": {"run": "/run_id", "whole": ""}, "timeout_ms": 1000, "name": "get run"},
    {"expect": {"text": "pong"}},
    {"expect": {"regex": "^hel+o"}},
    {"expect": {"binary_hex": "00ff"}},
    {"expect_sequence": {"match": [{"json": {"type": "a"}}, {"json": {"type": "b"}}]}, "capture": {"b": "/data"}},
    {"expect_sequence": {"match": [{"text": "x"}], "ordered": false}, "strict": true},
    {"expect_silence": {"ms": 500}},
    {"ping": {}},
    {"ping": {"payload": "hi"}},
    {"sleep": {"ms": 0}},
    {"close": {"code": 1000, "reason": "bye"}},
    {"close": {}, "conn": "ck"},
    {"expect_close": {"code": [1000, 1001], "reason": "^b"}, "conn": "q"},
    {"expect_close": {"code": 1000}, "conn": "sp"},
    {"expect_close": {}, "conn": "anon"}
  ]
})";
  Suite suite = parse_scenario_text(text, "f.json");
  REQUIRE(suite.scenarios.size() == 1);
  CHECK_FALSE(suite.server.has_value());
  const Scenario& s = suite.scenarios[0];
  CHECK(s.name == "everything");
  CHECK(s.tags == std::vector<std::string>{"smoke", "full"});
  REQUIRE(s.timeout_ms.has_value());
  CHECK(*s.timeout_ms == 30000);
  CHECK(s.where.str() == "f.json:1:1");
  CHECK(s.requires_.env == std::vector<std::string>{"JWT_SECRET"});
  CHECK(s.requires_.commands == std::vector<std::string>{"python3"});
  CHECK(s.requires_.files == std::vector<std::string>{"app.py"});
  CHECK(s.requires_.python_modules == std::vector<std::string>{"fastapi"});
  CHECK(s.requires_.tcp == std::vector<std::string>{"localhost:8000"});
  CHECK(s.requires_.http == std::vector<std::string>{"http://localhost:8000/health"});
  REQUIRE(s.steps.size() == 25);

  SUBCASE("connect: headers, subprotocols, token in the default header placement") {
    const Step& st = s.steps[0];
    CHECK(st.kind == "connect");
    CHECK(st.where.str() + ":" == where_of("f.json", text, "{\"connect\""));
    CHECK(st.where.str() == "f.json:10:5");
    const auto& c = std::get<ConnectStep>(st.body);
    CHECK(c.url == "/ws");
    CHECK(c.as == "default");
    REQUIRE(c.headers.size() == 2);
    CHECK(c.headers[0] == std::pair<std::string, std::string>{"X-Trace", "abc"});
    CHECK(c.headers[1] == std::pair<std::string, std::string>{"X-User", "${USER_ID:-u1}"});
    CHECK(c.subprotocols == std::vector<std::string>{"chat.v1", "chat.v2"});
    REQUIRE(c.auth.has_value());
    REQUIRE(c.auth->token.has_value());
    CHECK(*c.auth->token == "${TOKEN}");
    CHECK_FALSE(c.auth->jwt.has_value());
    CHECK(c.auth->in == AuthSpec::Placement::Header);
    CHECK_FALSE(c.expect_rejected.has_value());
    CHECK_FALSE(c.tls.insecure.has_value());
  }
  SUBCASE("connect: jwt in the query with a custom parameter") {
    const auto& c = std::get<ConnectStep>(s.steps[1].body);
    CHECK(c.url == "ws://localhost:8000/ws");
    CHECK(c.as == "q");
    REQUIRE(c.auth.has_value());
    REQUIRE(c.auth->jwt.has_value());
    CHECK_FALSE(c.auth->token.has_value());
    CHECK(c.auth->jwt->secret == "${JWT_SECRET:-test-secret}");
    CHECK(c.auth->jwt->alg == "HS384");
    CHECK(c.auth->jwt->claims == nlohmann::json{{"sub", "${USER}"}, {"role", "admin"}});
    REQUIRE(c.auth->jwt->expires_in_s.has_value());
    CHECK(*c.auth->jwt->expires_in_s == 900);
    CHECK(c.auth->in == AuthSpec::Placement::Query);
    CHECK(c.auth->param == "access_token");
  }
  SUBCASE("connect: jwt defaults and the subprotocol placement") {
    const auto& c = std::get<ConnectStep>(s.steps[2].body);
    REQUIRE(c.auth.has_value());
    REQUIRE(c.auth->jwt.has_value());
    CHECK(c.auth->jwt->alg == "HS256");
    CHECK(c.auth->jwt->claims == nlohmann::json::object());
    CHECK_FALSE(c.auth->jwt->expires_in_s.has_value());
    CHECK(c.auth->in == AuthSpec::Placement::Subprotocol);
    CHECK(c.auth->param == "token");
  }
  SUBCASE("connect: cookie placement and tls") {
    const auto& c = std::get<ConnectStep>(s.steps[3].body);
    CHECK(c.url == "wss://example.com/ws");
    REQUIRE(c.auth.has_value());
    REQUIRE(c.auth->jwt.has_value());
    CHECK(c.auth->jwt->alg == "HS512");
    CHECK(c.auth->in == AuthSpec::Placement::Cookie);
    CHECK(c.auth->cookie_name == "session");
    CHECK(c.tls.ca_file == "${CA_DIR}/ca.pem");
    REQUIRE(c.tls.insecure.has_value());
    CHECK(*c.tls.insecure);
  }
  SUBCASE("connect: expect_rejected as an object and as true") {
    const auto& c = std::get<ConnectStep>(s.steps[4].body);
    CHECK(c.as == "anon");
    REQUIRE(c.expect_rejected.has_value());
    CHECK(c.expect_rejected->status == std::vector<int>{401, 403});
    CHECK(c.expect_rejected->close_code == std::vector<int>{1008});
    const auto& c2 = std::get<ConnectStep>(s.steps[5].body);
    REQUIRE(c2.expect_rejected.has_value());
    CHECK(c2.expect_rejected->status.empty());
    CHECK(c2.expect_rejected->close_code.empty());
  }
  SUBCASE("send: text, json, binary_hex, binary_base64") {
    const auto& t = std::get<SendStep>(s.steps[6].body);
    CHECK(t.kind == SendStep::Kind::Text);
    CHECK(t.text == "hello ${NAME:-world}");
    const auto& j = std::get<SendStep>(s.steps[7].body);
    CHECK(s.steps[7].conn == "q");
    CHECK(j.kind == SendStep::Kind::Json);
    CHECK(j.json == nlohmann::json{{"type", "echo"}, {"n", 1}, {"who", "${USER}"}});
    CHECK(j.json["n"].is_number_integer());
    const auto& h = std::get<SendStep>(s.steps[8].body);
    CHECK(h.kind == SendStep::Kind::BinaryHex);
    CHECK(h.text == "00ff10");
    const auto& b = std::get<SendStep>(s.steps[9].body);
    CHECK(b.kind == SendStep::Kind::BinaryBase64);
    CHECK(b.text == "AP8Q");
  }
  SUBCASE("expect: modifiers strict, capture, timeout_ms, name") {
    const Step& st = s.steps[10];
    CHECK(st.kind == "expect");
    CHECK(st.strict);
    CHECK(st.name == "get run");
    CHECK(st.label() == "get run");
    REQUIRE(st.timeout_ms.has_value());
    CHECK(*st.timeout_ms == 1000);
    REQUIRE(st.capture.size() == 2);
    CHECK(std::find(st.capture.begin(), st.capture.end(), std::pair<std::string, std::string>{"run", "/run_id"}) !=
          st.capture.end());
    CHECK(std::find(st.capture.begin(), st.capture.end(), std::pair<std::string, std::string>{"whole", ""}) !=
          st.capture.end());
    const auto& m = std::get<ExpectStep>(st.body).matcher;
    CHECK(m.kind == Matcher::Kind::Json);
    CHECK(m.json == nlohmann::json::parse(R"({"type": "echo_response", "run_id": {"$type": "string"}})"));
  }
  SUBCASE("expect: text, regex, binary_hex matchers; defaults of modifiers") {
    const Step& st = s.steps[11];
    CHECK_FALSE(st.strict);
    CHECK(st.capture.empty());
    CHECK_FALSE(st.timeout_ms.has_value());
    CHECK(st.conn == "default");
    CHECK(std::get<ExpectStep>(st.body).matcher.kind == Matcher::Kind::Text);
    CHECK(std::get<ExpectStep>(st.body).matcher.text == "pong");
    CHECK(std::get<ExpectStep>(s.steps[12].body).matcher.kind == Matcher::Kind::Regex);
    CHECK(std::get<ExpectStep>(s.steps[12].body).matcher.text == "^hel+o");
    CHECK(std::get<ExpectStep>(s.steps[13].body).matcher.kind == Matcher::Kind::BinaryHex);
    CHECK(std::get<ExpectStep>(s.steps[13].body).matcher.text == "00ff");
  }
  SUBCASE("expect_sequence: ordered by default, unordered on request") {
    const auto& seq = std::get<ExpectSequenceStep>(s.steps[14].body);
    CHECK(seq.ordered);
    REQUIRE(seq.match.size() == 2);
    CHECK(seq.match[1].json == nlohmann::json{{"type", "b"}});
    CHECK(s.steps[14].capture.size() == 1);
    const auto& un = std::get<ExpectSequenceStep>(s.steps[15].body);
    CHECK_FALSE(un.ordered);
    CHECK(s.steps[15].strict);
    REQUIRE(un.match.size() == 1);
    CHECK(un.match[0].kind == Matcher::Kind::Text);
  }
  SUBCASE("expect_silence, ping, sleep") {
    CHECK(std::get<ExpectSilenceStep>(s.steps[16].body).ms == 500);
    CHECK_FALSE(std::get<PingStep>(s.steps[17].body).payload.has_value());
    REQUIRE(std::get<PingStep>(s.steps[18].body).payload.has_value());
    CHECK(*std::get<PingStep>(s.steps[18].body).payload == "hi");
    CHECK(s.steps[19].kind == "sleep");
    CHECK(std::get<SleepStep>(s.steps[19].body).ms == 0);
  }
  SUBCASE("close and expect_close") {
    const auto& c = std::get<CloseStep>(s.steps[20].body);
    CHECK(c.code == 1000);
    CHECK(c.reason == "bye");
    const auto& d = std::get<CloseStep>(s.steps[21].body);
    CHECK(d.code == 1000);
    CHECK(d.reason.empty());
    CHECK(s.steps[21].conn == "ck");
    const auto& e = std::get<ExpectCloseStep>(s.steps[22].body);
    CHECK(e.codes == std::vector<int>{1000, 1001});
    REQUIRE(e.reason_regex.has_value());
    CHECK(*e.reason_regex == "^b");
    CHECK(std::get<ExpectCloseStep>(s.steps[23].body).codes == std::vector<int>{1000});
    CHECK(std::get<ExpectCloseStep>(s.steps[24].body).codes.empty());
    CHECK_FALSE(std::get<ExpectCloseStep>(s.steps[24].body).reason_regex.has_value());
  }
  SUBCASE("templated strings are collected with their positions; captures are listed") {
    CHECK(has_template(s, "${TOKEN}"));
    CHECK(has_template(s, "${USER_ID:-u1}"));
    CHECK(has_template(s, "${JWT_SECRET:-test-secret}"));
    CHECK(has_template(s, "${USER}"));
    CHECK(has_template(s, "${CA_DIR}/ca.pem"));
    CHECK(has_template(s, "hello ${NAME:-world}"));
    CHECK_FALSE(has_template(s, "abc"));     // no reference, not a template
    CHECK_FALSE(has_template(s, "s3cret"));
    for (const auto& t : s.templates)
      if (t.text == "${TOKEN}") CHECK(t.where.str() + ":" == where_of("f.json", text, "\"${TOKEN}\""));
    CHECK(std::find(s.captured_vars.begin(), s.captured_vars.end(), "run") != s.captured_vars.end());
    CHECK(std::find(s.captured_vars.begin(), s.captured_vars.end(), "b") != s.captured_vars.end());
  }
}

TEST_CASE("a suite file with defaults and a server block") {
  const std::string text = R"({
  "defaults": {"tags": ["ci"], "timeout_ms": 1000, "step_timeout_ms": 250, "requires": {"env": ["A"]}},
  "server": {"command": "python app.py", "ready": "tcp://127.0.0.1:8000"},
  "scenarios": [
    {"name": "a", "tags": ["x", "ci"], "steps": [{"sleep": {"ms": 1}}]},
    {"name": "b", "timeout_ms": 50, "requires": {"env": ["B", "A"]},
     "steps": [{"sleep": {"ms": 1}, "timeout_ms": 9}]}
  ]
})";
  Suite suite = parse_scenario_text(text, "suite.json");
  REQUIRE(suite.scenarios.size() == 2);
  const Scenario& a = suite.scenarios[0];
  const Scenario& b = suite.scenarios[1];
  CHECK(a.name == "a");
  CHECK(a.tags == std::vector<std::string>{"ci", "x"});  // defaults first, no duplicates
  REQUIRE(a.timeout_ms.has_value());
  CHECK(*a.timeout_ms == 1000);
  CHECK(a.requires_.env == std::vector<std::string>{"A"});
  REQUIRE(a.steps[0].timeout_ms.has_value());
  CHECK(*a.steps[0].timeout_ms == 250);
  CHECK(a.where.str() == "suite.json:5:5");
  CHECK(b.tags == std::vector<std::string>{"ci"});
  CHECK(*b.timeout_ms == 50);
  CHECK(b.requires_.env == std::vector<std::string>{"A", "B"});
  REQUIRE(b.steps[0].timeout_ms.has_value());
  CHECK(*b.steps[0].timeout_ms == 9);
  CHECK(b.where.str() == "suite.json:6:5");
  REQUIRE(suite.server.has_value());
  CHECK(suite.server->command == "python app.py");
  CHECK(suite.server->ready == "tcp://127.0.0.1:8000");
  CHECK_FALSE(suite.server->ready_timeout_ms.has_value());
  CHECK(suite.server->where.str() == "suite.json:3:13");
}

TEST_CASE("a step with a second named connection") {
  Suite suite = parse_scenario_text(with_steps(R"({"connect": {"url": "/ws", "as": "b"}},
{"send": {"text": "x"}, "conn": "b"})"),
                                    "f.json");
  const Step& st = suite.scenarios[0].steps[1];
  CHECK(st.conn == "b");
  CHECK(st.label() == "send x [b]");
}

TEST_CASE("errors: syntax errors are reported as file:line:col") {
  std::string e = error_of("{\"name\": \"t\",\n \"steps\": [1,]}");
  CHECK(starts_with(e, "f.json:2:14: "));
  CHECK(contains(e, "trailing comma"));
}

TEST_CASE("errors: the root must be an object") {
  std::string e = error_of("[1]");
  CHECK(starts_with(e, "f.json:1:1: "));
  CHECK(contains(e, "JSON object"));
}

TEST_CASE("errors: unknown keys are reported at the key with a suggestion") {
  SUBCASE("a step key typo") {
    const std::string text = with_steps(kConnect + ",\n  {\"expcet\": {\"text\": \"x\"}}");
    std::string e = error_of(text);
    CHECK(starts_with(e, where_of("f.json", text, "\"expcet\"") + " "));
    CHECK(starts_with(e, "f.json:3:4: "));
    CHECK(contains(e, "unknown key \"expcet\""));
    CHECK(contains(e, "did you mean \"expect\"?"));
  }
  SUBCASE("a scenario key typo") {
    const std::string text = "{\"name\": \"t\",\n  \"stpes\": []}";
    std::vector<std::string> errors = errors_of(text);  // and "missing required key \"steps\"" at 1:1
    REQUIRE(errors.size() == 2);
    CHECK(starts_with(errors[1], "f.json:2:3: unknown key \"stpes\" (did you mean \"steps\"?)"));
  }
  SUBCASE("a connect key typo") {
    const std::string text = with_steps(R"({"connect": {"url": "/ws", "hedaers": {}}})");
    std::string e = error_of(text);
    CHECK(starts_with(e, where_of("f.json", text, "\"hedaers\"") + " "));
    CHECK(contains(e, "did you mean \"headers\"?"));
  }
  SUBCASE("a modifier typo") {
    const std::string text = with_steps(kConnect + ",\n{\"expect\": {\"text\": \"x\"}, \"timout_ms\": 5}");
    std::string e = error_of(text);
    CHECK(starts_with(e, "f.json:3:27: "));
    CHECK(contains(e, "did you mean \"timeout_ms\"?"));
  }
  SUBCASE("a key unlike any allowed one gets no suggestion, but the list") {
    const std::string text = with_steps(kConnect + ",\n{\"zzzzzzzzzz\": {}}");
    std::string e = error_of(text);
    CHECK(starts_with(e, "f.json:3:2: "));
    CHECK(contains(e, "unknown key \"zzzzzzzzzz\""));
    CHECK_FALSE(contains(e, "did you mean"));
    CHECK(contains(e, "expect_sequence"));
  }
  SUBCASE("a typo inside a matcher") {
    const std::string text = with_steps(kConnect + ",\n{\"expect\": {\"jsno\": {}}}");
    std::string e = error_of(text);
    CHECK(starts_with(e, "f.json:3:13: "));
    CHECK(contains(e, "did you mean \"json\"?"));
  }
  SUBCASE("a typo in defaults") {
    const std::string text = "{\"scenarios\": [{\"name\": \"a\", \"steps\": [{\"sleep\": {\"ms\": 1}}]}],\n \"defaults\": {\"tagz\": []}}";
    std::string e = error_of(text);
    CHECK(starts_with(e, "f.json:2:15: "));
    CHECK(contains(e, "did you mean \"tags\"?"));
  }
}

TEST_CASE("errors: wrong types are reported at the value") {
  SUBCASE("timeout_ms as a string") {
    const std::string text = "{\"name\": \"t\",\n \"timeout_ms\": \"100\", \"steps\": [{\"sleep\": {\"ms\": 1}}]}";
    std::string e = error_of(text);
    CHECK(starts_with(e, "f.json:2:16: "));
    CHECK(contains(e, "timeout_ms must be an integer, found a string"));
  }
  SUBCASE("a float where an integer is needed") {
    const std::string text = with_steps("{\"sleep\": {\"ms\": 1.5}}");
    std::string e = error_of(text);
    CHECK(starts_with(e, "f.json:2:18: "));
    CHECK(contains(e, "ms must be an integer, found a number"));
  }
  SUBCASE("name as a number") {
    std::string e = error_of("{\"name\": 5, \"steps\": [{\"sleep\": {\"ms\": 1}}]}");
    CHECK(starts_with(e, "f.json:1:10: "));
    CHECK(contains(e, "\"name\" must be a string, found a number"));
  }
  SUBCASE("tags as a string") {
    std::string e = error_of("{\"name\": \"t\", \"tags\": \"smoke\", \"steps\": [{\"sleep\": {\"ms\": 1}}]}");
    CHECK(starts_with(e, "f.json:1:23: "));
    CHECK(contains(e, "tags must be an array of strings, found a string"));
  }
  SUBCASE("strict as a string") {
    const std::string text = with_steps(kConnect + ",\n{\"expect\": {\"text\": \"x\"}, \"strict\": \"yes\"}");
    std::string e = error_of(text);
    CHECK(starts_with(e, where_of("f.json", text, "\"yes\"") + " "));
    CHECK(contains(e, "strict must be true or false, found a string"));
  }
  SUBCASE("steps as an object") {
    std::string e = error_of("{\"name\": \"t\", \"steps\": {}}");
    CHECK(starts_with(e, "f.json:1:24: "));
    CHECK(contains(e, "\"steps\" must be an array, found an object"));
  }
  SUBCASE("a step that is not an object") {
    std::string e = error_of(with_steps("[]"));
    CHECK(starts_with(e, "f.json:2:1: "));
    CHECK(contains(e, "expected an object, found an array"));
  }
  SUBCASE("header values must be strings") {
    const std::string text = with_steps(R"({"connect": {"url": "/ws", "headers": {"X-N": 1}}})");
    std::string e = error_of(text);
    CHECK(starts_with(e, where_of("f.json", text, "1}") + " "));
    CHECK(contains(e, "header values must be strings"));
  }
  SUBCASE("out-of-range numbers") {
    const std::string text = with_steps(kConnect + ",\n{\"close\": {\"code\": 999}}");
    std::string e = error_of(text);
    CHECK(starts_with(e, "f.json:3:20: "));
    CHECK(contains(e, "close code must be between 1000 and 4999, found 999"));
  }
}

TEST_CASE("errors: missing or empty name") {
  std::string e = error_of("{\n  \"steps\": [{\"sleep\": {\"ms\": 1}}]}");
  CHECK(starts_with(e, "f.json:1:1: "));
  CHECK(contains(e, "missing required key \"name\""));

  e = error_of("{\"name\": \"\", \"steps\": [{\"sleep\": {\"ms\": 1}}]}");
  CHECK(starts_with(e, "f.json:1:10: "));
  CHECK(contains(e, "\"name\" must not be empty"));

  SUBCASE("in a suite, at the scenario object") {
    e = error_of("{\"scenarios\": [\n  {\"steps\": [{\"sleep\": {\"ms\": 1}}]}]}");
    CHECK(starts_with(e, "f.json:2:3: "));
    CHECK(contains(e, "missing required key \"name\""));
  }
}

TEST_CASE("errors: missing or empty steps") {
  std::string e = error_of("{\"name\": \"t\",\n \"steps\": []}");
  CHECK(starts_with(e, "f.json:2:11: "));
  CHECK(contains(e, "\"steps\" is empty"));

  e = error_of("{\"name\": \"t\"}");
  CHECK(starts_with(e, "f.json:1:1: "));
  CHECK(contains(e, "missing required key \"steps\""));

  e = error_of("{\"scenarios\": []}");
  CHECK(starts_with(e, "f.json:1:15: "));
  CHECK(contains(e, "\"scenarios\" is empty"));
}

TEST_CASE("errors: a step with two actions, or none") {
  const std::string text = with_steps(kConnect + ",\n{\"send\": {\"text\": \"a\"}, \"expect\": {\"text\": \"b\"}}");
  std::string e = error_of(text);
  // keys are checked in sorted order, so the second action is "send"
  CHECK(starts_with(e, "f.json:3:2: "));
  CHECK(contains(e, "exactly one action"));
  CHECK(contains(e, "\"expect\""));
  CHECK(contains(e, "\"send\""));

  e = error_of(with_steps(kConnect + ",\n{\"name\": \"nothing\"}"));
  CHECK(starts_with(e, "f.json:3:1: "));
  CHECK(contains(e, "a step needs one action"));
}

TEST_CASE("errors: invalid $operators and patterns in json matchers") {
  SUBCASE("unknown operator") {
    const std::string text = with_steps(kConnect + ",\n{\"expect\": {\"json\": {\"n\": {\"$gtt\": 1}}}}");
    std::string e = error_of(text);
    CHECK(starts_with(e, where_of("f.json", text, "1}}}}") + " "));
    CHECK(starts_with(e, "f.json:3:36: "));
    CHECK(contains(e, "unknown operator \"$gtt\""));
  }
  SUBCASE("bad $type") {
    const std::string text = with_steps(kConnect + ",\n{\"expect\": {\"json\": {\"n\": {\"$type\": \"float\"}}}}");
    std::string e = error_of(text);
    CHECK(starts_with(e, where_of("f.json", text, "\"float\"") + " "));
    CHECK(contains(e, "$type takes one of"));
  }
  SUBCASE("operators mixed with plain keys") {
    const std::string text = with_steps(kConnect + ",\n{\"expect\": {\"json\": {\"n\": {\"$gt\": 1, \"a\": 2}}}}");
    std::string e = error_of(text);
    CHECK(starts_with(e, where_of("f.json", text, "{\"$gt\"") + " "));
    CHECK(contains(e, "mixes $operators with plain keys"));
  }
  SUBCASE("invalid $regex inside an expect_sequence") {
    const std::string text =
        with_steps(kConnect + ",\n{\"expect_sequence\": {\"match\": [{\"text\": \"a\"}, {\"json\": {\"id\": {\"$regex\": \"(\"}}}]}}");
    std::string e = error_of(text);
    CHECK(starts_with(e, where_of("f.json", text, "\"(\"") + " "));
    CHECK(contains(e, "invalid $regex"));
  }
}

TEST_CASE("errors: invalid regexes") {
  const std::string text = with_steps(kConnect + ",\n{\"expect\": {\"regex\": \"a(\"}}");
  std::string e = error_of(text);
  CHECK(starts_with(e, "f.json:3:22: "));
  CHECK(contains(e, "invalid regex"));

  const std::string text2 = with_steps(kConnect + ",\n{\"expect_close\": {\"reason\": \"[z-a]\"}}");
  e = error_of(text2);
  CHECK(starts_with(e, where_of("f.json", text2, "\"[z-a]\"") + " "));
  CHECK(contains(e, "invalid regex"));
}

TEST_CASE("errors: a step using a connection that was never opened") {
  SUBCASE("the default connection") {
    const std::string text = with_steps("{\"sleep\": {\"ms\": 1}},\n  {\"send\": {\"text\": \"x\"}}");
    std::string e = error_of(text);
    CHECK(starts_with(e, "f.json:3:3: "));
    CHECK(contains(e, "uses connection \"default\" before any connect step opened it"));
  }
  SUBCASE("a named connection") {
    const std::string text = with_steps(kConnect + ",\n{\"expect\": {\"text\": \"x\"}, \"conn\": \"admin\"}");
    std::string e = error_of(text);
    CHECK(starts_with(e, "f.json:3:1: "));
    CHECK(contains(e, "\"admin\""));
    CHECK(contains(e, "\"as\": \"admin\""));
  }
  SUBCASE("sleep needs no connection") {
    CHECK(error_of(with_steps("{\"sleep\": {\"ms\": 1}}")) == "");
  }
}

TEST_CASE("errors: connect URLs") {
  SUBCASE("http:// is not a WebSocket URL") {
    const std::string text = with_steps(R"({"connect": {"url": "http://localhost:8000/ws"}})");
    std::string e = error_of(text);
    CHECK(starts_with(e, "f.json:2:21: "));
    CHECK(contains(e, "ws:// or wss://"));
  }
  SUBCASE("an unknown scheme") {
    const std::string text = with_steps(R"({"connect": {"url": "ftp://localhost/ws"}})");
    std::string e = error_of(text);
    CHECK(starts_with(e, "f.json:2:21: "));
    CHECK(contains(e, "unsupported URL scheme \"ftp\""));
  }
  SUBCASE("a bad port") {
    const std::string text = with_steps(R"({"connect": {"url": "ws://localhost:70000/ws"}})");
    std::string e = error_of(text);
    CHECK(starts_with(e, "f.json:2:21: "));
    CHECK(contains(e, "invalid port \"70000\""));
  }
  SUBCASE("neither absolute nor a path") {
    const std::string text = with_steps(R"({"connect": {"url": "localhost:8000/ws"}})");
    std::string e = error_of(text);
    CHECK(starts_with(e, "f.json:2:21: "));
    CHECK(contains(e, "neither absolute"));
  }
  SUBCASE("a templated URL is checked at run time, not here") {
    CHECK(error_of(with_steps(R"({"connect": {"url": "${TARGET}/ws"}})")) == "");
  }
}

TEST_CASE("errors: capture") {
  SUBCASE("a pointer not starting with '/'") {
    const std::string text = with_steps(kConnect + ",\n{\"expect\": {\"text\": \"x\"}, \"capture\": {\"id\": \"run_id\"}}");
    std::string e = error_of(text);
    CHECK(starts_with(e, where_of("f.json", text, "\"run_id\"") + " "));
    CHECK(starts_with(e, "f.json:3:45: "));
    CHECK(contains(e, "must start with '/'"));
    CHECK(contains(e, "\"run_id\""));
  }
  SUBCASE("an invalid JSON pointer escape") {
    const std::string text = with_steps(kConnect + ",\n{\"expect\": {\"text\": \"x\"}, \"capture\": {\"id\": \"/a~2\"}}");
    std::string e = error_of(text);
    CHECK(starts_with(e, "f.json:3:45: "));
    CHECK(contains(e, "invalid JSON pointer"));
  }
  SUBCASE("an invalid variable name, at the key") {
    const std::string text = with_steps(kConnect + ",\n{\"expect\": {\"text\": \"x\"}, \"capture\": {\"1x\": \"/a\"}}");
    std::string e = error_of(text);
    CHECK(starts_with(e, "f.json:3:39: "));
    CHECK(contains(e, "\"1x\" is not a valid name"));
  }
  SUBCASE("capture on a step that is not an expect") {
    const std::string text = with_steps(kConnect + ",\n{\"send\": {\"text\": \"x\"}, \"capture\": {\"a\": \"/a\"}}");
    std::string e = error_of(text);
    CHECK(starts_with(e, "f.json:3:25: "));
    CHECK(contains(e, "\"capture\" applies only to expect"));
  }
  SUBCASE("strict on a step that is not an expect") {
    const std::string text = with_steps(kConnect + ",\n{\"send\": {\"text\": \"x\"}, \"strict\": true}");
    std::string e = error_of(text);
    CHECK(starts_with(e, "f.json:3:25: "));
    CHECK(contains(e, "\"strict\" applies only to expect"));
  }
}

TEST_CASE("expect count and until: parsed on expect, errors elsewhere and on bad values") {
  const std::string ok = with_steps(kConnect + ",\n" +
      R"({"expect": {"json": {"type": "next"}}, "count": 3, "until": {"json": {"type": "complete"}}})");
  Scenario s = parse_scenario_text(ok, "f.json").scenarios[0];
  const auto& e = std::get<ExpectStep>(s.steps[1].body);
  CHECK(e.count == 3);
  REQUIRE(e.until);
  CHECK(e.until->json == nlohmann::json{{"type", "complete"}});
  CHECK(std::get<ExpectStep>(parse_scenario_text(with_steps(kConnect + ",\n" + R"({"expect": {"text": "x"}})"), "f.json")
                                 .scenarios[0].steps[1].body).count == 0);
  SUBCASE("count on expect_sequence") {
    std::string err = error_of(with_steps(kConnect + ",\n" + R"({"expect_sequence": {"match": [{"text": "x"}]}, "count": 2})"));
    CHECK(starts_with(err, "f.json:3:49: "));
    CHECK(contains(err, "\"count\" applies only to expect steps"));
  }
  SUBCASE("count zero") {
    std::string err = error_of(with_steps(kConnect + ",\n" + R"({"expect": {"text": "x"}, "count": 0})"));
    CHECK(starts_with(err, "f.json:3:"));
    CHECK(contains(err, "count"));
  }
  SUBCASE("until with a bad regex and an unknown matcher key") {
    std::vector<std::string> errs = errors_of(with_steps(kConnect + ",\n" +
        R"({"expect": {"text": "x"}, "until": {"regex": "("}},)" + "\n" + R"({"expect": {"text": "y"}, "until": {"jsn": 1}})"));
    REQUIRE(errs.size() >= 2);
    CHECK(contains(errs[0], "invalid regex"));
    CHECK(starts_with(errs[1], "f.json:4:"));
    CHECK(contains(errs[1], "jsn"));
  }
  SUBCASE("until on a send") {
    CHECK(contains(error_of(with_steps(kConnect + ",\n" + R"({"send": {"text": "x"}, "until": {"text": "y"}})")),
                   "\"until\" applies only to expect steps"));
  }
}

TEST_CASE("errors: auth blocks") {
  auto connect_auth = [](const std::string& auth) { return with_steps("{\"connect\": {\"url\": \"/ws\", \"auth\": " + auth + "}}"); };
  SUBCASE("both token and jwt") {
    const std::string text = connect_auth(R"({"token": "a", "jwt": {"secret": "s"}})");
    std::string e = error_of(text);
    CHECK(starts_with(e, "f.json:2:36: "));
    CHECK(contains(e, "exactly one of \"token\" or \"jwt\""));
  }
  SUBCASE("neither") {
    std::string e = error_of(connect_auth(R"({"in": "query"})"));
    CHECK(starts_with(e, "f.json:2:36: "));
    CHECK(contains(e, "exactly one of \"token\" or \"jwt\""));
  }
  SUBCASE("jwt without a secret") {
    const std::string text = connect_auth(R"({"jwt": {"claims": {}}})");
    std::string e = error_of(text);
    CHECK(starts_with(e, where_of("f.json", text, "{\"claims\"") + " "));
    CHECK(contains(e, "missing required key \"secret\""));
  }
  SUBCASE("an unsupported alg") {
    const std::string text = connect_auth(R"({"jwt": {"secret": "s", "alg": "RS256"}})");
    std::string e = error_of(text);
    CHECK(starts_with(e, where_of("f.json", text, "\"RS256\"") + " "));
    CHECK(contains(e, "unsupported alg \"RS256\""));
  }
  SUBCASE("an unknown placement") {
    const std::string text = connect_auth(R"({"token": "a", "in": "body"})");
    std::string e = error_of(text);
    CHECK(starts_with(e, where_of("f.json", text, "\"body\"") + " "));
    CHECK(contains(e, "header, query, subprotocol, cookie"));
  }
  SUBCASE("param without the query placement") {
    const std::string text = connect_auth(R"({"token": "a", "param": "t"})");
    std::string e = error_of(text);
    CHECK(starts_with(e, where_of("f.json", text, "\"param\"") + " "));
    CHECK(contains(e, "\"param\" applies to \"in\": \"query\""));
  }
}

TEST_CASE("errors: send and matcher bodies") {
  SUBCASE("send with two payloads") {
    const std::string text = with_steps(kConnect + ",\n{\"send\": {\"text\": \"a\", \"json\": {}}}");
    std::string e = error_of(text);
    CHECK(starts_with(e, "f.json:3:10: "));
    CHECK(contains(e, "exactly one of text, json, binary_hex, binary_base64"));
  }
  SUBCASE("invalid hex") {
    const std::string text = with_steps(kConnect + ",\n{\"send\": {\"binary_hex\": \"0g\"}}");
    std::string e = error_of(text);
    CHECK(starts_with(e, "f.json:3:25: "));
    CHECK(contains(e, "invalid hex digit"));
  }
  SUBCASE("a matcher with two kinds") {
    const std::string text = with_steps(kConnect + ",\n{\"expect\": {\"text\": \"a\", \"regex\": \"b\"}}");
    std::string e = error_of(text);
    CHECK(starts_with(e, "f.json:3:12: "));
    CHECK(contains(e, "a matcher is exactly one of"));
  }
  SUBCASE("an empty expect_sequence") {
    const std::string text = with_steps(kConnect + ",\n{\"expect_sequence\": {\"match\": []}}");
    std::string e = error_of(text);
    CHECK(starts_with(e, "f.json:3:31: "));
    CHECK(contains(e, "non-empty array of matchers"));
  }
  SUBCASE("expect_rejected: false") {
    const std::string text = with_steps(R"({"connect": {"url": "/ws", "expect_rejected": false}})");
    std::string e = error_of(text);
    CHECK(starts_with(e, "f.json:2:47: "));
    CHECK(contains(e, "same as leaving it out"));
  }
  SUBCASE("a ping payload over 125 bytes") {
    const std::string text = with_steps(kConnect + ",\n{\"ping\": {\"payload\": \"" + std::string(126, 'p') + "\"}}");
    std::string e = error_of(text);
    CHECK(starts_with(e, "f.json:3:22: "));
    CHECK(contains(e, "125 bytes"));
  }
  SUBCASE("expect_silence without ms") {
    const std::string text = with_steps(kConnect + ",\n{\"expect_silence\": {}}");
    std::string e = error_of(text);
    CHECK(starts_with(e, "f.json:3:20: "));
    CHECK(contains(e, "missing required key \"ms\""));
  }
}

TEST_CASE("errors: every error of a file is reported at once, in source order") {
  const std::string text = with_steps(kConnect + ",\n"
                                      "{\"expcet\": {\"text\": \"x\"}},\n"
                                      "{\"sleep\": {\"ms\": \"ten\"}},\n"
                                      "{\"close\": {\"code\": 999, \"reson\": \"x\"}},\n"
                                      "{\"send\": {\"text\": \"a\"}, \"timout_ms\": 5}");
  std::vector<std::string> errors = errors_of(text);
  REQUIRE(errors.size() == 5);
  CHECK(starts_with(errors[0], "f.json:3:2: unknown key \"expcet\""));
  CHECK(starts_with(errors[1], "f.json:4:18: ms must be an integer"));
  CHECK(starts_with(errors[2], "f.json:5:20: close code must be between 1000 and 4999"));
  CHECK(starts_with(errors[3], "f.json:5:25: unknown key \"reson\""));
  CHECK(starts_with(errors[4], "f.json:6:25: unknown key \"timout_ms\""));
}

TEST_CASE("errors: a broken scenario does not hide the next one, nor a broken step the next step") {
  const std::string text = "{\"scenarios\": [\n"
                           "  {\"name\": 1, \"steps\": [{\"sleep\": {\"ms\": 1}}]},\n"
                           "  {\"name\": \"b\", \"steps\": {}},\n"
                           "  {\"name\": \"c\", \"steps\": [{\"connect\": {\"url\": \"/ws\", \"as\": \"x\", \"auth\": 5}},\n"
                           "     {\"send\": {\"text\": \"t\"}, \"conn\": \"x\"}, {\"sleep\": {}}]}\n"
                           "]}";
  std::vector<std::string> errors = errors_of(text);
  REQUIRE(errors.size() == 4);
  CHECK(starts_with(errors[0], "f.json:2:12: \"name\" must be a string"));
  CHECK(starts_with(errors[1], "f.json:3:26: \"steps\" must be an array"));
  CHECK(starts_with(errors[2], "f.json:4:73: expected an object, found a number"));
  // the connect step was abandoned, but it named "x": no second error for the send on "x"
  CHECK(starts_with(errors[3], "f.json:5:54: missing required key \"ms\""));
}

TEST_CASE("errors: defaults are checked once, not once per scenario") {
  const std::string text = "{\"defaults\": {\"tags\": \"ci\"}, \"scenarios\": [\n"
                           "  {\"name\": \"a\", \"steps\": [{\"sleep\": {\"ms\": 1}}]},\n"
                           "  {\"name\": \"b\", \"steps\": [{\"sleep\": {\"ms\": 1}}]}]}";
  std::vector<std::string> errors = errors_of(text);
  REQUIRE(errors.size() == 1);
  CHECK(starts_with(errors[0], "f.json:1:23: tags must be an array of strings"));
}

TEST_CASE("errors: a hostile file with thousands of errors is capped") {
  std::string steps = kConnect;
  for (int i = 0; i < 2000; ++i) steps += ",\n{\"sleep\": {\"ms\": -1}}";
  std::vector<std::string> errors = errors_of(with_steps(steps));
  REQUIRE(errors.size() == ErrorList::kMaxPerFile + 1);
  CHECK(contains(errors.back(), "too many errors in this file"));
}

TEST_CASE("a server block is read into typed fields") {
  const std::string text = R"({"server": {"command": "exec ./app --port ${PORT:-8000}", "ready": "tcp://127.0.0.1:${PORT:-8000}",
  "ready_log": "listening", "ready_timeout_ms": 9000, "grace_ms": 0, "log": "logs/server.log",
  "env": {"PORT": "${PORT:-8000}", "MODE": "test"}, "cwd": "srv"},
 "scenarios": [{"name": "a", "steps": [{"sleep": {"ms": 1}}]}]})";
  Suite suite = parse_scenario_text(text, "dir/suite.json");
  REQUIRE(suite.server.has_value());
  const ServerSpec& s = *suite.server;
  CHECK(s.command == "exec ./app --port ${PORT:-8000}");
  CHECK(s.ready_log == "listening");
  CHECK(s.ready_timeout_ms == 9000);
  CHECK(s.grace_ms == 0);
  CHECK(s.env == std::vector<std::pair<std::string, std::string>>{{"MODE", "test"}, {"PORT", "${PORT:-8000}"}});
  CHECK(std::filesystem::path(s.base_dir).is_absolute());
  CHECK(std::filesystem::path(s.base_dir).filename() == "dir");
  CHECK(s.templates.size() == 3);

  SUBCASE("resolved: variables expanded, cwd and log against the suite file's folder") {
    ServerSpec r = resolve_server_spec(s, VariableScope({{"PORT", "9001"}}, false));
    CHECK(r.command == "exec ./app --port 9001");
    CHECK(r.ready == "tcp://127.0.0.1:9001");
    CHECK(r.cwd == s.base_dir + "/srv");
    CHECK(r.log == s.base_dir + "/logs/server.log");
    CHECK(r.env[1].second == "9001");
    ServerSpec d = resolve_server_spec(s, VariableScope({}, false));
    CHECK(d.ready == "tcp://127.0.0.1:8000");
  }
  SUBCASE("no cwd: the suite file's folder; an absolute cwd stays") {
    ServerSpec plain = s;
    plain.cwd = "";
    CHECK(resolve_server_spec(plain, VariableScope({}, false)).cwd == s.base_dir);
    plain.cwd = "/tmp";
    CHECK(resolve_server_spec(plain, VariableScope({}, false)).cwd == "/tmp");
  }
}

TEST_CASE("errors: wrong types in a server block, all of them, no crash") {
  const std::string text = "{\"server\": {\"command\": \"true\", \"ready\": 5,\n"
                           " \"env\": {\"A\": 1}, \"ready_timeout_ms\": \"soon\", \"redy\": \"x\"},\n"
                           " \"scenarios\": [{\"name\": \"a\", \"steps\": [{\"sleep\": {\"ms\": 1}}]}]}";
  std::vector<std::string> errors = errors_of(text);
  REQUIRE(errors.size() == 4);
  CHECK(starts_with(errors[0], "f.json:1:41: \"ready\" must be a string, found a number"));
  CHECK(starts_with(errors[1], "f.json:2:15: env values must be strings"));
  CHECK(starts_with(errors[2], "f.json:2:39: ready_timeout_ms must be an integer"));
  CHECK(starts_with(errors[3], "f.json:2:47: unknown key \"redy\" (did you mean \"ready\"?)"));
  CHECK(starts_with(error_of("{\"server\": 5, \"scenarios\": [{\"name\": \"a\", \"steps\": [{\"sleep\": {\"ms\": 1}}]}]}"),
                    "f.json:1:12: \"server\" must be an object"));
}

TEST_CASE("errors: a server block needs a command") {
  std::string e = error_of(
      "{\"server\": {\"ready\": \"tcp://h:1\"},\n \"scenarios\": [{\"name\": \"a\", \"steps\": [{\"sleep\": {\"ms\": 1}}]}]}");
  CHECK(starts_with(e, "f.json:1:12: "));
  CHECK(contains(e, "missing required key \"command\""));
}

TEST_CASE("errors: a malformed ${...} reference is a file error") {
  const std::string text = with_steps(kConnect + ",\n{\"send\": {\"text\": \"${oops\"}}");
  std::string e = error_of(text);
  CHECK(starts_with(e, "f.json:3:19: "));
  CHECK(contains(e, "unterminated variable reference"));
}

TEST_CASE("ScenarioError::str() without a position is just the file") {
  ScenarioError e(SourceRef{"dir/x.json", {}}, "no such file or directory");
  CHECK(e.str() == "dir/x.json: no such file or directory");
}

TEST_CASE("load_suite collects errors and rejects duplicate scenario names across files") {
  namespace fs = std::filesystem;
  fs::path dir = fs::temp_directory_path() /
                 ("wscheck-unit-" + std::to_string(::getpid()) + "-" +
                  std::to_string(std::chrono::steady_clock::now().time_since_epoch().count()));
  fs::create_directories(dir / "sub");
  auto write = [&](const fs::path& p, const std::string& text) { std::ofstream(p) << text; };
  write(dir / "a.json", "{\"name\": \"same\", \"steps\": [{\"sleep\": {\"ms\": 1}}]}");
  write(dir / "sub" / "b.json", "{\n \"name\": \"same\", \"steps\": [{\"sleep\": {\"ms\": 1}}]}");
  write(dir / "sub" / "c.json", "{\"name\": \"broken\",}");
  write(dir / "notes.txt", "not a scenario");

  std::vector<std::string> files = find_scenario_files({dir.string()});
  REQUIRE(files.size() == 3);
  CHECK(files[0] == (dir / "a.json").string());
  CHECK(files[1] == (dir / "sub" / "b.json").string());

  std::vector<ScenarioError> errors;
  Suite suite = load_suite(files, errors);
  CHECK(suite.scenarios.size() == 1);
  REQUIRE(errors.size() == 2);
  CHECK(starts_with(errors[0].str(), (dir / "sub" / "b.json").string() + ":1:1: "));
  CHECK(contains(errors[0].str(), "duplicate scenario name \"same\""));
  CHECK(contains(errors[0].str(), (dir / "a.json").string() + ":1:1"));
  CHECK(starts_with(errors[1].str(), (dir / "sub" / "c.json").string() + ":1:19: "));

  CHECK_THROWS_AS(find_scenario_files({(dir / "missing").string()}), ScenarioError);
  std::error_code ec;
  fs::remove_all(dir, ec);
}

}  // TEST_SUITE("parser")
