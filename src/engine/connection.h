// One client WebSocket connection on the event loop.
#pragma once

#include <libwebsockets.h>

#include <deque>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/url.h"
#include "core/clock.h"
#include "engine/inbox.h"
#include "engine/message_rules.h"
#include "engine/observation.h"
#include "engine/resolver.h"
#include "scenario/matcher.h"

namespace wscheck {

class EventLoop;
class Connection;

/// What the connection needs to know to open.
struct ConnectOptions {
  Url url;
  std::vector<std::pair<std::string, std::string>> headers;  // already expanded
  std::string subprotocols;                                  // comma-separated, may be empty
  bool insecure = false;
  std::string ca_file;
  size_t max_message_bytes = 16 * 1024 * 1024;
  std::vector<std::string> response_headers;  // lower-case names of upgrade response headers to keep
};

/// A rule whose reply could not be rendered (an undefined ${VAR}).
struct RuleError {
  std::string rule;
  std::string what;
};

/// The scenario runner's view of the connection: any change calls back here.
class ConnectionObserver {
 public:
  virtual ~ConnectionObserver() = default;
  virtual void on_connection_changed(Connection& connection) = 0;
};

/// A client WebSocket: resolves, connects, sends and records what arrives.
/// It never decides pass/fail; it keeps facts for the runner and classifier.
class Connection {
 public:
  Connection(EventLoop& loop, std::string name, ConnectionObserver& observer);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  void open(ConnectOptions options);
  /// Background rules applied to every message on arrival, before the
  /// inbox; set before open().
  void set_rules(MessageRules rules) { rules_ = std::move(rules); }
  std::vector<RuleCount> rule_counts() const { return rules_.counts(); }
  /// A rule's reply that could not be rendered, once (then cleared).
  std::optional<RuleError> take_rule_error() { return std::exchange(rule_error_, std::nullopt); }
  void send_text(std::string data);
  void send_binary(std::string data);
  /// Sends a ping frame with `payload` (non-empty, <= 125 bytes).
  void send_ping(std::string payload);
  void close(int code, std::string reason);
  /// Gives up on a connection that is still connecting (deadline passed).
  void abort_connect(Micros deadline_us);
  /// Drops the connection at once, without a close frame.
  void drop();

  const std::string& name() const { return name_; }
  ConnPhase phase() const { return phase_; }
  bool is_open() const { return phase_ == ConnPhase::kOpen; }
  bool finished() const { return wsi_ == nullptr && phase_ != ConnPhase::kIdle; }
  const ConnectOptions& options() const { return options_; }
  const PhaseTimings& timings() const { return timings_; }
  const ConnectObservation& observation() const { return observation_; }
  const std::optional<CloseInfo>& close_info() const { return close_; }
  /// The facts the classifier reads about how the connection ended.
  ConnectionFacts facts() const { return ConnectionFacts{protocol_error_, close_, opened_at_}; }
  /// The unconsumed messages (selective receive; bounded).
  Inbox& inbox() { return inbox_; }
  /// A limit or protocol violation that made us close the connection.
  const std::string& protocol_error() const { return protocol_error_; }
  /// The time a pong with `payload` arrived, if it did.
  std::optional<Micros> pong_time(const std::string& payload) const;
  const std::string& accepted_subprotocol() const { return accepted_subprotocol_; }
  /// The upgrade response headers named in ConnectOptions::response_headers
  /// that were present (lower-case name -> value).
  const std::map<std::string, std::string>& response_headers() const { return response_headers_; }
  Micros opened_at() const { return opened_at_; }
  size_t messages_received() const { return messages_received_; }
  /// The frame being received right now, when one is half-received.
  std::optional<PartialFrame> partial_frame() const;
  /// The last frames sent and received ("-> ..." / "<- ..."), bounded and truncated.
  const std::deque<std::string>& recent_frames() const { return recent_frames_; }

  void set_trace(std::function<void(const std::string&)> trace) { trace_ = std::move(trace); }

  /// protocols[0] of the client vhost: the lws callback for all connections.
  static const lws_protocols* protocols();

 private:
  static int callback(lws* wsi, lws_callback_reasons reason, void* user, void* in, size_t len);
  int handle(lws* wsi, lws_callback_reasons reason, void* in, size_t len);
  void on_tcp_connected();
  int on_append_headers(lws* wsi, void* in, size_t len);
  void on_established(lws* wsi);
  void on_connection_error(lws* wsi, void* in, size_t len);
  void on_pong(const void* in, size_t len);
  void on_peer_close(const void* in, size_t len);
  void on_closed();
  void on_destroy();
  void start_connect(const std::string& address);
  bool retry_next_address(const std::string& outcome);
  void enter(ConnPhase phase);
  void fail_connect(const std::string& lws_error);
  void notify();
  void trace(const std::string& line);
  void on_receive(lws* wsi, const void* in, size_t len);
  bool apply_rules(const Message& message);
  void keep_response_headers(lws* wsi);
  int on_writeable(lws* wsi);
  void append_headers(unsigned char** p, unsigned char* end, lws* wsi, int& rc);
  void request_write();

  struct Outgoing {
    enum class Kind { kText, kBinary, kPing } kind;
    std::string data;
  };

  EventLoop& loop_;
  std::string name_;
  ConnectionObserver& observer_;
  ConnectOptions options_;
  AsyncResolver resolver_;
  Timer retry_;                         // starts the next address once the failed wsi is gone
  std::vector<std::string> addresses_;  // resolved, families interleaved (RFC 8305)
  size_t address_index_ = 0;
  bool retry_pending_ = false;
  size_t rx_frame_got_ = 0;        // bytes of the current frame received so far
  size_t rx_frame_announced_ = 0;  // its length as the frame header announced it
  lws* wsi_ = nullptr;
  ConnPhase phase_ = ConnPhase::kIdle;
  Micros phase_started_ = 0;
  Micros started_ = 0;
  Micros opened_at_ = 0;
  PhaseTimings timings_;
  ConnectObservation observation_;
  std::optional<CloseInfo> close_;
  Inbox inbox_;
  std::deque<Outgoing> outgoing_;
  std::optional<std::pair<int, std::string>> close_request_;
  std::vector<std::pair<std::string, Micros>> pongs_;
  std::string rx_;
  bool rx_binary_ = false;
  bool rx_overflow_ = false;
  std::string protocol_error_;
  std::string accepted_subprotocol_;
  std::map<std::string, std::string> response_headers_;
  MessageRules rules_;
  std::optional<RuleError> rule_error_;
  size_t messages_received_ = 0;
  std::deque<std::string> recent_frames_;
  void remember(std::string frame);
  bool drop_requested_ = false;
  bool close_sent_ = false;
  bool notifying_ = false;
  std::function<void(const std::string&)> trace_;
};

}  // namespace wscheck
