// One proxied WebSocket: the accepted client (downstream) and its own
// connection to the upstream server, with a frame queue each way.
#pragma once

#include <libwebsockets.h>

#include <cstddef>
#include <deque>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace wscheck {

/// A whole message waiting to be written to one side.
struct ProxyFrame {
  bool binary = false;
  std::string data;
};

/// The frames (and the close) owed to one side of a session.
struct ProxyDirection {
  std::deque<ProxyFrame> queue;
  size_t queued_bytes = 0;
  std::optional<std::pair<int, std::string>> close;  // close to send once the queue is empty
  bool close_sent = false;
  std::string rx;  // message being reassembled from this side's fragments
  bool rx_binary = false;
};

/// State of one accepted client. Owned by the RecordingProxy; lws handles
/// point at it through their opaque user data and are cleared on destroy.
struct ProxySession {
  size_t index = 0;          // connection index in the recorded conversation
  lws* downstream = nullptr;  // the accepted client (server-side wsi)
  lws* upstream = nullptr;    // our client connection to the upstream server
  bool upstream_open = false;
  bool upstream_connecting = false;
  std::string upstream_path;  // path and query sent upstream
  std::vector<std::pair<std::string, std::string>> headers;  // forwarded request headers
  std::string subprotocols;   // offered list, as sent
  ProxyDirection to_upstream;
  ProxyDirection to_downstream;
  bool client_closed = false;  // the client's close (or drop) was seen
  bool server_closed = false;  // the upstream's close (or drop) was seen
  bool retired = false;

  bool live() const { return downstream || upstream || upstream_connecting; }
};

}  // namespace wscheck

namespace wscheck {

/// Writes the session's forwarded request headers into the upstream
/// handshake (LWS_CALLBACK_CLIENT_APPEND_HANDSHAKE_HEADER); -1 if they do not fit.
int append_forwarded_headers(ProxySession* s, lws* wsi, unsigned char** p, unsigned char* end);

}  // namespace wscheck
