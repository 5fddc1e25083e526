// Matching received messages against one expect / expect_sequence step.
//
/// Pure: plain data in, a verdict out. No lws, no sockets, no clock; the
/// runner hands it the connection's inbox (selective receive) and it takes
/// the messages it matches, leaving the others for later steps.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "engine/failure.h"
#include "engine/inbox.h"
#include "scenario/matcher.h"
#include "scenario/regex_cache.h"

namespace wscheck {

/// A short, quotable form of a received message (text truncated, binary in hex).
std::string message_excerpt(const Message& m);

/// A list of messages for a failure text: the first few excerpts and how
/// many there were in all.
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

/// The `count` / `until` modifiers of a single expect: a stream of items.
struct StreamSpec {
  size_t count = 0;              // 0 = any number (with until) / one (without)
  std::optional<Matcher> until;  // the terminator, consumed too
};

/// One expectation over a stream of messages: a single matcher (expect,
/// optionally a counted or terminated stream), an ordered or unordered
/// sequence (expect_sequence), optionally strict (the next unconsumed
/// message must be the next match). It tracks which entries matched, the
/// messages it left, the closest miss and entries that arrived too early.
class Expectation {
 public:
  enum class Verdict { kWaiting, kMatched, kFailed };

  Expectation() = default;
  Expectation(std::vector<Matcher> matchers, bool ordered, bool strict);
  /// A single expect with `count` and/or `until`.
  Expectation(Matcher item, bool strict, StreamSpec stream);

  /// Offers one message. kMatched: the step is complete (this message
  /// completed it); kFailed: see failure(). consumed() says whether the
  /// message was taken (a skipped message stays in the inbox).
  Verdict offer(const Message& m);
  bool consumed() const { return consumed_; }
  /// Selective receive: offers the inbox's messages this expectation has not
  /// seen yet, oldest first, consuming (as step `step`) the ones it takes.
  Verdict scan(Inbox& inbox, size_t step);
  /// WrongOrder, StrictMismatch, StreamEndedEarly or TooManyMessages, after kFailed.
  const FailureFact& failure() const { return *failure_; }
  /// What `capture` reads: the message that completed the step; for
  /// count / until the last item (the terminator when there was none).
  const std::optional<Message>& capture_source() const { return capture_source_; }

  /// What was seen so far and what `inbox` still holds, for a timeout or a
  /// close while waiting; names an earlier step (not `step`) that consumed
  /// a message this one wanted.
  ExpectationReport report(const Inbox& inbox, size_t step) const;
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
  bool is_stream() const { return stream_.count > 0 || stream_.until.has_value(); }
  bool awaits_terminator() const { return stream_.until && items_ >= stream_.count; }
  const Matcher& wanted_matcher() const;
  Verdict offer_entries(const Message& m);
  Verdict offer_stream(const Message& m);
  Verdict miss(const Message& m, const MatchResult& best);
  Verdict check_extra(const Inbox& inbox, uint64_t after);
  std::optional<size_t> find_hit(const Message& m, MatchResult& best);
  bool note_early(const Message& m);
  size_t first_unmatched() const;

  std::vector<Matcher> matchers_;
  bool ordered_ = true;
  bool strict_ = false;
  StreamSpec stream_;
  size_t items_ = 0;  // stream: items taken so far
  std::vector<bool> matched_;
  size_t next_ = 0;  // ordered: the entry expected next
  std::map<size_t, std::string> early_;
  SkippedMessages skipped_;
  std::optional<MatchResult> closest_;
  std::string closest_message_;
  std::optional<FailureFact> failure_;
  std::optional<Message> capture_source_;
  bool consumed_ = false;
  uint64_t scanned_ = 0;  // the inbox seq offered last
  RegexCache regexes_;
  std::map<std::string, nlohmann::json> captures_;
  size_t last_body_offset_ = 0;
};

}  // namespace wscheck
