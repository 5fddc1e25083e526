#include "cli/run_command.h"

#include "cli/run_support.h"

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
#include "diagnose/failure_text.h"
#include "diagnose/preflight.h"
#include "server/reference_server.h"

namespace wscheck {

namespace {

/// The state of one `wscheck run`, step by step: scenario files -> model,
/// target, managed server, preflight, run -> results -> reports. Each step
/// returns an exit code when the run ends there.
class RunSession {
 public:
  explicit RunSession(const RunCommandOptions& o)
      : o_(o), out_(o.report_tap == "-" ? stderr : stdout), started_(std::chrono::steady_clock::now()) {}

  int run() {
    if (auto code = load()) return *code;
    if (auto code = choose_target()) return *code;
    if (auto code = prepare_loop()) return *code;
    if (auto code = start_managed_server()) return *code;
    if (auto code = preflight()) return *code;
    if (auto code = start_builtin_server()) return *code;
    return execute();
  }

 private:
  double elapsed_ms() const {
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started_).count();
  }

  // 1. scenario files -> model
  std::optional<int> load() {
    if (auto code = load_plan(PlanRequest{o_.paths, o_.vars, o_.tags, o_.names, o_.shard}, plan_)) return *code;
    if (plan_.empty_shard) {
      std::fprintf(out_, "0 passed, 0 failed (empty shard %s)\n", o_.shard.c_str());
      return to_int(ExitStatus::kPassed);
    }
    settings_.vars = plan_.vars;
    for (const Scenario* s : plan_.chosen)
      for (size_t i = 0; i < o_.repeat; ++i) chosen_.push_back(s);
    settings_.default_step_timeout_ms = o_.step_timeout_ms;
    settings_.insecure = o_.insecure;
    settings_.ca_file = o_.ca_file;
    settings_.max_message_bytes = o_.max_message_bytes;
    return std::nullopt;
  }

  // 2. target: --url, $WSCHECK_URL, the managed server's --ready address, or the built-in server
  std::optional<int> choose_target() {
    managed_ = managed_server_options(o_, plan_);
    std::string url_text = o_.url;
    if (url_text.empty())
      if (const char* env = std::getenv("WSCHECK_URL")) url_text = env;
    if (url_text.empty() && managed_ && !managed_->ready.empty()) {
      std::string e;
      if (auto ready = parse_url(managed_->ready, e))
        url_text = (ready->scheme == "https" || ready->scheme == "wss" ? "wss://" : "ws://") + ready->authority();
    }
    if (!url_text.empty()) {
      std::string error;
      auto url = parse_url(url_text, error);
      if (!url) return usage_error("--url: " + error);
      if (url->scheme != "ws" && url->scheme != "wss")
        return usage_error("--url must be ws:// or wss://, got \"" + url_text + "\"");
      settings_.base_url = url;
    } else if (managed_) {
      return usage_error("--server needs --url (or a --ready tcp://, http:// or ws:// address to derive it from)");
    }
    std::string error;
    if (managed_ && !managed_->ready_log.empty() && !Regex::compile(managed_->ready_log, error))
      return usage_error("--ready-log: invalid regex: " + error);
    if (managed_ && !managed_->ready.empty() && !parse_url(managed_->ready, error)) return usage_error("--ready: " + error);
    report_options_ = ReportOptions{o_.report_json, o_.report_junit, o_.report_tap, running_in_github_actions(),
                                    current_run_metadata()};
    if (std::string e = check_report_options(report_options_); !e.empty()) return usage_error(e);
    color_ = use_color(o_.color, out_);
    return std::nullopt;
  }

  std::optional<int> prepare_loop() {
    if (auto code = parse_resolve_flags(o_.resolve, resolve_)) return *code;
    loop_ = std::make_unique<EventLoop>(
        EventLoop::Options{o_.verbose && std::getenv("WSCHECK_LWS_LOG") != nullptr, o_.insecure, o_.ca_file, resolve_});
    loop_->install_signal_handlers();
    return std::nullopt;
  }

