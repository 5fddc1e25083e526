// The monitor: scenarios on a schedule, on-demand probes, and their stats.
#pragma once

#include <cstdint>
#include <functional>
#include <list>
#include <memory>
#include <string>
#include <vector>

#include "engine/event_loop.h"
#include "engine/timer.h"
#include "watch/engine_adapter.h"
#include "watch/metrics_page.h"
#include "watch/schedule.h"
#include "watch/scenario_stats.h"

namespace wscheck {

/// One scenario to watch and how often.
struct WatchedScenario {
  const Scenario* scenario = nullptr;
  std::string name;  // unique among the watched (a duplicate gets " #2")
  std::int64_t interval_us = 30000000;
};

struct WatcherOptions {
  double jitter = 0.1;          // share of the interval each tick may be delayed
  size_t history = 60;          // recent durations kept per scenario
  size_t max_probes = 16;       // /probe runs at once
  std::uint32_t seed = 0;       // jitter; 0: from the clock
};

/// Result of asking for an on-demand probe.
enum class ProbeAdmission { kStarted, kUnknownScenario, kBusy, kShuttingDown };

/// Owns a slot per scenario (schedule timer, the running execution, stats)
/// and the on-demand probes. Timers only mark work due; poll(), called by
/// the loop owner between services, starts and harvests runs, so nothing
/// is created or freed inside an lws callback.
class Watcher {
 public:
  using ProbeReply = std::function<void(const RunOutcome&)>;

  Watcher(EventLoop& loop, std::vector<WatchedScenario> scenarios, WatchEngineSettings settings, WatcherOptions options,
          std::function<void(const StateChange&)> on_change);
  ~Watcher();

  void start();
  void poll();

  /// Queues a probe of `scenario` against `target` (empty: the watch's
  /// target); `reply` is called from poll() when it finishes. `deadline_ms`
  /// cuts it. `id` identifies it for cancel_probe().
  ProbeAdmission start_probe(const std::string& scenario, const std::optional<Url>& target, int deadline_ms,
                             ProbeReply reply, std::uint64_t& id);
  /// The requester went away: the run goes on, its reply is dropped.
  void cancel_probe(std::uint64_t id);
  void count_rejected_probe() { ++probes_rejected_; }
  std::string known_scenarios() const;

  /// Stop scheduling; running scenarios may finish. cut_all() interrupts them.
  void begin_shutdown();
  void cut_all();
  bool idle() const;

  /// A snapshot for /metrics and the status page (`build`, `certs`,
  /// `start_time_s` are filled in by the caller).
  MonitorView view() const;

 private:
  struct Slot;
  struct Probe;
  void arm(Slot& slot, std::int64_t delay_us);
  void harvest(Slot& slot);
  void start_run(Slot& slot);
  void poll_probes();

  EventLoop& loop_;
  WatchEngineSettings settings_;
  WatcherOptions options_;
  std::function<void(const StateChange&)> on_change_;
  std::vector<std::unique_ptr<Slot>> slots_;
  std::list<std::unique_ptr<Probe>> probes_;
  std::uint64_t next_probe_id_ = 1;
  std::uint64_t probes_passed_ = 0, probes_failed_ = 0, probes_rejected_ = 0;
  bool shutting_down_ = false;
};

}  // namespace wscheck
