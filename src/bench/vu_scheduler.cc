#include "bench/vu_scheduler.h"

#include <algorithm>
#include <cmath>

namespace wscheck {

namespace {
constexpr Micros kBusy = -2;     // the VU is running an iteration
constexpr Micros kRetired = -1;  // the VU starts nothing more
}  // namespace

VuScheduler::VuScheduler(EventLoop& loop, const std::vector<const Scenario*>& scenarios, const RunSettings& settings,
                         LoadShare share, Recorder& recorder)
    : loop_(loop), scenarios_(scenarios), settings_(settings), share_(std::move(share)), recorder_(recorder),
      wake_(loop.context()) {}

VuScheduler::~VuScheduler() { wake_.cancel(); }

void VuScheduler::start() {
  t0_ = now_us();
  for (Micros off : share_.vu_offsets) vu_next_.push_back(t0_ + off);
}

Micros VuScheduler::arrival(std::uint64_t k) const {
  // Constant rate after a linear ramp from 0: during the ramp the k-th
  // arrival is where the integral of the rate reaches k.
  const double r = share_.rate, ramp = static_cast<double>(share_.ramp_up_us) / 1e6;
  const double n = static_cast<double>(k);
  double t;
  if (ramp > 0 && n < r * ramp / 2) t = std::sqrt(2 * n * ramp / r);
  else t = (ramp > 0 ? ramp / 2 : 0) + n / r;
  return t0_ + share_.rate_phase_us + static_cast<Micros>(t * 1e6);
}

bool VuScheduler::may_start() const {
  if (stopping_) return false;
  if (share_.iterations && started_count_ >= share_.iterations) return false;
  return true;
}

void VuScheduler::launch(Micros intended, Micros now, int vu) {
  const Scenario& s = *scenarios_[next_scenario_++ % scenarios_.size()];
  Running r{std::make_unique<ScenarioIteration>(loop_, s, settings_), intended, now, vu};
  r.iteration->start();
  running_.push_back(std::move(r));
  ++started_count_;
  ++in_flight_;
}

void VuScheduler::record(const Running& r, const IterationOutcome& o, Micros now) {
  Interval& cur = recorder_.current();
  ++cur.counters.iterations;
  cur.counters.messages_sent += o.messages_sent;
  cur.counters.messages_received += o.messages_received;
  cur.counters.connections_opened += o.connections_opened;
  const Micros lag = share_.open ? std::max<Micros>(0, r.started - r.intended) : 0;
  if (share_.open) recorder_.histogram("start_lag").record(lag);
  bool first = true;
  for (const auto& s : o.steps) {
    auto us = static_cast<Micros>(s.ms * 1000.0) + (first ? lag : 0);
    first = false;
    recorder_.histogram(s.key).record(us);
    if (s.timed) recorder_.latency().record(us);
  }
  for (const PhaseTimings& p : o.connects) {
    if (p.dns) recorder_.histogram("dns").record(static_cast<Micros>(*p.dns * 1000));
    if (p.tcp) recorder_.histogram("tcp").record(static_cast<Micros>(*p.tcp * 1000));
    if (p.tls) recorder_.histogram("tls").record(static_cast<Micros>(*p.tls * 1000));
    if (p.upgrade) recorder_.histogram("upgrade").record(static_cast<Micros>(*p.upgrade * 1000));
  }
  if (o.passed) {
    recorder_.histogram("iteration").record(now - (share_.open ? r.intended : r.started));
  } else if (!interrupted_) {
    ++cur.counters.iterations_failed;
    recorder_.failure(o.failure_class, o.failure_line);
  }
}

bool VuScheduler::poll(Micros now) {
  // 1. reap finished iterations (we are outside every lws callback here)
  for (size_t i = 0; i < running_.size();) {
    if (!running_[i].iteration->done()) {
      ++i;
      continue;
    }
    record(running_[i], running_[i].iteration->outcome(), now);
    if (running_[i].vu >= 0) vu_next_[static_cast<size_t>(running_[i].vu)] = now;
    running_[i] = std::move(running_.back());
    running_.pop_back();
    --in_flight_;
  }
  const Micros end = share_.duration_us ? t0_ + share_.duration_us : 0;
  if (end && now >= end && !share_.open) stop_starting();
  // 2. start what the model asks for
  Micros next_wake = now + 1000000;
  if (!share_.open) {
    for (size_t v = 0; v < vu_next_.size(); ++v) {
      if (vu_next_[v] < 0) continue;  // busy or retired
      if (!may_start()) {
        vu_next_[v] = kRetired;
        continue;
      }
      if (vu_next_[v] <= now) {
        launch(vu_next_[v], now, static_cast<int>(v));
        vu_next_[v] = kBusy;
      } else {
        next_wake = std::min(next_wake, vu_next_[v]);
      }
    }
  } else if (share_.rate > 0) {
    // Every arrival due before the end starts, however late the loop got to
    // it: its lag is measured, not omitted.
    while (may_start() && arrival(arrivals_) <= now && (!end || arrival(arrivals_) < end) &&
           in_flight_ < share_.max_in_flight) {
      launch(arrival(arrivals_), now, -1);
      ++arrivals_;
    }
    if (end && arrival(arrivals_) >= end) stop_starting();
    if (may_start() && in_flight_ < share_.max_in_flight) next_wake = std::min(next_wake, arrival(arrivals_));
  }
  if (!stopping_) wake_.start(std::max<Micros>(0, next_wake - now), [] {});
  const bool nothing_left = !may_start() || (share_.open && share_.rate <= 0) ||
                            (!share_.open && std::all_of(vu_next_.begin(), vu_next_.end(), [](Micros t) { return t == kRetired; }));
  return nothing_left && running_.empty();
}

void VuScheduler::stop_starting() {
  stopping_ = true;
  wake_.cancel();
}

void VuScheduler::stop() {
  stop_starting();
  if (interrupted_) return;
  interrupted_ = true;  // Ctrl-C: running iterations end now and are not counted as failures
  for (auto& r : running_) r.iteration->interrupt();
}

}  // namespace wscheck
