// Renders scenario JSON the way the bundled scenarios are written: one step
// per line, a space after ':' and ','.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace wscheck {

/// Compact one-line JSON with spaces ({"send": {"json": {"a": 1}}}).
/// Invalid UTF-8 in strings is replaced by U+FFFD rather than thrown.
std::string one_line_json(const nlohmann::ordered_json& value);

}  // namespace wscheck
