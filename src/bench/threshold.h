// k6-style pass/fail criteria on a bench report: "step_p99<50ms".
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "bench/bench_report.h"

namespace wscheck {

/// One criterion: METRIC OP VALUE. Grammar (docs/bench.md):
///   latency  NAME_STAT  with NAME in step|rtt|dns|tcp|tls|upgrade|iteration|start_lag
///            and STAT in p50|p90|p95|p99|p999|max|mean, VALUE a duration (us|ms|s)
///   rate     msg_rate | msg_sent_rate | iteration_rate | byte_rate, VALUE per second
///   ratio    error_rate, VALUE a fraction or a percentage ("0.1%")
///   count    errors | iterations | messages
///   OP       < <= > >=
struct Threshold {
  std::string text;    // as written
  std::string metric;  // "step_p99"
  std::string op;      // "<", "<=", ">", ">="
  double limit = 0;    // microseconds for latencies, plain numbers otherwise
  enum class Kind { kLatency, kRate, kRatio, kCount } kind = Kind::kCount;
};

/// Parses one --threshold; nullopt with a sentence in `error` (what is
/// wrong, and the grammar) when it is not valid.
std::optional<Threshold> parse_threshold(const std::string& text, std::string& error);

/// The value of a threshold's metric in a report.
double metric_value(const Threshold& t, const BenchReport& report);

/// The verdict of one threshold against a report.
struct Verdict {
  const Threshold* threshold = nullptr;
  double actual = 0;
  bool passed = false;
  bool no_data = false;  // a latency with no sample: failed
};

std::vector<Verdict> evaluate(const std::vector<Threshold>& thresholds, const BenchReport& report);

}  // namespace wscheck
