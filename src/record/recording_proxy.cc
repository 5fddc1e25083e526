#include "record/recording_proxy.h"

#include <cstring>
#include <vector>

namespace wscheck {

namespace {

constexpr size_t kPauseBytes = 4u << 20;  // stop reading a side while the other owes this much

std::pair<int, std::string> parse_close(const void* in, size_t len) {
  const auto* b = static_cast<const unsigned char*>(in);
  int code = len >= 2 ? (b[0] << 8 | b[1]) : 1005;
  std::string reason = len > 2 ? std::string(reinterpret_cast<const char*>(b + 2), len - 2) : "";
  return {code, reason};
}

}  // namespace

RecordingProxy::RecordingProxy(ProxyOptions options)
    : options_(std::move(options)), started_(std::chrono::steady_clock::now()) {
  conversation_.source = "a live session proxied to " + options_.upstream.scheme + "://" + options_.upstream.authority();
}

double RecordingProxy::now_ms() const {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started_).count();
}

bool RecordingProxy::start(lws_context* context, std::string& error) {
  context_ = context;
  // id 1 marks the WebSocket protocols (the second one's name changes per upgrade).
  server_protocols_[0] = {"http", &RecordingProxy::server_callback, 0, 0, 0, this, 0};
  server_protocols_[1] = {"wscheck-record", &RecordingProxy::server_callback, 0, 65536, 1, this, 0};
  server_protocols_[2] = {offered_name_, &RecordingProxy::server_callback, 0, 65536, 1, this, 0};
  server_protocols_[3] = {nullptr, nullptr, 0, 0, 0, nullptr, 0};
  client_protocols_[0] = {"wscheck-record-upstream", &RecordingProxy::client_callback, 0, 65536, 0, this, 0};
  client_protocols_[1] = {nullptr, nullptr, 0, 0, 0, nullptr, 0};
  // Upgrades without Sec-WebSocket-Protocol bind to the ws protocol (LWS_NOTES §9).
  default_pvo_ = {nullptr, nullptr, "default", "1"};
  ws_pvo_ = {nullptr, &default_pvo_, "wscheck-record", ""};

  lws_context_creation_info client{};
  client.port = CONTEXT_PORT_NO_LISTEN;
  client.protocols = client_protocols_;
  client.options = options_.upstream.tls() ? LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT : 0;
  client.connect_timeout_secs = 30;
  client.vhost_name = "record-upstream";
  if (options_.upstream.tls() && !options_.ca_file.empty()) client.client_ssl_ca_filepath = options_.ca_file.c_str();
  client_vhost_ = lws_create_vhost(context, &client);
  if (!client_vhost_) {
    error = "could not set up the upstream client" + (options_.ca_file.empty() ? "" : " (CA file \"" + options_.ca_file + "\")");
    return false;
  }
  lws_context_creation_info info{};
  info.port = options_.listen_port;
  info.iface = options_.listen_host.c_str();
  info.protocols = server_protocols_;
  info.pvo = &ws_pvo_;
  info.vhost_name = "record-listen";
  lws_vhost* vh = lws_create_vhost(context, &info);
  if (!vh) {
    error = "could not listen on " + options_.listen_host + ":" + std::to_string(options_.listen_port) + " (port in use?)";
    return false;
  }
  port_ = lws_get_vhost_listen_port(vh);
  return true;
}

void RecordingProxy::notice(ProxyNotice::Kind kind, size_t conn, int status, std::string detail) {
  if (on_notice_) on_notice_(ProxyNotice{kind, conn, status, std::move(detail)});
}

void RecordingProxy::record(ProxySession* s, RecordedEvent::Kind kind, bool binary, std::string data, int code,
                            std::string reason) {
  if (!recording_ || s->index >= conversation_.connections.size()) return;
  RecordedEvent e;
  e.kind = kind;
  e.conn = s->index;
  e.at_ms = now_ms();
  e.binary = binary;
  e.data = std::move(data);
  e.close_code = code;
  e.close_reason = std::move(reason);
  conversation_.events.push_back(std::move(e));
}

