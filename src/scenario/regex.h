// Regular expressions for matchers, close reasons and log readiness.
//
/// PCRE2 (Perl-compatible syntax) with match and depth limits, instead of
/// std::regex: libstdc++'s engine recurses per character and backtracks
/// without bound, so a hostile message could overflow the stack or stall the
/// event loop past every deadline (found by the matcher fuzz target).
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace wscheck {

/// Where a regex matched and the text of its named groups that took part.
struct RegexMatch {
  size_t start = 0;
  size_t end = 0;  // byte offset just past the match
  std::map<std::string, std::string> groups;
};

class Regex {
 public:
  /// Compiles `pattern`; on failure returns nullopt with `error` set
  /// ("missing closing parenthesis at offset 3").
  static std::optional<Regex> compile(const std::string& pattern, std::string& error);

  /// True if the pattern matches somewhere in `subject`. When the match
  /// limits are hit the answer is false and `why` says so.
  bool search(std::string_view subject, std::string& why) const;
  bool search(std::string_view subject) const {
    std::string why;
    return search(subject, why);
  }

  /// Like search(), with the match's extent and named groups. `anchored`:
  /// the match must start at offset 0.
  std::optional<RegexMatch> find(std::string_view subject, std::string& why, bool anchored = false) const;

  /// The names of the pattern's named groups (?<name>...), in pattern order.
  std::vector<std::string> group_names() const;

 private:
  struct Code;
  std::shared_ptr<Code> code_;
};

}  // namespace wscheck
