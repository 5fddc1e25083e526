// Compiled regexes kept for the life of one expectation.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "scenario/regex.h"

namespace wscheck {

/// Compiles each pattern once and hands out the compiled form: a step that
/// matches many received messages against the same $regex does not pay for
/// PCRE2 compilation per message. Not thread-safe; owned by one step.
class RegexCache {
 public:
  /// The compiled `pattern`, or nullptr with `error` set when it is invalid.
  const Regex* get(const std::string& pattern, std::string& error);
  /// How many times a pattern was compiled (cache misses).
  size_t compilations() const { return compilations_; }

 private:
  struct Entry {
    std::optional<Regex> regex;
    std::string error;
  };
  std::map<std::string, Entry> entries_;
  size_t compilations_ = 0;
};

/// Compiles `pattern` (once, through `cache` when given) and finds it in
/// `subject`; nullopt with `why` set when the pattern is invalid or gave up,
/// nullopt with `why` empty when it does not match.
std::optional<RegexMatch> regex_find(const std::string& pattern, std::string_view subject, std::string& why,
                                     RegexCache* cache, bool anchored = false);

}  // namespace wscheck
