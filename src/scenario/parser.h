// Turning scenario files into the model, with file:line:col errors.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "scenario/model.h"
#include "scenario/scenario_error.h"
#include "scenario/suite.h"
#include "scenario/suite_loader.h"

namespace wscheck {

/// Parses one file's text, appending every problem found to `errors` (in
/// source order, capped per file). The Suite is meaningful only when no
/// error was added.
Suite parse_scenario_text(std::string_view text, const std::string& file, std::vector<ScenarioError>& errors);

/// Parses one file's text. Throws the first ScenarioError.
Suite parse_scenario_text(std::string_view text, const std::string& file);

}  // namespace wscheck
