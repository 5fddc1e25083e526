#include "report/console_reporter.h"
#include "report/report_text.h"

#include "core/diagnosis.h"
#include "core/format.h"
#include "diagnose/diagnose_result.h"

namespace wscheck {

namespace {
const char* kGreen = "32";
const char* kRed = "31";
const char* kYellow = "33";
const char* kDim = "2";
const char* kBold = "1";
}  // namespace

std::string format_phases(const PhaseTimings& t) {
  std::string out;
  auto add = [&](const char* name, const std::optional<double>& v) {
    if (!v) return;
    if (!out.empty()) out += " · ";
    out += std::string(name) + " " + format_ms(*v);
  };
  add("dns", t.dns);
  add("tcp", t.tcp);
  add("tls", t.tls);
  add("upgrade", t.upgrade);
  return out;
}

std::string ConsoleReporter::paint(const char* code, const std::string& text) const {
  if (!options_.color) return text;
  return std::string("\033[") + code + "m" + text + "\033[0m";
}

void ConsoleReporter::on_run_start(const RunInfo& info) {
  if (options_.quiet) return;
  std::fprintf(out_, "%s\n", paint(kDim, "wscheck → " + info.target + " · " + std::to_string(info.scenario_count) +
                                             " scenario" + (info.scenario_count == 1 ? "" : "s")).c_str());
  std::fflush(out_);
}

void ConsoleReporter::on_trace(const std::string& line) {
  if (!options_.verbose) return;
  std::fprintf(out_, "%s\n", paint(kDim, "  · " + line).c_str());
}

void ConsoleReporter::on_scenario_done(const ScenarioResult& r) {
  if (r.status == Status::kPassed) {
    if (options_.quiet) return;
    std::string phases;
    for (const auto& c : r.connections) {
      std::string p = format_phases(c.timings);
      if (!p.empty()) phases += (phases.empty() ? "" : "; ") + (r.connections.size() > 1 ? c.name + ": " : "") + p;
    }
    std::fprintf(out_, "%s %s  %s%s\n", paint(kGreen, "✓").c_str(), r.name.c_str(), format_ms(r.duration_ms).c_str(),
                 phases.empty() ? "" : paint(kDim, "  [" + phases + "]").c_str());
  } else if (r.status == Status::kNotRun) {
    std::fprintf(out_, "%s %s  %s\n", paint(kYellow, "-").c_str(), r.name.c_str(),
                 paint(kDim, "not run: " + r.not_run_reason).c_str());
  } else {
    std::fprintf(out_, "%s %s  %s\n", paint(kRed, "✗").c_str(), paint(kBold, r.name).c_str(), format_ms(r.duration_ms).c_str());
    if (r.diagnosis) {
      const Diagnosis& d = *r.diagnosis;
      std::fprintf(out_, "    %s %s\n", paint(kRed, std::string(class_name(d.cls)) + ":").c_str(), d.headline.c_str());
      if (r.failed_step) {
        const StepResult& s = r.steps[*r.failed_step];
        std::fprintf(out_, "    step %zu at %s: %s\n", s.index + 1, s.where.str().c_str(), s.label.c_str());
      }
      for (const auto& line : d.details) std::fprintf(out_, "      %s\n", line.c_str());
      std::string words = server_words_text(r, "    ");
      if (!words.empty()) std::fprintf(out_, "%s", words.c_str());
      if (!d.hint.empty()) std::fprintf(out_, "    %s %s\n", paint(kYellow, "hint:").c_str(), d.hint.c_str());
    }
    for (const auto& c : r.connections) {
      std::string p = format_phases(c.timings);
      if (!p.empty()) std::fprintf(out_, "    %s\n", paint(kDim, "connection " + c.name + ": " + p).c_str());
    }
  }
  if (options_.verbose) {
    for (const auto& s : r.steps) {
      if (s.status == Status::kNotRun) continue;
      std::string extra = s.rtt_ms ? "  rtt " + format_ms(*s.rtt_ms) : "";
      std::fprintf(out_, "%s\n", paint(kDim, "    " + std::string(s.status == Status::kPassed ? "✓" : "✗") + " step " +
                                                 std::to_string(s.index + 1) + " " + s.label + "  " +
                                                 format_ms(s.duration_ms) + extra).c_str());
    }
    std::vector<ConnectionReport> fired = r.connections;
    for (auto& c : fired) std::erase_if(c.rules, [](const RuleCount& rule) { return rule.count == 0; });
    for (const auto& line : rule_count_lines(fired)) std::fprintf(out_, "%s\n", paint(kDim, "    " + line).c_str());
  }
  std::fflush(out_);
}

void ConsoleReporter::on_run_end(const RunSummary& s, const std::vector<ScenarioResult>& /*all*/) {
  std::string line = std::to_string(s.passed) + " passed, " + std::to_string(s.failed) + " failed";
  if (s.not_run) line += ", " + std::to_string(s.not_run) + " not run";
  std::fprintf(out_, "\n%s in %s\n", paint(s.failed || s.not_run ? kRed : kGreen, line).c_str(), format_ms(s.total_ms).c_str());
  if (s.interrupted) std::fprintf(out_, "%s\n", paint(kYellow, "interrupted").c_str());
  std::fflush(out_);
}

}  // namespace wscheck
