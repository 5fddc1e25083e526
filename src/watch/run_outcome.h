// What one watched run produced, in the terms the monitor needs.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace wscheck {

/// The latency of one step worth a histogram (a named step, an expect or a ping).
struct StepTiming {
  std::string step;  // the step's "name", else "N:kind" (1-based)
  double seconds = 0;
};

/// A scenario run reduced to numbers and one line: the monitor's only view
/// of the engine (engine_adapter.cc builds it), so engine changes stay there.
struct RunOutcome {
  bool passed = false;
  double duration_s = 0;
  std::string failure_class;  // "tcp_refused"...; "" when passed
  std::string failure_line;   // first line of the diagnosis, redacted
  std::optional<double> dns_s, tcp_s, tls_s, upgrade_s;  // the first connection's phases
  int upgrade_status = 0;     // HTTP status of the first upgrade response, 0 if none
  std::vector<StepTiming> steps;
  std::vector<double> ping_rtts_s;
};

}  // namespace wscheck
