// The JSON report: every scenario, step, phase timing, diagnosis and the
// last frames each connection received. Shape: docs/report.schema.json.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "report/report_file.h"
#include "report/run_metadata.h"

namespace wscheck {

class JsonReporter : public FileReporter {
 public:
  JsonReporter(std::string path, RunMetadata meta) : FileReporter("JSON", std::move(path)), meta_(std::move(meta)) {}

  std::string render(const RunSummary& summary, const std::vector<ScenarioResult>& all) const override;
  /// The report as a JSON value (render() is its dump, indented by 2).
  nlohmann::ordered_json to_json(const RunSummary& summary, const std::vector<ScenarioResult>& all) const;

 private:
  RunMetadata meta_;
};

/// One scenario as the report's "scenarios" array holds it.
nlohmann::ordered_json scenario_to_json(const ScenarioResult& result);

}  // namespace wscheck
