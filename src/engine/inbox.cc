#include "engine/inbox.h"

#include <algorithm>

namespace wscheck {

void Inbox::push_back(ReceivedMessage m) {
  m.seq = next_seq_++;
  bytes_ += m.message.data.size();
  messages_.push_back(std::move(m));
  // The newest message always stays, even when it alone is over the byte bound.
  while (messages_.size() > 1 && (messages_.size() > limits_.max_messages || bytes_ > limits_.max_bytes)) {
    bytes_ -= messages_.front().message.data.size();
    messages_.pop_front();
    ++dropped_;
  }
}

const ReceivedMessage* Inbox::first_after(uint64_t seq) const {
  // Ordered by seq: binary search for the first one past `seq`.
  auto it = std::upper_bound(messages_.begin(), messages_.end(), seq,
                             [](uint64_t s, const ReceivedMessage& m) { return s < m.seq; });
  return it == messages_.end() ? nullptr : &*it;
}

void Inbox::consume(uint64_t seq, size_t step) {
  auto it = std::lower_bound(messages_.begin(), messages_.end(), seq,
                             [](const ReceivedMessage& m, uint64_t s) { return m.seq < s; });
  if (it == messages_.end() || it->seq != seq) return;
  bytes_ -= it->message.data.size();
  if (it->message.data.size() <= kConsumedBytes) {
    consumed_.push_back(ConsumedMessage{std::move(it->message), step});
    if (consumed_.size() > kConsumedKept) consumed_.pop_front();
  }
  messages_.erase(it);
}

}  // namespace wscheck
