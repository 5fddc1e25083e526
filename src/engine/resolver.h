// Name resolution off the event loop thread.
//
/// lws 4.1 resolves synchronously inside the connect call, which freezes the
/// loop. We resolve in a worker thread, poll for the answer
/// from a loop timer, then hand lws a numeric address.
#pragma once

#include <future>
#include <memory>
#include <string>
#include <vector>

#include "engine/timer.h"

namespace wscheck {

struct Resolution {
  std::vector<std::string> addresses;  // numeric, in getaddrinfo order
  std::string error;                   // gai_strerror text when empty
};

/// Blocking lookup; used by the worker thread and by the probe.
Resolution resolve_host(const std::string& host, int port);

class AsyncResolver {
 public:
  explicit AsyncResolver(lws_context* context) : poll_(context) {}
  ~AsyncResolver();
  void start(const std::string& host, int port, std::function<void(Resolution)> done);
  void cancel();

 private:
  void poll();
  Timer poll_;
  std::shared_ptr<std::promise<Resolution>> promise_;
  std::future<Resolution> future_;
  std::function<void(Resolution)> done_;
};

}  // namespace wscheck
