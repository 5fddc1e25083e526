// Writing a finished report: atomically to a file, or to stdout for "-".
#pragma once

#include <string>

#include "report/reporter.h"

namespace wscheck {

/// Writes `content` to `path` + ".tmp" and renames it over `path`, so a
/// reader never sees half a report. `path` "-" writes to stdout instead.
/// On failure returns false with a sentence in `error` and leaves no .tmp.
bool write_report(const std::string& path, const std::string& content, std::string& error);

/// A reporter that writes one file when the run ends. It remembers the
/// RunInfo, formats everything in render(), and reports a write failure on
/// stderr ("wscheck: could not write the JSON report ...") and in error().
class FileReporter : public Reporter {
 public:
  FileReporter(std::string format, std::string path) : format_(std::move(format)), path_(std::move(path)) {}

  void on_run_start(const RunInfo& info) override { info_ = info; }
  void on_scenario_done(const ScenarioResult& /*result*/) override {}
  void on_run_end(const RunSummary& summary, const std::vector<ScenarioResult>& all) override;
  /// Before the exit status is final: checks that the file can be created
  /// (creates FILE.tmp) so a failure can still change the status every
  /// report carries. False (and error()) when it cannot; on_run_end then skips.
  bool prepare();

  /// The formatted report, as on_run_end writes it.
  virtual std::string render(const RunSummary& summary, const std::vector<ScenarioResult>& all) const = 0;

  const std::string& path() const { return path_; }
  const std::string& format() const { return format_; }
  /// Empty unless writing the report failed.
  const std::string& error() const { return error_; }

 protected:
  const RunInfo& info() const { return info_; }

 private:
  std::string format_;
  std::string path_;
  RunInfo info_;
  std::string error_;
};

}  // namespace wscheck
