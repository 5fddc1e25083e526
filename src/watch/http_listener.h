// The monitor's HTTP endpoints as an lws server vhost on the engine's loop.
#pragma once

#include <libwebsockets.h>

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "watch/watcher.h"

namespace wscheck {

struct ListenerOptions {
  std::string host = "127.0.0.1";
  int port = 9464;                 // 0: an ephemeral port
  int probe_timeout_ms = 10000;    // /probe deadline (a smaller Prometheus scrape timeout wins)
  std::function<std::string()> metrics;      // GET /metrics body
  std::function<std::string()> status_page;  // GET / body
};

/// Serves GET /metrics, /probe, / and /healthz on the same lws context as
/// the scenarios (one thread). Responses are written from WRITEABLE in
/// chunks; a /probe answer waits for its run. A connection that goes away
/// retires its exchange, freed later from poll().
class HttpListener {
 public:
  HttpListener(Watcher& watcher, ListenerOptions options);
  ~HttpListener();
  HttpListener(const HttpListener&) = delete;
  HttpListener& operator=(const HttpListener&) = delete;

  /// Creates the listening vhost; false and `error` when it cannot bind.
  bool start(lws_context* context, std::string& error);
  int port() const { return port_; }
  void poll();

 private:
  struct Exchange;
  static int callback(lws* wsi, lws_callback_reasons reason, void* user, void* in, size_t len);
  int on_request(lws* wsi, std::uint64_t& id, const std::string& path);
  int on_writeable(lws* wsi, std::uint64_t& id);
  void on_closed(std::uint64_t& id);
  Exchange& open_exchange(lws* wsi, std::uint64_t& id);
  void respond(Exchange& ex, int status, const std::string& content_type, std::string body);
  void answer_probe(lws* wsi, Exchange& ex);

  Watcher& watcher_;
  ListenerOptions options_;
  lws_protocols protocols_[2]{};
  int port_ = 0;
  std::uint64_t next_id_ = 1;
  std::map<std::uint64_t, std::unique_ptr<Exchange>> exchanges_;
  std::vector<std::unique_ptr<Exchange>> retired_;
};

}  // namespace wscheck
