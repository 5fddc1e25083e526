// One load thread's measurements, handed to the main thread once a second.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "bench/bench_report.h"

namespace wscheck {

/// What one thread measured during one second.
struct Interval {
  std::int64_t t = 0;
  BenchCounters counters;
  std::uint64_t active = 0;
  std::map<std::string, Histogram> histograms;  // includes kLatency
  std::map<std::string, FailureTally> failures;
};

/// Written only by its own load thread (no lock on the hot path); once a
/// second the thread hands the current interval over under a lock and the
/// main thread collects whatever has been handed over.
class Recorder {
 public:
  Interval& current() { return current_; }
  Histogram& latency() { return *latency_; }
  Histogram& histogram(const std::string& name) { return current_.histograms[name]; }
  void failure(const std::string& cls, const std::string& example);

  /// Load thread: closes the interval as second `t` with gauge `active`.
  void hand_over(std::int64_t t, std::uint64_t active);
  /// Main thread: every interval handed over since the last call.
  std::vector<Interval> collect();

 private:
  void reset();
  Interval current_;
  Histogram* latency_ = &current_.histograms[kLatency];
  std::mutex mutex_;
  std::vector<Interval> mailbox_;
};

/// Adds an interval into the report: totals, histograms, failures and the
/// per-second series (where `active` of several threads adds up).
void add_interval(BenchReport& report, const Interval& interval);

}  // namespace wscheck
