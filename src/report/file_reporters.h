// The report formats a run asked for (--report-json, --report-junit,
// --report-tap, GitHub Actions), built in one place.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "report/reporter.h"
#include "report/run_metadata.h"

namespace wscheck {

struct ReportOptions {
  std::string json_path;   // "" = no JSON report
  std::string junit_path;  // "" = no JUnit report
  std::string tap_path;    // "" = no TAP report; "-" = stdout
  bool github = false;     // annotations + $GITHUB_STEP_SUMMARY (caller: running_in_github_actions())
  RunMetadata meta;        // current_run_metadata()
};

/// A usage error for options that cannot work ("" when fine): "-" for JSON
/// or JUnit, two reports on one path, a directory that does not exist or
/// cannot be written. Check before running so a long run does not end in
/// an unwritable report.
std::string check_report_options(const ReportOptions& options);

/// One reporter per requested format, in the order JSON, JUnit, TAP, GitHub.
/// File reporters write their file in on_run_end (FILE.tmp, then rename).
/// GitHub annotations go to stdout, or to stderr when TAP is on stdout.
std::vector<std::unique_ptr<Reporter>> make_reporters(const ReportOptions& options);

/// Calls prepare() on the file reporters among `reporters`, before the exit
/// status is final; returns their errors (each already printed to stderr).
std::vector<std::string> prepare_reports(const std::vector<std::unique_ptr<Reporter>>& reporters);

/// The write errors of the file reporters among `reporters` after on_run_end
/// (each already printed to stderr as "wscheck: could not write ...").
std::vector<std::string> report_errors(const std::vector<std::unique_ptr<Reporter>>& reporters);

}  // namespace wscheck
