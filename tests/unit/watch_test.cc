// Unit tests for src/watch/: durations, schedule, histograms, the
// exposition format, scenario state changes and the status page.
#include <doctest/doctest.h>

#include <string>

#include "test_util.h"
#include "watch/duration.h"
#include "watch/exposition.h"
#include "watch/metrics_page.h"
#include "watch/probe_page.h"
#include "watch/schedule.h"
#include "watch/scenario_stats.h"
#include "watch/status_page.h"

using namespace wscheck;
using wscheck_test::contains;

namespace {

RunOutcome passed(double seconds) {
  RunOutcome o;
  o.passed = true;
  o.duration_s = seconds;
  o.tcp_s = 0.0002;
  o.upgrade_s = 0.001;
  o.upgrade_status = 101;
  o.steps.push_back(StepTiming{"agent done", 0.03});
  o.ping_rtts_s.push_back(0.0001);
  return o;
}

RunOutcome failed(const std::string& cls, const std::string& line) {
  RunOutcome o;
  o.duration_s = 0.002;
  o.failure_class = cls;
  o.failure_line = line;
  return o;
}

}  // namespace

TEST_SUITE("watch") {

TEST_CASE("durations: units, bare seconds, and refusals") {
  std::string e;
  CHECK(parse_duration_us("30s", e) == 30000000);
  CHECK(parse_duration_us("10ms", e) == 10000);
  CHECK(parse_duration_us("5m", e) == 300000000);
  CHECK(parse_duration_us("1h", e) == 3600000000LL);
  CHECK(parse_duration_us("2", e) == 2000000);
  CHECK(parse_duration_us("0.5s", e) == 500000);
  CHECK_FALSE(parse_duration_us("fast", e));
  CHECK(contains(e, "250ms"));
  CHECK_FALSE(parse_duration_us("10 parsecs", e));
  CHECK_FALSE(parse_duration_us("9000h", e));
  CHECK(format_duration_us(30000000) == "30 s");
  CHECK(format_duration_us(10000) == "10 ms");
}

TEST_CASE("--interval takes a default or NAME=DURATION; the name may hold '='-free globs") {
  std::string e;
  auto d = parse_interval_spec("30s", e);
  REQUIRE(d);
  CHECK(d->scenario.empty());
  CHECK(d->interval_us == 30000000);
  auto named = parse_interval_spec("agent*=5s", e);
  REQUIRE(named);
  CHECK(named->scenario == "agent*");
  CHECK(named->interval_us == 5000000);
  CHECK_FALSE(parse_interval_spec("=5s", e));
  CHECK_FALSE(parse_interval_spec("0ms", e));
}

TEST_CASE("schedule: fixed grid, jitter bounded, a stalled loop does not cause a burst") {
  Schedule plain(1000000, 0.0, 1);
  CHECK(plain.start(0) == 0);
  CHECK(plain.next(0) == 1000000);  // the first tick fired on time
  // the tick fired 300 ms late (a slow run held the loop): the next is still on the grid
  CHECK(plain.next(1300000) == 700000);
  CHECK(plain.next(2000000) == 1000000);
  // the loop stalled for 10 intervals: no catch-up burst, the grid restarts from now
  CHECK(plain.next(13000000) == 0);
  CHECK(plain.next(13000000) == 1000000);

  Schedule jittered(1000000, 0.1, 7);
  for (int i = 0; i < 100; ++i) {
    auto d = jittered.next(std::int64_t(i + 1) * 1000000);
    CHECK(d >= 0);
    CHECK(d <= 100000);
  }
}

TEST_CASE("histogram buckets are cumulative and +Inf is the count") {
  BucketHistogram h;
  h.observe(0.0004);
  h.observe(0.003);
  h.observe(100);
  CHECK(h.cumulative(0) == 1);    // <= 0.5 ms
  CHECK(h.cumulative(3) == 2);    // <= 5 ms
  CHECK(h.cumulative(BucketHistogram::kBounds.size() - 1) == 2);  // 100 s is beyond the last bound
  CHECK(h.count() == 3);
  CHECK(h.sum() == doctest::Approx(100.0034));
}

TEST_CASE("exposition escapes label values and writes histograms the 0.0.4 way") {
  CHECK(Exposition::escape_label("a\"b\\c\nd") == "a\\\"b\\\\c\\nd");
  Exposition e;
  e.family("x_seconds", "histogram", "help with \\ and\nnewline");
  BucketHistogram h;
  h.observe(0.2);
  e.histogram("x_seconds", {{"scenario", "q\"uote"}}, h);
  const std::string& t = e.text();
  CHECK(contains(t, "# HELP x_seconds help with \\\\ and\\nnewline\n"));
  CHECK(contains(t, "# TYPE x_seconds histogram\n"));
  CHECK(contains(t, "x_seconds_bucket{scenario=\"q\\\"uote\",le=\"0.1\"} 0\n"));
  CHECK(contains(t, "x_seconds_bucket{scenario=\"q\\\"uote\",le=\"0.25\"} 1\n"));
  CHECK(contains(t, "x_seconds_bucket{scenario=\"q\\\"uote\",le=\"+Inf\"} 1\n"));
  CHECK(contains(t, "x_seconds_count{scenario=\"q\\\"uote\"} 1\n"));
}

TEST_CASE("state changes: first result, down once, recovered after N failed runs") {
  ScenarioStats s("echo", 3);
  auto first = s.record(passed(0.01), 100);
  REQUIRE(first);
  CHECK(first->kind == StateChange::Kind::kUp);
  CHECK_FALSE(s.record(passed(0.01), 101));
  auto down = s.record(failed("tcp_refused", "connection refused by 127.0.0.1:1"), 102);
  REQUIRE(down);
  CHECK(down->kind == StateChange::Kind::kDown);
  CHECK(down->failure_class == "tcp_refused");
  CHECK_FALSE(s.record(failed("tcp_refused", "again"), 103));  // still down: no new line
  CHECK(s.consecutive_failures() == 2);
  auto back = s.record(passed(0.01), 110);
  REQUIRE(back);
  CHECK(back->kind == StateChange::Kind::kRecovered);
  CHECK(back->failed_runs == 2);
  CHECK(back->down_for_s == doctest::Approx(8));
  CHECK(s.failures_by_class().at("tcp_refused") == 2);
  CHECK(s.history().size() == 3);  // the ring keeps only the last 3
  CHECK(*s.last_success_s() == doctest::Approx(110));
}

TEST_CASE("step series per scenario are capped") {
  ScenarioStats s("many steps", 5);
  RunOutcome o = passed(0.01);
  o.steps.clear();
  for (int i = 0; i < 100; ++i) o.steps.push_back(StepTiming{"step " + std::to_string(i), 0.001});
  s.record(o, 1);
  CHECK(s.steps().size() == ScenarioStats::kMaxStepSeries);
}

TEST_CASE("/metrics has the documented families, up and failure class") {
  ScenarioStats up("echo", 5), down("agent \"events\"", 5);
  up.record(passed(0.02), 1000);
  down.record(failed("message_timeout", "no agent_completed"), 1000);
  up.record_overrun();
  MonitorView v;
  v.build = BuildInfo{"0.1.0", "4.1.6", "OpenSSL 3"};
  v.scenarios = {ScenarioView{&up, 30}, ScenarioView{&down, 5}};
  v.certs = {CertStatus{"example.test:443", true, 1.9e9}};
  std::string t = render_metrics(v);
  CHECK(contains(t, "wscheck_build_info{version=\"0.1.0\",libwebsockets=\"4.1.6\",openssl=\"OpenSSL 3\"} 1\n"));
  CHECK(contains(t, "wscheck_up{scenario=\"echo\"} 1\n"));
  CHECK(contains(t, "wscheck_up{scenario=\"agent \\\"events\\\"\"} 0\n"));
  CHECK(contains(t, "wscheck_runs_total{scenario=\"echo\",result=\"passed\"} 1\n"));
  CHECK(contains(t, "wscheck_failures_total{scenario=\"agent \\\"events\\\"\",class=\"message_timeout\"} 1\n"));
  CHECK(contains(t, "wscheck_last_failure_info{scenario=\"agent \\\"events\\\"\",class=\"message_timeout\"} 1\n"));
  CHECK(contains(t, "wscheck_overruns_total{scenario=\"echo\"} 1\n"));
  CHECK(contains(t, "wscheck_last_success_timestamp_seconds{scenario=\"echo\"} 1000\n"));
  CHECK(contains(t, "wscheck_connect_phase_duration_seconds_bucket{scenario=\"echo\",phase=\"upgrade\",le=\"0.001\"} 1\n"));
  CHECK(contains(t, "wscheck_step_duration_seconds_count{scenario=\"echo\",step=\"agent done\"} 1\n"));
  CHECK(contains(t, "wscheck_ping_rtt_seconds_count{scenario=\"echo\"} 1\n"));
  CHECK(contains(t, "wscheck_tls_cert_expiry_timestamp_seconds{target=\"example.test:443\"} 1900000000\n"));
}

TEST_CASE("long label values are cut on a UTF-8 boundary") {
  std::string name(119, 'a');
  name += "é and more";
  std::string cut = bounded_label(name);
  CHECK(cut.size() <= 124);
  CHECK(cut.substr(0, 119) == std::string(119, 'a'));
  CHECK(cut.substr(119) == "...");  // the two-byte é would straddle the limit: dropped whole
}

TEST_CASE("/probe answers like blackbox_exporter") {
  std::string ok = render_probe(passed(0.05), "echo");
  CHECK(contains(ok, "probe_success 1\n"));
  CHECK(contains(ok, "probe_http_status_code 101\n"));
  CHECK(contains(ok, "probe_phase_duration_seconds{phase=\"upgrade\"} 0.001\n"));
  CHECK_FALSE(contains(ok, "probe_failure_info{"));
  std::string bad = render_probe(failed("tcp_refused", "refused"), "echo");
  CHECK(contains(bad, "probe_success 0\n"));
  CHECK(contains(bad, "probe_failure_info{class=\"tcp_refused\"} 1\n"));
}

TEST_CASE("status page: names, UP/DOWN, escaped failure line, a chart, no external asset") {
  ScenarioStats up("echo", 5), down("<script>", 5);
  up.record(passed(0.02), 1000);
  up.record(passed(0.03), 1001);
  down.record(failed("tcp_refused", "refused <b>here</b>"), 1000);
  MonitorView v;
  v.scenarios = {ScenarioView{&up, 30}, ScenarioView{&down, 30}};
  std::string html = render_status_page(v, 1010);
  CHECK(contains(html, "<tr class=\"scenario up\" data-scenario=\"echo\">"));
  CHECK(contains(html, "<td class=\"state\">DOWN</td>"));
  CHECK(contains(html, "&lt;script&gt;"));
  CHECK_FALSE(contains(html, "<script>"));
  CHECK(contains(html, "refused &lt;b&gt;here&lt;/b&gt;"));
  CHECK(contains(html, "<polyline"));
  CHECK(contains(html, "9 s ago"));
  CHECK_FALSE(contains(html, "src=\"http"));
  CHECK_FALSE(contains(html, "href=\"http"));
}

}  // TEST_SUITE
