// Unit tests for src/author/: HAR reading, secret and volatile-field
// heuristics, the conversation -> scenario writer and the starter files.
#include <doctest/doctest.h>

#include <string>

#include "author/authoring_error.h"
#include "author/har_reader.h"
#include "author/scenario_writer.h"
#include "author/secret_rules.h"
#include "author/starter_files.h"
#include "author/volatile_fields.h"
#include "scenario/model.h"
#include "scenario/parser.h"
#include "test_util.h"

using namespace wscheck;
using wscheck_test::contains;
using ojson = nlohmann::ordered_json;

namespace {

const char* const kJwt =
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJ0ZXN0In0.c2lnbmF0dXJlLXNpZ25hdHVyZS1zaWduYXR1cmU";

RecordedEvent ev(RecordedEvent::Kind kind, double at, std::string data, size_t conn = 0) {
  RecordedEvent e;
  e.kind = kind;
  e.at_ms = at;
  e.data = std::move(data);
  e.conn = conn;
  return e;
}

Conversation one_connection(std::string url, std::vector<RecordedEvent> events) {
  Conversation c;
  c.source = "test";
  RecordedConnection rc;
  rc.url = std::move(url);
  c.connections.push_back(rc);
  c.events = std::move(events);
  return c;
}

WriterOptions writer_options() {
  WriterOptions w;
  w.name = "t";
  w.command = "import-har";
  return w;
}

std::string message_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const AuthoringError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("secret rules: names, headers and token-shaped values") {
  CHECK(is_secret_name("token"));
  CHECK(is_secret_name("access_token"));
  CHECK(is_secret_name("apiKey"));
  CHECK(is_secret_name("X-Api-Key"));
  CHECK(is_secret_name("sessionId"));
  CHECK_FALSE(is_secret_name("keyboard"));
  CHECK_FALSE(is_secret_name("client"));
  CHECK_FALSE(is_secret_name("type"));
  CHECK(classify_header("Authorization") == HeaderUse::kSecret);
  CHECK(classify_header("cookie") == HeaderUse::kSecret);
  CHECK(classify_header("Sec-WebSocket-Key") == HeaderUse::kDrop);
  CHECK(classify_header(":authority") == HeaderUse::kDrop);
  CHECK(classify_header("Origin") == HeaderUse::kKeep);
  CHECK(classify_header("X-Tenant") == HeaderUse::kKeep);
  CHECK(looks_like_token(kJwt));
  CHECK_FALSE(looks_like_token("hello.world.again"));
  CHECK(variable_name_for("access-token") == "ACCESS_TOKEN");
  CHECK(variable_name_for("apiKey") == "API_KEY");
}

TEST_CASE("volatile fields match by type, stable ones exactly") {
  ojson msg = ojson::parse(R"({"type":"pong","timestamp":1764398534312,"run_id":"run-7","user":"ann",
      "createdAt":"2026-11-29T06:42:14Z","ref":"5f0c6c1e-8d1b-4c53-9f6e-0e1b2b3c4d5e","n":42,"$weird":1,
      "data":{"id":7,"text":"hi","list":[1,"2026-11-29 06:42:14"]},"gone":null,"request_id":null})");
  ojson m = stable_matcher(msg);
  CHECK(m["type"] == "pong");
  CHECK(m["timestamp"] == ojson{{"$type", "number"}});
  CHECK(m["run_id"] == ojson{{"$type", "string"}});
  CHECK(m["user"] == "ann");
  CHECK(m["createdAt"] == ojson{{"$type", "string"}});
  CHECK(m["ref"] == ojson{{"$type", "string"}});
  CHECK(m["n"] == 42);
  CHECK_FALSE(m.contains("$weird"));
  CHECK(m["data"]["id"] == ojson{{"$type", "number"}});
  CHECK(m["data"]["text"] == "hi");
  CHECK(m["data"]["list"][1] == ojson{{"$type", "string"}});
  CHECK(m["gone"].is_null());
  CHECK(m["request_id"] == ojson{{"$exists", true}});
  CHECK(is_volatile_key("server_time"));
  CHECK_FALSE(is_volatile_key("format"));
  CHECK_FALSE(is_volatile_key("chat"));
}

