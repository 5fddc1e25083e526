#include "engine/resolver.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <sys/socket.h>

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

AsyncResolver::~AsyncResolver() { cancel(); }

void AsyncResolver::start(const std::string& host, int port, std::function<void(Resolution)> done) {
  done_ = std::move(done);
  // Numeric addresses need no thread.
  unsigned char buf[sizeof(in6_addr)];
  if (inet_pton(AF_INET, host.c_str(), buf) == 1 || inet_pton(AF_INET6, host.c_str(), buf) == 1) {
    Resolution r;
    r.addresses.push_back(host);
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
