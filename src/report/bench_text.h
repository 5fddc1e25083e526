// Bench output a person reads: progress line, summary table, threshold verdicts.
#pragma once

#include <string>
#include <vector>

#include "bench/bench_report.h"
#include "bench/threshold.h"

namespace wscheck {

/// One progress line from the last complete second and the run so far:
/// "elapsed 12s  active 100  msg/s 51234  p99 1.9 ms  errors 0".
std::string bench_progress_line(const BenchReport& so_far, double elapsed_s);

/// The final table: counts and rates each way, latency percentiles per
/// histogram, failures by class with one example line each, limits hit.
std::string bench_summary(const BenchReport& report);

/// "✓ step_p99<50ms  (actual 1.93 ms)" per threshold, then a closing line.
std::string bench_verdicts(const std::vector<Verdict>& verdicts);

/// "1.93 ms" / "812 us" / "2.40 s" for a microsecond value.
std::string format_us(double us);

}  // namespace wscheck
