// Monotonic time in microseconds, the one clock every measurement uses.
#pragma once

#include <chrono>
#include <cstdint>

namespace wscheck {

using Micros = std::int64_t;

inline Micros now_us() {
  return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

inline double to_ms(Micros us) { return static_cast<double>(us) / 1000.0; }

}  // namespace wscheck
