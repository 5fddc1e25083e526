// GET /metrics: the monitor's state as a Prometheus exposition.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "watch/scenario_stats.h"

namespace wscheck {

struct BuildInfo {
  std::string version, libwebsockets, openssl;
};

/// The certificate of one wss:// target, as the last TLS probe saw it.
struct CertStatus {
  std::string target;  // host:port only: no path, no query, no secret
  bool ok = false;     // the probe reached the certificate
  double not_after_s = 0;
};

/// One watched scenario as /metrics and the status page see it.
struct ScenarioView {
  const ScenarioStats* stats = nullptr;
  double interval_s = 0;
};

struct MonitorView {
  BuildInfo build;
  double start_time_s = 0;
  std::vector<ScenarioView> scenarios;
  std::vector<CertStatus> certs;
  std::uint64_t probes_passed = 0, probes_failed = 0, probes_rejected = 0;
};

/// Label values are cut to this many bytes (on a UTF-8 boundary).
std::string bounded_label(const std::string& value);

std::string render_metrics(const MonitorView& view);

}  // namespace wscheck
