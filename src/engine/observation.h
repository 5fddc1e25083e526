// What a connection observes, as plain data: phases, timings, close info.
//
/// The classifier (diagnose/) reads these facts; it never needs a live
/// Connection, lws or a socket.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"

namespace wscheck {

enum class ConnPhase { kIdle, kResolving, kTcp, kTls, kUpgrade, kOpen, kClosing, kClosed, kFailed };
const char* phase_name(ConnPhase p);

/// Phase durations in ms; absent when the phase did not happen.
struct PhaseTimings {
  std::optional<double> dns, tcp, tls, upgrade;
};

/// Everything observed about a connection attempt that did not open; the
/// classifier (diagnose/) turns it into a Diagnosis.
struct ConnectObservation {
  ConnPhase failed_in = ConnPhase::kIdle;
  Micros phase_elapsed_us = 0;  // time spent in the failing phase
  std::string dns_error;
  std::string lws_error;  // CLIENT_CONNECTION_ERROR text, "" if none
  int http_status = 0;
  std::string content_type;
  std::string server_header;
  int tls_verify_error = 0;  // X509_V_ERR_*
  std::string tls_verify_text;
  bool deadline_hit = false;  // we gave up on it
  Micros deadline_us = 0;
  Micros tcp_us = 0;  // how long TCP took, when it connected
  /// Every address tried, in order, with its outcome ("refused", "connected").
  std::vector<std::pair<std::string, std::string>> address_results;
  std::string answered_by;        // the address that connected, "" if none did
  bool credentials_sent = false;  // an Authorization/Cookie header or a token in the query went out
};

/// A frame whose header arrived but whose payload is still coming in.
struct PartialFrame {
  std::string conn;
  size_t received = 0;
  size_t announced = 0;
};

/// How a connection ended (its close frame, or 1006 for none).
struct CloseInfo {
  int code = 1006;       // 1006: no close frame (abnormal)
  std::string reason;
  bool by_peer = false;  // the server sent the close first
  Micros at = 0;
};

/// What is known about an open (or once open) connection that ended.
struct ConnectionFacts {
  std::string protocol_error;  // a limit or RFC 6455 violation that made us close it
  std::optional<CloseInfo> close;
  Micros opened_at = 0;
};

}  // namespace wscheck
