// The suite loader: paths on the command line into one validated Suite.
#pragma once

#include <string>
#include <vector>

#include "scenario/scenario_error.h"
#include "scenario/suite.h"

namespace wscheck {

/// Expands files and directories (recursively, *.json, sorted) into a file
/// list. Throws ScenarioError for a path that does not exist.
std::vector<std::string> find_scenario_files(const std::vector<std::string>& paths);

/// Loads every file; collects every error of every file (in source order)
/// instead of stopping at the first. Also checks that scenario names are
/// unique across the run and that at most one file has a "server" block.
Suite load_suite(const std::vector<std::string>& files, std::vector<ScenarioError>& errors);

}  // namespace wscheck
