#include "report/bench_json.h"

#include <cmath>

namespace wscheck {

namespace {

using ojson = nlohmann::ordered_json;

#define WSCHECK_COUNTER_FIELDS(X)                                                                        \
  X(messages_sent) X(messages_received) X(bytes_sent) X(bytes_received) X(iterations) X(iterations_failed) \
  X(connections_opened) X(connections_failed) X(errors)

ojson counters_to_json(const BenchCounters& c) {
  ojson j;
#define X(f) j[#f] = c.f;
  WSCHECK_COUNTER_FIELDS(X)
#undef X
  return j;
}

bool counters_from_json(const nlohmann::json& j, BenchCounters& c, std::string& error) {
#define X(f)                                                                    \
  if (!j.contains(#f) || !j[#f].is_number_unsigned()) {                         \
    error = std::string("counter \"") + #f + "\" is missing or not a count";    \
    return false;                                                               \
  }                                                                             \
  c.f = j[#f].get<std::uint64_t>();
  WSCHECK_COUNTER_FIELDS(X)
#undef X
  return true;
}

double round3(double v) { return std::isfinite(v) ? std::round(v * 1000.0) / 1000.0 : 0.0; }

ojson summary_of(const Histogram& h) {
  return ojson{{"count", h.count()},          {"p50", h.percentile(0.5)},   {"p90", h.percentile(0.9)},
               {"p99", h.percentile(0.99)},   {"p999", h.percentile(0.999)}, {"max", h.max()},
               {"mean", round3(h.mean())}};
}

}  // namespace

namespace {
bool read_report(const nlohmann::json& j, BenchReport& out, std::string& error);
}  // namespace

nlohmann::ordered_json bench_to_json(const BenchReport& r) {
  ojson j;
  j["format"] = "wscheck-bench";
  j["version"] = 1;
  j["mode"] = r.mode;
  j["target"] = r.target;
  j["segments"] = r.segments;
  j["threads"] = r.threads;
  j["vus"] = r.vus;
  j["requested_rate"] = r.requested_rate;
  j["duration_s"] = r.duration_s;
  j["totals"] = counters_to_json(r.totals);
  j["rates"] = {{"messages_received_per_s", round3(r.rate(r.totals.messages_received))},
                {"messages_sent_per_s", round3(r.rate(r.totals.messages_sent))},
                {"bytes_received_per_s", round3(r.rate(r.totals.bytes_received))},
                {"bytes_sent_per_s", round3(r.rate(r.totals.bytes_sent))},
                {"iterations_per_s", round3(r.rate(r.totals.iterations))}};
  j["error_rate"] = r.error_rate();
  ojson pct = ojson::object();
  for (const auto& [name, h] : r.histograms) pct[name] = summary_of(h);
  j["percentiles_us"] = pct;
  ojson failures = ojson::object();
  for (const auto& [cls, f] : r.failures) failures[cls] = {{"count", f.count}, {"example", f.example}};
  j["failures"] = failures;
  j["limits"] = r.limits;
  ojson hist = ojson::object();
  for (const auto& [name, h] : r.histograms) hist[name] = h.to_json();
  j["histograms"] = hist;
  ojson series = ojson::array();
  for (const auto& s : r.series) {
    ojson e{{"t", s.t}, {"active", s.active}, {"p50_us", s.latency.percentile(0.5)}, {"p99_us", s.latency.percentile(0.99)}};
    e["counters"] = counters_to_json(s.counters);
    e["latency"] = s.latency.to_json();
    series.push_back(std::move(e));
  }
  j["series"] = series;
  return j;
}

bool bench_from_json(const nlohmann::json& j, BenchReport& out, std::string& error) {
  try {
    return read_report(j, out, error);
  } catch (const nlohmann::json::exception& e) {
    error = std::string("malformed bench report: ") + e.what();
    return false;
  }
}

namespace {

bool read_report(const nlohmann::json& j, BenchReport& out, std::string& error) {
  out = BenchReport{};
  if (!j.is_object() || j.value("format", "") != "wscheck-bench") {
    error = "not a wscheck bench report (no \"format\": \"wscheck-bench\")";
    return false;
  }
  if (j.value("version", 0) != 1) {
    error = "unsupported bench report version (this wscheck reads version 1)";
    return false;
  }
  try {
    out.mode = j.at("mode").get<std::string>();
    out.target = j.at("target").get<std::string>();
    out.segments = j.at("segments").get<std::vector<std::string>>();
    out.threads = j.at("threads").get<unsigned>();
    out.vus = j.at("vus").get<unsigned>();
    out.requested_rate = j.at("requested_rate").get<double>();
    out.duration_s = j.at("duration_s").get<double>();
    out.limits = j.at("limits").get<std::vector<std::string>>();
    for (const auto& [cls, f] : j.at("failures").items())
      out.failures[cls] = FailureTally{f.at("count").get<std::uint64_t>(), f.at("example").get<std::string>()};
  } catch (const nlohmann::json::exception& e) {
    error = std::string("malformed bench report: ") + e.what();
    return false;
  }
  if (!counters_from_json(j["totals"], out.totals, error)) return false;
  if (!j.contains("histograms") || !j["histograms"].is_object() || !j.contains("series") || !j["series"].is_array()) {
    error = "a bench report needs \"histograms\" and \"series\"";
    return false;
  }
  for (const auto& [name, h] : j["histograms"].items())
    if (!Histogram::from_json(h, out.histograms[name], error)) {
      error = "histogram \"" + name + "\": " + error;
      return false;
    }
  for (const auto& e : j["series"]) {
    if (!e.is_object() || !e.contains("t") || !e["t"].is_number_integer() || e["t"].get<std::int64_t>() < 0 ||
        e["t"].get<std::int64_t>() > 1000000) {
      error = "a series entry needs a whole second \"t\" between 0 and 10^6";
      return false;
    }
    BenchSecond& s = out.second(e["t"].get<std::int64_t>());
    if (!counters_from_json(e.value("counters", nlohmann::json::object()), s.counters, error)) return false;
    s.active = e.value("active", std::uint64_t{0});
    if (!Histogram::from_json(e.value("latency", nlohmann::json::object()), s.latency, error)) return false;
  }
  return true;
}

}  // namespace

}  // namespace wscheck
