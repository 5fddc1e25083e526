#include "bench/recorder.h"

namespace wscheck {

void Recorder::failure(const std::string& cls, const std::string& example) {
  FailureTally& f = current_.failures[cls];
  if (f.example.empty()) f.example = example.substr(0, example.find('\n'));
  ++f.count;
  ++current_.counters.errors;
}

void Recorder::reset() {
  current_ = Interval{};
  latency_ = &current_.histograms[kLatency];
}

void Recorder::hand_over(std::int64_t t, std::uint64_t active) {
  current_.t = t;
  current_.active = active;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    mailbox_.push_back(std::move(current_));
  }
  reset();
}

std::vector<Interval> Recorder::collect() {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<Interval> out;
  out.swap(mailbox_);
  return out;
}

void add_interval(BenchReport& report, const Interval& interval) {
  report.totals += interval.counters;
  for (const auto& [name, h] : interval.histograms)
    if (h.count()) report.histograms[name].merge(h);
  for (const auto& [cls, f] : interval.failures) report.add_failure(cls, f.example, f.count);
  BenchSecond& s = report.second(interval.t);
  s.counters += interval.counters;
  s.active += interval.active;
  auto it = interval.histograms.find(kLatency);
  if (it != interval.histograms.end()) s.latency.merge(it->second);
}

}  // namespace wscheck
