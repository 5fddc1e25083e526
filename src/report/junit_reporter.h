// The JUnit XML report: one <testcase> per scenario, loadable by Jenkins,
// GitLab, GitHub test-report actions and other CI systems.
#pragma once

#include <string>

#include "report/report_file.h"
#include "report/run_metadata.h"

namespace wscheck {

/// <testsuites> holding one <testsuite name="wscheck">. A failed scenario
/// has <failure message="class: headline" type="class"> (body: the step,
/// details and hint); a scenario not run has <skipped>; <system-out> holds
/// each connection's phase timings and each step's duration.
class JunitReporter : public FileReporter {
 public:
  JunitReporter(std::string path, RunMetadata meta) : FileReporter("JUnit", std::move(path)), meta_(std::move(meta)) {}

  std::string render(const RunSummary& summary, const std::vector<ScenarioResult>& all) const override;

 private:
  RunMetadata meta_;
};

}  // namespace wscheck