size_t RecordingProxy::live_sessions() const {
  size_t n = 0;
  for (const auto& s : sessions_) n += s.live() ? 1 : 0;
  return n;
}

void RecordingProxy::shut_down() {
  recording_ = false;
  for (auto& s : sessions_) {
    if (s.downstream && !s.to_downstream.close) {
      s.to_downstream.close = {1001, "recording stopped"};
      lws_callback_on_writable(s.downstream);
    }
    if (s.upstream && s.upstream_open && !s.to_upstream.close) {
      s.to_upstream.close = {1001, "recording stopped"};
      lws_callback_on_writable(s.upstream);
    } else if (s.upstream && !s.upstream_open) {
      lws_set_timeout(s.upstream, PENDING_TIMEOUT_USER_OK, LWS_TO_KILL_ASYNC);
    }
  }
}

int RecordingProxy::write_next(lws* wsi, ProxyDirection& d) {
  if (d.close_sent) return -1;
  if (!d.queue.empty()) {
    ProxyFrame f = std::move(d.queue.front());
    d.queue.pop_front();
    d.queued_bytes -= f.data.size();
    std::vector<unsigned char> buf(LWS_PRE + f.data.size());
    std::memcpy(buf.data() + LWS_PRE, f.data.data(), f.data.size());
    if (lws_write(wsi, buf.data() + LWS_PRE, f.data.size(), f.binary ? LWS_WRITE_BINARY : LWS_WRITE_TEXT) < 0) return -1;
    if (!d.queue.empty() || d.close) lws_callback_on_writable(wsi);
    return 0;
  }
  if (d.close) {
    d.close_sent = true;
    auto& [code, reason] = *d.close;
    if (code == 1005 || code == 1006) {
      lws_close_reason(wsi, LWS_CLOSE_STATUS_NOSTATUS, nullptr, 0);
    } else {
      if (reason.size() > 123) reason.resize(123);
      lws_close_reason(wsi, static_cast<lws_close_status>(code), reinterpret_cast<unsigned char*>(reason.data()), reason.size());
    }
    return -1;
  }
  return 0;
}

void RecordingProxy::on_message(ProxySession* s, lws* wsi, bool from_client, const void* in, size_t len) {
  ProxyDirection& rx = from_client ? s->to_upstream : s->to_downstream;  // rx buffer lives with the direction it feeds
  if (lws_is_first_fragment(wsi)) {
    rx.rx.clear();
    rx.rx_binary = lws_frame_is_binary(wsi) != 0;
  }
  rx.rx.append(static_cast<const char*>(in), len);
  if (rx.rx.size() > options_.max_message_bytes) {
    rx.rx.clear();
    s->to_upstream.close = {1009, "message too big for the recording proxy"};
    s->to_downstream.close = {1009, "message too big for the recording proxy"};
    if (s->upstream) lws_callback_on_writable(s->upstream);
    if (s->downstream) lws_callback_on_writable(s->downstream);
    return;
  }
  if (!lws_is_final_fragment(wsi) || lws_remaining_packet_payload(wsi)) return;
  ProxyFrame f{rx.rx_binary, std::move(rx.rx)};
  rx.rx.clear();
  record(s, from_client ? RecordedEvent::Kind::kSend : RecordedEvent::Kind::kReceive, f.binary, f.data);
  rx.queued_bytes += f.data.size();
  rx.queue.push_back(std::move(f));
  lws* target = from_client ? (s->upstream_open ? s->upstream : nullptr) : s->downstream;
  if (target) lws_callback_on_writable(target);
  if (rx.queued_bytes > kPauseBytes) lws_rx_flow_control(wsi, 0);
}

