// libFuzzer target: the message matcher.
//
// Input: PATTERN '\n' MESSAGE. The first line is parsed as a JSON pattern
// (with comments) the way a scenario file's {"json": ...} matcher is; if
// validate_json_pattern() accepts it, the pattern is matched against the
// rest of the input as a text message. Regex and Text matchers are
// exercised with the pattern when it is a JSON string (a valid regex only,
// as the parser guarantees). Text messages are passed only when they are
// valid UTF-8, as the engine guarantees (it closes with 1007 otherwise);
// invalid bytes go in as a binary message instead.
//
// Invariant checked besides "no crash, no exception": a pattern without
// operators matches itself (round-tripped through JSON text, like a real
// message).
//
// WSCHECK_FUZZ_NO_REGEX=1 skips Regex matchers and $regex patterns (libstdc++
// std::regex backtracks exponentially; while that is a known finding, the
// switch lets a run explore the rest of the matcher).
#include <cmath>
#include <cstddef>
#include <cstdlib>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz/fuzz_check.h"
#include "scenario/json_source.h"
#include "scenario/matcher.h"
#include "scenario/utf8.h"

namespace {

constexpr const char* kTarget = "matcher_fuzz";

bool has_operator_keys_or_nonfinite(const nlohmann::json& v) {
  if (v.is_object()) {
    for (auto it = v.begin(); it != v.end(); ++it) {
      if (!it.key().empty() && it.key()[0] == '$') return true;
      if (has_operator_keys_or_nonfinite(it.value())) return true;
    }
  } else if (v.is_array()) {
    for (const auto& x : v)
      if (has_operator_keys_or_nonfinite(x)) return true;
  } else if (v.is_number_float()) {
    return !std::isfinite(v.get<double>());
  }
  return false;
}

bool has_regex_operator(const nlohmann::json& v) {
  if (v.is_object()) {
    for (auto it = v.begin(); it != v.end(); ++it)
      if (it.key() == "$regex" || has_regex_operator(it.value())) return true;
  } else if (v.is_array()) {
    for (const auto& x : v)
      if (has_regex_operator(x)) return true;
  }
  return false;
}

bool regex_disabled() {
  static const bool off = [] {
    const char* v = std::getenv("WSCHECK_FUZZ_NO_REGEX");
    return v && *v && *v != '0';
  }();
  return off;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  size_t nl = input.find('\n');
  std::string_view pattern_text = input.substr(0, nl);
  std::string rest = nl == std::string_view::npos ? std::string() : std::string(input.substr(nl + 1));

  wscheck::Message message{false, rest};
  if (wscheck::find_invalid_utf8(rest)) message.binary = true;

  wscheck::ParsedJson parsed;
  try {
    parsed = wscheck::parse_json_with_comments(pattern_text);
  } catch (const wscheck::JsonSyntaxError&) {
    // Not a JSON pattern: still a fine Text matcher (and a hex one).
    if (!wscheck::find_invalid_utf8(pattern_text)) {
      wscheck::Matcher text{wscheck::Matcher::Kind::Text, {}, std::string(pattern_text)};
      (void)wscheck::match_message(text, message);
      (void)text.describe();
    }
    wscheck::Matcher hex{wscheck::Matcher::Kind::BinaryHex, {}, std::string(pattern_text)};
    (void)wscheck::match_message(hex, wscheck::Message{true, rest});
    return 0;
  }
  const nlohmann::json& pattern = parsed.value;

  if (regex_disabled() && has_regex_operator(pattern)) return 0;
  if (!wscheck::validate_json_pattern(pattern)) {
    wscheck::Matcher m{wscheck::Matcher::Kind::Json, pattern, {}};
    (void)m.describe();
    wscheck::MatchResult r = wscheck::match_message(m, message);
    if (!r.ok) (void)r.reason.size();

    if (!has_operator_keys_or_nonfinite(pattern)) {
      wscheck::MatchResult self = wscheck::match_message(m, wscheck::Message{false, pattern.dump()});
      FUZZ_CHECK(kTarget, self.ok,
                 "a pattern without operators does not match itself: " + pattern.dump() + " -> " + self.path +
                     ": " + self.reason);
    }
  }

  if (pattern.is_string()) {
    const std::string& s = pattern.get_ref<const std::string&>();
    wscheck::Matcher text{wscheck::Matcher::Kind::Text, {}, s};
    (void)wscheck::match_message(text, message);
    std::string why;
    if (!regex_disabled() && wscheck::is_valid_regex(s, why)) {
      wscheck::Matcher re{wscheck::Matcher::Kind::Regex, {}, s};
      (void)re.describe();
      (void)wscheck::match_message(re, message);
    }
  }
  return 0;
}
