// The TAP version 14 report: one test point per scenario, a YAML diagnostic
// block with the class, message, position, duration and phase timings.
#pragma once

#include <string>

#include "report/report_file.h"

namespace wscheck {

/// `path` "-" writes to stdout (then nothing else should print there: a
/// TAP consumer requires "TAP version 14" as the first line).
class TapReporter : public FileReporter {
 public:
  explicit TapReporter(std::string path) : FileReporter("TAP", std::move(path)) {}

  std::string render(const RunSummary& summary, const std::vector<ScenarioResult>& all) const override;
};

}  // namespace wscheck
