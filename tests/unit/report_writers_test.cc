// Unit tests for the file reports (src/report/): JSON, JUnit XML, TAP 14 and
// GitHub Actions output, written from hand-built results and read back.
#include <doctest/doctest.h>
#include <stdlib.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "report/file_reporters.h"
#include "report/github_reporter.h"
#include "report/json_reporter.h"
#include "report/junit_reporter.h"
#include "report/tap_reporter.h"
#include "report/text_escape.h"
#include "test_util.h"

using namespace wscheck;
using wscheck_test::contains;
using wscheck_test::starts_with;

namespace {

// A name with every XML-special character, a control byte and non-ASCII text.
const std::string kNastyName = "weird & <name> \"quoted\" 'single' \x01 ünïcødé ✓ #1";
const std::string kNastyHeadline = "no message matching {\"type\":\"<done>\"} & 100% sure\nsecond line \x01";

/// A temporary directory, removed with its contents at scope end (kept when
/// KEEP_REPORT_TMP is set, to look at the reports).
struct TempDir {
  std::filesystem::path path;
  TempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "wscheck-report-XXXXXX").string();
    REQUIRE(mkdtemp(tmpl.data()) != nullptr);
    path = tmpl;
  }
  ~TempDir() {
    if (std::getenv("KEEP_REPORT_TMP")) return;
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
  std::string file(const std::string& name) const { return (path / name).string(); }
};

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  REQUIRE(in.good());
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

StepResult step(size_t index, const std::string& kind, const std::string& label, Status status, double ms, int line) {
  StepResult s;
  s.index = index;
  s.kind = kind;
  s.label = label;
  s.conn = "default";
  s.where = SourceRef{"scenarios/x.json", SourcePos{line, 5}};
  s.status = status;
  s.duration_ms = ms;
  return s;
}

ScenarioResult passed_scenario() {
  ScenarioResult r;
  r.name = "connect with token";
  r.where = SourceRef{"scenarios/connect_with_token.json", SourcePos{2, 1}};
  r.tags = {"smoke", "auth"};
  r.status = Status::kPassed;
  r.duration_ms = 12.3456;
  r.steps.push_back(step(0, "connect", "connect /ws", Status::kPassed, 4.5, 7));
  StepResult ping = step(1, "ping", "ping", Status::kPassed, 0.4, 8);
  ping.rtt_ms = 0.123;
  r.steps.push_back(ping);
  ConnectionReport c;
  c.name = "default";
  c.url = "ws://127.0.0.1:4000/ws?token=***";
  c.timings.dns = 0.01;
  c.timings.tcp = 0.2;
  c.timings.upgrade = 1.5;
  c.close = CloseInfo{1000, "", false, 0};
  c.messages_received = 1;
  r.connections.push_back(c);
  return r;
}

ScenarioResult failed_scenario() {
  ScenarioResult r;
  r.name = kNastyName;
  r.where = SourceRef{"scenarios/x.json", SourcePos{1, 1}};
  r.tags = {"events"};
  r.status = Status::kFailed;
  r.duration_ms = 801.25;
  r.steps.push_back(step(0, "connect", "connect /ws", Status::kPassed, 3.0, 4));
  StepResult bad = step(1, "expect", "expect {\"type\":\"<done>\"}", Status::kFailed, 800.0, 5);
  Diagnosis d;
  d.cls = DiagnosisClass::kMessageTimeout;
  d.headline = kNastyHeadline;
  d.hint = "check the server's handler & <retry>";
  d.details = {"closest: {\"type\":\"<almost>\"}", "ctl \x02 and ünï"};
  bad.diagnosis = d;
  r.steps.push_back(bad);
  r.steps.push_back(step(2, "close", "close 1000", Status::kNotRun, 0, 6));
  r.diagnosis = d;
  r.failed_step = 1;
  ConnectionReport c;
  c.name = "default";
  c.url = "ws://127.0.0.1:4000/ws";
  c.timings.dns = 0.02;
  c.timings.tcp = 0.3;
  c.timings.upgrade = 0.9;
  c.subprotocol = "chat";
  c.messages_received = 2;
  c.last_frames = {"{\"type\":\"<almost>\"}", std::string("bin \xff\xfe end")};
  r.connections.push_back(c);
  return r;
}

