// --report-html: one self-contained page (inline SVG, no network) for a bench run.
#pragma once

#include <string>
#include <vector>

#include "bench/bench_report.h"
#include "bench/threshold.h"

namespace wscheck {

/// Latency over time (p50/p99 per second), the latency histogram, and
/// active connections with throughput over time, above the summary table.
std::string bench_html(const BenchReport& report, const std::vector<Verdict>& verdicts);

}  // namespace wscheck
