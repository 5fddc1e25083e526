#include "bench/histogram.h"

#include <algorithm>
#include <bit>
#include <cmath>

namespace wscheck {

namespace {
constexpr std::int64_t kSub = 1LL << Histogram::kSubBits;
}

std::size_t Histogram::bucket_of(std::int64_t value) {
  if (value < kSub) return static_cast<std::size_t>(std::max<std::int64_t>(value, 0));
  int octave = std::bit_width(static_cast<std::uint64_t>(value)) - 1;  // >= kSubBits
  int shift = octave - kSubBits;
  std::int64_t sub = (value >> shift) - kSub;  // 0 .. kSub-1
  return static_cast<std::size_t>(kSub + static_cast<std::int64_t>(shift) * kSub + sub);
}

std::int64_t Histogram::bucket_low(std::size_t index) {
  auto i = static_cast<std::int64_t>(index);
  if (i < kSub) return i;
  std::int64_t shift = (i - kSub) / kSub;
  std::int64_t sub = (i - kSub) % kSub;
  return (kSub + sub) << shift;
}

std::int64_t Histogram::bucket_high(std::size_t index) {
  auto i = static_cast<std::int64_t>(index);
  if (i < kSub) return i;
  std::int64_t shift = (i - kSub) / kSub;
  return bucket_low(index) + (1LL << shift) - 1;
}

void Histogram::record(std::int64_t value) { record_n(value, 1); }

void Histogram::record_n(std::int64_t value, std::uint64_t n) {
  if (n == 0) return;
  value = std::clamp<std::int64_t>(value, 0, kMaxValue);
  std::size_t b = bucket_of(value);
  if (b >= counts_.size()) counts_.resize(b + 1, 0);
  counts_[b] += n;
  if (count_ == 0 || value < min_) min_ = value;
  if (count_ == 0 || value > max_) max_ = value;
  count_ += n;
  sum_ += static_cast<std::uint64_t>(value) * n;
}

void Histogram::merge(const Histogram& other) {
  if (other.count_ == 0) return;
  if (other.counts_.size() > counts_.size()) counts_.resize(other.counts_.size(), 0);
  for (std::size_t i = 0; i < other.counts_.size(); ++i) counts_[i] += other.counts_[i];
  if (count_ == 0 || other.min_ < min_) min_ = other.min_;
  if (count_ == 0 || other.max_ > max_) max_ = other.max_;
  count_ += other.count_;
  sum_ += other.sum_;
}

void Histogram::clear() {
  std::fill(counts_.begin(), counts_.end(), 0);
  count_ = 0;
  min_ = max_ = 0;
  sum_ = 0;
}

std::int64_t Histogram::percentile(double q) const {
  if (count_ == 0) return 0;
  q = std::clamp(q, 0.0, 1.0);
  if (q >= 1.0) return max_;
  auto rank = static_cast<std::uint64_t>(std::ceil(q * static_cast<double>(count_)));
  rank = std::max<std::uint64_t>(rank, 1);
  std::uint64_t seen = 0;
  for (std::size_t i = 0; i < counts_.size(); ++i) {
    seen += counts_[i];
    if (seen >= rank) {
      std::int64_t mid = bucket_low(i) + (bucket_high(i) - bucket_low(i)) / 2;
      return std::clamp(mid, min_, max_);
    }
  }
  return max_;
}

nlohmann::json Histogram::to_json() const {
  nlohmann::json buckets = nlohmann::json::array();
  for (std::size_t i = 0; i < counts_.size(); ++i)
    if (counts_[i]) buckets.push_back({i, counts_[i]});
  return {{"count", count_}, {"min", min()}, {"max", max()}, {"sum", sum_}, {"buckets", buckets}};
}

bool Histogram::from_json(const nlohmann::json& j, Histogram& out, std::string& error) {
  out = Histogram{};
  if (!j.is_object() || !j.contains("buckets") || !j["buckets"].is_array()) {
    error = "a histogram must be an object with a \"buckets\" array";
    return false;
  }
  const std::size_t max_index = bucket_of(kMaxValue);
  for (const auto& b : j["buckets"]) {
    if (!b.is_array() || b.size() != 2 || !b[0].is_number_unsigned() || !b[1].is_number_unsigned()) {
      error = "each histogram bucket must be [index, count] with non-negative integers";
      return false;
    }
    auto index = b[0].get<std::uint64_t>();
    if (index > max_index) {
      error = "histogram bucket index " + std::to_string(index) + " is out of range";
      return false;
    }
    if (index >= out.counts_.size()) out.counts_.resize(index + 1, 0);
    out.counts_[index] += b[1].get<std::uint64_t>();
    out.count_ += b[1].get<std::uint64_t>();
  }
  auto num = [&](const char* key, std::int64_t& v) {
    if (!j.contains(key) || !j[key].is_number_integer()) return false;
    v = j[key].get<std::int64_t>();
    return true;
  };
  std::int64_t count = 0, sum = 0;
  if (!num("count", count) || !num("min", out.min_) || !num("max", out.max_) || !num("sum", sum)) {
    error = "a histogram needs integer count, min, max and sum";
    return false;
  }
  out.sum_ = static_cast<std::uint64_t>(sum);
  if (static_cast<std::uint64_t>(count) != out.count_) {
    error = "histogram count " + std::to_string(count) + " does not equal the sum of its buckets";
    return false;
  }
  return true;
}

bool Histogram::operator==(const Histogram& other) const {
  if (count_ != other.count_ || min() != other.min() || max() != other.max() || sum_ != other.sum_) return false;
  std::size_t n = std::max(counts_.size(), other.counts_.size());
  for (std::size_t i = 0; i < n; ++i) {
    std::uint64_t a = i < counts_.size() ? counts_[i] : 0;
    std::uint64_t b = i < other.counts_.size() ? other.counts_[i] : 0;
    if (a != b) return false;
  }
  return true;
}

}  // namespace wscheck
