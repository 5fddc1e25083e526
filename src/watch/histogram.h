// A Prometheus histogram with one fixed set of buckets.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

namespace wscheck {

/// Counts observations (seconds) into fixed cumulative buckets: memory is
/// constant however many observations arrive.
class BucketHistogram {
 public:
  /// Upper bounds in seconds, from sub-millisecond loopback phases to
  /// half-minute scenarios (the Prometheus defaults plus both ends).
  static constexpr std::array<double, 15> kBounds{0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1,
                                                  0.25,   0.5,   1,      2.5,   5,    10,   30};

  void observe(double seconds);
  /// Observations <= kBounds[i] (cumulative).
  std::uint64_t cumulative(size_t i) const;
  std::uint64_t count() const { return count_; }
  double sum() const { return sum_; }

 private:
  std::array<std::uint64_t, kBounds.size()> buckets_{};  // per bucket, not cumulative
  std::uint64_t count_ = 0;
  double sum_ = 0;
};

}  // namespace wscheck
