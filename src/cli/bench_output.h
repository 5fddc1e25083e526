// Shared by bench and merge: drive the load threads, print, write reports, decide the exit code.
#pragma once

#include <string>
#include <vector>

#include "bench/bench_report.h"
#include "bench/load_threads.h"
#include "bench/threshold.h"

namespace wscheck {

/// Progress on stdout: a rewritten line on a TTY (each second), a plain
/// line every 5 s otherwise; nothing with --quiet.
class BenchOutput {
 public:
  explicit BenchOutput(bool quiet);
  void progress(const BenchReport& so_far, double elapsed_s);
  /// Ends a live line so the summary starts on its own line.
  void finish_line();

 private:
  bool quiet_;
  bool tty_;
  bool line_open_ = false;
  double last_ = -1;
};

/// "" when the report paths are usable, else a sentence for usage_error.
std::string check_bench_reports(const std::string& json_path, const std::string& html_path);

/// Runs the threads to the end, folding their intervals into `report`.
/// SIGINT/SIGTERM (and `deadline_us` after the start, when not 0) stop them.
/// Returns the signal that interrupted the run, or 0.
int drive_bench(LoadThreads& threads, BenchReport& report, BenchOutput& out, Micros deadline_us);

/// Summary, thresholds, --report-json / --report-html; the exit code:
/// 130 interrupted, 3 nothing connected at all, 1 a threshold crossed, else 0.
int finish_bench(const BenchReport& report, const std::vector<Threshold>& thresholds, const std::string& json_path,
                 const std::string& html_path, BenchOutput& out, int interrupted);

}  // namespace wscheck