void RecordingProxy::on_peer_close(ProxySession* s, bool from_client, const void* in, size_t len) {
  auto [code, reason] = parse_close(in, len);
  // The answer to a close this proxy forwarded is not a new close: lws completes it.
  if (from_client ? s->server_closed : s->client_closed) return;
  if (from_client) {
    s->client_closed = true;
    record(s, RecordedEvent::Kind::kClientClose, false, "", code, reason);
    s->to_upstream.close = {code, reason};
    if (s->upstream && s->upstream_open) lws_callback_on_writable(s->upstream);
    else if (s->upstream) lws_set_timeout(s->upstream, PENDING_TIMEOUT_USER_OK, LWS_TO_KILL_ASYNC);
  } else {
    s->server_closed = true;
    record(s, RecordedEvent::Kind::kServerClose, false, "", code, reason);
    s->to_downstream.close = {code, reason};
    if (s->downstream) lws_callback_on_writable(s->downstream);
  }
  notice(ProxyNotice::Kind::kClosed, s->index, code, from_client ? "client" : "server");
}

void RecordingProxy::on_side_closed(ProxySession* s, bool client_side) {
  if (client_side) {
    s->downstream = nullptr;
    if (!s->client_closed && !s->server_closed) {  // the client vanished without a close frame
      s->client_closed = true;
      record(s, RecordedEvent::Kind::kClientClose, false, "", 1006);
      if (s->upstream) lws_set_timeout(s->upstream, PENDING_TIMEOUT_USER_OK, LWS_TO_KILL_ASYNC);
    }
  } else {
    s->upstream = nullptr;
    s->upstream_open = false;
    s->upstream_connecting = false;
    if (!s->server_closed && !s->client_closed) {  // the server dropped us without a close frame
      s->server_closed = true;
      record(s, RecordedEvent::Kind::kServerClose, false, "", 1006);
      if (s->downstream) lws_set_timeout(s->downstream, PENDING_TIMEOUT_USER_OK, LWS_TO_KILL_ASYNC);
    }
  }
  if (!s->live() && !s->retired) {
    // Kept (not freed) until the proxy goes: lws may still be inside a callback for it.
    s->retired = true;
    s->to_upstream = ProxyDirection{};
    s->to_downstream = ProxyDirection{};
  }
}

int RecordingProxy::server_callback(lws* wsi, lws_callback_reasons reason, void* user, void* in, size_t len) {
  const lws_protocols* proto = lws_get_protocol(wsi);
  auto* self = proto ? static_cast<RecordingProxy*>(proto->user) : nullptr;
  if (self && self->detached_) return 0;
  if (!self || proto->id != 1) return lws_callback_http_dummy(wsi, reason, user, in, len);
  return self->handle_server(wsi, reason, in, len);
}

int RecordingProxy::handle_server(lws* wsi, lws_callback_reasons reason, void* in, size_t len) {
  auto* s = static_cast<ProxySession*>(lws_get_opaque_user_data(wsi));
  switch (reason) {
    case LWS_CALLBACK_HTTP_CONFIRM_UPGRADE:
      adopt_offered_subprotocol(wsi);
      return 0;
    case LWS_CALLBACK_ESTABLISHED:
      // The request headers are still attached here (lws detaches them after ESTABLISHED).
      s = accept_upgrade(wsi);
      s->downstream = wsi;
      // The query may hold credentials: notices carry the path only.
      notice(ProxyNotice::Kind::kAccepted, s->index, 0, s->upstream_path.substr(0, s->upstream_path.find('?')));
      connect_upstream(s);
      return 0;
    case LWS_CALLBACK_RECEIVE:
      if (s) on_message(s, wsi, true, in, len);
      return 0;
    case LWS_CALLBACK_SERVER_WRITEABLE: {
      if (!s) return 0;
      int rc = write_next(wsi, s->to_downstream);
      if (s->upstream && s->to_downstream.queued_bytes < kPauseBytes / 4) lws_rx_flow_control(s->upstream, 1);
      return rc;
    }
    case LWS_CALLBACK_WS_PEER_INITIATED_CLOSE:
      if (s) on_peer_close(s, true, in, len);
      return 0;
    case LWS_CALLBACK_CLOSED:
      if (s) {
        lws_set_opaque_user_data(wsi, nullptr);
        on_side_closed(s, true);
      }
      return 0;
    default:
      return 0;
  }
}

