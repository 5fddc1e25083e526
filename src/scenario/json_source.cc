#include "scenario/json_source.h"

#include <cstdlib>
#include <cstring>

#include "scenario/utf8.h"

namespace wscheck {

namespace {

std::string parent_pointer(const std::string& pointer) {
  auto slash = pointer.rfind('/');
  if (slash == std::string::npos || pointer.empty()) return "";
  return pointer.substr(0, slash);
}

class Reader {
 public:
  Reader(std::string_view text, JsonLimits limits, SourceMap& map)
      : text_(text), limits_(limits), map_(map) {}

  nlohmann::json parse_document() {
    skip_space();
    nlohmann::json value = parse_value("", 0);
    skip_space();
    if (pos_ < text_.size()) fail("unexpected text after the end of the JSON document");
    return value;
  }

 private:
  [[noreturn]] void fail(const std::string& message) const { throw JsonSyntaxError(here(), message); }

  SourcePos here() const { return SourcePos{line_, col_}; }

  char peek() const { return pos_ < text_.size() ? text_[pos_] : '\0'; }
  bool at_end() const { return pos_ >= text_.size(); }

  void advance() {
    if (at_end()) return;
    unsigned char c = static_cast<unsigned char>(text_[pos_++]);
    if (c == '\n') {
      ++line_;
      col_ = 1;
    } else if ((c & 0xC0) != 0x80) {
      ++col_;  // count characters, not UTF-8 continuation bytes
    }
  }

  void skip_space() {
    for (;;) {
      char c = peek();
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
        advance();
      } else if (c == '/' && pos_ + 1 < text_.size() && text_[pos_ + 1] == '/') {
        while (!at_end() && peek() != '\n') advance();
      } else if (c == '/' && pos_ + 1 < text_.size() && text_[pos_ + 1] == '*') {
        SourcePos start = here();
        advance();
        advance();
        while (!(peek() == '*' && pos_ + 1 < text_.size() && text_[pos_ + 1] == '/')) {
          if (at_end()) throw JsonSyntaxError(start, "unterminated /* comment");
          advance();
        }
        advance();
        advance();
      } else {
        return;
      }
    }
  }

  void expect_char(char c, const char* what) {
    if (peek() != c) {
      std::string message = "expected ";  // built by append: GCC 12 warns falsely on string + string&& here
      message.append(what).append(describe_found());
      fail(message);
    }
    advance();
  }

  std::string describe_found() const {
    if (at_end()) return ", found the end of the file";
    char c = peek();
    if (static_cast<unsigned char>(c) < 0x20) return ", found a control character";
    // quote the whole character, not its first UTF-8 byte
    size_t end = pos_ + 1;
    while (end < text_.size() && (static_cast<unsigned char>(text_[end]) & 0xC0) == 0x80 && end - pos_ < 4) ++end;
    return ", found '" + std::string(text_.substr(pos_, end - pos_)) + "'";
  }

  nlohmann::json parse_value(const std::string& pointer, size_t depth) {
    if (depth > limits_.max_depth)
      fail("nesting deeper than " + std::to_string(limits_.max_depth) + " levels");
    map_.set_value(pointer, here());
    char c = peek();
    switch (c) {
      case '{':
        return parse_object(pointer, depth);
      case '[':
        return parse_array(pointer, depth);
      case '"':
        return parse_string();
      case 't':
        return parse_literal("true", true);
      case 'f':
        return parse_literal("false", false);
      case 'n':
        return parse_literal("null", nullptr);
      default:
        if (c == '-' || (c >= '0' && c <= '9')) return parse_number();
        fail("expected a JSON value" + describe_found());
    }
  }

  nlohmann::json parse_literal(const char* word, nlohmann::json value) {
    size_t n = std::strlen(word);
    if (text_.substr(pos_, n) != word) fail(std::string("invalid literal (did you mean ") + word + "?)");
    for (size_t i = 0; i < n; ++i) advance();
    return value;
  }

  nlohmann::json parse_object(const std::string& pointer, size_t depth) {
    advance();  // {
    nlohmann::json object = nlohmann::json::object();
    skip_space();
    if (peek() == '}') {
      advance();
      return object;
    }
    for (;;) {
      skip_space();
      SourcePos key_pos = here();
      if (peek() != '"') fail("expected a quoted object key" + describe_found());
      std::string key = parse_string().get<std::string>();
      if (object.contains(key)) throw JsonSyntaxError(key_pos, "duplicate key \"" + key + "\"");
      std::string child = pointer_append(pointer, key);
      map_.set_key(child, key_pos);
      skip_space();
      expect_char(':', "':' after the object key");
      skip_space();
      object[key] = parse_value(child, depth + 1);
      skip_space();
      if (peek() == ',') {
        advance();
        skip_space();
        if (peek() == '}') fail("trailing comma before '}'");
        continue;
      }
      if (peek() == '}') {
        advance();
        return object;
      }
      fail("expected ',' or '}' in the object" + describe_found());
    }
  }

  nlohmann::json parse_array(const std::string& pointer, size_t depth) {
    advance();  // [
    nlohmann::json array = nlohmann::json::array();
    skip_space();
    if (peek() == ']') {
      advance();
      return array;
    }
    for (;;) {
      skip_space();
      array.push_back(parse_value(pointer_append(pointer, array.size()), depth + 1));
      skip_space();
      if (peek() == ',') {
        advance();
        skip_space();
        if (peek() == ']') fail("trailing comma before ']'");
        continue;
      }
      if (peek() == ']') {
        advance();
        return array;
      }
      fail("expected ',' or ']' in the array" + describe_found());
    }
  }

