#include "cli/run_support.h"

#include <ctime>
#include <map>

#include "core/clock.h"
#include "report/preflight_text.h"
#include "scenario/server_block.h"
#include "scenario/variables.h"

namespace wscheck {

std::string iso_now() {
  std::time_t t = std::time(nullptr);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&t));
  return buf;
}

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

}  // namespace wscheck