void RecordingProxy::adopt_offered_subprotocol(lws* wsi) {
  char list[128];
  int n = lws_hdr_copy(wsi, list, sizeof list, WSI_TOKEN_PROTOCOL);
  if (n <= 0) return;  // none offered, or longer than lws' own 127-byte limit (it refuses those)
  std::string first(list, static_cast<size_t>(n));
  first = first.substr(0, first.find(','));
  first.erase(0, first.find_first_not_of(" \t"));
  first.erase(first.find_last_not_of(" \t") + 1);
  if (first.empty() || first.size() >= sizeof offered_name_) return;
  std::memcpy(offered_name_, first.c_str(), first.size() + 1);
}

int RecordingProxy::client_callback(lws* wsi, lws_callback_reasons reason, void* user, void* in, size_t len) {
  auto* s = static_cast<ProxySession*>(lws_get_opaque_user_data(wsi));
  const lws_protocols* proto = lws_get_protocol(wsi);
  auto* self = proto ? static_cast<RecordingProxy*>(proto->user) : nullptr;
  if (!s || !self || self->detached_) return 0;
  (void)user;
  return self->handle_client(s, wsi, reason, in, len);
}

int RecordingProxy::handle_client(ProxySession* s, lws* wsi, lws_callback_reasons reason, void* in, size_t len) {
  switch (reason) {
    case LWS_CALLBACK_CLIENT_APPEND_HANDSHAKE_HEADER: {
      auto** p = static_cast<unsigned char**>(in);
      return append_forwarded_headers(s, wsi, p, *p + len);
    }
    case LWS_CALLBACK_CLIENT_ESTABLISHED:
      s->upstream_open = true;
      s->upstream_connecting = false;
      notice(ProxyNotice::Kind::kUpstreamOpen, s->index);
      if (!s->to_upstream.queue.empty() || s->to_upstream.close) lws_callback_on_writable(wsi);
      return 0;
    case LWS_CALLBACK_CLIENT_CONNECTION_ERROR: {
      int status = static_cast<int>(lws_http_client_http_response(wsi));
      std::string text = in ? std::string(static_cast<const char*>(in), strnlen(static_cast<const char*>(in), 256)) : "";
      s->upstream_connecting = false;
      s->server_closed = true;
      if (status >= 300 && recording_ && s->index < conversation_.connections.size())
        conversation_.connections[s->index].rejected_status = status;
      notice(status >= 300 ? ProxyNotice::Kind::kUpstreamRefused : ProxyNotice::Kind::kUpstreamFailed, s->index, status, text);
      s->to_downstream.close = status >= 300 ? std::make_pair(status == 401 || status == 403 ? 1008 : 1011,
                                                              "upstream refused the upgrade: HTTP " + std::to_string(status))
                                             : std::make_pair(1011, std::string("upstream unreachable"));
      if (s->downstream) lws_callback_on_writable(s->downstream);
      return 0;
    }
    case LWS_CALLBACK_CLIENT_RECEIVE:
      on_message(s, wsi, false, in, len);
      return 0;
    case LWS_CALLBACK_CLIENT_WRITEABLE: {
      int rc = write_next(wsi, s->to_upstream);
      if (s->downstream && s->to_upstream.queued_bytes < kPauseBytes / 4) lws_rx_flow_control(s->downstream, 1);
      return rc;
    }
    case LWS_CALLBACK_WS_PEER_INITIATED_CLOSE:
      on_peer_close(s, false, in, len);
      return 0;
    case LWS_CALLBACK_CLIENT_CLOSED:
    case LWS_CALLBACK_WSI_DESTROY:
      lws_set_opaque_user_data(wsi, nullptr);
      if (s->upstream == wsi || s->upstream_connecting || s->upstream_open) on_side_closed(s, false);
      return 0;
    default:
      return 0;
  }
}

}  // namespace wscheck
