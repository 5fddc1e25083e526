#include "report/tap_reporter.h"

#include "core/diagnosis.h"
#include "core/format.h"
#include "report/report_text.h"
#include "report/text_escape.h"

namespace wscheck {

namespace {

void phases(std::string& out, const ScenarioResult& r) {
  if (r.connections.empty()) return;
  out += "  phases:\n";
  for (const auto& c : r.connections) {
    std::string rows;
    auto add = [&](const char* name, const std::optional<double>& v) {
      if (v) rows += std::string("      ") + name + ": " + fixed3(*v) + "\n";
    };
    add("dns_ms", c.timings.dns);
    add("tcp_ms", c.timings.tcp);
    add("tls_ms", c.timings.tls);
    add("upgrade_ms", c.timings.upgrade);
    out += "    " + yaml_quoted(c.name) + ":" + (rows.empty() ? " {}\n" : "\n" + rows);
  }
}

void diagnostics(std::string& out, const ScenarioResult& r) {
  out += "  ---\n";
  if (r.status == Status::kFailed) {
    const StepResult* step = failed_step(r);
    out += "  class: " + std::string(r.diagnosis ? class_name(r.diagnosis->cls) : "failed") + "\n";
    out += "  message: " + yaml_quoted(r.diagnosis ? r.diagnosis->headline : "the scenario failed") + "\n";
    out += "  at: " + yaml_quoted(step ? step->where.str() : r.where.str()) + "\n";
    if (step) {
      out += "  step: " + std::to_string(step->index + 1) + "\n";
      out += "  label: " + yaml_quoted(step->label) + "\n";
    }
    out += "  duration_ms: " + fixed3(r.duration_ms) + "\n";
    if (r.diagnosis && !r.diagnosis->details.empty()) {
      out += "  details:\n";
      for (const auto& d : r.diagnosis->details) out += "    - " + yaml_quoted(d) + "\n";
    }
    if (r.diagnosis && !r.diagnosis->hint.empty()) out += "  hint: " + yaml_quoted(r.diagnosis->hint) + "\n";
    if (!r.server_log.empty()) {
      out += "  server_log:\n";
      for (const auto& line : r.server_log) out += "    - " + yaml_quoted(line) + "\n";
    }
    if (!r.server_error_line.empty()) out += "  server_last_error: " + yaml_quoted(r.server_error_line) + "\n";
    phases(out, r);
    bool any_frames = false;
    for (const auto& c : r.connections) any_frames = any_frames || !c.last_frames.empty();
    if (any_frames) {
      out += "  last_frames:\n";
      for (const auto& c : r.connections) {
        if (c.last_frames.empty()) continue;
        out += "    " + yaml_quoted(c.name) + ":\n";
        for (const auto& f : c.last_frames) out += "      - " + yaml_quoted(f) + "\n";
      }
    }
  } else {
    out += "  at: " + yaml_quoted(r.where.str()) + "\n";
    out += "  duration_ms: " + fixed3(r.duration_ms) + "\n";
    phases(out, r);
  }
  out += "  ...\n";
}

}  // namespace

std::string TapReporter::render(const RunSummary& summary, const std::vector<ScenarioResult>& all) const {
  std::string out = "TAP version 14\n";
  out += all.empty() ? std::string("1..0 # SKIP no scenarios were selected\n") : "1.." + std::to_string(all.size()) + "\n";
  size_t n = 0;
  for (const auto& r : all) {
    ++n;
    const std::string point = std::to_string(n) + " - " + tap_description(r.name);
    if (r.status == Status::kNotRun) {
      out += "ok " + point + " # SKIP " + tap_line("not run: " + r.not_run_reason) + "\n";
      continue;
    }
    out += (r.status == Status::kPassed ? "ok " : "not ok ") + point + "\n";
    diagnostics(out, r);
  }
  out += "# " + std::to_string(summary.passed) + " passed, " + std::to_string(summary.failed) + " failed, " +
         std::to_string(summary.not_run) + " not run in " + tap_line(format_ms(summary.total_ms)) + "\n";
  if (summary.repeat > 1) {
    out += "# repeat " + std::to_string(summary.repeat) + ": " + std::to_string(summary.flaky) + " flaky\n";
    for (const auto& c : summary.repeats)
      if (c.flaky())
        out += "# flaky: " + tap_line(c.name) + " passed " + std::to_string(c.passed) + "/" +
               std::to_string(c.passed + c.failed) + "\n";
  }
  if (summary.interrupted) out += "Bail out! the run was interrupted\n";
  return out;
}

}  // namespace wscheck
