// --color auto|always|never, NO_COLOR, and whether the stream is a terminal.
#pragma once

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>

namespace wscheck {

inline bool use_color(const std::string& mode, std::FILE* stream) {
  if (mode == "always") return true;
  if (mode == "never") return false;
  const char* no_color = std::getenv("NO_COLOR");
  if (no_color && *no_color) return false;
  return isatty(fileno(stream)) != 0;
}

}  // namespace wscheck
