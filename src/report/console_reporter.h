// Human-readable console output: a line per scenario, failures expanded.
#pragma once

#include <cstdio>

#include "report/reporter.h"

namespace wscheck {

/// Prints to a FILE* (stdout). Colours only when asked (the caller decides
/// from --color, NO_COLOR and isatty).
class ConsoleReporter : public Reporter {
 public:
  struct Options {
    bool color = false;
    bool verbose = false;  // per-step timings and frame traces
    bool quiet = false;    // failures and the summary only
  };
  ConsoleReporter(std::FILE* out, Options options) : out_(out), options_(options) {}

  void on_run_start(const RunInfo& info) override;
  void on_trace(const std::string& line) override;
  void on_scenario_done(const ScenarioResult& result) override;
  void on_run_end(const RunSummary& summary, const std::vector<ScenarioResult>& all) override;

 private:
  std::string paint(const char* code, const std::string& text) const;
  std::FILE* out_;
  Options options_;
};

/// "tcp 0.2 ms · tls 3.1 ms · upgrade 1.0 ms" for a connection's phases.
std::string format_phases(const PhaseTimings& t);

}  // namespace wscheck
