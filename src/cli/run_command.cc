#include "cli/run_command.h"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <map>
#include <memory>

#include "core/exit_status.h"
#include "core/redactor.h"
#include "core/url.h"
#include "engine/clock.h"
#include "engine/event_loop.h"
#include "engine/timer.h"
#include "process/managed_server.h"
#include "scenario/regex.h"
#include "scenario/server_block.h"
#include "engine/suite_runner.h"
#include "report/console_reporter.h"
#include "report/file_reporters.h"
#include "report/github_reporter.h"
#include "report/preflight_text.h"
#include "cli/color.h"
#include "cli/scenario_plan.h"
#include "diagnose/diagnose_result.h"
#include "diagnose/preflight.h"
#include "server/reference_server.h"

namespace wscheck {

namespace {


std::string iso_now() {
  std::time_t t = std::time(nullptr);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&t));
  return buf;
}



/// --server flags, else the suite file's "server" block; nullopt if neither.
std::optional<ManagedServerOptions> managed_server_options(const RunCommandOptions& o, const Plan& plan) {
  ManagedServerOptions m;
  if (plan.suite.server) {
    // load_plan already checked that every ${VAR} of the block resolves.
    ServerSpec b = resolve_server_spec(*plan.suite.server, VariableScope(plan.vars));
    m.command = b.command;
    m.ready = b.ready;
    m.ready_log = b.ready_log;
    if (b.ready_timeout_ms) m.ready_timeout_ms = *b.ready_timeout_ms;
    if (b.grace_ms) m.grace_ms = *b.grace_ms;
    m.log_path = b.log;
    m.cwd = o.server.empty() || !plan.suite.server->cwd.empty() ? b.cwd : "";  // --server runs where wscheck runs
    for (const auto& [name, value] : b.env) m.env[name] = value;
  }
  if (!o.server.empty()) m.command = o.server;  // the command line overrides the suite file
  if (!o.ready.empty()) m.ready = o.ready;
  if (!o.ready_log.empty()) m.ready_log = o.ready_log;
  if (o.ready_timeout_ms > 0) m.ready_timeout_ms = o.ready_timeout_ms;
  if (o.server_grace_ms >= 0) m.grace_ms = o.server_grace_ms;
  if (!o.server_log.empty()) m.log_path = o.server_log;
  if (m.command.empty()) return std::nullopt;
  return m;
}

/// --repeat: pass counts per scenario go into the run summary (so every
/// report carries them) and on the console; a scenario that both passed and
/// failed is flaky, which fails the run (exit 1) and says so.
ExitStatus report_repeats(std::FILE* out, const std::vector<ScenarioResult>& results, size_t repeat, bool color,
                          ExitStatus status, RunSummary& summary) {
  summary.repeat = repeat;
  std::map<std::string, size_t> index;
  for (const auto& r : results) {
    auto [it, added] = index.emplace(r.name, summary.repeats.size());
    if (added) summary.repeats.push_back(RepeatCount{r.name, 0, 0});
    RepeatCount& c = summary.repeats[it->second];
    if (r.status == Status::kPassed) ++c.passed;
    else if (r.status == Status::kFailed) ++c.failed;
  }
  std::fprintf(out, "\nrepeat %zu:\n", repeat);
  for (const auto& c : summary.repeats) {
    const char* mark = c.failed == 0 ? "✓" : c.passed == 0 ? "✗" : "~";
    std::string word = c.failed == 0 ? "" : c.passed == 0 ? "  failed every run" : "  FLAKY";
    if (c.flaky()) ++summary.flaky;
    std::string line = std::string(mark) + " " + c.name + "  passed " + std::to_string(c.passed) + "/" +
                       std::to_string(c.passed + c.failed) + word;
    if (color && c.failed) line = std::string("\033[") + (c.passed ? "33" : "31") + "m" + line + "\033[0m";
    std::fprintf(out, "%s\n", line.c_str());
  }
  if (summary.flaky)
    std::fprintf(out, "%zu flaky scenario%s: passed in some runs and failed in others\n", summary.flaky,
                 summary.flaky == 1 ? "" : "s");
  if (status == ExitStatus::kPassed && summary.flaky) return ExitStatus::kFailed;
  return status;
}

