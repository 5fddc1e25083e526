#include "engine/connection.h"

#include <openssl/x509.h>

#include <cctype>
#include <cstring>

#include "engine/client_protocol.h"
#include "engine/event_loop.h"
#include "scenario/utf8.h"

namespace wscheck {

namespace {

// Harness connections never want lws' own keepalive pings (their empty
// pongs would be noise) nor its idle hangup: the scenario decides.
const lws_retry_bo_t kNoKeepalive = {
    nullptr, 0, 0, 3600, 7200, 0,
};

}  // namespace

const lws_protocols* client_protocols() { return Connection::protocols(); }

const lws_protocols* Connection::protocols() {
  static const lws_protocols list[] = {
      // 4096-byte receive chunks: lws hands payload over only when its rx
      // buffer is full or the frame ends, so a small buffer is what lets a
      // frame that trickles in be seen (its announced size, its progress).
      {"wscheck-client", &Connection::callback, 0, 4096, 0, nullptr, 0},
      {nullptr, nullptr, 0, 0, 0, nullptr, 0},
  };
  return list;
}

Connection::Connection(EventLoop& loop, std::string name, ConnectionObserver& observer)
    : loop_(loop), name_(std::move(name)), observer_(observer), resolver_(loop.context()), retry_(loop.context()) {}

Connection::~Connection() {
  resolver_.cancel();
  retry_.cancel();
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
  for (const auto& [name, value] : options_.headers) {
    std::string n;
    for (char ch : name) n += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    if (n == "authorization" || n == "cookie" || n.find("token") != std::string::npos || n.find("api-key") != std::string::npos)
      observation_.credentials_sent = true;
  }
  const std::string& path = options_.url.path;
  for (const char* key : {"token=", "access_token=", "api_key=", "apikey=", "auth=", "jwt=", "key="})
    if (path.find(std::string("?") + key) != std::string::npos || path.find(std::string("&") + key) != std::string::npos)
      observation_.credentials_sent = true;
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
    addresses_ = interleave_families(r.addresses);
    address_index_ = 0;
    if (r.pinned) trace("--resolve pins " + options_.url.host + " to " + std::to_string(addresses_.size()) + " address(es)");
    start_connect(addresses_.front());
  }, loop_.options().resolve);
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
    if (retry_pending_) {
      retry_pending_ = false;
      retry_.start(0, [this] { start_connect(addresses_[++address_index_]); });
    }
    if (retry_.active()) return;  // the next address is on its way
    if (phase_ != ConnPhase::kFailed) fail_connect(observation_.lws_error.empty() ? "lws refused to start the connection" : observation_.lws_error);
  }
}

/// A TCP failure with addresses left: note this one's outcome and go on
/// with the next (RFC 8305 falls back the same way) once lws is done with
/// the failed wsi. Returns false when there is nothing left to try.
bool Connection::retry_next_address(const std::string& outcome) {
  if (phase_ != ConnPhase::kTcp || observation_.deadline_hit || address_index_ + 1 >= addresses_.size()) return false;
  observation_.address_results.emplace_back(addresses_[address_index_], outcome);
  trace(addresses_[address_index_] + " " + outcome + "; trying " + addresses_[address_index_ + 1]);
  retry_pending_ = true;
  return true;
}

std::optional<PartialFrame> Connection::partial_frame() const {
  if (rx_frame_announced_ == 0 || rx_frame_got_ >= rx_frame_announced_ || phase_ != ConnPhase::kOpen) return std::nullopt;
  return PartialFrame{name_, rx_frame_got_, rx_frame_announced_};
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
  if (retry_.active() || retry_pending_) {  // between two addresses: nothing of lws' to kill
    retry_.cancel();
    retry_pending_ = false;
    observation_.deadline_hit = true;
    observation_.deadline_us = deadline_us;
    observation_.failed_in = ConnPhase::kTcp;
    observation_.phase_elapsed_us = now_us() - phase_started_;
    enter(ConnPhase::kFailed);
    if (!wsi_) notify();
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

}  // namespace wscheck
