// bench/: thresholds, load splitting, report merge and its JSON round trip.
#include <doctest/doctest.h>

#include "bench/bench_report.h"
#include "bench/echo_payload.h"
#include "bench/load_plan.h"
#include "bench/threshold.h"
#include "report/bench_json.h"

using namespace wscheck;

namespace {

BenchReport sample(std::uint64_t seed, const std::string& segment) {
  BenchReport r;
  r.mode = "closed";
  r.target = "ws://127.0.0.1:1/ws";
  r.segments = {segment};
  r.threads = 2;
  r.vus = 3;
  r.duration_s = 2.0 + static_cast<double>(seed);
  r.totals.iterations = 10 * seed;
  r.totals.messages_received = 100 * seed;
  r.totals.errors = seed;
  for (std::int64_t v = 100; v < 100000; v = v * 2 + static_cast<std::int64_t>(seed)) r.histograms[kLatency].record(v);
  r.histograms["tcp"].record(static_cast<std::int64_t>(50 + seed));
  r.add_failure("tcp_refused", "connection refused " + std::to_string(seed), seed);
  for (std::int64_t t = 0; t < 3; ++t) {
    BenchSecond& s = r.second(t);
    s.counters.messages_received = static_cast<std::uint64_t>(t) + seed;
    s.active = seed;
    s.latency.record(1000 * (t + 1));
  }
  return r;
}

Threshold parse_ok(const std::string& text) {
  std::string error;
  auto t = parse_threshold(text, error);
  REQUIRE_MESSAGE(t.has_value(), error);
  return *t;
}

}  // namespace

TEST_CASE("threshold: the documented forms parse with their units") {
  CHECK(parse_ok("step_p99<50ms").limit == 50000);
  CHECK(parse_ok("rtt_p999 <= 2s").limit == 2000000);
  CHECK(parse_ok("error_rate<0.1%").limit == doctest::Approx(0.001));
  CHECK(parse_ok("error_rate<0.01").limit == doctest::Approx(0.01));
  CHECK(parse_ok("msg_rate>20000").limit == 20000);
  CHECK(parse_ok("msg_rate>=20000/s").op == ">=");
  CHECK(parse_ok("upgrade_max<800us").limit == 800);
}

TEST_CASE("threshold: bad ones are refused with a sentence naming the problem") {
  std::string error;
  CHECK_FALSE(parse_threshold("step_p99", error));
  CHECK(error.find("METRIC OP VALUE") != std::string::npos);
  CHECK_FALSE(parse_threshold("step_p98<5ms", error));
  CHECK(error.find("unknown metric") != std::string::npos);
  CHECK_FALSE(parse_threshold("step_p99<50", error));
  CHECK(error.find("unit") != std::string::npos);
  CHECK_FALSE(parse_threshold("msg_rate>fast", error));
  CHECK_FALSE(parse_threshold("error_rate<5ms", error));
  CHECK_FALSE(parse_threshold("errors<-1", error));
}

TEST_CASE("threshold: verdicts compare the report's numbers; no samples fails a latency") {
  BenchReport r;
  r.mode = "echo";
  r.vus = 10;
  r.duration_s = 2;
  r.totals.messages_received = 50000;
  r.totals.connections_opened = 10;
  r.histograms[kLatency].record(40000);
  std::vector<Threshold> ts = {parse_ok("step_p99<50ms"), parse_ok("msg_rate>20000"), parse_ok("error_rate<0.1%"),
                               parse_ok("msg_rate>30000"), parse_ok("tls_p99<1ms")};
  auto v = evaluate(ts, r);
  CHECK(v[0].passed);
  CHECK(v[1].passed);  // 25000/s
  CHECK(v[2].passed);
  CHECK_FALSE(v[3].passed);
  CHECK_FALSE(v[4].passed);
  CHECK(v[4].no_data);
  r.add_failure("mismatch", "x");
  r.totals.errors = 1;  // 1 of 10 connections
  CHECK_FALSE(evaluate({parse_ok("error_rate<0.1%")}, r)[0].passed);
}