/// The managed server's own words about a failed scenario: what it logged
/// while the failing step ran, and its last error-looking line.
void attach_server_words(ManagedServer& server, ScenarioResult& r, const Redactor& redactor) {
  if (r.status != Status::kFailed) return;
  const long long now = now_us();
  // 20 ms before the failing step began: a line the server wrote as the step began belongs to it.
  const bool known = r.failed_step && *r.failed_step < r.steps.size() && r.steps[*r.failed_step].started_at_us;
  const long long from = known ? r.steps[*r.failed_step].started_at_us - 20 * 1000
                               : now - static_cast<long long>((r.duration_ms + 20) * 1000);
  for (auto& line : server.lines_between(from, now, 12)) r.server_log.push_back(redactor.apply(line));
  r.server_error_line = redactor.apply(server.last_error_line(now));
}

void print_environment_failure(std::FILE* out, const Diagnosis& d, const char* what) {
  std::fputs(render_environment_failure(d, what).c_str(), out);
  std::fflush(out);
}

}  // namespace

int run_command(const RunCommandOptions& o) {
  const auto started = std::chrono::steady_clock::now();
  // A TAP stream on stdout must stay pure TAP: everything else goes to stderr then.
  std::FILE* out = o.report_tap == "-" ? stderr : stdout;

  // 1. scenario files -> model
  Plan plan;
  if (auto code = load_plan(PlanRequest{o.paths, o.vars, o.tags, o.names, o.shard}, plan)) return *code;
  if (plan.empty_shard) {
    std::fprintf(out, "0 passed, 0 failed (empty shard %s)\n", o.shard.c_str());
    return to_int(ExitStatus::kPassed);
  }
  RunSettings settings;
  settings.vars = plan.vars;
  std::vector<const Scenario*> chosen;
  for (const Scenario* s : plan.chosen)
    for (size_t i = 0; i < o.repeat; ++i) chosen.push_back(s);
  settings.default_step_timeout_ms = o.step_timeout_ms;
  settings.insecure = o.insecure;
  settings.ca_file = o.ca_file;
  settings.max_message_bytes = o.max_message_bytes;

  // 2. target: --url, $WSCHECK_URL, the managed server's --ready address, or the built-in server
  std::optional<ManagedServerOptions> managed = managed_server_options(o, plan);
  std::string url_text = o.url;
  if (url_text.empty())
    if (const char* env = std::getenv("WSCHECK_URL")) url_text = env;
  if (url_text.empty() && managed && !managed->ready.empty()) {
    std::string e;
    if (auto ready = parse_url(managed->ready, e))
      url_text = (ready->scheme == "https" || ready->scheme == "wss" ? "wss://" : "ws://") + ready->authority();
  }
  if (!url_text.empty()) {
    std::string error;
    auto url = parse_url(url_text, error);
    if (!url) return usage_error("--url: " + error);
    if (url->scheme != "ws" && url->scheme != "wss") return usage_error("--url must be ws:// or wss://, got \"" + url_text + "\"");
    settings.base_url = url;
  } else if (managed) {
    return usage_error("--server needs --url (or a --ready tcp://, http:// or ws:// address to derive it from)");
  }
  if (managed && !managed->ready_log.empty()) {
    std::string error;
    if (!Regex::compile(managed->ready_log, error)) return usage_error("--ready-log: invalid regex: " + error);
  }
  if (managed && !managed->ready.empty()) {
    std::string error;
    if (!parse_url(managed->ready, error)) return usage_error("--ready: " + error);
  }

  ReportOptions report_options{o.report_json, o.report_junit, o.report_tap, running_in_github_actions(),
                               current_run_metadata()};
  if (std::string error = check_report_options(report_options); !error.empty()) return usage_error(error);

  const bool color = use_color(o.color, out);
  // A run that stops before any scenario (managed server never ready, failed
  // preflight) still writes the requested reports, so CI never reads a stale
  // one: every chosen scenario is a failure carrying the environment's diagnosis.
  auto report_environment_failure = [&](const Diagnosis& diagnosis, const std::string& target) {
    std::vector<std::unique_ptr<Reporter>> reporters = make_reporters(report_options);
    if (reporters.empty()) return;
    std::vector<ScenarioResult> results;
    for (const Scenario* s : plan.chosen) {
      ScenarioResult r;
      r.name = s->name;
      r.where = s->where;
      r.tags = s->tags;
      r.status = Status::kFailed;
      r.diagnosis = diagnosis;
      results.push_back(std::move(r));
    }
    RunSummary summary;
    summary.failed = results.size();
    summary.exit_code = to_int(ExitStatus::kEnvironment);
    summary.total_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
    for (auto& r : reporters) {
      r->on_run_start(RunInfo{target, results.size(), iso_now()});
      for (const auto& result : results) r->on_scenario_done(result);
      r->on_run_end(summary, results);
    }
  };
  ResolveOverrides resolve;
  if (auto code = parse_resolve_flags(o.resolve, resolve)) return *code;
  EventLoop loop(EventLoop::Options{o.verbose && std::getenv("WSCHECK_LWS_LOG") != nullptr, o.insecure, o.ca_file, resolve});
  loop.install_signal_handlers();

  // 3. managed server: start, wait until ready while watching it
  std::unique_ptr<ManagedServer> server;
  if (managed) {
    if (managed->ready.empty() && managed->ready_log.empty()) managed->ready = "tcp://" + settings.base_url->authority();
    server = std::make_unique<ManagedServer>(*managed);
    std::string error;
    if (!server->start(error)) {
      std::fprintf(stderr, "wscheck: cannot start the managed server: %s\n", error.c_str());
      return to_int(ExitStatus::kEnvironment);
    }
    if (!o.quiet) {
      std::fprintf(out, "managed server: pid %d, log %s\n", static_cast<int>(server->pid()), server->log_path().c_str());
      std::fflush(out);
    }
    if (auto failure = server->wait_ready([&] { return loop.interrupted(); })) {
      server->stop();
      if (loop.interrupted()) return to_int(ExitStatus::kInterrupted);
      print_environment_failure(out, *failure, "the managed server never became ready");
      report_environment_failure(*failure, "managed server: " + managed->command);
      return to_int(ExitStatus::kEnvironment);
    }
  }

  // 4. preflight: requires, then the target phase by phase (not for the
  // in-process server, which only serves while the loop runs).
  if (!o.no_preflight) {
    std::vector<Check> lines = run_preflight(collect_requirements(plan), plan, settings.base_url,
                                             ProbeOptions{Url{}, o.step_timeout_ms, o.insecure, o.ca_file, resolve});
    if (has_failure(lines)) {
      std::fputs(render_preflight_failure(lines, color).c_str(), out);
      std::fflush(out);
      for (const auto& line : lines) {
        if (line.status != Check::Status::kFail) continue;
        Diagnosis d;
        d.cls = class_from_name(line.cls);
        d.headline = line.detail;
        d.details = line.details;
        d.hint = line.fix.empty() ? line.hint : line.hint + "; fix: " + line.fix;
        d.environment = true;
        d.details.push_back("preflight check \"" + line.name + "\" failed; no scenario was run");
        report_environment_failure(d, settings.base_url ? settings.base_url->str() : "built-in reference server");
        break;
      }
      return to_int(ExitStatus::kEnvironment);
    }
    if (o.verbose && !lines.empty()) {
      std::fprintf(out, "preflight:\n%s", render_checks(lines, color).c_str());
    }
  }

  std::unique_ptr<ReferenceServer> builtin;
  std::string target;
  if (!settings.base_url) {
    ServerOptions options;
    const char* secret = std::getenv("JWT_SECRET");
    if (secret && *secret) options.jwt_secret = secret;
    builtin = std::make_unique<ReferenceServer>(options);
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

  // 5. run -> results -> reports
  Redactor redactor;
  // With a TAP stream on stdout, the console goes to stderr.
  ConsoleReporter console(out, ConsoleReporter::Options{color, o.verbose, o.quiet});
  std::vector<std::unique_ptr<Reporter>> file_reporters = make_reporters(report_options);
  std::vector<Reporter*> reporters{&console};
  for (auto& r : file_reporters) reporters.push_back(r.get());
  RunInfo info{target, chosen.size(), iso_now()};
  for (auto* r : reporters) r->on_run_start(info);

  SuiteOptions suite_options{o.jobs, o.fail_fast};
  if (server) {
    // The lines a server writes right after it answered (a traceback logged
    // after the 403) belong to the failed step: hold a failed scenario's
    // report until the log is quiet for 30 ms, at most 150 ms (on a timer).
    suite_options.settled = [&](const ScenarioResult& r, Micros finished) {
      return r.status != Status::kFailed || server->log_quiet(finished, 30) || now_us() - finished >= 150 * 1000;
    };
    suite_options.on_finished = [&](ScenarioResult& r, Micros) { attach_server_words(*server, r, redactor); };
  }
  SuiteRunner suite_runner(loop, chosen, settings, redactor, suite_options);
  // Watch the managed server: if it dies mid-run, the running scenarios say
  // so and the rest are not run.
  Timer watchdog(loop.context());
  std::function<void()> watch = [&] {
    if (server && server->exited()) {
      suite_runner.abort(server->death_diagnosis(false));
      return;
    }
    watchdog.start(50 * 1000, watch);
  };
  if (server) {
    watchdog.start(50 * 1000, watch);
    // Asked (never blocking) when a step fails: the runner asks again on a
    // timer for up to 200 ms, since a dropped connection often arrives a
    // moment before the process is reaped.
    settings.environment_failure = [&]() -> std::optional<Diagnosis> {
      if (!server->exited()) return std::nullopt;
      Diagnosis d = server->death_diagnosis(false);
      suite_runner.abort(d);
      return d;
    };
  }

  auto trace = o.verbose ? std::function<void(const std::string&)>([&](const std::string& line) {
    for (auto* r : reporters) r->on_trace(line);
  })
                         : std::function<void(const std::string&)>();
  std::vector<ScenarioResult> results = suite_runner.run(
      [&](const ScenarioResult& r) {
        ScenarioResult worded = r;  // engine -> diagnose -> report
        diagnose_result(worded, redactor);
        for (auto* rep : reporters) rep->on_scenario_done(worded);
      },
      trace);
  watchdog.cancel();
  for (auto& r : results) diagnose_result(r, redactor);

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
  if (o.repeat > 1) status = report_repeats(out, results, o.repeat, color, status, summary);
  // The status is final before any report is written: a report file that
  // cannot be created makes the run exit 2, and every report says so.
  if (!prepare_reports(file_reporters).empty() && status == ExitStatus::kPassed) status = ExitStatus::kUsage;
  summary.exit_code = to_int(status);
  for (auto* r : reporters) r->on_run_end(summary, results);
  if (!report_errors(file_reporters).empty() && status == ExitStatus::kPassed) summary.exit_code = to_int(ExitStatus::kUsage);
  if (status == ExitStatus::kEnvironment)
    std::fprintf(out, "exit 3: the environment is not ready (the target could not be reached or the server died); this is not a WebSocket behaviour failure\n");
  if (server) {
    server->stop();
    if (!o.quiet) std::fprintf(out, "managed server stopped; its log: %s\n", server->log_path().c_str());
  }
  return summary.exit_code;
}

}  // namespace wscheck
