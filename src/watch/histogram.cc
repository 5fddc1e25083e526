#include "watch/histogram.h"

namespace wscheck {

void BucketHistogram::observe(double seconds) {
  if (!(seconds >= 0)) seconds = 0;  // NaN and negatives (clock quirks) count as zero
  for (size_t i = 0; i < kBounds.size(); ++i) {
    if (seconds <= kBounds[i]) {
      ++buckets_[i];
      break;
    }
  }
  ++count_;
  sum_ += seconds;
}

std::uint64_t BucketHistogram::cumulative(size_t i) const {
  std::uint64_t n = 0;
  for (size_t j = 0; j <= i && j < buckets_.size(); ++j) n += buckets_[j];
  return n;
}

}  // namespace wscheck
