#include "engine/observation.h"

namespace wscheck {

const char* phase_name(ConnPhase p) {
  switch (p) {
    case ConnPhase::kIdle: return "idle";
    case ConnPhase::kResolving: return "dns";
    case ConnPhase::kTcp: return "tcp";
    case ConnPhase::kTls: return "tls";
    case ConnPhase::kUpgrade: return "upgrade";
    case ConnPhase::kOpen: return "open";
    case ConnPhase::kClosing: return "closing";
    case ConnPhase::kClosed: return "closed";
    case ConnPhase::kFailed: return "failed";
  }
  return "?";
}

}  // namespace wscheck