  unsigned parse_hex4() {
    unsigned value = 0;
    for (int i = 0; i < 4; ++i) {
      char c = peek();
      value <<= 4;
      if (c >= '0' && c <= '9') value |= unsigned(c - '0');
      else if (c >= 'a' && c <= 'f') value |= unsigned(c - 'a' + 10);
      else if (c >= 'A' && c <= 'F') value |= unsigned(c - 'A' + 10);
      else fail("invalid \\u escape: expected 4 hex digits");
      advance();
    }
    return value;
  }

  nlohmann::json parse_string() {
    advance();  // opening quote
    std::string out;
    for (;;) {
      if (at_end()) fail("unterminated string");
      unsigned char c = static_cast<unsigned char>(peek());
      if (c == '"') {
        advance();
        return out;
      }
      if (c < 0x20) fail("control character in a string (escape newlines as \\n)");
      if (c != '\\') {
        out.push_back(static_cast<char>(c));
        advance();
        continue;
      }
      advance();
      char e = peek();
      advance();
      switch (e) {
        case '"': out.push_back('"'); break;
        case '\\': out.push_back('\\'); break;
        case '/': out.push_back('/'); break;
        case 'b': out.push_back('\b'); break;
        case 'f': out.push_back('\f'); break;
        case 'n': out.push_back('\n'); break;
        case 'r': out.push_back('\r'); break;
        case 't': out.push_back('\t'); break;
        case 'u': {
          unsigned cp = parse_hex4();
          if (cp >= 0xD800 && cp <= 0xDBFF) {
            if (peek() != '\\') fail("unpaired UTF-16 surrogate in \\u escape");
            advance();
            if (peek() != 'u') fail("unpaired UTF-16 surrogate in \\u escape");
            advance();
            unsigned low = parse_hex4();
            if (low < 0xDC00 || low > 0xDFFF) fail("invalid UTF-16 low surrogate in \\u escape");
            cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
          } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
            fail("unpaired UTF-16 surrogate in \\u escape");
          }
          append_utf8(out, cp);
          break;
        }
        default:
          fail("invalid escape sequence in a string");
      }
    }
  }

  nlohmann::json parse_number() {
    size_t start = pos_;
    bool is_integer = true;
    if (peek() == '-') advance();
    if (peek() == '0') {
      advance();
    } else if (peek() >= '1' && peek() <= '9') {
      while (peek() >= '0' && peek() <= '9') advance();
    } else {
      fail("invalid number");
    }
    if (peek() == '.') {
      is_integer = false;
      advance();
      if (!(peek() >= '0' && peek() <= '9')) fail("invalid number: digits expected after '.'");
      while (peek() >= '0' && peek() <= '9') advance();
    }
    if (peek() == 'e' || peek() == 'E') {
      is_integer = false;
      advance();
      if (peek() == '+' || peek() == '-') advance();
      if (!(peek() >= '0' && peek() <= '9')) fail("invalid number: digits expected in the exponent");
      while (peek() >= '0' && peek() <= '9') advance();
    }
    std::string token(text_.substr(start, pos_ - start));
    if (is_integer) {
      errno = 0;
      char* end = nullptr;
      long long v = std::strtoll(token.c_str(), &end, 10);
      if (errno == 0 && end && *end == '\0') return nlohmann::json(static_cast<std::int64_t>(v));
    }
    return nlohmann::json(std::strtod(token.c_str(), nullptr));
  }

  std::string_view text_;
  JsonLimits limits_;
  SourceMap& map_;
  size_t pos_ = 0;
  int line_ = 1;
  int col_ = 1;
};

}  // namespace

SourcePos SourceMap::value(const std::string& pointer) const {
  std::string p = pointer;
  for (;;) {
    auto it = values_.find(p);
    if (it != values_.end()) return it->second;
    if (p.empty()) return SourcePos{};
    p = parent_pointer(p);
  }
}

SourcePos SourceMap::key(const std::string& pointer) const {
  auto it = keys_.find(pointer);
  if (it != keys_.end()) return it->second;
  return value(pointer);
}

size_t json_nesting_depth(std::string_view text, size_t limit) {
  size_t depth = 0, deepest = 0;
  bool in_string = false, escaped = false;
  for (char c : text) {
    if (in_string) {
      if (escaped) escaped = false;
      else if (c == '\\') escaped = true;
      else if (c == '"') in_string = false;
      continue;
    }
    if (c == '"') in_string = true;
    else if (c == '[' || c == '{') {
      if (++depth > deepest) deepest = depth;
      if (deepest > limit) return deepest;
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return deepest;
}

std::string pointer_append(const std::string& pointer, const std::string& token) {
  std::string out = pointer + "/";
  for (char c : token) {
    if (c == '~') out += "~0";
    else if (c == '/') out += "~1";
    else out.push_back(c);
  }
  return out;
}

std::string pointer_append(const std::string& pointer, size_t index) {
  return pointer + "/" + std::to_string(index);
}

ParsedJson parse_json_with_comments(std::string_view text, JsonLimits limits) {
  ParsedJson parsed;
  if (text.size() > limits.max_bytes)
    throw JsonSyntaxError(SourcePos{1, 1}, "file is larger than " + std::to_string(limits.max_bytes) +
                                               " bytes; scenario files are meant to be small");
  if (auto bad = find_invalid_utf8(text)) {
    SourcePos pos{1, 1};
    for (size_t i = 0; i < *bad; ++i) {
      unsigned char c = static_cast<unsigned char>(text[i]);
      if (c == '\n') {
        ++pos.line;
        pos.col = 1;
      } else if ((c & 0xC0) != 0x80) {
        ++pos.col;
      }
    }
    throw JsonSyntaxError(pos, "invalid UTF-8 byte (is this a binary file?)");
  }
  Reader reader(text, limits, parsed.positions);
  parsed.value = reader.parse_document();
  return parsed;
}

}  // namespace wscheck
