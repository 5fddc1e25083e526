// Matching received messages against one expect / expect_sequence step.
//
/// Pure: plain data in, a verdict out. No lws, no sockets, no clock; the
/// runner feeds it the messages a connection received, one at a time.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "engine/failure.h"
#include "scenario/matcher.h"
#include "scenario/regex_cache.h"

namespace wscheck {

/// A short, quotable form of a received message (text truncated, binary in hex).
std::string message_excerpt(const Message& m);

/// The other messages a step received while it waited: the first few
/// excerpts and how many there were in all.
class SkippedMessages {
 public:
  static constexpr size_t kListed = 10;
  void add(const Message& m);
  const std::vector<std::string>& listed() const { return listed_; }
  size_t total() const { return total_; }

 private:
  std::vector<std::string> listed_;
  size_t total_ = 0;
};

/// One expectation over a stream of messages: a single matcher (expect), an
/// ordered or unordered sequence (expect_sequence), optionally strict (every
/// message must be the next match). It tracks which entries matched, the
/// messages skipped, the closest miss and entries that arrived too early.
class Expectation {
 public:
  enum class Verdict { kWaiting, kMatched, kFailed };

  Expectation() = default;
  Expectation(std::vector<Matcher> matchers, bool ordered, bool strict);

  /// Offers the next received message. kMatched: every entry has matched
  /// (this message completed it); kFailed: see failure().
  Verdict offer(const Message& m);
  /// WrongOrder or StrictMismatch, after offer() returned kFailed.
  const FailureFact& failure() const { return *failure_; }

  /// What was seen so far, for a timeout or a close while waiting.
  ExpectationReport report() const;
  /// The first entry not matched yet, described ("message" when empty).
  std::string wanted() const;
  size_t skipped_total() const { return skipped_.total(); }
  size_t matched_count() const;
  /// Regex groups captured by every entry matched so far (later entries win),
  /// and where the JSON of the last matched message starts (after its prefix).
  const std::map<std::string, nlohmann::json>& captures() const { return captures_; }
  size_t last_body_offset() const { return last_body_offset_; }
  /// The compiled regexes of this step: each pattern compiles once.
  const RegexCache& regexes() const { return regexes_; }

 private:
  std::optional<size_t> find_hit(const Message& m, MatchResult& best);
  bool note_early(const Message& m);
  size_t first_unmatched() const;

  std::vector<Matcher> matchers_;
  bool ordered_ = true;
  bool strict_ = false;
  std::vector<bool> matched_;
  size_t next_ = 0;  // ordered: the entry expected next
  std::map<size_t, std::string> early_;
  SkippedMessages skipped_;
  std::optional<MatchResult> closest_;
  std::string closest_message_;
  std::optional<FailureFact> failure_;
  RegexCache regexes_;
  std::map<std::string, nlohmann::json> captures_;
  size_t last_body_offset_ = 0;
};

}  // namespace wscheck
