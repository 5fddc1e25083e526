#include "watch/probe_page.h"

#include "watch/exposition.h"
#include "watch/metrics_page.h"

namespace wscheck {

std::string render_probe(const RunOutcome& o, const std::string& scenario) {
  Exposition e;
  e.family("probe_success", "gauge", "1 if the scenario passed against the target, else 0.");
  e.sample("probe_success", {}, o.passed ? 1 : 0);
  e.family("probe_duration_seconds", "gauge", "Wall time of the whole scenario run.");
  e.sample("probe_duration_seconds", {}, o.duration_s);
  e.family("probe_http_status_code", "gauge", "HTTP status of the WebSocket upgrade response (101 when it opened, 0 if none).");
  e.sample("probe_http_status_code", {}, o.upgrade_status);
  e.family("probe_phase_duration_seconds", "gauge", "Connect phases of the first connection: dns, tcp, tls, upgrade.");
  const std::pair<const char*, const std::optional<double>*> phases[] = {
      {"dns", &o.dns_s}, {"tcp", &o.tcp_s}, {"tls", &o.tls_s}, {"upgrade", &o.upgrade_s}};
  for (const auto& [name, value] : phases)
    if (*value) e.sample("probe_phase_duration_seconds", {{"phase", name}}, **value);
  e.family("probe_step_duration_seconds", "gauge", "Latency of passed named, expect and ping steps.");
  for (const auto& step : o.steps) e.sample("probe_step_duration_seconds", {{"step", bounded_label(step.step)}}, step.seconds);
  e.family("probe_failure_info", "gauge", "1 for the diagnosis class of a failed probe.");
  if (!o.passed) e.sample("probe_failure_info", {{"class", o.failure_class}}, 1);
  e.family("probe_scenario_info", "gauge", "The scenario this probe ran; the value is always 1.");
  e.sample("probe_scenario_info", {{"scenario", bounded_label(scenario)}}, 1);
  return e.text();
}

}  // namespace wscheck
