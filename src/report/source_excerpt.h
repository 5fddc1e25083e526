// Scenario-file errors for people: the source line with a caret under the column.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "scenario/scenario_error.h"

namespace wscheck {

/// The 1-based `line` of `text` (without its line break), or "" past the end.
std::string_view source_line(std::string_view text, int line);

/// Two lines: `line_text` made safe to print (control characters and invalid
/// UTF-8 become '?', a long line is cut to a window around the column) and a
/// caret under the 1-based character column `col`. Tabs are kept in both so
/// the caret lines up; wide (CJK, emoji) characters count as two cells.
/// Each line starts with `gutter` ("  12 | " and "     | ").
std::string caret_excerpt(std::string_view line_text, int col, const std::string& gutter_number,
                          const std::string& gutter_blank);

/// One error, Hurl/clang style:
///   file:line:col: message
///      2 |   {"expcet": {}}
///        |    ^
///        = hint: ...
/// `file_text` is the whole file ("" when unavailable: then no excerpt).
std::string render_scenario_error(const ScenarioError& error, std::string_view file_text);

/// Every error (up to `limit`, then "... and N more"), each with its excerpt;
/// `read_file` returns a file's text ("" if it cannot be read).
std::string render_scenario_errors(const std::vector<ScenarioError>& errors,
                                   const std::function<std::string(const std::string&)>& read_file, size_t limit = 20);

}  // namespace wscheck
