// `wscheck merge`: several bench reports (segments) into one, exactly.
#include <fstream>
#include <sstream>

#include "bench/threshold.h"
#include "cli/bench_command.h"
#include "cli/bench_output.h"
#include "cli/scenario_plan.h"
#include "core/exit_status.h"
#include "report/bench_json.h"

namespace wscheck {

namespace {

std::optional<int> read_bench_file(const std::string& path, BenchReport& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return usage_error(path + ": cannot be read (does it exist?)");
  std::stringstream text;
  text << in.rdbuf();
  nlohmann::json j = nlohmann::json::parse(text.str(), nullptr, false);
  if (j.is_discarded()) return usage_error(path + ": not valid JSON; merge reads the files bench --report-json writes");
  std::string error;
  if (!bench_from_json(j, out, error)) return usage_error(path + ": " + error);
  return std::nullopt;
}

}  // namespace

int merge_command(const MergeCommandOptions& o) {
  if (o.inputs.empty()) return usage_error("merge needs bench reports: wscheck merge A.json B.json ... [-o OUT]");
  std::vector<Threshold> thresholds;
  for (const auto& text : o.thresholds) {
    std::string error;
    auto t = parse_threshold(text, error);
    if (!t) return usage_error("--threshold: " + error);
    thresholds.push_back(*t);
  }
  if (auto e = check_bench_reports(o.output == "-" ? "" : o.output, o.report_html); !e.empty()) return usage_error(e);
  BenchReport merged;
  for (const auto& path : o.inputs) {
    BenchReport one;
    if (auto code = read_bench_file(path, one)) return *code;
    if (!merged.mode.empty() && one.mode != merged.mode)
      return usage_error(path + ": mode \"" + one.mode + "\" differs from \"" + merged.mode + "\"; merge segments of one run");
    for (const auto& seg : one.segments)
      for (const auto& have : merged.segments)
        if (seg == have && seg != "1/1")
          return usage_error(path + ": segment " + seg + " is already in the merge (the same file twice?)");
    merged.merge(one);
  }
  BenchOutput out(o.quiet);
  return finish_bench(merged, thresholds, o.output == "-" ? "" : o.output, o.report_html, out, 0);
}

}  // namespace wscheck
