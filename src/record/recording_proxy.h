// `wscheck record`'s engine: a WebSocket proxy that records the conversation.
#pragma once

#include <libwebsockets.h>

#include <chrono>
#include <functional>
#include <list>
#include <string>
#include <vector>

#include "author/conversation.h"
#include "core/url.h"
#include "record/proxy_session.h"

namespace wscheck {

struct ProxyOptions {
  std::string listen_host = "127.0.0.1";
  int listen_port = 0;  // 0: ephemeral
  Url upstream;         // ws:// or wss://; its path is used unless it is "/" (then the client's)
  size_t max_message_bytes = 16u << 20;
  std::vector<std::string> extra_headers;  // custom request headers to forward besides the known ones
  bool insecure = false;
  std::string ca_file;
};

/// Something a person may want to know while recording; the CLI words it.
struct ProxyNotice {
  enum class Kind { kAccepted, kUpstreamOpen, kUpstreamRefused, kUpstreamFailed, kClosed };
  Kind kind = Kind::kAccepted;
  size_t conn = 0;
  int status = 0;      // kUpstreamRefused: HTTP status; kClosed: close code
  std::string detail;  // path without the query (it may hold credentials) for kAccepted, lws' error text for kUpstreamFailed
};

/// A recording WebSocket proxy on an existing lws context (created with
/// LWS_SERVER_OPTION_EXPLICIT_VHOSTS): a listening vhost for clients and a
/// client vhost for one upstream connection per accepted client. Whole
/// messages pass through unchanged both ways (text/binary, close codes and
/// reasons); the client's query string and credential headers go upstream.
/// Every message and close is appended to conversation() as it passes.
/// Must outlive the context (lws calls back into it while destroying).
class RecordingProxy {
 public:
  explicit RecordingProxy(ProxyOptions options);
  RecordingProxy(const RecordingProxy&) = delete;
  RecordingProxy& operator=(const RecordingProxy&) = delete;

  /// Creates both vhosts; false with `error` if the port cannot be bound.
  bool start(lws_context* context, std::string& error);
  int port() const { return port_; }

  /// Stops recording and closes every open connection both ways with 1001.
  void shut_down();
  /// From now on callbacks do nothing: call before the context is destroyed,
  /// which closes the remaining connections without a loop to react.
  void detach() { detached_ = true; }
  /// Sessions whose client or upstream side is still open.
  size_t live_sessions() const;

  const Conversation& conversation() const { return conversation_; }
  void set_notice_handler(std::function<void(const ProxyNotice&)> handler) { on_notice_ = std::move(handler); }

 private:
  static int server_callback(lws* wsi, lws_callback_reasons reason, void* user, void* in, size_t len);
  static int client_callback(lws* wsi, lws_callback_reasons reason, void* user, void* in, size_t len);
  int handle_server(lws* wsi, lws_callback_reasons reason, void* in, size_t len);
  void adopt_offered_subprotocol(lws* wsi);
  int handle_client(ProxySession* s, lws* wsi, lws_callback_reasons reason, void* in, size_t len);

  ProxySession* accept_upgrade(lws* wsi);
  void connect_upstream(ProxySession* s);
  void on_message(ProxySession* s, lws* wsi, bool from_client, const void* in, size_t len);
  void on_peer_close(ProxySession* s, bool from_client, const void* in, size_t len);
  void on_side_closed(ProxySession* s, bool client_side);
  int write_next(lws* wsi, ProxyDirection& d);
  void record(ProxySession* s, RecordedEvent::Kind kind, bool binary, std::string data, int code = 1005,
              std::string reason = "");
  void notice(ProxyNotice::Kind kind, size_t conn, int status = 0, std::string detail = "");
  double now_ms() const;

  ProxyOptions options_;
  lws_context* context_ = nullptr;
  lws_vhost* client_vhost_ = nullptr;
  lws_protocols server_protocols_[4]{};
  // The name of server_protocols_[2], rewritten before each upgrade to the
  // client's first offered subprotocol: lws only accepts offered names it has
  // registered, and answers with the bound protocol's name.
  char offered_name_[64] = "wscheck-record-offered";
  lws_protocols client_protocols_[2]{};
  lws_protocol_vhost_options default_pvo_{};
  lws_protocol_vhost_options ws_pvo_{};
  int port_ = 0;
  bool recording_ = true;
  bool detached_ = false;
  std::list<ProxySession> sessions_;  // stable addresses; retired ones are kept until destruction
  Conversation conversation_;
  std::chrono::steady_clock::time_point started_;
  std::function<void(const ProxyNotice&)> on_notice_;
};

}  // namespace wscheck
