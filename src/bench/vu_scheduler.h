// Virtual users on one load thread: closed (VUs loop) or open (arrival rate).
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "bench/load_threads.h"
#include "bench/scenario_iteration.h"
#include "engine/timer.h"

namespace wscheck {

/// One thread's share of the load.
struct LoadShare {
  bool open = false;                // open model: iterations start at `rate`
  std::vector<Micros> vu_offsets;   // closed: when each of this thread's VUs starts (ramp-up)
  double rate = 0;                  // open: iterations per second on this thread
  Micros rate_phase_us = 0;         // open: offset of this thread's first arrival
  unsigned max_in_flight = 0;       // open: iterations running at once, at most
  std::uint64_t iterations = 0;     // this thread's total; 0: until the duration ends
  Micros duration_us = 0;           // 0: until `iterations` are done
  Micros ramp_up_us = 0;            // open: the rate grows linearly over this time
};

/// Starts iterations by the model, reaps finished ones outside callbacks,
/// and records step latencies, connect phases and failures. In the open
/// model an iteration's latency counts from its intended start (wrk2), so a
/// stall that delays starts shows up instead of being omitted.
class VuScheduler : public ThreadWorkload {
 public:
  VuScheduler(EventLoop& loop, const std::vector<const Scenario*>& scenarios, const RunSettings& settings,
              LoadShare share, Recorder& recorder);
  ~VuScheduler() override;

  void start() override;
  bool poll(Micros now) override;
  void stop() override;
  std::uint64_t active() const override { return in_flight_; }

 private:
  struct Running {
    std::unique_ptr<ScenarioIteration> iteration;
    Micros intended = 0;
    Micros started = 0;
    int vu = -1;  // closed model: which VU runs it
  };
  void stop_starting();
  void launch(Micros intended, Micros now, int vu);
  void record(const Running& r, const IterationOutcome& o, Micros now);
  bool may_start() const;
  Micros arrival(std::uint64_t k) const;  // open: intended start of the k-th arrival

  EventLoop& loop_;
  const std::vector<const Scenario*>& scenarios_;
  const RunSettings& settings_;
  LoadShare share_;
  Recorder& recorder_;
  Timer wake_;
  std::vector<Running> running_;
  std::vector<Micros> vu_next_;  // closed: when each idle VU starts next (-1: busy or retired)
  std::uint64_t started_count_ = 0;
  std::uint64_t arrivals_ = 0;  // open: arrivals launched so far
  std::uint64_t in_flight_ = 0;
  std::uint64_t next_scenario_ = 0;
  Micros t0_ = 0;
  bool stopping_ = false;
  bool interrupted_ = false;
};

}  // namespace wscheck