  // A run that stops before any scenario (managed server never ready, failed
  // preflight) still writes the requested reports, so CI never reads a stale
  // one: every chosen scenario is a failure carrying the environment's diagnosis.
  void report_environment_failure(const Diagnosis& diagnosis, const std::string& target) {
    std::vector<std::unique_ptr<Reporter>> reporters = make_reporters(report_options_);
    if (reporters.empty()) return;
    std::vector<ScenarioResult> results;
    for (const Scenario* s : plan_.chosen) {
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
    summary.total_ms = elapsed_ms();
    for (auto& r : reporters) {
      r->on_run_start(RunInfo{target, results.size(), iso_now()});
      for (const auto& result : results) r->on_scenario_done(result);
      r->on_run_end(summary, results);
    }
  }

  // 3. managed server: start, wait until ready while watching it
  std::optional<int> start_managed_server() {
    if (!managed_) return std::nullopt;
    if (managed_->ready.empty() && managed_->ready_log.empty()) managed_->ready = "tcp://" + settings_.base_url->authority();
    server_ = std::make_unique<ManagedServer>(*managed_);
    std::string error;
    if (!server_->start(error)) {
      std::fprintf(stderr, "wscheck: cannot start the managed server: %s\n", error.c_str());
      return to_int(ExitStatus::kEnvironment);
    }
    if (!o_.quiet) {
      std::fprintf(out_, "managed server: pid %d, log %s\n", static_cast<int>(server_->pid()), server_->log_path().c_str());
      std::fflush(out_);
    }
    if (auto failure = server_->wait_ready([&] { return loop_->interrupted(); })) {
      server_->stop();
      if (loop_->interrupted()) return to_int(ExitStatus::kInterrupted);
      print_environment_failure(out_, *failure, "the managed server never became ready");
      report_environment_failure(*failure, "managed server: " + managed_->command);
      return to_int(ExitStatus::kEnvironment);
    }
    return std::nullopt;
  }

  // 4. preflight: requires, then the target phase by phase (not for the
  // in-process server, which only serves while the loop runs).
  std::optional<int> preflight() {
    if (o_.no_preflight) return std::nullopt;
    std::vector<Check> lines = run_preflight(collect_requirements(plan_), plan_, settings_.base_url,
                                             ProbeOptions{Url{}, o_.step_timeout_ms, o_.insecure, o_.ca_file, resolve_});
    if (!has_failure(lines)) {
      if (o_.verbose && !lines.empty()) std::fprintf(out_, "preflight:\n%s", render_checks(lines, color_).c_str());
      return std::nullopt;
    }
    std::fputs(render_preflight_failure(lines, color_).c_str(), out_);
    std::fflush(out_);
    for (const auto& line : lines) {
      if (line.status != Check::Status::kFail) continue;
      Diagnosis d;
      d.cls = class_from_name(line.cls);
      d.headline = line.detail;
      d.details = line.details;
      d.hint = line.fix.empty() ? line.hint : line.hint + "; fix: " + line.fix;
      d.environment = true;
      d.details.push_back("preflight check \"" + line.name + "\" failed; no scenario was run");
      report_environment_failure(d, settings_.base_url ? settings_.base_url->str() : "built-in reference server");
      break;
    }
    return to_int(ExitStatus::kEnvironment);
  }

  std::optional<int> start_builtin_server() {
    if (settings_.base_url) {
      target_ = settings_.base_url->str();
      return std::nullopt;
    }
    ServerOptions options;
    const char* secret = std::getenv("JWT_SECRET");
    if (secret && *secret) options.jwt_secret = secret;
    builtin_ = std::make_unique<ReferenceServer>(options);
    std::string error;
    if (!builtin_->start(loop_->context(), error)) {
      std::fprintf(stderr, "wscheck: the built-in reference server could not start: %s\n", error.c_str());
      return to_int(ExitStatus::kEnvironment);
    }
    settings_.base_url = parse_url("ws://127.0.0.1:" + std::to_string(builtin_->port()), error);
    target_ = "built-in reference server at " + settings_.base_url->str();
    return std::nullopt;
  }

  /// With a managed server: failed scenarios carry its log lines, and its death ends the run.
  void watch_managed_server(SuiteOptions& suite_options) {
    // The lines a server writes right after it answered (a traceback logged
    // after the 403) belong to the failed step: hold a failed scenario's
    // report until the log is quiet for 30 ms, at most 150 ms (on a timer).
    suite_options.settled = [this](const ScenarioResult& r, Micros finished) {
      return r.status != Status::kFailed || server_->log_quiet(finished, 30) || now_us() - finished >= 150 * 1000;
    };
    suite_options.on_finished = [this](ScenarioResult& r, Micros) { attach_server_words(*server_, r, redactor_); };
    // Asked (never blocking) when a step fails: the runner asks again on a
    // timer for up to 200 ms, since a dropped connection often arrives a
    // moment before the process is reaped.
    settings_.environment_failure = [this]() -> std::optional<Diagnosis> {
      if (!server_->exited()) return std::nullopt;
      Diagnosis d = server_->death_diagnosis(false);
      if (runner_) runner_->abort(d);
      return d;
    };
  }

  // 5. run -> results -> reports
  int execute() {
    // With a TAP stream on stdout, the console goes to stderr.
    ConsoleReporter console(out_, ConsoleReporter::Options{color_, o_.verbose, o_.quiet});
    std::vector<std::unique_ptr<Reporter>> file_reporters = make_reporters(report_options_);
    std::vector<Reporter*> reporters{&console};
    for (auto& r : file_reporters) reporters.push_back(r.get());
    for (auto* r : reporters) r->on_run_start(RunInfo{target_, chosen_.size(), iso_now()});

    SuiteOptions suite_options{o_.jobs, o_.fail_fast};
    if (server_) watch_managed_server(suite_options);
    SuiteRunner suite_runner(*loop_, chosen_, settings_, redactor_, suite_options);
    runner_ = &suite_runner;
    // Watch the managed server: if it dies mid-run, the running scenarios say
    // so and the rest are not run.
    Timer watchdog(loop_->context());
    std::function<void()> watch = [&] {
      if (server_->exited()) return suite_runner.abort(server_->death_diagnosis(false));
      watchdog.start(50 * 1000, watch);
    };
    if (server_) watchdog.start(50 * 1000, watch);
    auto trace = o_.verbose ? std::function<void(const std::string&)>([&](const std::string& line) {
      for (auto* r : reporters) r->on_trace(line);
    })
                            : std::function<void(const std::string&)>();
    if (trace)  // -v: the class and first line of a failure as it happens
      settings_.step_failed = [&](size_t step, const StepFailure& failure) {
        Diagnosis d = describe_failure(failure);
        trace("step " + std::to_string(step + 1) + " failed: " + class_name(d.cls) + ": " + redactor_.apply(d.headline));
      };
    std::vector<ScenarioResult> results = suite_runner.run(
        [&](const ScenarioResult& r) {
          ScenarioResult worded = r;  // engine -> diagnose -> report
          diagnose_result(worded, redactor_);
          for (auto* rep : reporters) rep->on_scenario_done(worded);
        },
        trace);
    watchdog.cancel();
    runner_ = nullptr;
    for (auto& r : results) diagnose_result(r, redactor_);
    return finish(results, reporters, file_reporters);
  }

  int finish(const std::vector<ScenarioResult>& results, const std::vector<Reporter*>& reporters,
             std::vector<std::unique_ptr<Reporter>>& file_reporters) {
    RunSummary summary;
    bool environment = false;
    for (const auto& r : results) {
      if (r.status == Status::kPassed) ++summary.passed;
      else if (r.status == Status::kFailed) ++summary.failed;
      else ++summary.not_run;
      if (r.status == Status::kFailed && r.diagnosis && r.diagnosis->environment) environment = true;
    }
    summary.interrupted = loop_->interrupted();
    summary.total_ms = elapsed_ms();
    ExitStatus status = summary.interrupted ? ExitStatus::kInterrupted
                        : environment       ? ExitStatus::kEnvironment
                        : summary.failed    ? ExitStatus::kFailed
                                            : ExitStatus::kPassed;
    if (o_.repeat > 1) status = report_repeats(out_, results, o_.repeat, color_, status, summary);
    // The status is final before any report is written: a report file that
    // cannot be created makes the run exit 2, and every report says so.
    if (!prepare_reports(file_reporters).empty() && status == ExitStatus::kPassed) status = ExitStatus::kUsage;
    summary.exit_code = to_int(status);
    for (auto* r : reporters) r->on_run_end(summary, results);
    // A write that fails after its file was created (a full disk) cannot be
    // announced in reports already written: they keep the run's own status,
    // the process exits 2, and the console names the file that failed.
    if (!report_errors(file_reporters).empty() && status == ExitStatus::kPassed) summary.exit_code = to_int(ExitStatus::kUsage);
    if (status == ExitStatus::kEnvironment)
      std::fprintf(out_, "exit 3: the environment is not ready (the target could not be reached or the server died); this is not a WebSocket behaviour failure\n");
    if (server_) {
      server_->stop();
      if (!o_.quiet) std::fprintf(out_, "managed server stopped; its log: %s\n", server_->log_path().c_str());
    }
    return summary.exit_code;
  }

  const RunCommandOptions& o_;
  std::FILE* out_;  // a TAP stream on stdout must stay pure TAP: everything else goes to stderr then
  const std::chrono::steady_clock::time_point started_;
  Plan plan_;
  RunSettings settings_;
  std::vector<const Scenario*> chosen_;
  std::optional<ManagedServerOptions> managed_;
  ReportOptions report_options_;
  bool color_ = false;
  ResolveOverrides resolve_;
  std::unique_ptr<EventLoop> loop_;
  std::unique_ptr<ManagedServer> server_;  // destroyed after the loop's users, before the loop
  std::unique_ptr<ReferenceServer> builtin_;
  std::string target_;
  Redactor redactor_;
  SuiteRunner* runner_ = nullptr;  // while execute() runs the suite
};

}  // namespace

int run_command(const RunCommandOptions& o) { return RunSession(o).run(); }

}  // namespace wscheck
