#include "engine/expectation.h"

#include <algorithm>

#include "scenario/utf8.h"

namespace wscheck {

std::string message_excerpt(const Message& m) {
  if (m.binary)
    return "binary " + to_hex(m.data.substr(0, 32)) + (m.data.size() > 32 ? "…" : "") + " (" +
           std::to_string(m.data.size()) + " bytes)";
  return truncate_utf8(m.data, 200);
}

void SkippedMessages::add(const Message& m) {
  ++total_;
  if (listed_.size() < kListed) listed_.push_back(message_excerpt(m));
}

Expectation::Expectation(std::vector<Matcher> matchers, bool ordered, bool strict)
    : matchers_(std::move(matchers)), ordered_(ordered), strict_(strict), matched_(matchers_.size(), false) {}

Expectation::Expectation(Matcher item, bool strict, StreamSpec stream)
    : matchers_({std::move(item)}), strict_(strict), stream_(std::move(stream)), matched_(1, false) {}

size_t Expectation::first_unmatched() const {
  for (size_t i = 0; i < matched_.size(); ++i)
    if (!matched_[i]) return i;
  return 0;
}

size_t Expectation::matched_count() const {
  return static_cast<size_t>(std::count(matched_.begin(), matched_.end(), true));
}

const Matcher& Expectation::wanted_matcher() const {
  return awaits_terminator() ? *stream_.until : matchers_[first_unmatched()];
}

std::string Expectation::wanted() const { return matchers_.empty() ? "message" : wanted_matcher().describe(); }

std::optional<size_t> Expectation::find_hit(const Message& m, MatchResult& best) {
  auto keep = [this](MatchResult& r) {
    for (auto& [name, value] : r.captures) captures_[name] = std::move(value);
    last_body_offset_ = r.body_offset;
  };
  if (ordered_) {
    MatchResult r = match_message(matchers_[next_], m, &regexes_);
    if (r.ok) {
      keep(r);
      return next_;
    }
    best = r;
    return std::nullopt;
  }
  for (size_t i = 0; i < matchers_.size(); ++i) {
    if (matched_[i]) continue;
    MatchResult r = match_message(matchers_[i], m, &regexes_);
    if (r.ok) {
      keep(r);
      return i;
    }
    if (!best.reason.size() || r.agreed > best.agreed) best = r;
  }
  return std::nullopt;
}

bool Expectation::note_early(const Message& m) {
  for (size_t j = next_ + 1; j < matchers_.size(); ++j) {
    if (!early_.count(j) && match_message(matchers_[j], m, &regexes_).ok) {
      early_[j] = message_excerpt(m);
      return true;
    }
  }
  return false;
}

Expectation::Verdict Expectation::offer(const Message& m) {
  consumed_ = false;
  if (matchers_.empty()) return Verdict::kMatched;
  return is_stream() ? offer_stream(m) : offer_entries(m);
}

/// A message the step does not take: strict fails, otherwise it stays.
Expectation::Verdict Expectation::miss(const Message& m, const MatchResult& best) {
  if (strict_) {
    failure_ = StrictMismatch{best, wanted(), message_excerpt(m)};
    return Verdict::kFailed;
  }
  skipped_.add(m);
  if (!closest_ || best.agreed > closest_->agreed) {
    closest_ = best;
    closest_message_ = message_excerpt(m);
  }
  return Verdict::kWaiting;
}

Expectation::Verdict Expectation::offer_entries(const Message& m) {
  MatchResult best;
  if (std::optional<size_t> hit = find_hit(m, best)) {
    if (ordered_) {
      // A later entry seen before this one means the order was wrong.
      for (const auto& [j, excerpt] : early_) {
        if (j <= *hit) continue;
        failure_ = WrongOrder{j, *hit, excerpt, message_excerpt(m)};
        return Verdict::kFailed;
      }
      ++next_;
    }
    matched_[*hit] = true;
    consumed_ = true;
    capture_source_ = m;
    closest_.reset();  // the next "closest" is measured against the next entry
    return std::all_of(matched_.begin(), matched_.end(), [](bool b) { return b; }) ? Verdict::kMatched
                                                                                   : Verdict::kWaiting;
  }
  // An early entry stays in the inbox; the wrong order shows when the awaited one comes.
  if (ordered_ && matchers_.size() > 1 && note_early(m) && !strict_) return Verdict::kWaiting;
  return miss(m, best);
}

/// count / until: the terminator is checked first (it may match the item
/// pattern too); an early terminator or an extra item fails at once.
Expectation::Verdict Expectation::offer_stream(const Message& m) {
  const std::string item = matchers_[0].describe();
  MatchResult until_result;
  if (stream_.until) {
    until_result = match_message(*stream_.until, m, &regexes_);
    if (until_result.ok) {
      consumed_ = true;
      if (items_ < stream_.count) {
        failure_ = StreamEndedEarly{items_, stream_.count, item, message_excerpt(m)};
        return Verdict::kFailed;
      }
      if (!capture_source_) capture_source_ = m;
      matched_[0] = true;
      return Verdict::kMatched;
    }
  }
  MatchResult r = match_message(matchers_[0], m, &regexes_);
  if (r.ok) {
    consumed_ = true;
    capture_source_ = m;
    closest_.reset();
    if (++items_ > stream_.count && stream_.count > 0) {
      failure_ = TooManyMessages{stream_.count, items_, item, stream_.until ? stream_.until->describe() : "",
                                 message_excerpt(m)};
      return Verdict::kFailed;
    }
    if (!stream_.until && items_ == stream_.count) {
      matched_[0] = true;
      return Verdict::kMatched;
    }
    return Verdict::kWaiting;
  }
  return miss(m, awaits_terminator() ? until_result : r);
}

/// count without until: a further matching message already in the inbox
/// when the count-th was taken means more arrived than expected.
Expectation::Verdict Expectation::check_extra(const Inbox& inbox, uint64_t after) {
  size_t extra = 0;
  std::string first;
  for (const ReceivedMessage* rm = inbox.first_after(after); rm; rm = inbox.first_after(rm->seq)) {
    if (!match_message(matchers_[0], rm->message, &regexes_).ok) continue;
    if (extra++ == 0) first = message_excerpt(rm->message);
  }
  if (extra == 0) return Verdict::kMatched;
  failure_ = TooManyMessages{stream_.count, stream_.count + extra, matchers_[0].describe(), "", first};
  return Verdict::kFailed;
}

Expectation::Verdict Expectation::scan(Inbox& inbox, size_t step) {
  while (const ReceivedMessage* rm = inbox.first_after(scanned_)) {
    scanned_ = rm->seq;
    Verdict v = offer(rm->message);
    if (consumed_) inbox.consume(scanned_, step);
    if (v == Verdict::kMatched && stream_.count > 0 && !stream_.until) return check_extra(inbox, scanned_);
    if (v != Verdict::kWaiting) return v;
  }
  return Verdict::kWaiting;
}

ExpectationReport Expectation::report(const Inbox& inbox, size_t step) const {
  ExpectationReport r;
  r.wanted = wanted();
  r.matched = matched_count();
  r.entries = matchers_.size();
  r.count = stream_.count;
  r.items = items_;
  if (is_stream()) r.item = matchers_[0].describe();
  if (stream_.until) r.until = stream_.until->describe();
  r.closest = closest_;
  r.closest_message = closest_message_;
  r.early = early_;
  SkippedMessages left;
  for (const ReceivedMessage& rm : inbox.messages()) left.add(rm.message);
  r.unconsumed = left.listed();
  r.unconsumed_total = left.total();
  r.dropped = inbox.dropped();
  if (!matchers_.empty()) {
    RegexCache cache;
    for (const ConsumedMessage& c : inbox.consumed()) {
      if (c.step == step || !match_message(wanted_matcher(), c.message, &cache).ok) continue;
      r.consumed_by = c.step;  // the latest one wins: the most likely culprit
      r.consumed_message = message_excerpt(c.message);
    }
  }
  return r;
}

}  // namespace wscheck
