// What a bench run measured: the data the summary, JSON, HTML and merge read.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "bench/histogram.h"

namespace wscheck {

/// Event counts; every field adds when runs or threads are combined.
struct BenchCounters {
  std::uint64_t messages_sent = 0;
  std::uint64_t messages_received = 0;
  std::uint64_t bytes_sent = 0;
  std::uint64_t bytes_received = 0;
  std::uint64_t iterations = 0;         // finished (passed + failed)
  std::uint64_t iterations_failed = 0;
  std::uint64_t connections_opened = 0;
  std::uint64_t connections_failed = 0;  // never opened, or broke mid-run
  std::uint64_t errors = 0;              // every counted failure (see BenchReport::failures)

  BenchCounters& operator+=(const BenchCounters& o);
  bool operator==(const BenchCounters& o) const = default;
};

/// How often one failure class happened, with the first line of one example.
struct FailureTally {
  std::uint64_t count = 0;
  std::string example;
};

/// One second of the run (t = whole seconds since the start).
struct BenchSecond {
  std::int64_t t = 0;
  BenchCounters counters;
  std::uint64_t active = 0;  // open connections (echo) / iterations in flight (scenarios), sampled
  Histogram latency;         // the headline latency recorded in this second
};

/// Histogram names: "latency" is the headline (echo: message round trip;
/// scenarios: every timed step), then "dns", "tcp", "tls", "upgrade",
/// "iteration", "start_lag" and one "step N: label" per scenario step.
inline constexpr const char* kLatency = "latency";

/// A whole run (or the merge of several segments of one).
struct BenchReport {
  std::string mode;   // "echo" | "closed" | "open"
  std::string target;
  std::vector<std::string> segments;  // "1/2" ...; several after a merge
  unsigned threads = 0;
  double requested_rate = 0;  // open model, iterations/s (this process's share, summed by merge)
  unsigned vus = 0;           // closed model / echo connections (summed by merge)
  double duration_s = 0;      // wall time measured (the longest by merge)
  BenchCounters totals;
  std::map<std::string, Histogram> histograms;
  std::map<std::string, FailureTally> failures;  // by diagnosis class name
  std::vector<BenchSecond> series;               // ordered by t, no gaps
  std::vector<std::string> limits;               // "the fd limit caps ..." sentences

  /// Adds `other` in: counts and histograms add, series align by second,
  /// the duration is the longest. Exact: merging segments equals the whole.
  void merge(const BenchReport& other);
  /// The series entry for second `t`, created (with any gap) when missing.
  BenchSecond& second(std::int64_t t);
  /// Counts one failure of class `cls`; keeps the first example line.
  void add_failure(const std::string& cls, const std::string& example, std::uint64_t n = 1);

  double rate(std::uint64_t count) const { return duration_s > 0 ? static_cast<double>(count) / duration_s : 0; }
  /// errors / (iterations, or connections in echo mode); 0 when nothing ran.
  double error_rate() const;
  const Histogram& histogram(const std::string& name) const;
};

}  // namespace wscheck
