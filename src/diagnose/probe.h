// The phase probe: DNS, TCP, TLS and the HTTP upgrade, measured with plain
// sockets and OpenSSL, independent of the WebSocket engine.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/resolve_override.h"
#include "core/url.h"
#include "diagnose/diagnosis.h"

namespace wscheck {

/// One line of a probe or preflight: ok / warn / FAIL, time, detail, hint.
struct CheckLine {
  enum class Level { kOk, kWarn, kFail };
  Level level = Level::kOk;
  std::string name;    // "dns", "tcp", "tls", "upgrade", "requires env", ...
  double ms = 0;
  std::string detail;  // what was seen
  std::string hint;    // for a FAIL: what to try
  std::string cls;     // for a FAIL: the failure class name ("tcp_refused")
};

struct ProbeOptions {
  Url url;                 // ws, wss, http, https or tcp
  int timeout_ms = 5000;   // per phase
  bool insecure = false;
  std::string ca_file;
  ResolveOverrides resolve = {};  // --resolve entries, used instead of the system resolver
};

struct ProbeResult {
  std::vector<CheckLine> lines;
  std::optional<Diagnosis> failure;  // set when a phase failed
  int http_status = 0;               // status line of the upgrade / GET, if any
  std::optional<long long> cert_not_after;  // unix time the server certificate expires (wss/https)
  bool ready() const { return !failure.has_value(); }
};

/// Runs the phases in order and stops at the first failure. For ws/wss an
/// upgrade request without credentials is sent: 101, 401 and 403 all prove
/// the app is serving. For http/https a GET must answer 2xx. For tcp only
/// the connect is made.
ProbeResult probe_target(const ProbeOptions& options);

}  // namespace wscheck
