// The lws callback side of Connection: every event lws reports for a client
// connection, turned into phase changes, observations and received messages.
#include <openssl/x509.h>

#include <cstring>

#include "engine/connection.h"
#include "scenario/utf8.h"

namespace wscheck {

namespace {

std::string copy_header(lws* wsi, lws_token_indexes token) {
  int n = lws_hdr_total_length(wsi, token);
  if (n <= 0) return "";
  std::string out(static_cast<size_t>(n) + 1, '\0');
  int got = lws_hdr_copy(wsi, out.data(), n + 1, token);
  if (got < 0) return "";
  out.resize(static_cast<size_t>(got));
  return out;
}

/// A response header by lower-case name: lws keeps the headers it knows as
/// tokens and the others as "custom" headers, asked for by name with colon.
std::optional<std::string> copy_named_header(lws* wsi, const std::string& name) {
  const std::string key = name + ":";
  for (int t = 0; t < static_cast<int>(WSI_TOKEN_COUNT); ++t) {
    const unsigned char* token_name = lws_token_to_string(static_cast<lws_token_indexes>(t));
    if (!token_name || key != reinterpret_cast<const char*>(token_name)) continue;
    if (lws_hdr_total_length(wsi, static_cast<lws_token_indexes>(t)) <= 0) return std::nullopt;
    return copy_header(wsi, static_cast<lws_token_indexes>(t));
  }
  int n = lws_hdr_custom_length(wsi, key.c_str(), static_cast<int>(key.size()));
  if (n < 0) return std::nullopt;
  std::string out(static_cast<size_t>(n) + 1, '\0');
  int got = lws_hdr_custom_copy(wsi, out.data(), n + 1, key.c_str(), static_cast<int>(key.size()));
  if (got < 0) return std::nullopt;
  out.resize(static_cast<size_t>(got));
  return out;
}

}  // namespace

void Connection::keep_response_headers(lws* wsi) {
  for (const auto& name : options_.response_headers)
    if (auto value = copy_named_header(wsi, name)) response_headers_[name] = *value;
}

/// A rule takes the message: it never reaches the inbox. Replies go through
/// the send queue (written from the next WRITEABLE callback, never from here).
bool Connection::apply_rules(const Message& message) {
  RuleVerdict verdict = rules_.handle(message);
  if (!verdict.handled) return false;
  const std::string label = rules_.rule(verdict.rule).label();
  if (!verdict.error.empty()) {
    if (!rule_error_) rule_error_ = RuleError{label, verdict.error};
    trace("rule \"" + label + "\": " + verdict.error);
    notify();
  } else if (verdict.reply && phase_ == ConnPhase::kOpen) {
    trace("rule \"" + label + "\" replies");
    if (verdict.reply->binary) send_binary(std::move(verdict.reply->data));
    else send_text(std::move(verdict.reply->data));
  } else if (!verdict.reply) {
    trace("rule \"" + label + "\" ignores it");
  }
  return true;
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
      on_tcp_connected();
      break;
    case LWS_CALLBACK_CLIENT_APPEND_HANDSHAKE_HEADER:
      return on_append_headers(wsi, in, len);
    case LWS_CALLBACK_ESTABLISHED_CLIENT_HTTP:
      observation_.http_status = static_cast<int>(lws_http_client_http_response(wsi));
      observation_.content_type = copy_header(wsi, WSI_TOKEN_HTTP_CONTENT_TYPE);
      observation_.server_header = copy_header(wsi, WSI_TOKEN_HTTP_SERVER);
      break;
    case LWS_CALLBACK_CLIENT_FILTER_PRE_ESTABLISH:
      accepted_subprotocol_ = copy_header(wsi, WSI_TOKEN_PROTOCOL);
      keep_response_headers(wsi);
      break;
    case LWS_CALLBACK_CLIENT_ESTABLISHED:
      on_established(wsi);
      break;
    case LWS_CALLBACK_CLIENT_CONNECTION_ERROR:
      on_connection_error(wsi, in, len);
      break;
    case LWS_CALLBACK_CLOSED_CLIENT_HTTP:
      if (retry_pending_) break;
      if (phase_ != ConnPhase::kOpen && phase_ != ConnPhase::kClosing && phase_ != ConnPhase::kClosed &&
          phase_ != ConnPhase::kFailed)
        fail_connect("");
      break;
    case LWS_CALLBACK_CLIENT_RECEIVE:
      on_receive(wsi, in, len);
      break;
    case LWS_CALLBACK_CLIENT_RECEIVE_PONG:
      on_pong(in, len);
      break;
    case LWS_CALLBACK_CLIENT_WRITEABLE:
      return on_writeable(wsi);
    case LWS_CALLBACK_WS_PEER_INITIATED_CLOSE:
      on_peer_close(in, len);
      break;
    case LWS_CALLBACK_CLIENT_CLOSED:
      on_closed();
      break;
    case LWS_CALLBACK_WSI_DESTROY:
      on_destroy();
      break;
    default:
      break;
  }
  return 0;
}

