// JSON-with-comments reader that remembers source positions.
//
/// Scenario files are JSON with `//` and `/* */` comments. nlohmann::json
/// does not keep positions, so this unit parses the text itself and records,
/// for every value and every object key, the line and column where it
/// starts (keyed by JSON pointer). Validation errors can then point at the
/// exact culprit as `file:line:col`.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <string_view>

namespace wscheck {

struct SourcePos {
  int line = 0;  // 1-based; 0 means "unknown"
  int col = 0;   // 1-based, counted in characters (not bytes)
};

/// Where each value (and each object key) of a parsed document started.
class SourceMap {
 public:
  void set_value(const std::string& pointer, SourcePos pos) { values_[pointer] = pos; }
  void set_key(const std::string& pointer, SourcePos pos) { keys_[pointer] = pos; }
  /// Position of the value at `pointer`, or of its nearest recorded parent.
  SourcePos value(const std::string& pointer) const;
  /// Position of the key naming `pointer`, falling back to value().
  SourcePos key(const std::string& pointer) const;

 private:
  std::map<std::string, SourcePos> values_;
  std::map<std::string, SourcePos> keys_;
};

struct ParsedJson {
  nlohmann::json value;
  SourceMap positions;
};

class JsonSyntaxError : public std::runtime_error {
 public:
  JsonSyntaxError(SourcePos pos, const std::string& message)
      : std::runtime_error(message), pos_(pos) {}
  SourcePos pos() const { return pos_; }

 private:
  SourcePos pos_;
};

struct JsonLimits {
  size_t max_depth = 64;
  size_t max_bytes = 8 * 1024 * 1024;
};

/// Parses `text`; throws JsonSyntaxError with the offending position.
ParsedJson parse_json_with_comments(std::string_view text, JsonLimits limits = {});

/// Nesting depth of the JSON-ish `text` (brackets outside strings), stopping
/// early once past `limit`. Received messages are checked with it before
/// nlohmann parses them: its destructor and dump recurse per level, so a
/// hostile 100 000-deep array would overflow the stack.
size_t json_nesting_depth(std::string_view text, size_t limit);
constexpr size_t kMaxMessageDepth = 256;

/// Appends one escaped reference token to a JSON pointer ("/a" + "b/c" -> "/a/b~1c").
std::string pointer_append(const std::string& pointer, const std::string& token);
std::string pointer_append(const std::string& pointer, size_t index);

}  // namespace wscheck
