#include "bench/load_threads.h"

#include "engine/timer.h"

namespace wscheck {

LoadThreads::LoadThreads(unsigned count, EventLoop::Options options, Factory factory)
    : options_(std::move(options)), factory_(std::move(factory)) {
  for (unsigned i = 0; i < count; ++i) slots_.push_back(std::make_unique<Slot>());
}

LoadThreads::~LoadThreads() {
  stop();
  join();
}

void LoadThreads::start(Micros run_start) {
  for (unsigned i = 0; i < slots_.size(); ++i) {
    Slot& slot = *slots_[i];
    slot.thread = std::thread([this, &slot, i, run_start] { body(slot, i, run_start); });
  }
}

void LoadThreads::body(Slot& slot, unsigned index, Micros run_start) {
  std::unique_ptr<EventLoop> loop;
  try {
    std::lock_guard<std::mutex> lock(create_mutex_);
    loop = std::make_unique<EventLoop>(options_);
  } catch (const std::exception& e) {
    std::lock_guard<std::mutex> lock(slot.context_mutex);
    slot.error = e.what();
    ++finished_;
    return;
  }
  {
    std::lock_guard<std::mutex> lock(slot.context_mutex);
    slot.context = loop->context();
  }
  {
    std::unique_ptr<ThreadWorkload> work = factory_(*loop, index, slot.recorder);
    Timer tick(loop->context());
    bool stopped = false;
    std::int64_t second = 0;
    work->start();
    loop->run([&] {
      Micros now = now_us();
      if (stop_.load(std::memory_order_relaxed) && !stopped) {
        stopped = true;
        work->stop();
      }
      bool done = work->poll(now);
      while (now >= run_start + (second + 1) * 1000000) {
        slot.recorder.hand_over(second, work->active());
        ++second;
      }
      if (!tick.active()) tick.start(run_start + (second + 1) * 1000000 - now, [] {});
      return done;
    });
    const Micros end = now_us();
    slot.recorder.hand_over(std::max<std::int64_t>((end - run_start) / 1000000, second), 0);
    Micros seen = finished_at_.load();
    while (seen < end && !finished_at_.compare_exchange_weak(seen, end)) {
    }
  }
  {
    std::lock_guard<std::mutex> lock(slot.context_mutex);
    slot.context = nullptr;
  }
  loop.reset();
  ++finished_;
}

void LoadThreads::stop() {
  stop_ = true;
  for (auto& slot : slots_) {
    std::lock_guard<std::mutex> lock(slot->context_mutex);
    if (slot->context) lws_cancel_service(slot->context);
  }
}

std::vector<Interval> LoadThreads::collect() {
  std::vector<Interval> all;
  for (auto& slot : slots_) {
    auto got = slot->recorder.collect();
    for (auto& i : got) all.push_back(std::move(i));
  }
  return all;
}

void LoadThreads::join() {
  for (auto& slot : slots_)
    if (slot->thread.joinable()) slot->thread.join();
}

std::string LoadThreads::error() const {
  for (const auto& slot : slots_) {
    std::lock_guard<std::mutex> lock(slot->context_mutex);
    if (!slot->error.empty()) return slot->error;
  }
  return "";
}

}  // namespace wscheck
