#include "cli/run_command.h"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <memory>

#include "core/exit_status.h"
#include "core/redactor.h"
#include "core/url.h"
#include "engine/event_loop.h"
#include "engine/suite_runner.h"
#include "report/console_reporter.h"
#include "cli/scenario_plan.h"
#include "diagnose/preflight.h"
#include "server/reference_server.h"

namespace wscheck {

namespace {

bool use_color(const std::string& mode) {
  if (mode == "always") return true;
  if (mode == "never") return false;
  const char* no_color = std::getenv("NO_COLOR");
  if (no_color && *no_color) return false;
  return isatty(fileno(stdout)) != 0;
}

std::string iso_now() {
  std::time_t t = std::time(nullptr);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&t));
  return buf;
}

int usage_error(const std::string& message) {
  std::fprintf(stderr, "wscheck: %s\n", message.c_str());
  return to_int(ExitStatus::kUsage);
}

}  // namespace

int run_command(const RunCommandOptions& o) {
  const auto started = std::chrono::steady_clock::now();

  // 1. scenario files -> model
  Plan plan;
  if (auto code = load_plan(PlanRequest{o.paths, o.vars, o.tags, o.names}, plan)) return *code;
  RunSettings settings;
  settings.vars = plan.vars;
  const std::vector<const Scenario*>& chosen = plan.chosen;

  // 2. target
  std::string url_text = o.url;
  if (url_text.empty())
    if (const char* env = std::getenv("WSCHECK_URL")) url_text = env;
  if (!url_text.empty()) {
    std::string error;
    auto url = parse_url(url_text, error);
    if (!url) return usage_error("--url: " + error);
    if (url->scheme != "ws" && url->scheme != "wss") return usage_error("--url must be ws:// or wss://, got \"" + url_text + "\"");
    settings.base_url = url;
  }
  settings.default_step_timeout_ms = o.step_timeout_ms;
  settings.insecure = o.insecure;
  settings.ca_file = o.ca_file;
  settings.max_message_bytes = o.max_message_bytes;

  // 2b. preflight: requires, then the target phase by phase (not for the
  // in-process server, which only serves while the loop runs).
  const bool color = use_color(o.color);
  if (!o.no_preflight) {
    std::vector<CheckLine> lines =
        run_preflight(plan, settings.base_url, ProbeOptions{Url{}, o.step_timeout_ms, o.insecure, o.ca_file});
    if (has_failure(lines)) {
      std::printf("%s\n", first_failure(lines).c_str());
      std::printf("preflight failed: the environment is not ready, so no scenario was run\n");
      print_check_lines(lines, color);
      std::printf("exit 3: this is an environment problem, not a WebSocket behaviour failure (skip with --no-preflight)\n");
      return to_int(ExitStatus::kEnvironment);
    }
    if (o.verbose && !lines.empty()) {
      std::printf("preflight:\n");
      print_check_lines(lines, color);
    }
  }

  EventLoop loop(EventLoop::Options{o.verbose && std::getenv("WSCHECK_LWS_LOG") != nullptr, o.insecure, o.ca_file});
  loop.install_signal_handlers();
  std::unique_ptr<ReferenceServer> builtin;
  std::string target;
  if (!settings.base_url) {
    ServerOptions server;
    const char* secret = std::getenv("JWT_SECRET");
    if (secret && *secret) server.jwt_secret = secret;
    builtin = std::make_unique<ReferenceServer>(server);
    std::string error;
    if (!builtin->start(loop.context(), error)) {
      std::fprintf(stderr, "wscheck: the built-in reference server could not start: %s\n", error.c_str());
      return to_int(ExitStatus::kEnvironment);
    }
    std::string e;
    settings.base_url = parse_url("ws://127.0.0.1:" + std::to_string(builtin->port()), e);
    target = "built-in reference server at " + settings.base_url->str();
  } else {
    target = settings.base_url->str();
  }

  // 3. run -> results -> reports
  Redactor redactor;
  ConsoleReporter console(stdout, ConsoleReporter::Options{color, o.verbose, o.quiet});
  std::vector<Reporter*> reporters{&console};
  RunInfo info{target, chosen.size(), iso_now()};
  for (auto* r : reporters) r->on_run_start(info);

  SuiteRunner suite_runner(loop, chosen, settings, redactor, SuiteOptions{o.jobs, o.fail_fast});
  auto trace = o.verbose ? std::function<void(const std::string&)>([&](const std::string& line) {
    for (auto* r : reporters) r->on_trace(line);
  })
                         : std::function<void(const std::string&)>();
  std::vector<ScenarioResult> results = suite_runner.run(
      [&](const ScenarioResult& r) {
        for (auto* rep : reporters) rep->on_scenario_done(r);
      },
      trace);

  RunSummary summary;
  bool environment = false;
  for (const auto& r : results) {
    if (r.status == Status::kPassed) ++summary.passed;
    else if (r.status == Status::kFailed) ++summary.failed;
    else ++summary.not_run;
    if (r.status == Status::kFailed && r.diagnosis && r.diagnosis->environment) environment = true;
  }
  summary.interrupted = loop.interrupted();
  summary.total_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
  ExitStatus status = summary.interrupted ? ExitStatus::kInterrupted
                      : environment       ? ExitStatus::kEnvironment
                      : summary.failed    ? ExitStatus::kFailed
                                          : ExitStatus::kPassed;
  summary.exit_code = to_int(status);
  for (auto* r : reporters) r->on_run_end(summary, results);
  if (status == ExitStatus::kEnvironment)
    std::fprintf(stdout, "exit 3: the environment is not ready (the target could not be reached); this is not a WebSocket behaviour failure\n");
  return summary.exit_code;
}

}  // namespace wscheck
