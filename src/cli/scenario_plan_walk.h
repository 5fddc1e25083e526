// Finding scenario files: explicit files stay strict, a directory walk is forgiving.
#pragma once

#include <string>
#include <vector>

namespace wscheck {

/// What a walk found: the scenario files, and what it left out and why.
struct ScenarioFileSearch {
  std::vector<std::string> files;
  size_t skipped_not_scenarios = 0;  // *.json without a top-level "steps" or "scenarios" key
  size_t skipped_folders = 0;        // node_modules, examples and hidden folders not entered
  std::vector<std::string> skipped_examples;  // a few of the skipped files, for the note
};

/// An explicit file is taken as is (and must parse as a scenario later). A
/// directory is walked recursively for *.json, without entering
/// node_modules, examples or hidden folders below it (a directory named on
/// the command line is always walked), keeping only files that look like
/// scenarios. Throws ScenarioError for a missing path or a directory with
/// no scenario file.
ScenarioFileSearch find_scenario_files_forgiving(const std::vector<std::string>& paths);

/// True when `text` is a JSON object with a top-level "steps" or
/// "scenarios" key (or, when it does not parse, mentions one of them).
bool looks_like_scenario_file(const std::string& text);

}  // namespace wscheck
