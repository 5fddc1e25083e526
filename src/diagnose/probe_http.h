// Reading the probe's raw HTTP response: completeness, chunked bodies, one-line quotes.
#pragma once

#include <string>

namespace wscheck {

/// True once `response` holds the whole header block and, for a non-101
/// answer, the body as announced (Content-Length, or a chunked body's last
/// chunk), capped at `body_cap` bytes.
bool http_response_complete(const std::string& response, size_t body_cap);

/// The body of `response` (after the header block), de-chunked when the
/// headers say Transfer-Encoding: chunked. Tolerates a truncated body.
std::string http_body(const std::string& response);

/// True when `bytes` is the start of an HTTP/1.x status line (or all of one):
/// "HTTP/1.1", "HTTP/", "H" all are.
bool looks_like_http_start(const std::string& bytes);

/// `text` on one line: CR, LF and tabs become spaces, other control bytes
/// \xNN, runs of spaces collapse; cut to `max` bytes (UTF-8 safe) with "…".
std::string one_line(const std::string& text, size_t max);

}  // namespace wscheck
