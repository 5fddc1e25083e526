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

size_t Expectation::first_unmatched() const {
  for (size_t i = 0; i < matched_.size(); ++i)
    if (!matched_[i]) return i;
  return 0;
}

size_t Expectation::matched_count() const {
  return static_cast<size_t>(std::count(matched_.begin(), matched_.end(), true));
}

std::string Expectation::wanted() const {
  return matchers_.empty() ? "message" : matchers_[first_unmatched()].describe();
}

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
  if (matchers_.empty()) return Verdict::kMatched;
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
    closest_.reset();  // the next "closest" is measured against the next entry
    return std::all_of(matched_.begin(), matched_.end(), [](bool b) { return b; }) ? Verdict::kMatched
                                                                                   : Verdict::kWaiting;
  }
  if (ordered_ && matchers_.size() > 1 && note_early(m) && !strict_) return Verdict::kWaiting;
  if (strict_) {
    failure_ = StrictMismatch{best, matchers_[first_unmatched()].describe(), message_excerpt(m)};
    return Verdict::kFailed;
  }
  skipped_.add(m);
  if (!closest_ || best.agreed > closest_->agreed) {
    closest_ = best;
    closest_message_ = message_excerpt(m);
  }
  return Verdict::kWaiting;
}

ExpectationReport Expectation::report() const {
  ExpectationReport r;
  r.wanted = wanted();
  r.matched = matched_count();
  r.entries = matchers_.size();
  r.closest = closest_;
  r.closest_message = closest_message_;
  r.early = early_;
  r.skipped = skipped_.listed();
  r.skipped_total = skipped_.total();
  return r;
}

}  // namespace wscheck
