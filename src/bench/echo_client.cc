#include "bench/echo_client.h"

#include <algorithm>
#include <cstdio>
#include <cstring>

#include "bench/echo_payload.h"

namespace wscheck {

namespace {

// No lws keepalive pings during a measurement: they would be counted noise.
const lws_retry_bo_t kNoKeepalive = {nullptr, 0, 0, 3600, 7200, 0};
// Connection attempts in flight per thread: a burst of 10,000 SYNs only
// overflows the server's accept queue and measures retransmit timers.
constexpr unsigned kConnectingPerThread = 256;
// Below this size a whole window fits the socket buffer: one choke check
// per writable callback instead of one poll() per message.
constexpr std::size_t kCheckEachWriteFrom = 16384;

std::string who(std::uint32_t id) { return "connection " + std::to_string(id); }

std::string hex(unsigned char b) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "0x%02x", b);
  return buf;
}

}  // namespace

EchoWorkload::EchoWorkload(EventLoop& loop, const EchoOptions& options, std::uint32_t first_id, std::uint32_t count,
                           Recorder& recorder)
    : loop_(loop), options_(options), recorder_(recorder) {
  conns_.resize(count);
  for (std::uint32_t i = 0; i < count; ++i) {
    Conn& c = conns_[i];
    c.owner = this;
    c.id = first_id + i;
  }
}

EchoWorkload::~EchoWorkload() {
  for (Conn& c : conns_)
    if (c.wsi) {
      lws_set_opaque_user_data(c.wsi, nullptr);
      lws_set_timeout(c.wsi, PENDING_TIMEOUT_USER_OK, LWS_TO_KILL_SYNC);
    }
}

void EchoWorkload::start() {
  static const lws_protocols kProtocols[] = {
      {"wscheck-echo", &EchoWorkload::callback, 0, 65536, 0, nullptr, 0},
      {nullptr, nullptr, 0, 0, 0, nullptr, 0},
  };
  lws_context_creation_info info{};
  info.port = CONTEXT_PORT_NO_LISTEN;
  info.protocols = kProtocols;
  info.options = options_.url.tls() ? LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT : 0;
  info.connect_timeout_secs = 3600;
  vhost_name_ = "bench-echo";
  info.vhost_name = vhost_name_.c_str();
  vhost_ = lws_create_vhost(loop_.context(), &info);
  started_ = now_us();
  if (!vhost_)
    for (Conn& c : conns_) {
      fail(c, "usage", "libwebsockets could not create the client vhost");
      c.state = State::kDone;
      ++done_;
    }
}

void EchoWorkload::connect(Conn& c) {
  c.state = State::kConnecting;
  c.started = c.progress = now_us();
  c.sent_at.assign(std::max(1u, options_.window), 0);
  c.tx.assign(LWS_PRE + options_.size, 0);
  c.rx.assign(options_.size, 0);
  std::string host = options_.url.authority();
  lws_client_connect_info cc{};
  cc.context = loop_.context();
  cc.vhost = vhost_;
  cc.address = options_.address.c_str();
  cc.port = options_.url.port;
  cc.path = options_.url.path.c_str();
  cc.host = host.c_str();
  cc.origin = host.c_str();
  cc.local_protocol_name = "wscheck-echo";
  cc.opaque_user_data = &c;
  cc.pwsi = &c.wsi;
  cc.retry_and_idle_policy = &kNoKeepalive;
  if (options_.url.tls()) {
    cc.ssl_connection = LCCSCF_USE_SSL;
    if (options_.insecure)
      cc.ssl_connection |= LCCSCF_ALLOW_SELFSIGNED | LCCSCF_SKIP_SERVER_CERT_HOSTNAME_CHECK | LCCSCF_ALLOW_EXPIRED |
                           LCCSCF_ALLOW_INSECURE;
  }
  if (!lws_client_connect_via_info(&cc)) {
    c.wsi = nullptr;
    fail(c, "tcp_refused", "connection " + std::to_string(c.id) + ": libwebsockets could not start the connection");
    finished(c);
  }
}

int EchoWorkload::callback(lws* wsi, lws_callback_reasons reason, void* /*user*/, void* in, size_t len) {
  auto* c = static_cast<Conn*>(lws_get_opaque_user_data(wsi));
  if (!c) return 0;
  return c->owner->handle(*c, wsi, reason, in, len);
}

