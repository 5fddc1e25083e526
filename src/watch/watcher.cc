#include "watch/watcher.h"

#include <chrono>

#include "engine/clock.h"

namespace wscheck {

namespace {

double wall_now_s() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

}  // namespace

struct Watcher::Slot {
  Slot(const WatchedScenario& w, lws_context* context, double jitter, std::uint32_t seed, size_t history)
      : watched(w), schedule(w.interval_us, jitter, seed), timer(context), stats(w.name, history) {}
  WatchedScenario watched;
  Schedule schedule;
  Timer timer;
  ScenarioStats stats;
  std::unique_ptr<ScenarioExecution> run;
  bool due = false;
};

struct Watcher::Probe {
  Probe(lws_context* context) : deadline(context) {}
  std::uint64_t id = 0;
  const Scenario* scenario = nullptr;
  WatchEngineSettings settings;
  std::unique_ptr<ScenarioExecution> run;
  Timer deadline;
  int deadline_ms = 0;
  bool cut_due = false;
  ProbeReply reply;
};

Watcher::Watcher(EventLoop& loop, std::vector<WatchedScenario> scenarios, WatchEngineSettings settings,
                 WatcherOptions options, std::function<void(const StateChange&)> on_change)
    : loop_(loop), settings_(std::move(settings)), options_(options), on_change_(std::move(on_change)) {
  std::uint32_t seed = options_.seed ? options_.seed : static_cast<std::uint32_t>(now_us());
  for (const auto& w : scenarios)
    slots_.push_back(std::make_unique<Slot>(w, loop.context(), options_.jitter, seed++, options_.history));
}

Watcher::~Watcher() {
  for (auto& slot : slots_) slot->timer.cancel();
  for (auto& probe : probes_) probe->deadline.cancel();
}

void Watcher::start() {
  for (auto& slot : slots_) arm(*slot, slot->schedule.start(now_us()));
}

void Watcher::arm(Slot& slot, std::int64_t delay_us) {
  Slot* s = &slot;
  slot.timer.start(delay_us, [this, s] {
    s->due = true;
    arm(*s, s->schedule.next(now_us()));
    lws_cancel_service(loop_.context());  // poll() runs between services
  });
}

void Watcher::harvest(Slot& slot) {
  if (!slot.run || !slot.run->done()) return;
  RunOutcome outcome = slot.run->outcome();
  slot.run.reset();
  if (auto change = slot.stats.record(outcome, wall_now_s()); change && on_change_) on_change_(*change);
}

void Watcher::start_run(Slot& slot) {
  slot.run = std::make_unique<ScenarioExecution>(loop_, *slot.watched.scenario, settings_);
  slot.run->start();
}

void Watcher::poll() {
  for (auto& slot : slots_) {
    harvest(*slot);
    if (!slot->due) continue;
    slot->due = false;
    if (shutting_down_) continue;
    if (slot->run) slot->stats.record_overrun();  // still running: recorded, not stacked
    else start_run(*slot);
  }
  poll_probes();
}

void Watcher::poll_probes() {
  for (auto it = probes_.begin(); it != probes_.end();) {
    Probe& p = **it;
    if (!p.run) {
      p.run = std::make_unique<ScenarioExecution>(loop_, *p.scenario, p.settings);
      Probe* raw = &p;
      p.deadline.start(Micros(p.deadline_ms) * 1000, [this, raw] {
        raw->cut_due = true;
        lws_cancel_service(loop_.context());
      });
      p.run->start();
    }
    if (p.cut_due && !p.run->done()) {
      p.cut_due = false;
      p.run->cut("the probe's deadline of " + std::to_string(p.deadline_ms) + " ms ran out");
    }
    if (!p.run->done()) {
      ++it;
      continue;
    }
    p.deadline.cancel();
    RunOutcome outcome = p.run->outcome();
    outcome.passed ? ++probes_passed_ : ++probes_failed_;
    if (p.reply) p.reply(outcome);
    it = probes_.erase(it);
  }
}

ProbeAdmission Watcher::start_probe(const std::string& scenario, const std::optional<Url>& target, int deadline_ms,
                                    ProbeReply reply, std::uint64_t& id) {
  if (shutting_down_) return ProbeAdmission::kShuttingDown;
  const Slot* found = nullptr;
  for (const auto& slot : slots_)
    if (slot->watched.name == scenario) found = slot.get();
  if (!found) return ProbeAdmission::kUnknownScenario;
  if (probes_.size() >= options_.max_probes) return ProbeAdmission::kBusy;
  auto probe = std::make_unique<Probe>(loop_.context());
  probe->id = id = next_probe_id_++;
  probe->scenario = found->watched.scenario;
  probe->settings = settings_;
  if (target) probe->settings.base_url = target;
  probe->deadline_ms = deadline_ms;
  probe->reply = std::move(reply);
  probes_.push_back(std::move(probe));
  lws_cancel_service(loop_.context());  // started by poll(), outside the HTTP callback
  return ProbeAdmission::kStarted;
}

void Watcher::cancel_probe(std::uint64_t id) {
  for (auto& p : probes_)
    if (p->id == id) p->reply = nullptr;
}

std::string Watcher::known_scenarios() const {
  std::string out;
  for (const auto& slot : slots_) out += (out.empty() ? "" : ", ") + ("\"" + slot->watched.name + "\"");
  return out;
}

void Watcher::begin_shutdown() {
  shutting_down_ = true;
  for (auto& slot : slots_) slot->timer.cancel();
}

void Watcher::cut_all() {
  for (auto& slot : slots_)
    if (slot->run && !slot->run->done()) slot->run->interrupt();
  for (auto& p : probes_)
    if (p->run && !p->run->done()) p->run->interrupt();
}

bool Watcher::idle() const {
  for (const auto& slot : slots_)
    if (slot->run) return false;
  for (const auto& p : probes_)
    if (p->run) return false;
  return true;
}

MonitorView Watcher::view() const {
  MonitorView v;
  for (const auto& slot : slots_) v.scenarios.push_back(ScenarioView{&slot->stats, double(slot->watched.interval_us) / 1e6});
  v.probes_passed = probes_passed_;
  v.probes_failed = probes_failed_;
  v.probes_rejected = probes_rejected_;
  return v;
}

}  // namespace wscheck
