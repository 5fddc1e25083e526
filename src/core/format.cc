#include "core/format.h"

#include <cstdio>

namespace wscheck {

std::string format_ms(double ms) {
  char buf[32];
  if (ms >= 10000) std::snprintf(buf, sizeof buf, "%.1f s", ms / 1000.0);
  else if (ms >= 100) std::snprintf(buf, sizeof buf, "%.0f ms", ms);
  else std::snprintf(buf, sizeof buf, "%.1f ms", ms);
  return buf;
}

std::string pad_right(std::string text, size_t width) {
  size_t chars = 0;
  for (unsigned char c : text) chars += (c & 0xC0) != 0x80;  // count code points, not bytes
  if (chars < width) text.append(width - chars, ' ');
  return text;
}

}  // namespace wscheck
