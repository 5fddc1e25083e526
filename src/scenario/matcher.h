// Matching received WebSocket messages against scenario expectations.
//
/// JSON patterns match as a subset (objects may carry extra keys, arrays
/// match element-wise) with `$` operator objects. A failed match says where
/// (a JSON pointer) and why, so a report can show a precise diff.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "scenario/model.h"

namespace wscheck {

struct Message {
  bool binary = false;
  std::string data;
};

struct MatchResult {
  bool ok = false;
  std::string path;    // JSON pointer of the first difference ("" = the whole message)
  std::string reason;  // "expected \"pong\", got \"echo_response\""
  int agreed = 0;      // how many checks agreed: ranks "closest" messages
  /// On a match: the named regex groups of a `regex` matcher or a `prefix`
  /// (name -> string value), to be set as variables. Nothing else.
  std::map<std::string, nlohmann::json> captures;
  size_t body_offset = 0;  // bytes of the matched `prefix`: capture pointers apply after it
};

class RegexCache;

/// Matches an already-expanded matcher against a message. With a `cache`,
/// each regex is compiled once for all the messages it is matched against.
/// Used by expect steps and background rules alike; see MatchResult::captures.
MatchResult match_message(const Matcher& matcher, const Message& message, RegexCache* cache = nullptr);

/// Matches a JSON value against a subset pattern.
MatchResult match_json(const nlohmann::json& pattern, const nlohmann::json& actual, RegexCache* cache = nullptr);

/// Checks a pattern's operators before anything runs. Returns an error
/// message and the JSON pointer (relative to the pattern) of the culprit.
std::optional<std::pair<std::string, std::string>> validate_json_pattern(const nlohmann::json& pattern);

/// The $operators a JSON pattern may use ("$regex", "$type", ...).
const std::set<std::string>& json_pattern_operators();

/// True if `s` is a valid (PCRE2) regular expression; otherwise fills `error`.
bool is_valid_regex(const std::string& s, std::string& error);

/// Lower-case hex of bytes, and its inverse (throws std::invalid_argument).
std::string to_hex(std::string_view bytes);
std::string from_hex(std::string_view hex);

}  // namespace wscheck
