#include "watch/schedule.h"

#include <algorithm>

namespace wscheck {

Schedule::Schedule(std::int64_t interval_us, double jitter_fraction, std::uint32_t seed)
    : interval_us_(std::max<std::int64_t>(interval_us, 1)),
      jitter_us_(static_cast<std::int64_t>(double(interval_us_) * std::clamp(jitter_fraction, 0.0, 1.0))),
      random_(seed) {}

std::int64_t Schedule::jitter() {
  if (jitter_us_ <= 0) return 0;
  return std::uniform_int_distribution<std::int64_t>(0, jitter_us_)(random_);
}

std::int64_t Schedule::start(std::int64_t now_us) {
  grid_us_ = now_us;
  return jitter();
}

std::int64_t Schedule::next(std::int64_t now_us) {
  grid_us_ += interval_us_;
  if (grid_us_ + interval_us_ < now_us) grid_us_ = now_us;
  return std::max<std::int64_t>(0, grid_us_ + jitter() - now_us);
}

}  // namespace wscheck