TEST_CASE("load plan: shares of every lane add up; segments and durations parse") {
  for (std::uint64_t total : {0ull, 1ull, 7ull, 100ull, 1001ull}) {
    std::uint64_t sum = 0;
    for (unsigned lane = 0; lane < 6; ++lane) {
      CHECK(first_of(total, lane, 6) == sum);
      sum += share_of(total, lane, 6);
    }
    CHECK(sum == total);
  }
  std::string error;
  CHECK(parse_segment("2/4", error)->index == 2);
  CHECK_FALSE(parse_segment("0/4", error));
  CHECK_FALSE(parse_segment("5/4", error));
  CHECK_FALSE(parse_segment("2/", error));
  CHECK(*parse_duration("1.5s", error) == 1500000);
  CHECK(*parse_duration("2m", error) == 120000000);
  CHECK(*parse_duration("250ms", error) == 250000);
  CHECK_FALSE(parse_duration("soon", error));
  CHECK(*parse_rate("600/m", error) == doctest::Approx(10));
  CHECK_FALSE(parse_rate("0", error));
}

TEST_CASE("bench report: merging segments adds counts, histograms and series exactly") {
  BenchReport a = sample(1, "1/2"), b = sample(2, "2/2");
  BenchReport m;
  m.merge(a);
  m.merge(b);
  CHECK(m.totals.iterations == 30);
  CHECK(m.totals.messages_received == 300);
  CHECK(m.duration_s == 4.0);
  CHECK(m.segments == std::vector<std::string>{"1/2", "2/2"});
  Histogram all = a.histograms[kLatency];
  all.merge(b.histograms[kLatency]);
  CHECK(m.histograms[kLatency] == all);
  CHECK(m.failures["tcp_refused"].count == 3);
  CHECK(m.failures["tcp_refused"].example == "connection refused 1");
  REQUIRE(m.series.size() == 3);
  CHECK(m.series[2].counters.messages_received == 2 + 1 + 2 + 2);
  CHECK(m.series[1].active == 3);
  CHECK(m.series[0].latency.count() == 2);
}

TEST_CASE("bench report: JSON round trip is exact, and a merge of read-back files equals the merge in memory") {
  BenchReport a = sample(1, "1/2"), b = sample(3, "2/2");
  BenchReport a2, b2;
  std::string error;
  REQUIRE(bench_from_json(nlohmann::json::parse(bench_to_json(a).dump()), a2, error));
  REQUIRE(bench_from_json(nlohmann::json::parse(bench_to_json(b).dump()), b2, error));
  BenchReport direct, via;
  direct.merge(a);
  direct.merge(b);
  via.merge(a2);
  via.merge(b2);
  CHECK(bench_to_json(direct) == bench_to_json(via));
  CHECK_FALSE(bench_from_json(nlohmann::json{{"format", "other"}}, a2, error));
  nlohmann::json bad = bench_to_json(a);
  bad["totals"]["errors"] = -1;
  CHECK_FALSE(bench_from_json(bad, a2, error));
  CHECK(error.find("errors") != std::string::npos);
  bad = bench_to_json(a);
  bad["series"][0]["t"] = 99999999;
  CHECK_FALSE(bench_from_json(bad, a2, error));
}

TEST_CASE("echo payload: a corrupted byte, another connection or another sequence number is caught") {
  unsigned char buf[64];
  fill_echo_payload(buf, sizeof buf, 12345, 7);
  CHECK(first_echo_mismatch(buf, sizeof buf, 12345, 7) == sizeof buf);
  CHECK(first_echo_mismatch(buf, sizeof buf, 12346, 7) == 0);
  CHECK(first_echo_mismatch(buf, sizeof buf, 12345, 8) == 8);
  buf[40] ^= 1;
  CHECK(first_echo_mismatch(buf, sizeof buf, 12345, 7) == 40);
  unsigned char text[16];
  fill_echo_payload(text, sizeof text, 0xffffffffff, 3, 0x7f);
  for (unsigned char c : text) CHECK(c < 0x80);
}
