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

#include "core/resolve_override.h"
#include "engine/timer.h"

namespace wscheck {

struct Resolution {
  std::vector<std::string> addresses;  // numeric, in getaddrinfo order
  std::string error;                   // gai_strerror text when empty
  bool pinned = false;                 // from --resolve, not the system resolver
  bool timed_out = false;              // the lookup did not answer within its deadline
};

/// Orders addresses as RFC 8305 §4 does: alternate families, starting with
/// the family of the first address.
std::vector<std::string> interleave_families(const std::vector<std::string>& addresses);

/// Blocking lookup; used by the worker thread and by the probe.
Resolution resolve_host(const std::string& host, int port);

/// --resolve first, then the system resolver in a worker thread that is
/// abandoned (not waited for) when it has not answered within `timeout_ms`.
Resolution resolve_host_within(const std::string& host, int port, const ResolveOverrides& overrides, int timeout_ms);

class AsyncResolver {
 public:
  explicit AsyncResolver(lws_context* context) : poll_(context) {}
  ~AsyncResolver();
  void start(const std::string& host, int port, std::function<void(Resolution)> done,
             const ResolveOverrides& overrides = {});
  void cancel();

 private:
  void poll();
  Timer poll_;
  std::shared_ptr<std::promise<Resolution>> promise_;
  std::future<Resolution> future_;
  std::function<void(Resolution)> done_;
};

}  // namespace wscheck