int EchoWorkload::handle(Conn& c, lws* wsi, lws_callback_reasons reason, void* in, size_t len) {
  switch (reason) {
    case LWS_CALLBACK_WSI_CREATE:
      if (!c.tcp_up) recorder_.histogram("tcp").record(now_us() - c.started);
      c.tcp_up = true;
      break;
    case LWS_CALLBACK_CLIENT_CONNECTION_ERROR: {
      std::string text = in ? std::string(static_cast<const char*>(in), strnlen(static_cast<const char*>(in), 200)) : "";
      int status = lws_http_client_http_response(wsi);
      if (status >= 300)
        fail(c, "upgrade_rejected", who(c.id) + ": the server answered the upgrade with HTTP " + std::to_string(status));
      else if (text.find("nable to connect") != std::string::npos || text.find("connect failed") != std::string::npos)
        fail(c, "tcp_refused", who(c.id) + ": connection refused by " + options_.url.authority() + " (" + text + ")");
      else
        fail(c, "not_websocket", who(c.id) + ": the upgrade failed: " + text);
      break;
    }
    case LWS_CALLBACK_CLIENT_ESTABLISHED:
      c.state = State::kOpen;
      c.progress = now_us();
      recorder_.histogram("upgrade").record(c.progress - c.started);
      ++recorder_.current().counters.connections_opened;
      ++open_;
      lws_callback_on_writable(wsi);
      break;
    case LWS_CALLBACK_CLIENT_WRITEABLE:
      return on_writeable(c);
    case LWS_CALLBACK_CLIENT_RECEIVE: {
      if (lws_is_first_fragment(wsi)) c.rx_len = 0, c.rx_overflow = false;
      if (c.rx_len + len > c.rx.size()) c.rx_overflow = true;
      else std::memcpy(c.rx.data() + c.rx_len, in, len), c.rx_len += len;
      if (lws_is_final_fragment(wsi) && !lws_remaining_packet_payload(wsi) && !on_message(c)) return -1;
      break;
    }
    case LWS_CALLBACK_WS_PEER_INITIATED_CLOSE:
      if (c.state == State::kOpen && !stopping_ && (options_.messages == 0 || c.received < options_.messages)) {
        const auto* b = static_cast<const unsigned char*>(in);
        int code = len >= 2 ? (b[0] << 8) | b[1] : 1005;
        fail(c, "closed_by_server", who(c.id) + ": the server closed with " + std::to_string(code) + " after " +
                                         std::to_string(c.received) + " of " + std::to_string(options_.messages) + " echoes");
      }
      break;
    case LWS_CALLBACK_CLIENT_CLOSED:
    case LWS_CALLBACK_CLOSED_CLIENT_HTTP:
      if (c.state == State::kOpen && !stopping_ && (options_.messages == 0 || c.received < options_.messages))
        fail(c, "reset", who(c.id) + ": the connection dropped after " + std::to_string(c.received) + " of " +
                             std::to_string(options_.messages) + " echoes");
      break;
    case LWS_CALLBACK_WSI_DESTROY:
      c.wsi = nullptr;
      finished(c);
      break;
    default:
      break;
  }
  return 0;
}

int EchoWorkload::on_writeable(Conn& c) {
  const bool all_back = options_.messages > 0 && c.received >= options_.messages;
  if (c.state == State::kClosing || all_back || stopping_ || c.failed) {
    c.state = State::kClosing;
    lws_close_reason(c.wsi, LWS_CLOSE_STATUS_NORMAL, nullptr, 0);
    return -1;
  }
  if (lws_send_pipe_choked(c.wsi)) {
    lws_callback_on_writable(c.wsi);
    return 0;
  }
  const auto window = static_cast<std::uint64_t>(c.sent_at.size());
  const auto mode = static_cast<lws_write_protocol>(options_.text ? LWS_WRITE_TEXT : LWS_WRITE_BINARY);
  BenchCounters& counters = recorder_.current().counters;
  while (c.sent < options_.messages && c.sent - c.received < window) {
    unsigned char* payload = c.tx.data() + LWS_PRE;
    fill_echo_payload(payload, options_.size, c.sent, c.id, options_.text ? 0x7f : 0xff);
    c.sent_at[c.sent % window] = now_us();
    if (lws_write(c.wsi, payload, options_.size, mode) < 0) {
      fail(c, "reset", "connection " + std::to_string(c.id) + ": writing message " + std::to_string(c.sent) + " failed");
      return -1;
    }
    ++c.sent;
    ++counters.messages_sent;
    counters.bytes_sent += options_.size;
    if (options_.size >= kCheckEachWriteFrom && lws_send_pipe_choked(c.wsi)) break;
  }
  if (c.sent < options_.messages && c.sent - c.received < window) lws_callback_on_writable(c.wsi);
  return 0;
}

