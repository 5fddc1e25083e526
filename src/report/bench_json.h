// A bench report as JSON, and back (for `wscheck merge`).
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "bench/bench_report.h"

namespace wscheck {

/// The --report-json document: raw counts and histograms (exact, what merge
/// reads) plus derived rates and percentiles (for people and dashboards).
nlohmann::ordered_json bench_to_json(const BenchReport& report);

/// Reads what bench_to_json() wrote; derived fields are ignored (merge
/// recomputes them). False with a sentence in `error` on anything else.
bool bench_from_json(const nlohmann::json& j, BenchReport& out, std::string& error);

}  // namespace wscheck
