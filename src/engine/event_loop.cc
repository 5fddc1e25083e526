#include "engine/event_loop.h"

#include <cstdio>
#include <stdexcept>
#include <sys/stat.h>

#include "engine/client_protocol.h"

namespace wscheck {

EventLoop* EventLoop::signal_target_ = nullptr;

namespace {

void log_to_stderr(int level, const char* line) {
  std::fprintf(stderr, "lws[%d]: %s", level, line);
}

}  // namespace

EventLoop::EventLoop(Options options) : options_(std::move(options)) {
  if (options_.verbose_lws_log)
    lws_set_log_level(LLL_ERR | LLL_WARN, log_to_stderr);
  else
    lws_set_log_level(0, nullptr);

  lws_context_creation_info info{};
  info.port = CONTEXT_PORT_NO_LISTEN;
  // No LWS_SERVER_OPTION_VALIDATE_UTF8: lws would drop the connection
  // silently; the Connection checks each text message itself and names it.
  info.options = LWS_SERVER_OPTION_EXPLICIT_VHOSTS | LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT;
  // lws' own connect / TLS / 101 timeouts are whole seconds; every wait has
  // our own millisecond deadline, so keep lws' far out of the way.
  info.timeout_secs = 3600;
  info.gid = -1;
  info.uid = -1;
  context_ = lws_create_context(&info);
  if (!context_) throw std::runtime_error("libwebsockets could not create its context");
}

EventLoop::~EventLoop() {
  if (signal_target_ == this) {
    std::signal(SIGINT, SIG_DFL);
    std::signal(SIGTERM, SIG_DFL);
    signal_target_ = nullptr;
  }
  if (context_) lws_context_destroy(context_);
}

lws_vhost* EventLoop::client_vhost(bool tls, const std::string& ca_file, std::string& error) {
  // ws:// gets a vhost without TLS: loading the system CA bundle costs ~17 ms
  // per run, a quarter of a whole suite's wall time on loopback.
  const std::string key = tls ? "tls:" + ca_file : "plain";
  if (auto it = client_vhosts_.find(key); it != client_vhosts_.end()) return it->second;
  if (tls && !ca_file.empty()) {
    struct stat st {};
    if (stat(ca_file.c_str(), &st) != 0) {
      error = "CA file \"" + ca_file + "\" does not exist";
      return nullptr;
    }
  }
  lws_context_creation_info info{};
  info.port = CONTEXT_PORT_NO_LISTEN;
  info.protocols = client_protocols();
  // lws sets up client TLS only on vhosts that carry this option.
  info.options = tls ? LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT : 0;
  info.connect_timeout_secs = 3600;
  std::string name = "client-" + std::to_string(client_vhosts_.size());
  vhost_names_.push_back(name);  // lws keeps the pointer for the vhost's life
  info.vhost_name = vhost_names_.back().c_str();
  if (tls && !ca_file.empty()) info.client_ssl_ca_filepath = ca_file.c_str();
  lws_vhost* vh = lws_create_vhost(context_, &info);
  if (!vh) {
    error = ca_file.empty() ? "could not set up the TLS client" : "could not load CA file \"" + ca_file + "\"";
    return nullptr;
  }
  client_vhosts_[key] = vh;
  return vh;
}

bool EventLoop::run(const std::function<bool()>& done) {
  while (!done()) {
    if (interrupted_) return false;
    if (lws_service(context_, 0) < 0) {
      service_failed_ = true;
      return false;
    }
  }
  return !interrupted_;
}

void EventLoop::install_signal_handlers() {
  signal_target_ = this;
  std::signal(SIGINT, &EventLoop::on_signal);
  std::signal(SIGTERM, &EventLoop::on_signal);
}

void EventLoop::on_signal(int sig) {
  if (EventLoop* loop = signal_target_) {
    loop->interrupted_ = sig;
    lws_cancel_service(loop->context_);
  }
}

}  // namespace wscheck
