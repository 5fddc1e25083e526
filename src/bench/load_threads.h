// N load threads, each with its own lws context (EventLoop) and workload.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "bench/recorder.h"
#include "engine/clock.h"
#include "engine/event_loop.h"

namespace wscheck {

/// The work one load thread does on its own loop. Every method runs on that
/// thread; poll() runs after each loop turn, outside any lws callback, so it
/// may start and free connections and runners.
class ThreadWorkload {
 public:
  virtual ~ThreadWorkload() = default;
  virtual void start() = 0;
  /// Advances the work; true once everything is finished.
  virtual bool poll(Micros now) = 0;
  /// Start nothing new; close or finish what runs (poll() still decides done).
  virtual void stop() = 0;
  /// Open connections (echo) or iterations in flight (scenarios) right now.
  virtual std::uint64_t active() const = 0;
};

/// Runs one workload per thread. Debian's libwebsockets services a context
/// from one thread, so each thread owns a whole context: nothing is shared
/// on the hot path; measurements leave through each thread's Recorder.
class LoadThreads {
 public:
  using Factory = std::function<std::unique_ptr<ThreadWorkload>(EventLoop& loop, unsigned index, Recorder& recorder)>;

  LoadThreads(unsigned count, EventLoop::Options options, Factory factory);
  ~LoadThreads();
  LoadThreads(const LoadThreads&) = delete;
  LoadThreads& operator=(const LoadThreads&) = delete;

  /// Starts every thread; seconds of the series count from `run_start`.
  void start(Micros run_start);
  bool all_done() const { return finished_.load() == slots_.size(); }
  /// Asks every workload to stop and wakes its loop (any thread).
  void stop();
  /// Every interval the threads handed over since the last call.
  std::vector<Interval> collect();
  void join();
  /// Non-empty when a thread could not create its lws context.
  std::string error() const;
  /// When the last thread's workload finished (for the measured duration).
  Micros finished_at() const { return finished_at_.load(); }

 private:
  struct Slot {
    Recorder recorder;
    std::thread thread;
    std::mutex context_mutex;  // guards `context` against the thread destroying it
    lws_context* context = nullptr;
    std::string error;
  };
  void body(Slot& slot, unsigned index, Micros run_start);

  EventLoop::Options options_;
  Factory factory_;
  std::vector<std::unique_ptr<Slot>> slots_;
  std::mutex create_mutex_;  // lws_create_context sets process-wide log state
  std::atomic<bool> stop_{false};
  std::atomic<size_t> finished_{0};
  std::atomic<Micros> finished_at_{0};
};

}  // namespace wscheck
