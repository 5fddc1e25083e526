// What the authoring commands print after writing a scenario.
#pragma once

#include <string>

#include "author/scenario_writer.h"

namespace wscheck {

/// Saves `written` to `output` ("-" = stdout) and prints, on stderr, a
/// summary and the command that runs it: variable names and where they came
/// from, never their values. Returns the exit status.
int save_written_scenario(const WrittenScenario& written, const std::string& output, bool force,
                          const std::string& command);

}  // namespace wscheck
