// Failure classes and the human sentence that names each failure.
//
/// Every failed step carries one Diagnosis. The class is a stable,
/// machine-readable name (reports, CI); the headline is the first line a
/// person reads and says what really happened; the hint says what to try.
#pragma once

#include <string>
#include <vector>

namespace wscheck {

enum class DiagnosisClass {
  kNone,
  kDnsFailed,
  kTcpRefused,
  kTcpTimeout,
  kTlsFailed,
  kUpgradeTimeout,
  kUpgradeRejected,
  kNotWebsocket,
  kClosedByServer,
  kReset,
  kMessageTimeout,
  kMismatch,
  kServerExited,
  kProtocolError,   // the server broke RFC 6455 (bad accept, bad UTF-8, oversized frame)
  kScenarioTimeout, // the whole scenario budget ran out
  kUsage,           // a step could not be built (bad URL after expansion, ...)
  kInterrupted,     // Ctrl-C / SIGTERM
  kRequiresFailed,  // a preflight `requires` check failed
};

/// Stable snake_case name used in reports ("upgrade_timeout").
const char* class_name(DiagnosisClass c);
/// The inverse of class_name(); kNone for an unknown name.
DiagnosisClass class_from_name(const std::string& name);

struct Diagnosis {
  DiagnosisClass cls = DiagnosisClass::kNone;
  std::string headline;              // one line, plain words
  std::string hint;                  // what to try; may be empty
  std::vector<std::string> details;  // further lines (received messages, diff, ...)
  bool environment = false;          // true: the environment, not the server's behaviour, is at fault (exit 3)
};

}  // namespace wscheck