TEST_CASE("writer: sends, subset expects, credentials as variables, and the result parses") {
  Conversation c = one_connection(std::string("ws://127.0.0.1:8765/ws?token=") + kJwt + "&room=blue",
                                  {ev(RecordedEvent::Kind::kReceive, 5, R"({"type":"hello","id":"abc"})"),
                                   ev(RecordedEvent::Kind::kSend, 10, R"({"type":"auth","password":"hunter2hunter2"})"),
                                   ev(RecordedEvent::Kind::kSend, 12, "plain ${text}"),
                                   ev(RecordedEvent::Kind::kReceive, 7000, "pong")});
  c.connections[0].headers = {{"Cookie", "sid=cookie-secret-value"}, {"Origin", "http://app"}, {"User-Agent", "x"}};
  WrittenScenario w = write_scenario(c, writer_options());
  INFO(w.text);
  CHECK_FALSE(contains(w.text, kJwt));
  CHECK_FALSE(contains(w.text, "hunter2hunter2"));
  CHECK_FALSE(contains(w.text, "cookie-secret-value"));
  CHECK(contains(w.text, R"("auth": {"token": "${TOKEN}", "in": "query", "param": "token"})"));
  CHECK(contains(w.text, R"("url": "/ws?room=blue")"));
  CHECK(contains(w.text, R"("Cookie": "${COOKIE}")"));
  CHECK(contains(w.text, R"("Origin": "http://app")"));
  CHECK_FALSE(contains(w.text, "User-Agent"));
  CHECK(contains(w.text, R"({"send": {"json": {"type": "auth", "password": "${PASSWORD}"}}})"));
  CHECK(contains(w.text, R"({"send": {"text": "plain $${text}"}})"));
  CHECK(contains(w.text, R"({"expect": {"json": {"type": "hello", "id": {"$type": "string"}}}})"));
  CHECK(contains(w.text, R"({"expect": {"text": "pong"}, "timeout_ms": 15000})"));
  CHECK(contains(w.text, R"({"close": {"code": 1000}})"));
  CHECK(w.base_origin == "ws://127.0.0.1:8765");
  REQUIRE(w.variables.size() == 3);
  Suite suite = parse_scenario_text(w.text, "written.json");
  REQUIRE(suite.scenarios.size() == 1);
  CHECK(suite.scenarios[0].steps.size() == 6);
}

TEST_CASE("writer: --drop leaves heartbeats out; closes and rejected upgrades") {
  Conversation c = one_connection("ws://h:1/a", {ev(RecordedEvent::Kind::kSend, 1, R"({"type":"heartbeat"})"),
                                                 ev(RecordedEvent::Kind::kReceive, 2, R"({"type":"heartbeat_ack"})"),
                                                 ev(RecordedEvent::Kind::kSend, 3, "hi")});
  RecordedEvent close = ev(RecordedEvent::Kind::kServerClose, 4, "");
  close.close_code = 4001;
  c.events.push_back(close);
  RecordedConnection refused;
  refused.url = "ws://other:2/b";
  refused.rejected_status = 403;
  c.connections.push_back(refused);
  WriterOptions o = writer_options();
  o.drop_patterns = {"heartbeat"};
  WrittenScenario w = write_scenario(c, o);
  INFO(w.text);
  CHECK(w.dropped == 2);
  CHECK_FALSE(contains(w.text, "heartbeat\""));
  CHECK(contains(w.text, R"({"expect_close": {"code": [4001]}})"));
  CHECK(contains(w.text, R"("url": "ws://other:2/b", "as": "conn2", "expect_rejected": {"status": [403]})"));
  CHECK(parse_scenario_text(w.text, "w.json").scenarios.size() == 1);
  o.drop_patterns = {"("};
  CHECK(contains(message_of([&] { write_scenario(c, o); }), "--drop \"(\""));
}

TEST_CASE("HAR: Chromium frames become events; Firefox and non-HAR input are refused clearly") {
  std::string har = std::string(R"({"log":{"creator":{"name":"WebInspector"},"entries":[
    {"_resourceType":"websocket","startedDateTime":"2026-11-29T06:42:14.100Z",
     "request":{"url":"wss://x.test/ws","headers":[{"name":"Sec-WebSocket-Protocol","value":"chat.v2, chat.v1"}]},
     "_webSocketMessages":[{"type":"send","time":1764398534.2,"opcode":1,"data":"hi"},
                           {"type":"receive","time":1764398534.3,"opcode":2,"data":"AAEC"}]}]}})");
  Conversation c = read_har(har, "s.har", {});
  REQUIRE(c.connections.size() == 1);
  CHECK(c.connections[0].subprotocols == std::vector<std::string>{"chat.v2", "chat.v1"});
  REQUIRE(c.events.size() == 2);
  CHECK(c.events[1].binary);
  CHECK(c.events[1].data == std::string("\x00\x01\x02", 3));
  CHECK(c.events[1].at_ms - c.events[0].at_ms == doctest::Approx(100).epsilon(0.01));
  CHECK(contains(message_of([&] { read_har(har, "s.har", {"nomatch"}); }), "matches --url-filter"));
  std::string firefox = R"({"log":{"entries":[{"request":{"url":"ws://x/ws"},"response":{"status":101}}]}})";
  CHECK(contains(message_of([&] { read_har(firefox, "f.har", {}); }), "Firefox"));
  CHECK(contains(message_of([&] { read_har(R"({"log":{"entries":[]}})", "e.har", {}); }), "no WebSocket connection"));
  CHECK(contains(message_of([&] { read_har("{", "bad.har", {}); }), "not a HAR file"));
  std::string bad_opcode = R"({"log":{"entries":[{"_resourceType":"websocket","request":{"url":"ws://x/"},
      "_webSocketMessages":[{"type":"send","time":1,"opcode":9,"data":""}]}]}})";
  CHECK(contains(message_of([&] { read_har(bad_opcode, "o.har", {}); }), "_webSocketMessages[0]: opcode 9"));
}

TEST_CASE("init: starter scenarios parse; a 101 without credentials disables the rejection check") {
  for (int status : {0, 403, 101}) {
    StarterTarget t;
    t.origin = status ? "ws://127.0.0.1:9" : "";
    t.path = "/chat";
    t.upgrade_status = status;
    auto files = starter_files("out", t);
    REQUIRE(files.size() == 5);
    bool disabled_seen = false;
    for (const auto& f : files) {
      if (contains(f.path, ".yml")) {
        CHECK(contains(f.content, "wscheck run scenarios/"));
        continue;
      }
      INFO(f.path);
      CHECK(parse_scenario_text(f.content, f.path).scenarios.size() == 1);
      CHECK(contains(f.content, "\"/chat\""));
      disabled_seen = disabled_seen || contains(f.path, ".disabled");
      if (contains(f.path, "rejection") && status == 403) CHECK(contains(f.content, "\"status\": [403]"));
      if (contains(f.path, "connect.json")) CHECK(contains(f.content, "\"auth\"") == (status != 101));
    }
    CHECK(disabled_seen == (status == 101));
  }
}
