// GitHub Actions output: an error annotation per failed scenario, and a
// Markdown table in the job summary.
#pragma once

#include <cstdio>
#include <string>

#include "report/reporter.h"

namespace wscheck {

/// true when GITHUB_ACTIONS=true (the caller decides whether to add a GithubReporter).
bool running_in_github_actions();

/// Prints, as each failed scenario finishes,
///   ::error file=F,line=L,col=C,title=wscheck CLASS::HEADLINE%0Ascenario "NAME", step ...%0Ahint: ...
/// to `out` (L:C is the failed step's position; workflow-command escaping).
/// When `step_summary_path` is not empty (GITHUB_STEP_SUMMARY), on_run_end
/// appends a Markdown table of every scenario to that file.
class GithubReporter : public Reporter {
 public:
  GithubReporter(std::FILE* out, std::string step_summary_path)
      : out_(out), step_summary_path_(std::move(step_summary_path)) {}

  void on_scenario_done(const ScenarioResult& result) override;
  void on_run_end(const RunSummary& summary, const std::vector<ScenarioResult>& all) override;

  /// The "::error ..." line for a failed scenario (with "\n"), "" otherwise.
  static std::string annotation(const ScenarioResult& result);
  /// The Markdown appended to the step summary.
  static std::string step_summary(const RunSummary& summary, const std::vector<ScenarioResult>& all);

  /// Empty unless appending to the step summary failed.
  const std::string& error() const { return error_; }

 private:
  std::FILE* out_;
  std::string step_summary_path_;
  std::string error_;
};

}  // namespace wscheck
