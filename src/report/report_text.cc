#include "report/report_text.h"

#include "core/diagnosis.h"
#include "core/format.h"
#include "report/console_reporter.h"

namespace wscheck {

const StepResult* failed_step(const ScenarioResult& r) {
  if (!r.failed_step || *r.failed_step >= r.steps.size()) return nullptr;
  return &r.steps[*r.failed_step];
}

std::string failed_step_line(const ScenarioResult& r) {
  const StepResult* s = failed_step(r);
  if (!s) return "";
  return "step " + std::to_string(s->index + 1) + " at " + s->where.str() + ": " + s->label;
}

std::string failure_text(const ScenarioResult& r) {
  std::string out;
  if (r.diagnosis) out += std::string(class_name(r.diagnosis->cls)) + ": " + r.diagnosis->headline + "\n";
  if (std::string step = failed_step_line(r); !step.empty()) out += step + "\n";
  if (r.diagnosis) {
    for (const auto& line : r.diagnosis->details) out += "  " + line + "\n";
    if (!r.diagnosis->hint.empty()) out += "hint: " + r.diagnosis->hint + "\n";
  }
  out += server_words_text(r, "");
  return out;
}

std::string server_words_text(const ScenarioResult& r, const std::string& indent) {
  std::string out;
  if (!r.server_log.empty()) {
    out += indent + "server log while the failing step ran:\n";
    for (const auto& line : r.server_log) out += indent + "  | " + line + "\n";
  }
  if (!r.server_error_line.empty()) out += indent + "server's last error line: " + r.server_error_line + "\n";
  return out;
}

std::string connection_line(const ConnectionReport& c) {
  std::string out = "connection " + c.name;
  if (!c.url.empty()) out += " " + c.url;
  std::string phases = format_phases(c.timings);
  out += ": " + (phases.empty() ? std::string("no phase completed") : phases);
  if (!c.subprotocol.empty()) out += "; subprotocol " + c.subprotocol;
  out += "; " + std::to_string(c.messages_received) + (c.messages_received == 1 ? " message" : " messages") + " received";
  if (c.close) {
    out += "; closed " + std::to_string(c.close->code);
    if (!c.close->reason.empty()) out += " \"" + c.close->reason + "\"";
    out += c.close->by_peer ? " by the server" : " by the client";
  }
  return out;
}

std::string scenario_log(const ScenarioResult& r) {
  std::string out;
  for (const auto& c : r.connections) out += connection_line(c) + "\n";
  for (const auto& s : r.steps) {
    if (s.status == Status::kNotRun) continue;
    out += "step " + std::to_string(s.index + 1) + " " + s.label + ": " + status_name(s.status) + " in " +
           format_ms(s.duration_ms);
    if (s.rtt_ms) out += ", rtt " + format_ms(*s.rtt_ms);
    out += "\n";
  }
  if (r.status == Status::kFailed) {
    out += server_words_text(r, "");
    for (const auto& c : r.connections) {
      if (c.last_frames.empty()) continue;
      out += "last frames received on " + c.name + ":\n";
      for (const auto& f : c.last_frames) out += "  " + f + "\n";
    }
  }
  return out;
}

}  // namespace wscheck