ScenarioResult not_run_scenario() {
  ScenarioResult r;
  r.name = "agent events";
  r.where = SourceRef{"scenarios/agent_events.json", SourcePos{2, 1}};
  r.status = Status::kNotRun;
  r.not_run_reason = "--fail-fast: an earlier scenario failed";
  return r;
}

std::vector<ScenarioResult> results() { return {passed_scenario(), failed_scenario(), not_run_scenario()}; }

RunSummary summary() {
  RunSummary s;
  s.passed = 1;
  s.failed = 1;
  s.not_run = 1;
  s.total_ms = 850.5;
  s.exit_code = 1;
  return s;
}

RunMetadata meta() { return RunMetadata{"0.1.0", "4.3.2-test", "OpenSSL 3.0.x test"}; }

/// Runs a reporter through a whole run.
void run(Reporter& r, const std::vector<ScenarioResult>& all = results(), const RunSummary& s = summary()) {
  r.on_run_start(RunInfo{"built-in reference server at ws://127.0.0.1:4000", all.size(), "2026-01-02T03:04:05Z"});
  for (const auto& x : all) r.on_scenario_done(x);
  r.on_run_end(s, all);
}

/// Characters XML 1.0 forbids, as raw bytes (the report must not contain any).
bool has_xml_forbidden_byte(const std::string& text) {
  for (unsigned char c : text)
    if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') return true;
  return false;
}

bool is_valid_utf8(const std::string& text) {
  for (size_t i = 0; i < text.size();) {
    size_t before = i;
    std::uint32_t cp = next_code_point(text, i);
    if (cp == 0xFFFD && !(text.compare(before, 3, "\xEF\xBF\xBD") == 0)) return false;
  }
  return true;
}

}  // namespace

