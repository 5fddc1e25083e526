// The one place the monitor touches the scenario engine.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>

#include "core/url.h"
#include "watch/run_outcome.h"

namespace wscheck {

class EventLoop;
class ScenarioRunner;
class Redactor;
struct Scenario;
struct RunSettings;

/// What every watched run shares (the subset of `run`'s settings that apply).
struct WatchEngineSettings {
  std::optional<Url> base_url;
  std::map<std::string, std::string> vars;
  int step_timeout_ms = 5000;
  bool insecure = false;
  std::string ca_file;
  size_t max_message_bytes = 16 * 1024 * 1024;
};

/// One run of one scenario on the event loop: start it, poll done(), read
/// the outcome. Owns its runner, its settings copy and its own Redactor
/// (secrets minted per run do not pile up over a long watch).
class ScenarioExecution {
 public:
  ScenarioExecution(EventLoop& loop, const Scenario& scenario, const WatchEngineSettings& settings);
  ~ScenarioExecution();
  ScenarioExecution(const ScenarioExecution&) = delete;
  ScenarioExecution& operator=(const ScenarioExecution&) = delete;

  void start();
  bool done() const;
  /// A deadline passed: fail the running step with `why` and close.
  void cut(const std::string& why);
  /// Shutdown: fail the running step as interrupted, close with 1001.
  void interrupt();
  /// Valid once done().
  RunOutcome outcome() const;

 private:
  const Scenario& scenario_;
  std::unique_ptr<RunSettings> settings_;
  std::unique_ptr<Redactor> redactor_;
  std::unique_ptr<ScenarioRunner> runner_;
};

}  // namespace wscheck
