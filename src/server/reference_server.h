// The built-in reference server: the agent-chat protocol of docs/reference-server.md on libwebsockets.
#pragma once

#include <libwebsockets.h>

#include <nlohmann/json_fwd.hpp>

#include <optional>
#include <random>
#include <string>
#include <vector>

namespace wscheck {

/// Misbehaviours the reference server can be told to show (--fault).
struct ServerFaults {
  bool http_500 = false;       // refuse every upgrade with HTTP 500
  bool close_1011 = false;     // accept, greet, then close with 1011
  int slow_events_ms = 0;      // delay between the five agent events
  std::string drop_event;      // never send this agent event
  int drop_random_percent = 0; // drop one random agent event in this share of runs (flakiness demos)
  unsigned seed = 1;           // for drop_random_percent, so a flaky run is reproducible
};

struct ServerOptions {
  std::string iface = "127.0.0.1";
  int port = 0;  // 0: ephemeral
  std::string jwt_secret = "test-secret";
  ServerFaults faults;
};

struct ReferenceSession;

/// Parses one --fault value into `faults`; returns an error sentence or "".
std::string parse_fault(const std::string& text, ServerFaults& faults);

/// Adds the reference server as a listening vhost on an existing context
/// (created with LWS_SERVER_OPTION_EXPLICIT_VHOSTS). Owns its per-connection
/// state; must outlive the context's service loop.
class ReferenceServer {
 public:
  explicit ReferenceServer(ServerOptions options) : options_(std::move(options)) {}
  ReferenceServer(const ReferenceServer&) = delete;
  ReferenceServer& operator=(const ReferenceServer&) = delete;

  /// Creates the vhost; returns false and sets `error` if the port cannot be bound.
  bool start(lws_context* context, std::string& error);
  int port() const { return port_; }
  const ServerOptions& options() const { return options_; }

 private:
  static int callback(lws* wsi, lws_callback_reasons reason, void* user, void* in, size_t len);
  int handle_http(lws* wsi, lws_callback_reasons reason, void* in, size_t len);
  int handle_ws(lws* wsi, lws_callback_reasons reason, void* user, void* in, size_t len);
  int confirm_upgrade(lws* wsi);  // checks path and token; nonzero refuses
  void on_established(lws* wsi, ReferenceSession* session);
  int on_receive(lws* wsi, ReferenceSession& session, void* in, size_t len);
  void start_agent_run(ReferenceSession& session, const nlohmann::json& msg);
  int on_writable(lws* wsi, ReferenceSession& session);

  ServerOptions options_;
  lws_protocols protocols_[3]{};
  lws_protocol_vhost_options default_pvo_{};
  lws_protocol_vhost_options ws_pvo_{};
  int port_ = 0;
  std::string pending_user_;  // sub claim between CONFIRM_UPGRADE and ESTABLISHED
  std::mt19937 random_{1};
  unsigned runs_started_ = 0;  // for run ids ("run-1", ...)
};

}  // namespace wscheck
