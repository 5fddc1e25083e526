#include "bench/bench_report.h"

#include <algorithm>

namespace wscheck {

BenchCounters& BenchCounters::operator+=(const BenchCounters& o) {
  messages_sent += o.messages_sent;
  messages_received += o.messages_received;
  bytes_sent += o.bytes_sent;
  bytes_received += o.bytes_received;
  iterations += o.iterations;
  iterations_failed += o.iterations_failed;
  connections_opened += o.connections_opened;
  connections_failed += o.connections_failed;
  errors += o.errors;
  return *this;
}

BenchSecond& BenchReport::second(std::int64_t t) {
  t = std::max<std::int64_t>(t, 0);
  while (series.empty() || series.back().t < t) {
    BenchSecond s;
    s.t = series.empty() ? 0 : series.back().t + 1;
    series.push_back(std::move(s));
  }
  return series[static_cast<std::size_t>(t - series.front().t)];
}

void BenchReport::add_failure(const std::string& cls, const std::string& example, std::uint64_t n) {
  FailureTally& f = failures[cls];
  if (f.example.empty()) f.example = example.substr(0, example.find('\n'));
  f.count += n;
}

void BenchReport::merge(const BenchReport& other) {
  if (mode.empty()) mode = other.mode;
  if (target.empty()) target = other.target;
  segments.insert(segments.end(), other.segments.begin(), other.segments.end());
  threads += other.threads;
  requested_rate += other.requested_rate;
  vus += other.vus;
  duration_s = std::max(duration_s, other.duration_s);
  totals += other.totals;
  for (const auto& [name, h] : other.histograms) histograms[name].merge(h);
  for (const auto& [cls, f] : other.failures) add_failure(cls, f.example, f.count);
  for (const auto& s : other.series) {
    BenchSecond& mine = second(s.t);
    mine.counters += s.counters;
    mine.active += s.active;
    mine.latency.merge(s.latency);
  }
  for (const auto& l : other.limits)
    if (std::find(limits.begin(), limits.end(), l) == limits.end()) limits.push_back(l);
}

double BenchReport::error_rate() const {
  std::uint64_t base = mode == "echo" ? std::max<std::uint64_t>(vus, totals.connections_opened + totals.connections_failed)
                                      : totals.iterations;
  if (base == 0) return totals.errors ? 1.0 : 0.0;
  return static_cast<double>(totals.errors) / static_cast<double>(base);
}

const Histogram& BenchReport::histogram(const std::string& name) const {
  static const Histogram kEmpty;
  auto it = histograms.find(name);
  return it == histograms.end() ? kEmpty : it->second;
}

}  // namespace wscheck
