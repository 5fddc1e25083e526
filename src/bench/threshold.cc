#include "bench/threshold.h"

#include <cctype>
#include <charconv>
#include <cmath>
#include <map>

namespace wscheck {

namespace {

const char* kGrammar =
    "expected METRIC OP VALUE, e.g. step_p99<50ms, error_rate<0.1%, msg_rate>20000 "
    "(latency names: step rtt dns tcp tls upgrade iteration start_lag with _p50 _p90 _p95 _p99 _p999 _max _mean; "
    "rates: msg_rate msg_sent_rate iteration_rate byte_rate; error_rate; counts: errors iterations messages; "
    "OP: < <= > >=)";

const std::map<std::string, std::string> kLatencyNames = {
    {"step", "latency"}, {"rtt", "latency"},     {"dns", "dns"},         {"tcp", "tcp"},
    {"tls", "tls"},      {"upgrade", "upgrade"}, {"iteration", "iteration"}, {"start_lag", "start_lag"},
};
const std::map<std::string, double> kStats = {{"p50", 0.5},    {"p90", 0.9},   {"p95", 0.95},  {"p99", 0.99},
                                              {"p999", 0.999}, {"max", 1.0},   {"mean", -1.0}};

bool split_latency(const std::string& metric, std::string& name, std::string& stat) {
  size_t us = metric.rfind('_');
  if (us == std::string::npos) return false;
  name = metric.substr(0, us);
  stat = metric.substr(us + 1);
  return kLatencyNames.count(name) && kStats.count(stat);
}

}  // namespace

std::optional<Threshold> parse_threshold(const std::string& text, std::string& error) {
  Threshold t;
  t.text = text;
  size_t i = 0;
  auto skip = [&] { while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i; };
  skip();
  size_t m = i;
  while (i < text.size() && (std::isalnum(static_cast<unsigned char>(text[i])) || text[i] == '_')) ++i;
  t.metric = text.substr(m, i - m);
  skip();
  if (i < text.size() && (text[i] == '<' || text[i] == '>')) {
    t.op = text[i++];
    if (i < text.size() && text[i] == '=') t.op += text[i++];
  }
  skip();
  std::string rest = text.substr(i);
  while (!rest.empty() && std::isspace(static_cast<unsigned char>(rest.back()))) rest.pop_back();
  if (t.metric.empty() || t.op.empty() || rest.empty()) {
    error = "threshold \"" + text + "\": " + kGrammar;
    return std::nullopt;
  }
  double value = 0;
  auto [end, ec] = std::from_chars(rest.data(), rest.data() + rest.size(), value);
  if (ec != std::errc() || !std::isfinite(value) || value < 0) {
    error = "threshold \"" + text + "\": \"" + rest + "\" is not a non-negative number; " + kGrammar;
    return std::nullopt;
  }
  std::string unit(end, static_cast<const char*>(rest.data() + rest.size()));
  std::string name, stat;
  auto bad_unit = [&](const std::string& allowed) {
    error = "threshold \"" + text + "\": unit \"" + unit + "\" does not fit " + t.metric + " (use " + allowed + ")";
    return std::nullopt;
  };
  if (split_latency(t.metric, name, stat)) {
    t.kind = Threshold::Kind::kLatency;
    if (unit == "us") t.limit = value;
    else if (unit == "ms") t.limit = value * 1e3;
    else if (unit == "s") t.limit = value * 1e6;
    else return bad_unit("us, ms or s, e.g. 50ms");
  } else if (t.metric == "msg_rate" || t.metric == "msg_sent_rate" || t.metric == "iteration_rate" ||
             t.metric == "byte_rate") {
    t.kind = Threshold::Kind::kRate;
    if (!unit.empty() && unit != "/s") return bad_unit("a number per second, e.g. 20000 or 20000/s");
    t.limit = value;
  } else if (t.metric == "error_rate") {
    t.kind = Threshold::Kind::kRatio;
    if (unit == "%") t.limit = value / 100.0;
    else if (unit.empty()) t.limit = value;
    else return bad_unit("a fraction or a percentage, e.g. 0.001 or 0.1%");
  } else if (t.metric == "errors" || t.metric == "iterations" || t.metric == "messages") {
    t.kind = Threshold::Kind::kCount;
    if (!unit.empty()) return bad_unit("a plain count");
    t.limit = value;
  } else {
    error = "threshold \"" + text + "\": unknown metric \"" + t.metric + "\"; " + kGrammar;
    return std::nullopt;
  }
  return t;
}

double metric_value(const Threshold& t, const BenchReport& r) {
  std::string name, stat;
  if (split_latency(t.metric, name, stat)) {
    const Histogram& h = r.histogram(kLatencyNames.at(name));
    double q = kStats.at(stat);
    return q < 0 ? h.mean() : static_cast<double>(h.percentile(q));
  }
  if (t.metric == "msg_rate") return r.rate(r.totals.messages_received);
  if (t.metric == "msg_sent_rate") return r.rate(r.totals.messages_sent);
  if (t.metric == "iteration_rate") return r.rate(r.totals.iterations);
  if (t.metric == "byte_rate") return r.rate(r.totals.bytes_received);
  if (t.metric == "error_rate") return r.error_rate();
  if (t.metric == "errors") return static_cast<double>(r.totals.errors);
  if (t.metric == "iterations") return static_cast<double>(r.totals.iterations);
  if (t.metric == "messages") return static_cast<double>(r.totals.messages_received);
  return 0;
}

std::vector<Verdict> evaluate(const std::vector<Threshold>& thresholds, const BenchReport& report) {
  std::vector<Verdict> out;
  for (const Threshold& t : thresholds) {
    Verdict v{&t, metric_value(t, report), false, false};
    std::string name, stat;
    if (split_latency(t.metric, name, stat) && report.histogram(kLatencyNames.at(name)).count() == 0) {
      v.no_data = true;  // nothing measured proves nothing: the threshold fails
      out.push_back(v);
      continue;
    }
    if (t.op == "<") v.passed = v.actual < t.limit;
    else if (t.op == "<=") v.passed = v.actual <= t.limit;
    else if (t.op == ">") v.passed = v.actual > t.limit;
    else v.passed = v.actual >= t.limit;
    out.push_back(v);
  }
  return out;
}

}  // namespace wscheck
