// A connection's unconsumed messages, in arrival order (selective receive).
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>

#include "core/clock.h"
#include "scenario/matcher.h"

namespace wscheck {

/// A message as it arrived, with its arrival time and its place in the
/// connection's arrival order (seq counts from 1).
struct ReceivedMessage {
  Message message;
  Micros at = 0;
  size_t announced_bytes = 0;
  uint64_t seq = 0;
};

/// A message a step took out of the inbox, remembered for failure texts
/// ("a matching message arrived, but step 3 consumed it").
struct ConsumedMessage {
  Message message;
  size_t step = 0;  // 0-based index of the step that consumed it
};

/// The unconsumed messages of one connection, oldest first. expect steps
/// look here before waiting and take (consume) only what they match; what
/// they skip stays for later steps. Bounded: when full, the oldest message
/// is dropped and counted. Pure bookkeeping: no lws, no clock.
class Inbox {
 public:
  struct Limits {
    size_t max_messages = 1000;
    size_t max_bytes = 16 * 1024 * 1024;
  };
  static constexpr size_t kConsumedKept = 20;
  static constexpr size_t kConsumedBytes = 64 * 1024;  // larger ones are not remembered

  Inbox() = default;
  explicit Inbox(Limits limits) : limits_(limits) {}

  /// Appends an arrival (assigns its seq); drops the oldest while over the bound.
  void push_back(ReceivedMessage m);
  bool empty() const { return messages_.empty(); }
  size_t size() const { return messages_.size(); }
  size_t bytes() const { return bytes_; }
  /// Unconsumed messages dropped because the inbox was full.
  size_t dropped() const { return dropped_; }
  /// The seq of the last arrival (0 before any).
  uint64_t last_seq() const { return next_seq_ - 1; }
  /// The oldest unconsumed message that arrived after `seq`, if any.
  const ReceivedMessage* first_after(uint64_t seq) const;
  /// Removes the message with `seq`, remembering that `step` consumed it.
  void consume(uint64_t seq, size_t step);
  const std::deque<ReceivedMessage>& messages() const { return messages_; }
  /// The last few consumed messages, oldest first.
  const std::deque<ConsumedMessage>& consumed() const { return consumed_; }

 private:
  Limits limits_;
  std::deque<ReceivedMessage> messages_;
  std::deque<ConsumedMessage> consumed_;
  size_t bytes_ = 0;
  size_t dropped_ = 0;
  uint64_t next_seq_ = 1;
};

}  // namespace wscheck
