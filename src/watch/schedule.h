// When each scenario runs next: a fixed rate plus jitter, never stacked.
#pragma once

#include <cstdint>
#include <random>

namespace wscheck {

/// The timetable of one scenario. Ticks are `interval` apart on a fixed
/// grid (runs do not drift by their own duration); each tick is delayed by
/// a random share of `jitter` so many scenarios do not fire together. Pure:
/// times are passed in, so it is tested without a clock.
class Schedule {
 public:
  Schedule(std::int64_t interval_us, double jitter_fraction, std::uint32_t seed);

  /// The delay before the first run, counted from `now_us`.
  std::int64_t start(std::int64_t now_us);
  /// Called when a tick fired at `now_us`: the delay until the next one. A
  /// grid that fell more than one interval behind (a stalled loop) restarts
  /// from now instead of firing the missed ticks in a burst.
  std::int64_t next(std::int64_t now_us);
  std::int64_t interval_us() const { return interval_us_; }

 private:
  std::int64_t jitter();
  std::int64_t interval_us_;
  std::int64_t jitter_us_;
  std::int64_t grid_us_ = 0;
  std::mt19937 random_;
};

}  // namespace wscheck
