#include "engine/resolver.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <sys/socket.h>

#include <algorithm>
#include <thread>

namespace wscheck {

Resolution resolve_host(const std::string& host, int port) {
  Resolution r;
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* list = nullptr;
  std::string service = std::to_string(port);
  int rc = getaddrinfo(host.c_str(), service.c_str(), &hints, &list);
  if (rc != 0) {
    r.error = gai_strerror(rc);
    return r;
  }
  for (addrinfo* a = list; a; a = a->ai_next) {
    char buf[INET6_ADDRSTRLEN] = {};
    const void* src = a->ai_family == AF_INET6 ? static_cast<const void*>(&reinterpret_cast<sockaddr_in6*>(a->ai_addr)->sin6_addr)
                                               : static_cast<const void*>(&reinterpret_cast<sockaddr_in*>(a->ai_addr)->sin_addr);
    if (inet_ntop(a->ai_family, src, buf, sizeof buf)) {
      std::string s(buf);
      bool seen = false;
      for (const auto& x : r.addresses) seen = seen || x == s;
      if (!seen) r.addresses.push_back(s);
    }
  }
  freeaddrinfo(list);
  if (r.addresses.empty()) r.error = "no usable address";
  return r;
}

std::vector<std::string> interleave_families(const std::vector<std::string>& addresses) {
  std::vector<std::string> v6, v4, out;
  for (const auto& a : addresses) (a.find(':') != std::string::npos ? v6 : v4).push_back(a);
  bool six_first = !addresses.empty() && addresses.front().find(':') != std::string::npos;
  std::vector<std::string>& a = six_first ? v6 : v4;
  std::vector<std::string>& b = six_first ? v4 : v6;
  for (size_t i = 0; i < std::max(a.size(), b.size()); ++i) {
    if (i < a.size()) out.push_back(a[i]);
    if (i < b.size()) out.push_back(b[i]);
  }
  return out;
}

Resolution resolve_host_within(const std::string& host, int port, const ResolveOverrides& overrides, int timeout_ms) {
  if (const auto* pinned = find_override(overrides, host, port)) {
    Resolution r;
    r.addresses = *pinned;
    r.pinned = true;
    return r;
  }
  auto promise = std::make_shared<std::promise<Resolution>>();
  std::future<Resolution> future = promise->get_future();
  // Detached on purpose: a getaddrinfo that hangs must not hold us past the
  // deadline; the shared promise keeps the result slot alive until it returns.
  std::thread([promise, host, port] { promise->set_value(resolve_host(host, port)); }).detach();
  if (future.wait_for(std::chrono::milliseconds(timeout_ms)) != std::future_status::ready) {
    Resolution r;
    r.timed_out = true;
    r.error = "no answer from the resolver within " + std::to_string(timeout_ms) + " ms";
    return r;
  }
  return future.get();
}

AsyncResolver::~AsyncResolver() { cancel(); }

void AsyncResolver::start(const std::string& host, int port, std::function<void(Resolution)> done,
                          const ResolveOverrides& overrides) {
  done_ = std::move(done);
  // Numeric addresses and --resolve entries need no thread.
  unsigned char buf[sizeof(in6_addr)];
  const auto* pinned = find_override(overrides, host, port);
  if (pinned || inet_pton(AF_INET, host.c_str(), buf) == 1 || inet_pton(AF_INET6, host.c_str(), buf) == 1) {
    Resolution r;
    if (pinned) r.addresses = *pinned, r.pinned = true;
    else r.addresses.push_back(host);
    poll_.start(0, [this, r] {
      auto done = std::move(done_);
      done(r);
    });
    return;
  }
  promise_ = std::make_shared<std::promise<Resolution>>();
  future_ = promise_->get_future();
  // Detached: a getaddrinfo that hangs must not block shutdown; the shared
  // promise keeps the result slot alive until the thread is done.
  std::thread([p = promise_, host, port] { p->set_value(resolve_host(host, port)); }).detach();
  poll_.start(1000, [this] { poll(); });
}

void AsyncResolver::poll() {
  if (future_.wait_for(std::chrono::seconds(0)) != std::future_status::ready) {
    poll_.start(1000, [this] { poll(); });
    return;
  }
  Resolution r = future_.get();
  promise_.reset();
  auto done = std::move(done_);
  done(r);
}

void AsyncResolver::cancel() {
  poll_.cancel();
  done_ = nullptr;
  promise_.reset();
}

}  // namespace wscheck
