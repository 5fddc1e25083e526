// The lws context and its service loop: the one owner of global lws state.
#pragma once

#include <libwebsockets.h>

#include <csignal>
#include <functional>
#include <list>
#include <map>
#include <string>

#include "core/resolve_override.h"

namespace wscheck {

/// Owns the lws context: the single event loop that every client
/// connection, timer and the in-process reference server run on.
/// Everything engine-side happens on the thread that calls run().
class EventLoop {
 public:
  struct Options {
    bool verbose_lws_log = false;  // route lws' own ERR/WARN lines to stderr
    bool insecure = false;         // --insecure default for wss:// connections
    std::string ca_file;           // --ca-file default
    ResolveOverrides resolve = {};  // --resolve: pinned addresses per host:port
  };

  explicit EventLoop(Options options);
  ~EventLoop();
  EventLoop(const EventLoop&) = delete;
  EventLoop& operator=(const EventLoop&) = delete;

  lws_context* context() const { return context_; }
  const Options& options() const { return options_; }

  /// The client vhost for plain ws:// (tls = false), or for wss:// trusting
  /// `ca_file` ("" = the system store); created on first use. Returns nullptr
  /// and sets `error` when the CA file is unusable.
  lws_vhost* client_vhost(bool tls, const std::string& ca_file, std::string& error);

  /// Services the loop until `done()` is true, an interrupt arrives or
  /// lws_service() fails. Returns true only when `done()` ended it.
  bool run(const std::function<bool()>& done);

  /// Ctrl-C / SIGTERM: sets the interrupted flag and wakes the loop.
  void install_signal_handlers();
  bool interrupted() const { return interrupted_ != 0; }
  /// True when run() stopped because lws_service() reported an error.
  bool service_failed() const { return service_failed_; }
  int interrupt_signal() const { return interrupted_; }

 private:
  static void on_signal(int sig);
  static EventLoop* signal_target_;

  Options options_;
  lws_context* context_ = nullptr;
  std::map<std::string, lws_vhost*> client_vhosts_;
  std::list<std::string> vhost_names_;
  volatile std::sig_atomic_t interrupted_ = 0;
  bool service_failed_ = false;
};

}  // namespace wscheck
