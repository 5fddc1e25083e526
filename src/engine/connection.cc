#include "engine/connection.h"

#include <openssl/x509.h>

#include <cstring>

#include "engine/event_loop.h"
#include "scenario/utf8.h"

namespace wscheck {

namespace {

// Harness connections never want lws' own keepalive pings (their empty
// pongs would be noise) nor its idle hangup: the scenario decides.
const lws_retry_bo_t kNoKeepalive = {
    nullptr, 0, 0, 3600, 7200, 0,
};

std::string copy_header(lws* wsi, lws_token_indexes token) {
  int n = lws_hdr_total_length(wsi, token);
  if (n <= 0) return "";
  std::string out(static_cast<size_t>(n) + 1, '\0');
  int got = lws_hdr_copy(wsi, out.data(), n + 1, token);
  if (got < 0) return "";
  out.resize(static_cast<size_t>(got));
  return out;
}

}  // namespace

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

const lws_protocols* Connection::protocols() {
  static const lws_protocols list[] = {
      {"wscheck-client", &Connection::callback, 0, 65536, 0, nullptr, 0},
      {nullptr, nullptr, 0, 0, 0, nullptr, 0},
  };
  return list;
}

Connection::Connection(EventLoop& loop, std::string name, ConnectionObserver& observer)
    : loop_(loop), name_(std::move(name)), observer_(observer), resolver_(loop.context()) {}

Connection::~Connection() {
  resolver_.cancel();
  if (wsi_) {
    // Detach first so callbacks fired by the kill do not reach a dead object.
    lws_set_opaque_user_data(wsi_, nullptr);
    lws_set_timeout(wsi_, PENDING_TIMEOUT_USER_OK, LWS_TO_KILL_SYNC);
    wsi_ = nullptr;
  }
}

void Connection::trace(const std::string& line) {
  if (trace_) trace_(name_ + ": " + line);
}

void Connection::notify() {
  // The observer may call back into us (send, close); never recurse into it.
  if (notifying_) return;
  notifying_ = true;
  observer_.on_connection_changed(*this);
  notifying_ = false;
}

void Connection::enter(ConnPhase phase) {
  Micros now = now_us();
  phase_ = phase;
  phase_started_ = now;
}

void Connection::open(ConnectOptions options) {
  options_ = std::move(options);
  started_ = now_us();
  enter(ConnPhase::kResolving);
  trace("resolving " + options_.url.host);
  resolver_.start(options_.url.host, options_.url.port, [this](Resolution r) {
    timings_.dns = to_ms(now_us() - started_);
    if (r.addresses.empty()) {
      observation_.dns_error = r.error;
      observation_.failed_in = ConnPhase::kResolving;
      observation_.phase_elapsed_us = now_us() - phase_started_;
      enter(ConnPhase::kFailed);
      notify();
      return;
    }
    start_connect(r.addresses.front());
  });
}

void Connection::start_connect(const std::string& address) {
  std::string error;
  lws_vhost* vhost = loop_.client_vhost(options_.url.tls(), options_.ca_file, error);
  if (!vhost) {
    observation_.lws_error = error;
    observation_.failed_in = ConnPhase::kTls;
    enter(ConnPhase::kFailed);
    notify();
    return;
  }
  enter(ConnPhase::kTcp);
  std::string host_header = options_.url.authority();
  std::string origin = options_.url.authority();
  lws_client_connect_info cc{};
  cc.context = loop_.context();
  cc.vhost = vhost;
  cc.address = address.c_str();
  cc.port = options_.url.port;
  cc.path = options_.url.path.c_str();
  cc.host = host_header.c_str();  // Host, SNI and the certificate name check use this
  cc.origin = origin.c_str();
  cc.protocol = options_.subprotocols.empty() ? nullptr : options_.subprotocols.c_str();
  cc.local_protocol_name = protocols()[0].name;
  cc.opaque_user_data = this;
  cc.pwsi = &wsi_;
  cc.retry_and_idle_policy = &kNoKeepalive;
  if (options_.url.tls()) {
    cc.ssl_connection = LCCSCF_USE_SSL;
    if (options_.insecure)
      cc.ssl_connection |= LCCSCF_ALLOW_SELFSIGNED | LCCSCF_SKIP_SERVER_CERT_HOSTNAME_CHECK | LCCSCF_ALLOW_EXPIRED |
                           LCCSCF_ALLOW_INSECURE;
  }
  trace("connecting to " + address + ":" + std::to_string(options_.url.port) + " " + options_.url.path);
  if (!lws_client_connect_via_info(&cc)) {
    wsi_ = nullptr;
    if (phase_ != ConnPhase::kFailed) fail_connect(observation_.lws_error.empty() ? "lws refused to start the connection" : observation_.lws_error);
  }
}

void Connection::fail_connect(const std::string& lws_error) {
  if (observation_.lws_error.empty()) observation_.lws_error = lws_error;
  if (observation_.failed_in == ConnPhase::kIdle) {
    observation_.failed_in = phase_;
    observation_.phase_elapsed_us = now_us() - phase_started_;
  }
  enter(ConnPhase::kFailed);
  trace("connect failed in " + std::string(phase_name(observation_.failed_in)) + ": " + observation_.lws_error);
}

void Connection::abort_connect(Micros deadline_us) {
  if (phase_ == ConnPhase::kResolving) {
    resolver_.cancel();
    observation_.deadline_hit = true;
    observation_.deadline_us = deadline_us;
    observation_.failed_in = ConnPhase::kResolving;
    observation_.phase_elapsed_us = now_us() - phase_started_;
    observation_.dns_error = "no answer from the resolver";
    enter(ConnPhase::kFailed);
    notify();
    return;
  }
  if (!wsi_ || phase_ == ConnPhase::kOpen || phase_ == ConnPhase::kFailed) return;
  observation_.deadline_hit = true;
  observation_.deadline_us = deadline_us;
  observation_.failed_in = phase_;
  observation_.phase_elapsed_us = now_us() - phase_started_;
  lws_set_timeout(wsi_, PENDING_TIMEOUT_USER_OK, LWS_TO_KILL_ASYNC);
}

void Connection::drop() {
  if (!wsi_) return;
  drop_requested_ = true;
  lws_set_timeout(wsi_, PENDING_TIMEOUT_USER_OK, LWS_TO_KILL_ASYNC);
}

void Connection::request_write() {
  if (wsi_ && (phase_ == ConnPhase::kOpen || phase_ == ConnPhase::kClosing)) lws_callback_on_writable(wsi_);
}

void Connection::send_text(std::string data) {
  outgoing_.push_back({Outgoing::Kind::kText, std::move(data)});
  request_write();
}

void Connection::send_binary(std::string data) {
  outgoing_.push_back({Outgoing::Kind::kBinary, std::move(data)});
  request_write();
}

void Connection::send_ping(std::string payload) {
  outgoing_.push_back({Outgoing::Kind::kPing, std::move(payload)});
  request_write();
}

void Connection::close(int code, std::string reason) {
  if (phase_ != ConnPhase::kOpen) return;
  close_request_ = {code, std::move(reason)};
  enter(ConnPhase::kClosing);
  request_write();
}

std::optional<Micros> Connection::pong_time(const std::string& payload) const {
  for (const auto& [p, at] : pongs_)
    if (p == payload) return at;
  return std::nullopt;
}

int Connection::callback(lws* wsi, lws_callback_reasons reason, void* user, void* in, size_t len) {
  auto* self = static_cast<Connection*>(lws_get_opaque_user_data(wsi));
  if (!self) return 0;
  if (reason == LWS_CALLBACK_OPENSSL_PERFORM_SERVER_CERT_VERIFICATION) {
    // Here lws passes the X509_STORE_CTX as `user` and preverify_ok as `len`.
    if (!len && user && self->observation_.tls_verify_error == 0) {
      auto* store = static_cast<X509_STORE_CTX*>(user);
      self->observation_.tls_verify_error = X509_STORE_CTX_get_error(store);
      self->observation_.tls_verify_text = X509_verify_cert_error_string(self->observation_.tls_verify_error);
    }
    return 0;
  }
  return self->handle(wsi, reason, in, len);
}

void Connection::append_headers(unsigned char** p, unsigned char* end, lws* wsi, int& rc) {
  for (const auto& [name, value] : options_.headers) {
    std::string key = name + ":";
    if (lws_add_http_header_by_name(wsi, reinterpret_cast<const unsigned char*>(key.c_str()),
                                    reinterpret_cast<const unsigned char*>(value.data()), static_cast<int>(value.size()), p,
                                    end)) {
      protocol_error_ = "the request headers are too large for the upgrade request (about 3.9 KB fit)";
      rc = -1;
      return;
    }
  }
}

int Connection::handle(lws* wsi, lws_callback_reasons reason, void* in, size_t len) {
  switch (reason) {
    case LWS_CALLBACK_WSI_CREATE:
      // TCP is up: lws creates the wsi once the socket has connected.
      if (phase_ == ConnPhase::kTcp) {
        Micros now = now_us();
        timings_.tcp = to_ms(now - phase_started_);
        observation_.tcp_us = now - phase_started_;
        enter(options_.url.tls() ? ConnPhase::kTls : ConnPhase::kUpgrade);
        trace("tcp connected in " + std::to_string(observation_.tcp_us) + " us");
      }
      break;

    case LWS_CALLBACK_CLIENT_APPEND_HANDSHAKE_HEADER: {
      if (phase_ == ConnPhase::kTls) {
        timings_.tls = to_ms(now_us() - phase_started_);
        enter(ConnPhase::kUpgrade);
      } else if (phase_ == ConnPhase::kTcp) {
        enter(ConnPhase::kUpgrade);
      }
      auto** p = static_cast<unsigned char**>(in);
      int rc = 0;
      append_headers(p, *p + len, wsi, rc);
      trace("upgrade request sent (GET " + options_.url.path + ")");
      return rc;
    }

    case LWS_CALLBACK_ESTABLISHED_CLIENT_HTTP:
      observation_.http_status = static_cast<int>(lws_http_client_http_response(wsi));
      observation_.content_type = copy_header(wsi, WSI_TOKEN_HTTP_CONTENT_TYPE);
      observation_.server_header = copy_header(wsi, WSI_TOKEN_HTTP_SERVER);
      break;

    case LWS_CALLBACK_CLIENT_FILTER_PRE_ESTABLISH:
      accepted_subprotocol_ = copy_header(wsi, WSI_TOKEN_PROTOCOL);
      break;

    case LWS_CALLBACK_CLIENT_ESTABLISHED: {
      Micros now = now_us();
      if (phase_ == ConnPhase::kUpgrade) timings_.upgrade = to_ms(now - phase_started_);
      observation_.http_status = 101;
      opened_at_ = now;
      enter(ConnPhase::kOpen);
      trace("open (101 Switching Protocols)");
      if (!outgoing_.empty() || close_request_) lws_callback_on_writable(wsi);
      notify();
      break;
    }

    case LWS_CALLBACK_CLIENT_CONNECTION_ERROR: {
      std::string text = in ? std::string(static_cast<const char*>(in), strnlen(static_cast<const char*>(in), len ? len : 256)) : "";
      if (observation_.http_status == 0) observation_.http_status = static_cast<int>(lws_http_client_http_response(wsi));
      if (observation_.content_type.empty()) observation_.content_type = copy_header(wsi, WSI_TOKEN_HTTP_CONTENT_TYPE);
      fail_connect(text.empty() ? "connection error" : text);
      break;
    }

    case LWS_CALLBACK_CLOSED_CLIENT_HTTP:
      if (phase_ != ConnPhase::kOpen && phase_ != ConnPhase::kClosing && phase_ != ConnPhase::kClosed &&
          phase_ != ConnPhase::kFailed)
        fail_connect("");
      break;

    case LWS_CALLBACK_CLIENT_RECEIVE:
      on_receive(wsi, in, len);
      break;

    case LWS_CALLBACK_CLIENT_RECEIVE_PONG: {
      std::string payload(static_cast<const char*>(in), len);
      if (payload.empty()) break;  // lws' own keepalive pong
      pongs_.emplace_back(payload, now_us());
      trace("pong received");
      notify();
      break;
    }

    case LWS_CALLBACK_CLIENT_WRITEABLE:
      return on_writeable(wsi);

    case LWS_CALLBACK_WS_PEER_INITIATED_CLOSE: {
      CloseInfo info;
      const auto* b = static_cast<const unsigned char*>(in);
      info.code = len >= 2 ? (b[0] << 8 | b[1]) : 1005;
      if (len > 2) info.reason.assign(reinterpret_cast<const char*>(b + 2), len - 2);
      info.by_peer = !close_request_.has_value();
      info.at = now_us();
      if (!close_) close_ = info;
      trace("server sent close " + std::to_string(info.code) + (info.reason.empty() ? "" : " \"" + info.reason + "\""));
      break;
    }

    case LWS_CALLBACK_CLIENT_CLOSED: {
      if (!close_) {
        CloseInfo info;
        info.at = now_us();
        if (close_request_) {
          info.code = close_request_->first;
          info.reason = close_request_->second;
          info.by_peer = false;
        } else {
          info.code = 1006;
          info.by_peer = !drop_requested_;
        }
        close_ = info;
      }
      enter(ConnPhase::kClosed);
      trace("closed");
      break;
    }

    case LWS_CALLBACK_WSI_DESTROY:
      wsi_ = nullptr;
      if (phase_ != ConnPhase::kClosed && phase_ != ConnPhase::kFailed) {
        if (phase_ == ConnPhase::kOpen || phase_ == ConnPhase::kClosing) {
          if (!close_) close_ = CloseInfo{1006, "", !drop_requested_ && !close_request_, now_us()};
          enter(ConnPhase::kClosed);
        } else {
          fail_connect("");
        }
      }
      notify();
      break;

    default:
      break;
  }
  return 0;
}

void Connection::remember(std::string frame) {
  constexpr size_t kFrames = 20, kBytes = 300;
  recent_frames_.push_back(truncate_utf8(frame, kBytes));
  if (recent_frames_.size() > kFrames) recent_frames_.pop_front();
}

void Connection::on_receive(lws* wsi, const void* in, size_t len) {
  if (lws_is_first_fragment(wsi)) {
    rx_.clear();
    rx_binary_ = lws_frame_is_binary(wsi) != 0;
    rx_overflow_ = false;
  }
  if (rx_overflow_) return;
  if (rx_.size() + len > options_.max_message_bytes) {
    size_t announced = rx_.size() + len + lws_remaining_packet_payload(wsi);
    rx_overflow_ = true;
    protocol_error_ = "message larger than --max-message-bytes (" + std::to_string(options_.max_message_bytes) +
                      " bytes): the frame announced " + std::to_string(announced) + " bytes; closed with 1009";
    rx_.clear();
    rx_.shrink_to_fit();
    close_request_ = {1009, "message too big"};
    enter(ConnPhase::kClosing);
    lws_callback_on_writable(wsi);
    notify();
    return;
  }
  rx_.append(static_cast<const char*>(in), len);
  if (!lws_is_final_fragment(wsi) || lws_remaining_packet_payload(wsi)) return;
  if (!rx_binary_) {
    if (auto bad = find_invalid_utf8(rx_)) {
      protocol_error_ = "the server sent invalid UTF-8 in a text message (byte " + std::to_string(*bad) +
                        " of " + std::to_string(rx_.size()) + "); closed with 1007";
      close_request_ = {1007, "invalid UTF-8"};
      enter(ConnPhase::kClosing);
      lws_callback_on_writable(wsi);
      notify();
      return;
    }
  }
  ReceivedMessage m;
  m.message.binary = rx_binary_;
  m.message.data = std::move(rx_);
  m.at = now_us();
  m.announced_bytes = m.message.data.size();
  rx_.clear();
  ++messages_received_;
  remember(m.message.binary ? "<- binary " + to_hex(m.message.data.substr(0, 64)) + " (" + std::to_string(m.message.data.size()) + " bytes)"
                            : "<- " + truncate_utf8(m.message.data, 300));
  trace(std::string("<- ") + (m.message.binary ? "binary " + std::to_string(m.message.data.size()) + " bytes"
                                                : truncate_utf8(m.message.data, 300)));
  inbox_.push_back(std::move(m));
  notify();
}

int Connection::on_writeable(lws* wsi) {
  if (close_request_ && (outgoing_.empty() || !protocol_error_.empty())) {
    if (!close_sent_) {
      close_sent_ = true;
      const std::string& reason = close_request_->second;
      lws_close_reason(wsi, static_cast<lws_close_status>(close_request_->first),
                       reinterpret_cast<unsigned char*>(const_cast<char*>(reason.data())), reason.size());
      trace("-> close " + std::to_string(close_request_->first));
      return -1;
    }
  }
  if (close_sent_ || outgoing_.empty()) return 0;
  Outgoing out = std::move(outgoing_.front());
  outgoing_.pop_front();
  std::vector<unsigned char> buf(LWS_PRE + out.data.size());
  std::memcpy(buf.data() + LWS_PRE, out.data.data(), out.data.size());
  lws_write_protocol proto = out.kind == Outgoing::Kind::kText     ? LWS_WRITE_TEXT
                             : out.kind == Outgoing::Kind::kBinary ? LWS_WRITE_BINARY
                                                                   : LWS_WRITE_PING;
  if (lws_write(wsi, buf.data() + LWS_PRE, out.data.size(), proto) < 0) {
    protocol_error_ = "writing to the socket failed";
    return -1;
  }
  remember(out.kind == Outgoing::Kind::kPing ? "-> ping"
           : out.kind == Outgoing::Kind::kText ? "-> " + truncate_utf8(out.data, 300)
                                               : "-> binary " + std::to_string(out.data.size()) + " bytes");
  trace(out.kind == Outgoing::Kind::kPing ? "-> ping"
        : out.kind == Outgoing::Kind::kText ? "-> " + truncate_utf8(out.data, 300)
                                            : "-> binary " + std::to_string(out.data.size()) + " bytes");
  if (!outgoing_.empty() || close_request_) lws_callback_on_writable(wsi);
  return 0;
}

}  // namespace wscheck
