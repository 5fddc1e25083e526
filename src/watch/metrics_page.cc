#include "watch/metrics_page.h"

#include "watch/exposition.h"

namespace wscheck {

namespace {

constexpr size_t kMaxLabelBytes = 120;

Labels scenario_label(const ScenarioView& s) { return {{"scenario", bounded_label(s.stats->name())}}; }

Labels with(Labels labels, const std::string& key, const std::string& value) {
  labels.emplace_back(key, bounded_label(value));
  return labels;
}

void render_counters(Exposition& e, const MonitorView& v) {
  e.family("wscheck_runs_total", "counter", "Finished scheduled runs by scenario and result (passed, failed).");
  for (const auto& s : v.scenarios) {
    e.sample("wscheck_runs_total", with(scenario_label(s), "result", "passed"), double(s.stats->runs_passed()));
    e.sample("wscheck_runs_total", with(scenario_label(s), "result", "failed"), double(s.stats->runs_failed()));
  }
  e.family("wscheck_failures_total", "counter", "Failed runs by scenario and diagnosis class (tcp_refused, message_timeout, ...).");
  for (const auto& s : v.scenarios)
    for (const auto& [cls, n] : s.stats->failures_by_class()) e.sample("wscheck_failures_total", with(scenario_label(s), "class", cls), double(n));
  e.family("wscheck_overruns_total", "counter",
           "Scheduled runs skipped because the previous run of the scenario was still going (it overran its interval).");
  for (const auto& s : v.scenarios) e.sample("wscheck_overruns_total", scenario_label(s), double(s.stats->overruns()));
}

void render_state(Exposition& e, const MonitorView& v) {
  e.family("wscheck_up", "gauge", "1 if the last run of the scenario passed, 0 if it failed (absent before the first run).");
  for (const auto& s : v.scenarios)
    if (s.stats->has_run()) e.sample("wscheck_up", scenario_label(s), s.stats->up() ? 1 : 0);
  e.family("wscheck_last_failure_info", "gauge", "1 for the diagnosis class of the last failed run, while the scenario is down.");
  for (const auto& s : v.scenarios)
    if (s.stats->has_run() && !s.stats->up())
      e.sample("wscheck_last_failure_info", with(scenario_label(s), "class", s.stats->last_failure_class()), 1);
  e.family("wscheck_consecutive_failures", "gauge", "Runs failed in a row since the last success.");
  for (const auto& s : v.scenarios) e.sample("wscheck_consecutive_failures", scenario_label(s), double(s.stats->consecutive_failures()));
  e.family("wscheck_last_success_timestamp_seconds", "gauge", "Unix time of the last passed run.");
  for (const auto& s : v.scenarios)
    if (auto t = s.stats->last_success_s()) e.sample("wscheck_last_success_timestamp_seconds", scenario_label(s), *t);
  e.family("wscheck_last_run_timestamp_seconds", "gauge", "Unix time the last run finished.");
  for (const auto& s : v.scenarios)
    if (auto t = s.stats->last_run_s()) e.sample("wscheck_last_run_timestamp_seconds", scenario_label(s), *t);
  e.family("wscheck_interval_seconds", "gauge", "The configured interval between runs of the scenario.");
  for (const auto& s : v.scenarios) e.sample("wscheck_interval_seconds", scenario_label(s), s.interval_s);
}

void render_histograms(Exposition& e, const MonitorView& v) {
  e.family("wscheck_scenario_duration_seconds", "histogram", "Wall time of whole scenario runs.");
  for (const auto& s : v.scenarios) e.histogram("wscheck_scenario_duration_seconds", scenario_label(s), s.stats->duration());
  e.family("wscheck_connect_phase_duration_seconds", "histogram",
           "Connect phases of the scenario's first connection: dns, tcp, tls, upgrade.");
  for (const auto& s : v.scenarios)
    for (const auto& [phase, h] : s.stats->phases())
      e.histogram("wscheck_connect_phase_duration_seconds", with(scenario_label(s), "phase", phase), h);
  e.family("wscheck_step_duration_seconds", "histogram",
           "Latency of passed steps that are named, expect, expect_sequence or ping (e.g. user message to agent_completed).");
  for (const auto& s : v.scenarios)
    for (const auto& [step, h] : s.stats->steps()) e.histogram("wscheck_step_duration_seconds", with(scenario_label(s), "step", step), h);
  e.family("wscheck_ping_rtt_seconds", "histogram", "Round trip of WebSocket ping frames (ping steps).");
  for (const auto& s : v.scenarios)
    if (s.stats->ping_rtt().count()) e.histogram("wscheck_ping_rtt_seconds", scenario_label(s), s.stats->ping_rtt());
}

}  // namespace

std::string bounded_label(const std::string& value) {
  if (value.size() <= kMaxLabelBytes) return value;
  size_t cut = kMaxLabelBytes;
  while (cut > 0 && (static_cast<unsigned char>(value[cut]) & 0xC0) == 0x80) --cut;
  return value.substr(0, cut) + "...";
}

std::string render_metrics(const MonitorView& v) {
  Exposition e;
  e.family("wscheck_build_info", "gauge", "Versions of wscheck and its libraries; the value is always 1.");
  e.sample("wscheck_build_info", {{"version", v.build.version}, {"libwebsockets", v.build.libwebsockets}, {"openssl", v.build.openssl}}, 1);
  e.family("wscheck_start_time_seconds", "gauge", "Unix time the watch started.");
  e.sample("wscheck_start_time_seconds", {}, v.start_time_s);
  e.family("wscheck_scenarios", "gauge", "Number of scenarios being watched.");
  e.sample("wscheck_scenarios", {}, double(v.scenarios.size()));
  render_counters(e, v);
  render_state(e, v);
  render_histograms(e, v);
  e.family("wscheck_tls_cert_expiry_timestamp_seconds", "gauge", "Unix time the wss:// target's certificate expires (notAfter).");
  for (const auto& c : v.certs)
    if (c.ok) e.sample("wscheck_tls_cert_expiry_timestamp_seconds", {{"target", bounded_label(c.target)}}, c.not_after_s);
  e.family("wscheck_tls_cert_check_success", "gauge", "1 if the last TLS probe of the wss:// target got its certificate.");
  for (const auto& c : v.certs) e.sample("wscheck_tls_cert_check_success", {{"target", bounded_label(c.target)}}, c.ok ? 1 : 0);
  e.family("wscheck_probe_requests_total", "counter", "On-demand /probe requests by result (passed, failed, rejected).");
  e.sample("wscheck_probe_requests_total", {{"result", "passed"}}, double(v.probes_passed));
  e.sample("wscheck_probe_requests_total", {{"result", "failed"}}, double(v.probes_failed));
  e.sample("wscheck_probe_requests_total", {{"result", "rejected"}}, double(v.probes_rejected));
  return e.text();
}

}  // namespace wscheck
