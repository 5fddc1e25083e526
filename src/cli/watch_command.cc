#include "cli/watch_command.h"

#include <fnmatch.h>
#include <libwebsockets.h>
#include <openssl/opensslv.h>

#include <chrono>
#include <cstdlib>
#include <map>
#include <memory>
#include <optional>

#include "cli/scenario_plan.h"
#include "cli/watch_log.h"
#include "core/exit_status.h"
#include "engine/event_loop.h"
#include "server/reference_server.h"
#include "watch/cert_monitor.h"
#include "watch/duration.h"
#include "watch/http_listener.h"
#include "watch/status_page.h"
#include "watch/watcher.h"
#include "wscheck_config.h"

namespace wscheck {

namespace {

constexpr size_t kMaxScenarios = 1000;

double wall_now_s() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

/// "127.0.0.1:9464", "[::1]:9464", ":9464" (loopback) -> host, port.
bool parse_listen(const std::string& text, std::string& host, int& port, std::string& error) {
  auto colon = text.rfind(':');
  if (colon == std::string::npos) {
    error = "--listen \"" + text + "\": write HOST:PORT, e.g. 127.0.0.1:9464";
    return false;
  }
  host = text.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  if (host.empty()) host = "127.0.0.1";
  char* end = nullptr;
  long p = std::strtol(text.c_str() + colon + 1, &end, 10);
  if (colon + 1 == text.size() || *end != '\0' || p < 0 || p > 65535) {
    error = "--listen \"" + text + "\": the port must be 0-65535";
    return false;
  }
  port = static_cast<int>(p);
  return true;
}

/// The interval of each chosen scenario: the last matching NAME=DUR, else the default.
std::optional<std::vector<WatchedScenario>> schedule_plan(const WatchCommandOptions& o, const Plan& plan) {
  std::int64_t fallback = 30000000;
  std::vector<IntervalSpec> overrides;
  for (const auto& text : o.intervals) {
    std::string error;
    auto spec = parse_interval_spec(text, error);
    if (!spec) {
      usage_error("--interval: " + error);
      return std::nullopt;
    }
    if (spec->scenario.empty()) fallback = spec->interval_us;
    else overrides.push_back(*spec);
  }
  for (const auto& spec : overrides) {
    bool used = false;
    for (const Scenario* s : plan.chosen) used = used || fnmatch(spec.scenario.c_str(), s->name.c_str(), 0) == 0;
    if (!used) {
      std::string known;
      for (const Scenario* s : plan.chosen) known += (known.empty() ? "\"" : ", \"") + s->name + "\"";
      usage_error("--interval " + spec.scenario + "=...: no chosen scenario is named that; the scenarios: " + known);
      return std::nullopt;
    }
  }
  std::vector<WatchedScenario> out;
  std::map<std::string, int> seen;
  for (const Scenario* s : plan.chosen) {
    WatchedScenario w{s, s->name, fallback};
    for (const auto& spec : overrides)
      if (fnmatch(spec.scenario.c_str(), s->name.c_str(), 0) == 0) w.interval_us = spec.interval_us;
    if (int n = ++seen[s->name]; n > 1) w.name += " #" + std::to_string(n);
    out.push_back(std::move(w));
  }
  return out;
}

/// The run settings every watched scenario shares; --url, else $WSCHECK_URL
/// (no base_url: the built-in server). Returns an exit code on bad usage.
std::optional<int> engine_settings(const WatchCommandOptions& o, const Plan& plan, WatchEngineSettings& settings) {
  settings.vars = plan.vars;
  settings.step_timeout_ms = o.step_timeout_ms;
  settings.insecure = o.insecure;
  settings.ca_file = o.ca_file;
  settings.max_message_bytes = o.max_message_bytes;
  std::string url_text = o.url, error;
  if (url_text.empty())
    if (const char* env = std::getenv("WSCHECK_URL")) url_text = env;
  if (url_text.empty()) return std::nullopt;
  auto url = parse_url(url_text, error);
  if (!url) return usage_error("--url: " + error);
  if (url->scheme != "ws" && url->scheme != "wss") return usage_error("--url must be ws:// or wss://, got \"" + url_text + "\"");
  settings.base_url = url;
  return std::nullopt;
}

/// SIGTERM/SIGINT arrived: stop scheduling, let running scenarios finish
/// until the deadline, cut the rest, give their connections a moment to close.
void drain(EventLoop& loop, Watcher& watcher, const std::function<void()>& poll_all, int shutdown_timeout_ms,
           WatchLog& log) {
  watcher.begin_shutdown();
  poll_all();
  log.info("stopping", "stopping: running scenarios may finish within " + std::to_string(shutdown_timeout_ms) + " ms");
  const auto start = std::chrono::steady_clock::now();
  const auto deadline = start + std::chrono::milliseconds(shutdown_timeout_ms);
  Timer wake(loop.context());
  wake.start(std::int64_t(shutdown_timeout_ms) * 1000, [] {});
  bool cut = false;
  while (!watcher.idle()) {
    const auto now = std::chrono::steady_clock::now();
    if (!cut && now >= deadline) {
      cut = true;
      log.warn("cut", "shutdown deadline reached: interrupting the scenarios still running");
      watcher.cut_all();
      wake.start(3000 * 1000, [] {});  // the runners' own close grace is 1 s
    }
    if (cut && now >= deadline + std::chrono::seconds(3)) break;
    if (lws_service(loop.context(), 0) < 0) break;
    poll_all();
  }
  wake.cancel();
}

}  // namespace

int watch_command(const WatchCommandOptions& o) {
  WatchLog log(stdout, o.log_format == "json");
  Plan plan;
  if (auto code = load_plan(PlanRequest{o.paths, o.vars, o.tags, o.names, ""}, plan)) return *code;
  if (plan.chosen.empty()) return usage_error("no scenario to watch (check the paths, --tag and --name)");
  if (plan.chosen.size() > kMaxScenarios)
    return usage_error("watching " + std::to_string(plan.chosen.size()) + " scenarios would make too many series; the limit is " +
                       std::to_string(kMaxScenarios) + " (narrow with --tag or --name)");
  auto watched = schedule_plan(o, plan);
  if (!watched) return to_int(ExitStatus::kUsage);
  std::string host, error;
  int port = 0;
  if (!parse_listen(o.listen, host, port, error)) return usage_error(error);
  std::string cert_error;
  auto cert_every = parse_duration_us(o.cert_check_interval, cert_error);
  if (!cert_every || *cert_every < 1000000) return usage_error("--cert-check-interval: " + (cert_error.empty() ? "at least 1s" : cert_error));

  WatchEngineSettings settings;
  if (auto code = engine_settings(o, plan, settings)) return *code;

  EventLoop loop(EventLoop::Options{std::getenv("WSCHECK_LWS_LOG") != nullptr, o.insecure, o.ca_file});
  loop.install_signal_handlers();
  std::unique_ptr<ReferenceServer> builtin;
  if (!settings.base_url) {
    ServerOptions server;
    if (const char* secret = std::getenv("JWT_SECRET"); secret && *secret) server.jwt_secret = secret;
    builtin = std::make_unique<ReferenceServer>(server);
    if (!builtin->start(loop.context(), error)) {
      std::fprintf(stderr, "wscheck watch: the built-in reference server could not start: %s\n", error.c_str());
      return to_int(ExitStatus::kEnvironment);
    }
    settings.base_url = parse_url("ws://127.0.0.1:" + std::to_string(builtin->port()), error);
  }
  // Logged and shown without its query: a token may travel there.
  Url shown = *settings.base_url;
  shown.path = shown.path.substr(0, shown.path.find('?'));
  const std::string target = shown.str();

  Watcher watcher(loop, *watched, settings, WatcherOptions{o.jitter_percent / 100.0, o.history, 16, 0},
                  [&log](const StateChange& change) { log.state_change(change); });
  std::vector<Url> cert_targets;
  if (settings.base_url->tls()) cert_targets.push_back(*settings.base_url);
  CertMonitor certs(loop.context(), cert_targets, ProbeOptions{Url{}, o.step_timeout_ms, o.insecure, o.ca_file}, *cert_every);
  const double started = wall_now_s();
  auto view = [&] {
    MonitorView v = watcher.view();
    v.build = BuildInfo{WSCHECK_VERSION, lws_get_library_version(), OPENSSL_VERSION_TEXT};
    v.start_time_s = started;
    v.certs = certs.status();
    return v;
  };
  ListenerOptions listen{host, port, o.probe_timeout_ms, [&] { return render_metrics(view()); },
                         [&] { return render_status_page(view(), wall_now_s()); }};
  HttpListener listener(watcher, listen);
  if (!listener.start(loop.context(), error)) {
    std::fprintf(stderr, "wscheck watch: %s\n", error.c_str());
    return to_int(ExitStatus::kEnvironment);
  }
  const std::string where = (host.find(':') != std::string::npos ? "[" + host + "]" : host) + ":" + std::to_string(listener.port());
  log.info("listening",
           "listening on http://" + where + "/ (metrics /metrics, probe /probe, health /healthz); watching " +
               std::to_string(watched->size()) + " scenario" + (watched->size() == 1 ? "" : "s") + " against " + target,
           {{"address", host}, {"port", std::to_string(listener.port())}, {"target", target}});

  auto poll_all = [&] {
    watcher.poll();
    certs.poll();
    listener.poll();
  };
  watcher.start();
  certs.start();
  loop.run([&] {
    poll_all();
    return false;
  });
  drain(loop, watcher, poll_all, o.shutdown_timeout_ms, log);
  certs.stop();
  log.info("stopped", std::string("stopped on ") + (loop.interrupt_signal() == SIGTERM ? "SIGTERM" : "SIGINT"));
  return to_int(ExitStatus::kPassed);
}

}  // namespace wscheck