bool EchoWorkload::on_message(Conn& c) {
  if (c.received >= c.sent) {
    fail(c, "protocol_error", who(c.id) + ": a message arrived that was never sent");
    return false;
  }
  const unsigned char mask = options_.text ? 0x7f : 0xff;
  std::size_t bad = c.rx_overflow || c.rx_len != options_.size
                        ? 0
                        : first_echo_mismatch(c.rx.data(), options_.size, c.received, c.id, mask);
  if (bad != options_.size) {
    std::string what = c.rx_overflow || c.rx_len != options_.size
                           ? "is " + std::to_string(c.rx_overflow ? c.rx_len + 1 : c.rx_len) + "+ bytes, sent " + std::to_string(options_.size)
                           : "differs at byte " + std::to_string(bad) + ": got " + hex(c.rx[bad]) + ", sent " + hex(echo_byte(bad, c.received, c.id, mask));
    fail(c, "mismatch", who(c.id) + ": echo of message " + std::to_string(c.received) + " " + what);
    return false;
  }
  Micros now = now_us();
  recorder_.latency().record(now - c.sent_at[c.received % c.sent_at.size()]);
  ++c.received;
  c.progress = now;
  BenchCounters& counters = recorder_.current().counters;
  ++counters.messages_received;
  counters.bytes_received += options_.size;
  if (c.received >= options_.messages || c.sent < options_.messages) lws_callback_on_writable(c.wsi);
  return true;
}

void EchoWorkload::fail(Conn& c, const char* cls, const std::string& example) {
  if (c.failed) return;
  c.failed = true;
  recorder_.failure(cls, example);
  ++recorder_.current().counters.connections_failed;
}

void EchoWorkload::finished(Conn& c) {
  if (c.state == State::kDone) return;
  if (c.state == State::kOpen || c.state == State::kClosing) --open_;
  if (c.state == State::kConnecting && !c.failed && !stopping_)
    fail(c, "reset", "connection " + std::to_string(c.id) + ": closed before the upgrade completed");
  c.state = State::kDone;
  ++done_;
}

void EchoWorkload::check_deadlines(Micros now) {
  for (Conn& c : conns_) {
    if (!c.wsi || c.failed) continue;
    if (c.state == State::kConnecting && now - c.started > options_.connect_timeout_us) {
      fail(c, c.tcp_up ? "upgrade_timeout" : "tcp_timeout",
           who(c.id) + (c.tcp_up ? ": no answer to the upgrade within " : ": TCP did not connect within ") +
               std::to_string(options_.connect_timeout_us / 1000) + " ms");
      lws_set_timeout(c.wsi, PENDING_TIMEOUT_USER_OK, LWS_TO_KILL_ASYNC);
    } else if (c.state == State::kOpen && c.sent > c.received && now - c.progress > options_.stall_timeout_us) {
      fail(c, "message_timeout", who(c.id) + ": no echo for " + std::to_string(options_.stall_timeout_us / 1000) + " ms with " +
                                     std::to_string(c.sent - c.received) + " messages in flight");
      lws_set_timeout(c.wsi, PENDING_TIMEOUT_USER_OK, LWS_TO_KILL_ASYNC);
    }
  }
}

bool EchoWorkload::poll(Micros now) {
  unsigned connecting = 0;
  for (std::size_t i = next_connect_from_; i < next_connect_; ++i)
    if (conns_[i].state == State::kConnecting) ++connecting;
    else if (i == next_connect_from_) ++next_connect_from_;
  while (!stopping_ && connecting < kConnectingPerThread && next_connect_ < conns_.size()) {
    connect(conns_[next_connect_++]);
    ++connecting;
  }
  if (options_.duration_us > 0 && now - started_ >= options_.duration_us && !stopping_) stop();
  if (now >= next_check_) {
    check_deadlines(now);
    next_check_ = now + 200000;
  }
  if (stopping_)
    while (next_connect_ < conns_.size()) {  // never started: not failures, just not run
      conns_[next_connect_++].state = State::kDone;
      ++done_;
    }
  return done_ >= conns_.size();
}

void EchoWorkload::stop() {
  if (stopping_) return;
  stopping_ = true;
  for (Conn& c : conns_) {
    if (!c.wsi) continue;
    if (c.state == State::kOpen) lws_callback_on_writable(c.wsi);
    else if (c.state == State::kConnecting) lws_set_timeout(c.wsi, PENDING_TIMEOUT_USER_OK, LWS_TO_KILL_ASYNC);
  }
}

}  // namespace wscheck
