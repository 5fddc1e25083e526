// Conversation -> scenario file text: the one writer shared by
// `wscheck import-har` and `wscheck record`.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "author/conversation.h"

namespace wscheck {

struct WriterOptions {
  std::string name;                        // the scenario's name
  std::string command;                     // "import-har" / "record", for the header comment
  std::vector<std::string> drop_patterns;  // PCRE2; text frames matching any are left out (heartbeats)
  bool absolute_urls = false;              // keep every URL absolute instead of relative to the first origin
};

/// The written scenario and what to tell the user about it.
struct WrittenScenario {
  std::string text;  // JSON with // comments, ready to save
  std::vector<std::pair<std::string, std::string>> variables;  // (NAME, where it came from); never values
  std::string base_origin;  // what relative URLs are joined to: give it as --url ("" if URLs are absolute)
  size_t sends = 0, expects = 0, dropped = 0;
};

/// One `connect` per connection (named "default", "conn2", ...), a `send`
/// per sent frame (JSON as "json", else "text" or "binary_base64"), an
/// `expect` per received frame (JSON as a subset matcher of its stable
/// fields, see volatile_fields.h; else exact "text" or "binary_hex"), the
/// closes as `close` / `expect_close`, and a `close` for every connection
/// still open at the end. An expect that arrived late gets a "timeout_ms"
/// of twice the observed gap plus a second when that exceeds the 5 s
/// default. Credentials become ${VARIABLES} (SecretBook); the text is
/// checked for every secret value before it is returned.
/// Throws AuthoringError for an invalid drop pattern, or when the
/// conversation has no connection.
WrittenScenario write_scenario(const Conversation& conversation, const WriterOptions& options);

/// Throws AuthoringError naming the first --drop pattern that does not compile.
void check_drop_patterns(const std::vector<std::string>& patterns);

}  // namespace wscheck
