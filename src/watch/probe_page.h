// GET /probe: one on-demand run as a blackbox_exporter-style exposition.
#pragma once

#include <string>

#include "watch/run_outcome.h"

namespace wscheck {

/// probe_success, probe_duration_seconds, probe_http_status_code (of the
/// upgrade), probe_phase_duration_seconds{phase}, probe_failure_info{class}.
std::string render_probe(const RunOutcome& outcome, const std::string& scenario);

}  // namespace wscheck