TEST_SUITE("report_writers") {

TEST_CASE("text escaping: XML, YAML, TAP, GitHub commands, Markdown") {
  CHECK(xml_text("a & <b> \"c\" 'd'") == "a &amp; &lt;b&gt; &quot;c&quot; &apos;d&apos;");
  CHECK(xml_text(std::string("x\x01y\x00z", 6)) == "xyz");
  CHECK(xml_text("line1\nline2\r\tend") == "line1\nline2&#13;\tend");
  CHECK(xml_attr("line1\nline2\tend") == "line1&#10;line2&#9;end");
  CHECK(xml_text("ünï ✓") == "ünï ✓");
  CHECK(xml_text("bad \xff byte") == "bad \xEF\xBF\xBD byte");           // invalid UTF-8 -> U+FFFD
  CHECK(xml_text("\xEF\xBF\xBE") == "");                                 // U+FFFE is not an XML character
  CHECK(xml_text("\xC0\xAF") == "\xEF\xBF\xBD\xEF\xBF\xBD");             // overlong encoding
  CHECK(xml_text("\xED\xA0\x80") == "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");  // UTF-16 surrogate
  CHECK(xml_text("cut \xE2\x9C") == "cut \xEF\xBF\xBD\xEF\xBF\xBD");     // truncated sequence

  CHECK(yaml_quoted("a \"b\" \\ c\nd\x01 ü") == "\"a \\\"b\\\" \\\\ c\\nd\\u0001 ü\"");
  CHECK(yaml_quoted("\x7f") == "\"\\u007F\"");

  CHECK(tap_description("a # b \\ c\nd") == "a \\# b \\\\ c d");
  CHECK(tap_line("x\ny\tz") == "x y z");

  CHECK(github_data("100% a\r\nb: c, d") == "100%25 a%0D%0Ab: c, d");
  CHECK(github_property("a:b,c%\n") == "a%3Ab%2Cc%25%0A");

  CHECK(markdown_cell("a | b <i> & c\nd") == "a \\| b &lt;i&gt; &amp; c<br>d");
  CHECK(fixed3(1.23456) == "1.235");
}

TEST_CASE("JSON report: every field, read back with nlohmann::json") {
  TempDir dir;
  const std::string path = dir.file("report.json");
  JsonReporter reporter(path, meta());
  run(reporter);
  CHECK(reporter.error().empty());
  CHECK_FALSE(std::filesystem::exists(path + ".tmp"));

  const std::string text = read_file(path);
  CHECK(is_valid_utf8(text));
  const nlohmann::json j = nlohmann::json::parse(text);

  CHECK(j["wscheck"]["version"] == "0.1.0");
  CHECK(j["wscheck"]["libwebsockets"] == "4.3.2-test");
  CHECK(j["wscheck"]["openssl"] == "OpenSSL 3.0.x test");
  CHECK(j["started_at"] == "2026-01-02T03:04:05Z");
  CHECK(j["target"] == "built-in reference server at ws://127.0.0.1:4000");
  CHECK(j["total_ms"] == doctest::Approx(850.5));
  CHECK(j["exit_code"] == 1);
  CHECK(j["interrupted"] == false);
  CHECK(j["summary"] == nlohmann::json{{"passed", 1}, {"failed", 1}, {"not_run", 1}, {"flaky", 0}});
  REQUIRE(j["scenarios"].size() == 3);

  const auto& pass = j["scenarios"][0];
  CHECK(pass["name"] == "connect with token");
  CHECK(pass["file"] == "scenarios/connect_with_token.json");
  CHECK(pass["line"] == 2);
  CHECK(pass["tags"] == nlohmann::json{"smoke", "auth"});
  CHECK(pass["status"] == "passed");
  CHECK(pass["duration_ms"] == doctest::Approx(12.346));  // rounded to the microsecond
  CHECK(pass["diagnosis"].is_null());
  CHECK(pass["failed_step"].is_null());
  CHECK(pass["not_run_reason"].is_null());
  REQUIRE(pass["steps"].size() == 2);
  CHECK_FALSE(pass["steps"][0].contains("rtt_ms"));
  CHECK_FALSE(pass["steps"][0].contains("diagnosis"));
  CHECK(pass["steps"][1]["rtt_ms"] == doctest::Approx(0.123));
  CHECK(pass["steps"][1]["index"] == 2);
  CHECK(pass["steps"][1]["kind"] == "ping");
  CHECK(pass["steps"][1]["line"] == 8);
  CHECK(pass["steps"][1]["col"] == 5);
  const auto& conn = pass["connections"][0];
  CHECK(conn["name"] == "default");
  CHECK(conn["url"] == "ws://127.0.0.1:4000/ws?token=***");
  CHECK(conn["phases"]["dns_ms"] == doctest::Approx(0.01));
  CHECK(conn["phases"]["tcp_ms"] == doctest::Approx(0.2));
  CHECK(conn["phases"]["tls_ms"].is_null());
  CHECK(conn["phases"]["upgrade_ms"] == doctest::Approx(1.5));
  CHECK(conn["close"] == nlohmann::json{{"code", 1000}, {"reason", ""}, {"by_peer", false}});
  CHECK(conn["subprotocol"] == "");
  CHECK(conn["messages_received"] == 1);
  CHECK(conn["last_frames"] == nlohmann::json::array());

  const auto& fail = j["scenarios"][1];
  CHECK(fail["name"] == kNastyName);  // JSON keeps every character, escaped
  CHECK(fail["status"] == "failed");
  CHECK(fail["failed_step"] == 2);  // 1-based, as the console prints "step 2"
  CHECK(fail["diagnosis"]["class"] == "message_timeout");
  CHECK(fail["diagnosis"]["headline"] == kNastyHeadline);
  CHECK(fail["diagnosis"]["hint"] == "check the server's handler & <retry>");
  CHECK(fail["diagnosis"]["details"].size() == 2);
  CHECK(fail["steps"][1]["status"] == "failed");
  CHECK(fail["steps"][1]["diagnosis"]["class"] == "message_timeout");
  CHECK(fail["steps"][2]["status"] == "not_run");
  CHECK(fail["connections"][0]["close"].is_null());
  CHECK(fail["connections"][0]["subprotocol"] == "chat");
  CHECK(fail["connections"][0]["last_frames"][1] == "bin \xEF\xBF\xBD\xEF\xBF\xBD end");  // invalid UTF-8 replaced

  const auto& skipped = j["scenarios"][2];
  CHECK(skipped["status"] == "not_run");
  CHECK(skipped["not_run_reason"] == "--fail-fast: an earlier scenario failed");
  CHECK(skipped["steps"] == nlohmann::json::array());
  CHECK(skipped["connections"] == nlohmann::json::array());
}

TEST_CASE("JUnit report: counts, one testcase per scenario, escaping") {
  TempDir dir;
  const std::string path = dir.file("junit.xml");
  JunitReporter reporter(path, meta());
  run(reporter);
  CHECK(reporter.error().empty());
  const std::string xml = read_file(path);

  CHECK(starts_with(xml, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites"));
  CHECK(contains(xml, "<testsuite name=\"wscheck\" tests=\"3\" failures=\"1\" errors=\"0\" skipped=\"1\" time=\"0.851\""));
  CHECK(contains(xml, "timestamp=\"2026-01-02T03:04:05Z\""));
  CHECK(contains(xml, "<property name=\"wscheck.version\" value=\"0.1.0\"/>"));
  CHECK(contains(xml, "<testcase classname=\"scenarios/connect_with_token.json\" name=\"connect with token\" time=\"0.012\""));

  // The nasty name: every special character escaped, \x01 stripped, UTF-8 kept.
  CHECK(contains(xml, "name=\"weird &amp; &lt;name&gt; &quot;quoted&quot; &apos;single&apos;  ünïcødé ✓ #1\""));
  CHECK_FALSE(contains(xml, "<name>"));
  CHECK_FALSE(contains(xml, "<done>"));
  CHECK_FALSE(has_xml_forbidden_byte(xml));
  CHECK(is_valid_utf8(xml));

  // failure: message="class: headline" (newline as a character reference), type=class
  CHECK(contains(xml, "<failure message=\"message_timeout: no message matching {&quot;type&quot;:&quot;&lt;done&gt;&quot;} "
                      "&amp; 100% sure&#10;second line \" type=\"message_timeout\">"));
  CHECK(contains(xml, "step 2 at scenarios/x.json:5:5: expect {&quot;type&quot;:&quot;&lt;done&gt;&quot;}"));
  CHECK(contains(xml, "  closest: {&quot;type&quot;:&quot;&lt;almost&gt;&quot;}"));
  CHECK(contains(xml, "hint: check the server&apos;s handler &amp; &lt;retry&gt;"));

  CHECK(contains(xml, "<skipped message=\"not run: --fail-fast: an earlier scenario failed\"/>"));

  // system-out: phases per connection, a line per step
  CHECK(contains(xml, "<system-out>connection default ws://127.0.0.1:4000/ws?token=***: dns 0.0 ms · tcp 0.2 ms · upgrade 1.5 ms"));
  CHECK(contains(xml, "step 2 ping: passed in 0.4 ms, rtt 0.1 ms"));
  CHECK(contains(xml, "closed 1000 by the client"));
  CHECK(contains(xml, "last frames received on default:"));

  size_t testcases = 0;
  for (size_t at = xml.find("<testcase "); at != std::string::npos; at = xml.find("<testcase ", at + 1)) ++testcases;
  CHECK(testcases == 3);
  size_t opened = 0, closed = 0;
  for (size_t at = xml.find("<testcase"); at != std::string::npos; at = xml.find("<testcase", at + 1)) ++opened;
  for (size_t at = xml.find("</testcase>"); at != std::string::npos; at = xml.find("</testcase>", at + 1)) ++closed;
  CHECK(opened == closed);

  // Well-formed by a real parser when one is installed (libxml2-utils).
  if (std::system("command -v xmllint >/dev/null 2>&1") == 0) {
    CHECK(std::system(("xmllint --noout '" + path + "'").c_str()) == 0);
  }
}

TEST_CASE("TAP 14 report: line structure, YAML blocks, SKIP") {
  TempDir dir;
  const std::string path = dir.file("report.tap");
  TapReporter reporter(path);
  run(reporter);
  CHECK(reporter.error().empty());
  const std::string tap = read_file(path);
  CHECK(is_valid_utf8(tap));
  const auto lines = lines_of(tap);
  REQUIRE(lines.size() > 4);
  CHECK(lines[0] == "TAP version 14");
  CHECK(lines[1] == "1..3");

  std::vector<std::string> points;
  for (size_t i = 2; i < lines.size(); ++i) {
    const std::string& l = lines[i];
    if (starts_with(l, "ok ") || starts_with(l, "not ok ")) {
      points.push_back(l);
      continue;
    }
    if (l == "  ---") {
      // a YAML block: every line indented by two spaces, up to "  ..."
      size_t k = i + 1;
      while (k < lines.size() && lines[k] != "  ...") {
        CHECK_MESSAGE(starts_with(lines[k], "  "), lines[k]);
        CHECK_MESSAGE(lines[k].find('\x01') == std::string::npos, lines[k]);
        ++k;
      }
      REQUIRE_MESSAGE(k < lines.size(), "unterminated YAML block");
      i = k;
      continue;
    }
    CHECK_MESSAGE(starts_with(l, "# "), "unexpected TAP line: " << l);
  }
  REQUIRE(points.size() == 3);
  CHECK(points[0] == "ok 1 - connect with token");
  CHECK(points[1] == "not ok 2 - weird & <name> \"quoted\" 'single'   ünïcødé ✓ \\#1");
  CHECK(points[2] == "ok 3 - agent events # SKIP not run: --fail-fast: an earlier scenario failed");

  CHECK(contains(tap, "not ok 2 - weird & <name> \"quoted\" 'single'   ünïcødé ✓ \\#1\n  ---\n  class: message_timeout\n"));
  CHECK(contains(tap, "  message: \"no message matching {\\\"type\\\":\\\"<done>\\\"} & 100% sure\\nsecond line \\u0001\"\n"));
  CHECK(contains(tap, "  at: \"scenarios/x.json:5:5\"\n  step: 2\n"));
  CHECK(contains(tap, "  duration_ms: 801.250\n"));
  CHECK(contains(tap, "  phases:\n    \"default\":\n      dns_ms: 0.020\n      tcp_ms: 0.300\n      upgrade_ms: 0.900\n"));
  CHECK(contains(tap, "  hint: \"check the server's handler & <retry>\"\n"));
  CHECK(contains(tap, "  details:\n    - \"closest: {\\\"type\\\":\\\"<almost>\\\"}\"\n    - \"ctl \\u0002 and ünï\"\n"));
  CHECK(contains(tap, "# 1 passed, 1 failed, 1 not run in 850 ms\n"));
  CHECK_FALSE(contains(tap, "Bail out!"));
}

TEST_CASE("TAP: an interrupted run bails out; no scenarios is a skipped plan") {
  TempDir dir;
  RunSummary s = summary();
  s.interrupted = true;
  TapReporter interrupted(dir.file("a.tap"));
  run(interrupted, results(), s);
  CHECK(contains(read_file(dir.file("a.tap")), "\nBail out! the run was interrupted\n"));

  TapReporter empty(dir.file("b.tap"));
  run(empty, {}, RunSummary{});
  CHECK(starts_with(read_file(dir.file("b.tap")), "TAP version 14\n1..0 # SKIP no scenarios were selected\n"));
}

TEST_CASE("a report that cannot be written says so and leaves no temporary file") {
  TempDir dir;
  const std::string path = dir.file("missing-dir/report.json");
  JsonReporter reporter(path, meta());
  run(reporter);
  CHECK(contains(reporter.error(), "missing-dir/report.json.tmp"));
  CHECK_FALSE(std::filesystem::exists(path + ".tmp"));

  std::vector<std::unique_ptr<Reporter>> reporters;
  reporters.push_back(std::make_unique<JsonReporter>(path, meta()));
  run(*reporters[0]);
  auto errors = report_errors(reporters);
  REQUIRE(errors.size() == 1);
  CHECK(starts_with(errors[0], "JSON report: "));
}

TEST_CASE("an existing report is replaced whole") {
  TempDir dir;
  const std::string path = dir.file("r.tap");
  { std::ofstream(path) << std::string(10000, 'x'); }
  TapReporter reporter(path);
  run(reporter);
  const std::string tap = read_file(path);
  CHECK(starts_with(tap, "TAP version 14\n"));
  CHECK(tap.find('x' + std::string(20, 'x')) == std::string::npos);
}

TEST_CASE("GitHub annotations: one ::error per failed scenario, workflow-command escaping") {
  ScenarioResult fail = failed_scenario();
  fail.steps[1].where.file = "dir,with:odd%chars/x.json";
  const std::string line = GithubReporter::annotation(fail);
  CHECK(starts_with(line, "::error file=dir%2Cwith%3Aodd%25chars/x.json,line=5,col=5,title=wscheck message_timeout::"));
  CHECK(contains(line, "::no message matching {\"type\":\"<done>\"} & 100%25 sure%0Asecond line \x01%0Ascenario \""));
  CHECK(contains(line, "%0Ahint: check the server's handler & <retry>\n"));
  CHECK(line.find('\n') == line.size() - 1);  // one line
  CHECK(GithubReporter::annotation(passed_scenario()).empty());
  CHECK(GithubReporter::annotation(not_run_scenario()).empty());

  TempDir dir;
  const std::string out_path = dir.file("stdout.txt");
  const std::string summary_path = dir.file("summary.md");
  { std::ofstream(summary_path) << "earlier step\n"; }
  std::FILE* out = std::fopen(out_path.c_str(), "w");
  REQUIRE(out != nullptr);
  {
    GithubReporter reporter(out, summary_path);
    run(reporter);
    CHECK(reporter.error().empty());
  }
  std::fclose(out);
  const std::string printed = read_file(out_path);
  CHECK(lines_of(printed).size() == 1);
  CHECK(starts_with(printed, "::error file=scenarios/x.json,line=5,col=5,title=wscheck message_timeout::"));

  const std::string md = read_file(summary_path);
  CHECK(starts_with(md, "earlier step\n### wscheck: 1 passed, 1 failed, 1 not run in 850 ms\n"));  // appended
  CHECK(contains(md, "| scenario | status | time | diagnosis |\n| --- | --- | --- | --- |\n"));
  CHECK(contains(md, "| connect with token | ✅ passed | 12.3 ms |  |\n"));
  CHECK(contains(md, "| weird &amp; &lt;name&gt; \"quoted\" 'single'  ünïcødé ✓ #1 | ❌ failed | 801 ms | `message_timeout`: "
                     "no message matching {\"type\":\"&lt;done&gt;\"} &amp; 100% sure<br>second line <br>step 2 at scenarios/x.json:5:5 |\n"));
  CHECK(contains(md, "| agent events | ⏭️ not run | 0.0 ms | --fail-fast: an earlier scenario failed |\n"));
}

TEST_CASE("make_reporters builds only what was asked; check_report_options catches bad paths") {
  TempDir dir;
  ReportOptions none;
  CHECK(make_reporters(none).empty());
  CHECK(check_report_options(none).empty());

  ReportOptions all;
  all.json_path = dir.file("r.json");
  all.junit_path = dir.file("r.xml");
  all.tap_path = "-";
  all.meta = meta();
  CHECK(check_report_options(all).empty());
  auto reporters = make_reporters(all);
  REQUIRE(reporters.size() == 3);
  CHECK(dynamic_cast<JsonReporter*>(reporters[0].get()) != nullptr);
  CHECK(dynamic_cast<JunitReporter*>(reporters[1].get()) != nullptr);
  CHECK(dynamic_cast<TapReporter*>(reporters[2].get()) != nullptr);

  ReportOptions json_stdout;
  json_stdout.json_path = "-";
  CHECK(contains(check_report_options(json_stdout), "only supported for --report-tap"));
  ReportOptions same;
  same.json_path = same.tap_path = dir.file("same");
  CHECK(contains(check_report_options(same), "--report-json and --report-tap both write"));
  ReportOptions missing;
  missing.junit_path = dir.file("nope/r.xml");
  CHECK(contains(check_report_options(missing), "does not exist"));
  ReportOptions is_dir;
  is_dir.tap_path = dir.path.string();
  CHECK(contains(check_report_options(is_dir), "is a directory"));

  ReportOptions github;
  github.github = true;
  auto gh = make_reporters(github);
  REQUIRE(gh.size() == 1);
  CHECK(dynamic_cast<GithubReporter*>(gh[0].get()) != nullptr);
}

}  // TEST_SUITE
