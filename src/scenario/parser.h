// Turning scenario files into the model, with file:line:col errors.
#pragma once

#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "scenario/model.h"

namespace wscheck {

/// A problem in a scenario file, located precisely.
class ScenarioError : public std::runtime_error {
 public:
  ScenarioError(SourceRef where, const std::string& message)
      : std::runtime_error(message), where_(std::move(where)) {}
  const SourceRef& where() const { return where_; }
  /// "file:line:col: message"
  std::string str() const { return where_.str() + ": " + what(); }

 private:
  SourceRef where_;
};

/// Everything one or more scenario files declare.
struct Suite {
  std::vector<Scenario> scenarios;
  std::optional<nlohmann::json> server;  // a suite file's "server" block, validated
  SourceRef server_where;
};

/// Parses one file's text. Throws ScenarioError.
Suite parse_scenario_text(std::string_view text, const std::string& file);

/// Expands files and directories (recursively, *.json, sorted) into a file
/// list. Throws ScenarioError for a path that does not exist.
std::vector<std::string> find_scenario_files(const std::vector<std::string>& paths);

/// Loads every file; collects all errors instead of stopping at the first.
/// Also checks that scenario names are unique across the run.
Suite load_suite(const std::vector<std::string>& files, std::vector<ScenarioError>& errors);

}  // namespace wscheck
