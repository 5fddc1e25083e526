#include "report/github_reporter.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "core/diagnosis.h"
#include "core/format.h"
#include "report/report_text.h"
#include "report/text_escape.h"

namespace wscheck {

bool running_in_github_actions() {
  const char* v = std::getenv("GITHUB_ACTIONS");
  return v && std::strcmp(v, "true") == 0;
}

std::string GithubReporter::annotation(const ScenarioResult& r) {
  if (r.status != Status::kFailed) return "";
  const StepResult* step = failed_step(r);
  const SourceRef& at = step ? step->where : r.where;
  std::string props;
  auto add = [&](const char* name, const std::string& value) {
    props += (props.empty() ? " " : ",") + std::string(name) + "=" + github_property(value);
  };
  if (!at.file.empty()) add("file", at.file);
  if (at.pos.line > 0) add("line", std::to_string(at.pos.line));
  if (at.pos.line > 0 && at.pos.col > 0) add("col", std::to_string(at.pos.col));
  const std::string cls = r.diagnosis ? class_name(r.diagnosis->cls) : "failed";
  add("title", "wscheck " + cls);
  std::string message = r.diagnosis ? r.diagnosis->headline : "the scenario failed";
  message += "\nscenario \"" + r.name + "\"";
  if (std::string line = failed_step_line(r); !line.empty()) message += ", " + line;
  if (r.diagnosis && !r.diagnosis->hint.empty()) message += "\nhint: " + r.diagnosis->hint;
  return "::error" + props + "::" + github_data(message) + "\n";
}

void GithubReporter::on_scenario_done(const ScenarioResult& r) {
  std::string line = annotation(r);
  if (line.empty()) return;
  std::fputs(line.c_str(), out_);
  std::fflush(out_);
}

std::string GithubReporter::step_summary(const RunSummary& s, const std::vector<ScenarioResult>& all) {
  std::string out = "### wscheck: " + std::to_string(s.passed) + " passed, " + std::to_string(s.failed) + " failed";
  if (s.not_run) out += ", " + std::to_string(s.not_run) + " not run";
  out += " in " + format_ms(s.total_ms) + (s.interrupted ? " (interrupted)" : "") + "\n\n";
  out += "| scenario | status | time | diagnosis |\n| --- | --- | --- | --- |\n";
  for (const auto& r : all) {
    std::string status, diagnosis;
    switch (r.status) {
      case Status::kPassed: status = "✅ passed"; break;
      case Status::kFailed:
        status = "❌ failed";
        diagnosis = r.diagnosis ? "`" + std::string(class_name(r.diagnosis->cls)) + "`: " + markdown_cell(r.diagnosis->headline)
                                : "failed";
        if (const StepResult* step = failed_step(r))
          diagnosis += "<br>step " + std::to_string(step->index + 1) + " at " + markdown_cell(step->where.str());
        break;
      case Status::kNotRun:
        status = "⏭️ not run";
        diagnosis = markdown_cell(r.not_run_reason);
        break;
    }
    out += "| " + markdown_cell(r.name) + " | " + status + " | " + format_ms(r.duration_ms) + " | " + diagnosis + " |\n";
  }
  return out + "\n";
}

void GithubReporter::on_run_end(const RunSummary& summary, const std::vector<ScenarioResult>& all) {
  if (step_summary_path_.empty()) return;
  std::string text = step_summary(summary, all);
  std::FILE* f = std::fopen(step_summary_path_.c_str(), "ab");
  bool ok = f && std::fwrite(text.data(), 1, text.size(), f) == text.size();
  int saved = errno;
  if (f && std::fclose(f) != 0 && ok) {
    ok = false;
    saved = errno;
  }
  if (!ok) {
    error_ = step_summary_path_ + ": " + std::strerror(saved);
    std::fprintf(stderr, "wscheck: could not append to the GitHub step summary: %s\n", error_.c_str());
  }
}

}  // namespace wscheck
