#include "core/diagnosis.h"

namespace wscheck {

const char* class_name(DiagnosisClass c) {
  switch (c) {
    case DiagnosisClass::kNone: return "none";
    case DiagnosisClass::kDnsFailed: return "dns_failed";
    case DiagnosisClass::kTcpRefused: return "tcp_refused";
    case DiagnosisClass::kTcpTimeout: return "tcp_timeout";
    case DiagnosisClass::kTlsFailed: return "tls_failed";
    case DiagnosisClass::kUpgradeTimeout: return "upgrade_timeout";
    case DiagnosisClass::kUpgradeRejected: return "upgrade_rejected";
    case DiagnosisClass::kNotWebsocket: return "not_websocket";
    case DiagnosisClass::kClosedByServer: return "closed_by_server";
    case DiagnosisClass::kReset: return "reset";
    case DiagnosisClass::kMessageTimeout: return "message_timeout";
    case DiagnosisClass::kMismatch: return "mismatch";
    case DiagnosisClass::kServerExited: return "server_exited";
    case DiagnosisClass::kProtocolError: return "protocol_error";
    case DiagnosisClass::kScenarioTimeout: return "scenario_timeout";
    case DiagnosisClass::kUsage: return "usage";
    case DiagnosisClass::kInterrupted: return "interrupted";
    case DiagnosisClass::kRequiresFailed: return "requires_failed";
  }
  return "unknown";
}

DiagnosisClass class_from_name(const std::string& name) {
  for (int i = 0; i <= static_cast<int>(DiagnosisClass::kRequiresFailed); ++i)
    if (name == class_name(static_cast<DiagnosisClass>(i))) return static_cast<DiagnosisClass>(i);
  return DiagnosisClass::kNone;
}

}  // namespace wscheck
