#include "report/json_reporter.h"

#include <cmath>

namespace wscheck {

namespace {

using json = nlohmann::ordered_json;

/// Milliseconds rounded to the microsecond the clock measures.
json ms(double v) {
  if (!std::isfinite(v)) return nullptr;
  return std::round(v * 1000.0) / 1000.0;
}

json ms(const std::optional<double>& v) { return v ? ms(*v) : json(nullptr); }

json diagnosis_to_json(const std::optional<Diagnosis>& d) {
  if (!d) return nullptr;
  return json{{"class", class_name(d->cls)},
              {"headline", d->headline},
              {"hint", d->hint},
              {"details", d->details}};
}

json step_to_json(const StepResult& s) {
  json j{{"index", s.index + 1},
         {"kind", s.kind},
         {"label", s.label},
         {"conn", s.conn},
         {"file", s.where.file},
         {"line", s.where.pos.line},
         {"col", s.where.pos.col},
         {"status", status_name(s.status)},
         {"duration_ms", ms(s.duration_ms)}};
  if (s.rtt_ms) j["rtt_ms"] = ms(*s.rtt_ms);
  if (s.diagnosis) j["diagnosis"] = diagnosis_to_json(s.diagnosis);
  return j;
}

json connection_to_json(const ConnectionReport& c) {
  json close = nullptr;
  if (c.close) close = json{{"code", c.close->code}, {"reason", c.close->reason}, {"by_peer", c.close->by_peer}};
  return json{{"name", c.name},
              {"url", c.url},
              {"phases",
               {{"dns_ms", ms(c.timings.dns)},
                {"tcp_ms", ms(c.timings.tcp)},
                {"tls_ms", ms(c.timings.tls)},
                {"upgrade_ms", ms(c.timings.upgrade)}}},
              {"close", close},
              {"subprotocol", c.subprotocol},
              {"messages_received", c.messages_received},
              {"last_frames", c.last_frames}};
}

/// Every connection's on_message rules, with how often each fired.
json rules_to_json(const std::vector<ConnectionReport>& connections) {
  json rules = json::array();
  for (const auto& c : connections)
    for (const auto& rule : c.rules)
      rules.push_back(json{{"conn", c.name},
                           {"name", rule.name},
                           {"action", rule.action == RuleAction::kReply ? "reply" : "ignore"},
                           {"count", rule.count}});
  return rules;
}

json repeat_to_json(const RunSummary& s) {
  if (s.repeat <= 1) return nullptr;
  json counts = json::array();
  for (const auto& c : s.repeats)
    counts.push_back(json{{"name", c.name}, {"passed", c.passed}, {"failed", c.failed}, {"flaky", c.flaky()}});
  return json{{"count", s.repeat}, {"scenarios", counts}};
}

}  // namespace

nlohmann::ordered_json scenario_to_json(const ScenarioResult& r) {
  json steps = json::array();
  for (const auto& s : r.steps) steps.push_back(step_to_json(s));
  json connections = json::array();
  for (const auto& c : r.connections) connections.push_back(connection_to_json(c));
  json failed_step = nullptr;
  if (r.failed_step && *r.failed_step < r.steps.size()) failed_step = r.steps[*r.failed_step].index + 1;
  return json{{"name", r.name},
              {"file", r.where.file},
              {"line", r.where.pos.line},
              {"tags", r.tags},
              {"status", status_name(r.status)},
              {"duration_ms", ms(r.duration_ms)},
              {"diagnosis", diagnosis_to_json(r.diagnosis)},
              {"failed_step", failed_step},
              {"not_run_reason", r.status == Status::kNotRun ? json(r.not_run_reason) : json(nullptr)},
              {"server_log", r.server_log.empty() && r.server_error_line.empty()
                                 ? json(nullptr)
                                 : json{{"while_failing_step", r.server_log}, {"last_error", r.server_error_line}}},
              {"steps", steps},
              {"connections", connections},
              {"rules", rules_to_json(r.connections)}};
}

nlohmann::ordered_json JsonReporter::to_json(const RunSummary& summary, const std::vector<ScenarioResult>& all) const {
  json scenarios = json::array();
  for (const auto& r : all) scenarios.push_back(scenario_to_json(r));
  return json{{"wscheck",
               {{"version", meta_.version}, {"libwebsockets", meta_.lws_version}, {"openssl", meta_.openssl_version}}},
              {"started_at", info().started_at},
              {"target", info().target},
              {"total_ms", ms(summary.total_ms)},
              {"exit_code", summary.exit_code},
              {"interrupted", summary.interrupted},
              {"summary", {{"passed", summary.passed}, {"failed", summary.failed}, {"not_run", summary.not_run},
                           {"flaky", summary.flaky}}},
              {"repeat", repeat_to_json(summary)},
              {"scenarios", scenarios}};
}

std::string JsonReporter::render(const RunSummary& summary, const std::vector<ScenarioResult>& all) const {
  // Frames and messages may hold any bytes: invalid UTF-8 becomes U+FFFD
  // instead of an exception.
  return to_json(summary, all).dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

}  // namespace wscheck
