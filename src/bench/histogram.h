// A log-linear latency histogram (HdrHistogram's idea, small and exact to merge).
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace wscheck {

/// Counts non-negative integer values (microseconds, by convention) in
/// log-linear buckets: values below 128 exactly, above that 128 buckets per
/// power of two, so any value is known to within 1/256 (0.4 %) of itself.
/// Debian 12 packages HdrHistogram only for Go and Java, hence this one.
/// Merging adds counts, so merge(a, b) equals recording everything in one;
/// min, max, count and sum are kept exactly. Recording never allocates once
/// the bucket array has grown to the largest value seen.
class Histogram {
 public:
  static constexpr int kSubBits = 7;                        // 128 sub-buckets per octave
  static constexpr std::int64_t kMaxValue = (1LL << 40) - 1;  // ~12.7 days in us; larger values clamp

  void record(std::int64_t value);
  void record_n(std::int64_t value, std::uint64_t n);
  void merge(const Histogram& other);
  void clear();

  std::uint64_t count() const { return count_; }
  std::int64_t min() const { return count_ ? min_ : 0; }
  std::int64_t max() const { return count_ ? max_ : 0; }
  double mean() const { return count_ ? static_cast<double>(sum_) / static_cast<double>(count_) : 0.0; }
  /// The value at quantile q in [0, 1] (0.99 = p99); 0 when empty. The
  /// answer is the middle of the bucket holding it, clamped to [min, max].
  std::int64_t percentile(double q) const;

  /// Bucket arithmetic, public for tests and for the HTML histogram.
  static std::size_t bucket_of(std::int64_t value);
  static std::int64_t bucket_low(std::size_t index);
  static std::int64_t bucket_high(std::size_t index);  // inclusive
  const std::vector<std::uint64_t>& buckets() const { return counts_; }

  /// {"count","min","max","sum","buckets":[[index,count],...]} (sparse, exact).
  nlohmann::json to_json() const;
  /// The inverse of to_json(); false with `error` on a malformed object.
  static bool from_json(const nlohmann::json& j, Histogram& out, std::string& error);

  bool operator==(const Histogram& other) const;

 private:
  std::vector<std::uint64_t> counts_;
  std::uint64_t count_ = 0;
  std::int64_t min_ = 0;
  std::int64_t max_ = 0;
  std::uint64_t sum_ = 0;
};

}  // namespace wscheck
