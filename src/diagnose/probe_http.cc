#include "diagnose/probe_http.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>

#include "scenario/utf8.h"

namespace wscheck {

namespace {

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

/// The value of header `name` (lower case) in the header block, or "".
std::string header_value(const std::string& head, const std::string& name) {
  std::string h = lower(head);
  size_t pos = h.find("\r\n" + name + ":");
  if (pos == std::string::npos) return "";
  size_t start = pos + 3 + name.size();
  size_t end = head.find("\r\n", start);
  std::string v = head.substr(start, end == std::string::npos ? std::string::npos : end - start);
  size_t a = v.find_first_not_of(" \t");
  size_t b = v.find_last_not_of(" \t");
  return a == std::string::npos ? "" : v.substr(a, b - a + 1);
}

bool is_chunked(const std::string& head) { return lower(header_value(head, "transfer-encoding")).find("chunked") != std::string::npos; }

/// Decodes as many whole chunks as `raw` holds; `done` is set at the 0 chunk.
std::string dechunk(const std::string& raw, bool& done) {
  std::string out;
  size_t pos = 0;
  done = false;
  for (int guard = 0; guard < 100000; ++guard) {
    size_t eol = raw.find("\r\n", pos);
    if (eol == std::string::npos) break;
    char* end = nullptr;
    unsigned long size = std::strtoul(raw.c_str() + pos, &end, 16);
    if (end == raw.c_str() + pos) break;  // not a chunk-size line
    if (size == 0) {
      done = true;
      break;
    }
    size_t data = eol + 2;
    size_t take = std::min<size_t>(size, raw.size() - std::min(raw.size(), data));
    out.append(raw, data, take);
    if (take < size) break;
    pos = data + size + 2;
    if (pos > raw.size()) break;
  }
  return out;
}

}  // namespace

bool http_response_complete(const std::string& response, size_t body_cap) {
  size_t head_end = response.find("\r\n\r\n");
  if (head_end == std::string::npos) return false;
  if (response.rfind("HTTP/1.1 101", 0) == 0) return true;
  std::string head = response.substr(0, head_end);
  std::string body = response.substr(head_end + 4);
  if (body.size() >= body_cap) return true;
  if (is_chunked(head)) {
    bool done = false;
    dechunk(body, done);
    return done;
  }
  std::string length = header_value(head, "content-length");
  if (!length.empty()) return body.size() >= std::strtoul(length.c_str(), nullptr, 10);
  return false;  // read until EOF or the short grace period
}

std::string http_body(const std::string& response) {
  size_t head_end = response.find("\r\n\r\n");
  if (head_end == std::string::npos) return "";
  std::string body = response.substr(head_end + 4);
  if (!is_chunked(response.substr(0, head_end))) return body;
  bool done = false;
  return dechunk(body, done);
}

bool looks_like_http_start(const std::string& bytes) {
  static const std::string kPrefix = "HTTP/1.";
  if (bytes.empty()) return false;
  size_t n = std::min(bytes.size(), kPrefix.size());
  return bytes.compare(0, n, kPrefix, 0, n) == 0;
}

std::string one_line(const std::string& text, size_t max) {
  std::string out;
  for (unsigned char c : text) {
    if (c == '\r' || c == '\n' || c == '\t') {
      if (!out.empty() && out.back() != ' ') out += ' ';
    } else if (c < 0x20 || c == 0x7f) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", c);
      out += buf;
    } else {
      out += static_cast<char>(c);
    }
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return truncate_utf8(out, max);
}

}  // namespace wscheck
