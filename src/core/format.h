// Numbers and durations as wscheck prints them.
#pragma once

#include <string>

namespace wscheck {

/// "12.3 ms" / "0.4 ms" / "2.1 s": how wscheck prints durations.
std::string format_ms(double ms);

}  // namespace wscheck
