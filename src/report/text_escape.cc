#include "report/text_escape.h"

#include <cmath>
#include <cstdio>

#include "scenario/utf8.h"

namespace wscheck {

namespace {

constexpr std::uint32_t kReplacement = 0xFFFD;

bool xml_allowed(std::uint32_t cp) {
  if (cp == 0x9 || cp == 0xA || cp == 0xD) return true;
  if (cp < 0x20) return false;
  if (cp >= 0xD800 && cp <= 0xDFFF) return false;
  if (cp == 0xFFFE || cp == 0xFFFF) return false;
  return cp <= 0x10FFFF;
}

std::string xml_escape(std::string_view s, bool attribute) {
  std::string out;
  out.reserve(s.size() + 16);
  for (size_t i = 0; i < s.size();) {
    std::uint32_t cp = next_code_point(s, i);
    if (!xml_allowed(cp)) continue;
    switch (cp) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      case '\r': out += "&#13;"; break;
      case '\n': out += attribute ? "&#10;" : "\n"; break;
      case '\t': out += attribute ? "&#9;" : "\t"; break;
      default: append_utf8(out, cp);
    }
  }
  return out;
}

bool is_control(std::uint32_t cp) { return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || cp == 0x2028 || cp == 0x2029; }

}  // namespace

std::uint32_t next_code_point(std::string_view s, size_t& i) {
  const auto byte = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char b0 = byte(i);
  if (b0 < 0x80) {
    ++i;
    return b0;
  }
  size_t len = 0;
  std::uint32_t cp = 0, min = 0;
  if ((b0 & 0xE0) == 0xC0) {
    len = 2, cp = b0 & 0x1Fu, min = 0x80;
  } else if ((b0 & 0xF0) == 0xE0) {
    len = 3, cp = b0 & 0x0Fu, min = 0x800;
  } else if ((b0 & 0xF8) == 0xF0) {
    len = 4, cp = b0 & 0x07u, min = 0x10000;
  } else {
    ++i;
    return kReplacement;
  }
  if (i + len > s.size()) {
    ++i;
    return kReplacement;
  }
  for (size_t k = 1; k < len; ++k) {
    const unsigned char b = byte(i + k);
    if ((b & 0xC0) != 0x80) {
      ++i;
      return kReplacement;
    }
    cp = (cp << 6) | (b & 0x3Fu);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
    ++i;
    return kReplacement;
  }
  i += len;
  return cp;
}

std::string xml_text(std::string_view s) { return xml_escape(s, false); }
std::string xml_attr(std::string_view s) { return xml_escape(s, true); }

std::string yaml_quoted(std::string_view s) {
  std::string out = "\"";
  for (size_t i = 0; i < s.size();) {
    std::uint32_t cp = next_code_point(s, i);
    switch (cp) {
      case '"': out += "\\\""; continue;
      case '\\': out += "\\\\"; continue;
      case '\n': out += "\\n"; continue;
      case '\r': out += "\\r"; continue;
      case '\t': out += "\\t"; continue;
      default: break;
    }
    if (is_control(cp) || cp == 0xFEFF || cp == 0xFFFE || cp == 0xFFFF) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04X", static_cast<unsigned>(cp));
      out += buf;
    } else {
      append_utf8(out, cp);
    }
  }
  out += '"';
  return out;
}

std::string tap_line(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size();) {
    std::uint32_t cp = next_code_point(s, i);
    if (is_control(cp)) {
      out += ' ';
    } else {
      append_utf8(out, cp);
    }
  }
  return out;
}

std::string tap_description(std::string_view s) {
  std::string line = tap_line(s);
  std::string out;
  for (char c : line) {
    if (c == '\\' || c == '#') out += '\\';
    out += c;
  }
  return out;
}

std::string github_data(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '%') out += "%25";
    else if (c == '\r') out += "%0D";
    else if (c == '\n') out += "%0A";
    else out += c;
  }
  return out;
}

std::string github_property(std::string_view s) {
  std::string out;
  for (char c : github_data(s)) {
    if (c == ':') out += "%3A";
    else if (c == ',') out += "%2C";
    else out += c;
  }
  return out;
}

std::string markdown_cell(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size();) {
    std::uint32_t cp = next_code_point(s, i);
    switch (cp) {
      case '|': out += "\\|"; break;
      case '\\': out += "\\\\"; break;
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '\n': out += "<br>"; break;
      case '\r': break;
      case '\t': out += ' '; break;
      default:
        if (!is_control(cp)) append_utf8(out, cp);
    }
  }
  return out;
}

std::string fixed3(double value) {
  if (!std::isfinite(value)) value = 0;
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.3f", value);
  return buf;
}

}  // namespace wscheck
