// Numbers and durations as wscheck prints them.
#pragma once

#include <cstddef>
#include <string>

namespace wscheck {

/// "12.3 ms" / "0.4 ms" / "2.1 s": how wscheck prints durations.
std::string format_ms(double ms);

/// `text` followed by spaces up to `width` characters (UTF-8 code points,
/// not bytes); longer text is returned as is.
std::string pad_right(std::string text, size_t width);

}  // namespace wscheck
