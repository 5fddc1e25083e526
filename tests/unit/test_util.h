// Small helpers shared by the unit tests.
#pragma once

#include <string>
#include <string_view>

namespace wscheck_test {

inline bool contains(std::string_view haystack, std::string_view needle) {
  return haystack.find(needle) != std::string_view::npos;
}

inline bool starts_with(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

/// "file:LINE:COL:" of the n-th (0-based) occurrence of `needle` in `text`,
/// with the column counted in characters (UTF-8 continuation bytes skipped).
/// Returns "" when `needle` does not occur that often, so a wrong test
/// fixture fails loudly instead of comparing against a bogus position.
inline std::string where_of(std::string_view file, std::string_view text, std::string_view needle, int nth = 0) {
  size_t at = std::string_view::npos;
  size_t from = 0;
  for (int i = 0; i <= nth; ++i) {
    at = text.find(needle, from);
    if (at == std::string_view::npos) return "";
    from = at + 1;
  }
  int line = 1, col = 1;
  for (size_t i = 0; i < at; ++i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c == '\n') {
      ++line;
      col = 1;
    } else if ((c & 0xC0) != 0x80) {
      ++col;
    }
  }
  return std::string(file) + ":" + std::to_string(line) + ":" + std::to_string(col) + ":";
}

}  // namespace wscheck_test