void Connection::on_tcp_connected() {
  // TCP is up: lws creates the wsi once the socket has connected.
  if (phase_ == ConnPhase::kTcp) {
    Micros now = now_us();
    timings_.tcp = to_ms(now - phase_started_);
    observation_.tcp_us = now - phase_started_;
    enter(options_.url.tls() ? ConnPhase::kTls : ConnPhase::kUpgrade);
    observation_.answered_by = addresses_.empty() ? "" : addresses_[address_index_];
    if (!addresses_.empty()) observation_.address_results.emplace_back(observation_.answered_by, "connected");
    trace("tcp connected to " + observation_.answered_by + " in " + std::to_string(observation_.tcp_us) + " us");
  }
}

int Connection::on_append_headers(lws* wsi, void* in, size_t len) {
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

void Connection::on_established(lws* wsi) {
  Micros now = now_us();
  if (phase_ == ConnPhase::kUpgrade) timings_.upgrade = to_ms(now - phase_started_);
  observation_.http_status = 101;
  opened_at_ = now;
  enter(ConnPhase::kOpen);
  trace("open (101 Switching Protocols)");
  if (!outgoing_.empty() || close_request_) lws_callback_on_writable(wsi);
  notify();
}

void Connection::on_connection_error(lws* wsi, void* in, size_t len) {
  std::string text = in ? std::string(static_cast<const char*>(in), strnlen(static_cast<const char*>(in), len ? len : 256)) : "";
  if (observation_.http_status == 0) observation_.http_status = static_cast<int>(lws_http_client_http_response(wsi));
  if (observation_.content_type.empty()) observation_.content_type = copy_header(wsi, WSI_TOKEN_HTTP_CONTENT_TYPE);
  if (retry_next_address(now_us() - phase_started_ < 100 * 1000 ? "refused" : "failed (" + text + ")")) return;
  if (phase_ == ConnPhase::kTcp && !addresses_.empty())
    observation_.address_results.emplace_back(addresses_[address_index_], observation_.deadline_hit ? "timed out" : "refused");
  fail_connect(text.empty() ? "connection error" : text);
}

void Connection::on_pong(const void* in, size_t len) {
  std::string payload(static_cast<const char*>(in), len);
  if (payload.empty()) return;  // lws' own keepalive pong
  pongs_.emplace_back(payload, now_us());
  trace("pong received");
  notify();
}

void Connection::on_peer_close(const void* in, size_t len) {
  CloseInfo info;
  const auto* b = static_cast<const unsigned char*>(in);
  info.code = len >= 2 ? (b[0] << 8 | b[1]) : 1005;
  if (len > 2) info.reason.assign(reinterpret_cast<const char*>(b + 2), len - 2);
  info.by_peer = !close_request_.has_value();
  info.at = now_us();
  if (!close_) close_ = info;
  trace("server sent close " + std::to_string(info.code) + (info.reason.empty() ? "" : " \"" + info.reason + "\""));
}

void Connection::on_closed() {
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
}

void Connection::on_destroy() {
  wsi_ = nullptr;
  if (retry_pending_) {  // the failed attempt is gone: the next address starts from the loop
    retry_pending_ = false;
    retry_.start(0, [this] { start_connect(addresses_[++address_index_]); });
    return;
  }
  if (phase_ != ConnPhase::kClosed && phase_ != ConnPhase::kFailed) {
    if (phase_ == ConnPhase::kOpen || phase_ == ConnPhase::kClosing) {
      if (!close_) close_ = CloseInfo{1006, "", !drop_requested_ && !close_request_, now_us()};
      enter(ConnPhase::kClosed);
    } else {
      fail_connect("");
    }
  }
  notify();
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
  // The frame header announces the frame's length: a frame over the limit
  // fails on its first chunk, not after the whole of it trickled in.
  const size_t remaining = lws_remaining_packet_payload(wsi);
  if (rx_frame_got_ >= rx_frame_announced_) rx_frame_got_ = 0, rx_frame_announced_ = len + remaining;
  rx_frame_got_ += len;
  if (rx_.size() + len + remaining > options_.max_message_bytes) {
    size_t announced = rx_.size() + len + remaining;
    rx_overflow_ = true;
    protocol_error_ = "message larger than --max-message-bytes (" + std::to_string(options_.max_message_bytes) +
                      " bytes): the frame header announced " + std::to_string(announced) + " bytes (" +
                      std::to_string(rx_.size() + len) + " had arrived); closed with 1009";
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
  if (!rules_.empty() && apply_rules(m.message)) return;
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
      // After a protocol error the server may never acknowledge the close
      // (it is still streaming the frame we refused): give it 100 ms, then drop.
      // (retry_ is free: addresses are only retried before the connection opens.)
      if (!protocol_error_.empty()) retry_.start(100 * 1000, [this] { drop(); });
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
