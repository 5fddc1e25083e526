// A WebSocket conversation as observed from the client's side: the input of
// the scenario writer, produced by the HAR reader and by the record proxy.
#pragma once

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

namespace wscheck {

/// One WebSocket connection as the client opened it.
struct RecordedConnection {
  std::string url;  // absolute ws(s):// URL with its query, as the client asked for it
  std::vector<std::pair<std::string, std::string>> headers;  // request headers as sent (raw, secrets included)
  std::vector<std::string> subprotocols;  // offered by the client, in order
  int rejected_status = 0;  // the upgrade was refused with this HTTP status (0: accepted)
  double opened_ms = 0;     // when the connect started, on the conversation's clock
};

/// One thing that happened on a connection.
struct RecordedEvent {
  enum class Kind { kSend, kReceive, kClientClose, kServerClose };
  Kind kind = Kind::kSend;
  size_t conn = 0;    // index into Conversation::connections
  double at_ms = 0;   // on the conversation's clock (ms)
  bool binary = false;
  std::string data;   // message bytes (kSend / kReceive)
  int close_code = 1005;  // kClientClose / kServerClose; 1006 = dropped without a close frame
  std::string close_reason;
};

/// Everything the writer needs; events are in time order.
struct Conversation {
  std::string source;  // "session.har (Chromium HAR)" / "recorded from ws://..."
  std::vector<RecordedConnection> connections;
  std::vector<RecordedEvent> events;
};

}  // namespace wscheck
