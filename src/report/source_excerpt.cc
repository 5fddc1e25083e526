#include "report/source_excerpt.h"

#include <algorithm>
#include <cstdint>

namespace wscheck {

namespace {

/// One character of a source line as the parser counts columns: a lead byte
/// and the continuation bytes after it.
struct Cell {
  std::string shown;  // what is printed ('?' for anything unsafe)
  int width = 1;      // terminal cells
  bool tab = false;
};

bool is_wide(std::uint32_t cp) {
  return (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF) || (cp >= 0xAC00 && cp <= 0xD7A3) ||
         (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
         (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x1F300 && cp <= 0x1F64F) || (cp >= 0x1F900 && cp <= 0x1F9FF) ||
         (cp >= 0x20000 && cp <= 0x3FFFD);
}

bool is_zero_width(std::uint32_t cp) {
  return (cp >= 0x0300 && cp <= 0x036F) || (cp >= 0x200B && cp <= 0x200D) || (cp >= 0xFE00 && cp <= 0xFE0F);
}

bool is_unsafe(std::uint32_t cp) {
  return cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0) || (cp >= 0x202A && cp <= 0x202E) ||
         (cp >= 0x2066 && cp <= 0x2069) || cp == 0x200E || cp == 0x200F;
}

/// Decodes one unit; nullopt-like 0xFFFFFFFF for invalid UTF-8.
std::uint32_t decode(std::string_view u) {
  const auto b = [&](size_t i) { return static_cast<unsigned char>(u[i]); };
  unsigned char c = b(0);
  size_t len = c < 0x80 ? 1 : c >= 0xC2 && c <= 0xDF ? 2 : c >= 0xE0 && c <= 0xEF ? 3 : c >= 0xF0 && c <= 0xF4 ? 4 : 0;
  if (len == 0 || len != u.size()) return 0xFFFFFFFF;
  if (len == 1) return c;
  std::uint32_t cp = c & (0x7F >> len);
  for (size_t i = 1; i < len; ++i) cp = (cp << 6) | (b(i) & 0x3F);
  static const std::uint32_t min_of[] = {0, 0, 0x80, 0x800, 0x10000};
  if (cp < min_of[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0xFFFFFFFF;
  return cp;
}

std::vector<Cell> cells_of(std::string_view line) {
  std::vector<Cell> cells;
  size_t i = 0;
  while (i < line.size()) {
    size_t j = i + 1;
    while (j < line.size() && (static_cast<unsigned char>(line[j]) & 0xC0) == 0x80) ++j;
    std::string_view unit = line.substr(i, j - i);
    std::uint32_t cp = decode(unit);
    Cell cell;
    if (cp == '\t') {
      cell.shown = "\t";
      cell.tab = true;
    } else if (cp == 0xFFFFFFFF || is_unsafe(cp)) {
      cell.shown = "?";
    } else {
      cell.shown = std::string(unit);
      cell.width = is_wide(cp) ? 2 : is_zero_width(cp) ? 0 : 1;
    }
    cells.push_back(std::move(cell));
    i = j;
  }
  return cells;
}

constexpr size_t kMaxShown = 140;  // characters of a long line shown around the column

/// Byte offset where the 0-based character column `n` starts (the size when past the end).
size_t byte_of_column(std::string_view s, size_t n) {
  size_t column = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) == 0x80) continue;
    if (column++ == n) return i;
  }
  return s.size();
}

}  // namespace

std::string_view source_line(std::string_view text, int line) {
  if (line < 1) return {};
  size_t start = 0;
  for (int n = 1; n < line; ++n) {
    size_t nl = text.find('\n', start);
    if (nl == std::string_view::npos) return {};
    start = nl + 1;
  }
  size_t end = text.find('\n', start);
  std::string_view out = text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
  if (!out.empty() && out.back() == '\r') out.remove_suffix(1);
  return out;
}

std::string caret_excerpt(std::string_view line_text, int col, const std::string& gutter_number,
                          const std::string& gutter_blank) {
  // Only a window of at most kMaxShown characters is decoded: a one-line 16 MB file stays cheap.
  size_t caret = col >= 1 ? static_cast<size_t>(col - 1) : 0;  // 0-based; may be one past the end
  size_t first = caret > kMaxShown / 2 ? caret - kMaxShown / 2 : 0;
  size_t begin = byte_of_column(line_text, first), end = byte_of_column(line_text, first + kMaxShown);
  std::vector<Cell> cells = cells_of(line_text.substr(begin, end - begin));
  caret = std::min(caret - first, cells.size());
  std::string shown = gutter_number, marks = gutter_blank;
  if (begin > 0) {
    shown += "…";
    marks += " ";
  }
  for (size_t i = 0; i < cells.size(); ++i) {
    shown += cells[i].shown;
    if (i < caret) marks += cells[i].tab ? std::string("\t") : std::string(static_cast<size_t>(cells[i].width), ' ');
  }
  if (end < line_text.size()) shown += "…";
  return shown + "\n" + marks + "^\n";
}

std::string render_scenario_error(const ScenarioError& error, std::string_view file_text) {
  std::string out = error.str() + "\n";
  const SourcePos& pos = error.where().pos;
  std::string number = std::to_string(pos.line);
  std::string pad(number.size() + 5, ' ');
  if (pos.line > 0 && pos.col > 0 && !file_text.empty()) {
    std::string_view line = source_line(file_text, pos.line);
    out += caret_excerpt(line, pos.col, std::string(4, ' ') + number + " | ", pad + "| ");
  }
  if (!error.hint().empty()) out += pad + "= hint: " + error.hint() + "\n";
  return out;
}

std::string render_scenario_errors(const std::vector<ScenarioError>& errors,
                                   const std::function<std::string(const std::string&)>& read_file, size_t limit) {
  std::string out;
  std::string cached_file, cached_text;
  for (size_t i = 0; i < errors.size() && i < limit; ++i) {
    const std::string& file = errors[i].where().file;
    if (file != cached_file) {
      cached_file = file;
      cached_text = errors[i].where().pos.line > 0 ? read_file(file) : "";
    }
    out += render_scenario_error(errors[i], cached_text);
  }
  if (errors.size() > limit) out += "... and " + std::to_string(errors.size() - limit) + " more\n";
  return out;
}

}  // namespace wscheck
