#include "diagnose/probe_connect.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace wscheck {

namespace {

bool is_v6(const std::string& a) { return a.find(':') != std::string::npos; }

int start_connect(const std::string& address, int port, int& error) {
  sockaddr_storage ss{};
  socklen_t len = 0;
  if (is_v6(address)) {
    auto* a = reinterpret_cast<sockaddr_in6*>(&ss);
    a->sin6_family = AF_INET6;
    a->sin6_port = htons(static_cast<uint16_t>(port));
    inet_pton(AF_INET6, address.c_str(), &a->sin6_addr);
    len = sizeof(sockaddr_in6);
  } else {
    auto* a = reinterpret_cast<sockaddr_in*>(&ss);
    a->sin_family = AF_INET;
    a->sin_port = htons(static_cast<uint16_t>(port));
    inet_pton(AF_INET, address.c_str(), &a->sin_addr);
    len = sizeof(sockaddr_in);
  }
  int fd = ::socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    error = errno;
    return -1;
  }
  error = ::connect(fd, reinterpret_cast<sockaddr*>(&ss), len) == 0 ? 0 : errno;
  if (error != 0 && error != EINPROGRESS) {
    ::close(fd);
    return -1;
  }
  return fd;
}

std::string short_ms(double ms) {
  char buf[32];
  if (ms >= 1000) std::snprintf(buf, sizeof buf, "%.1f s", ms / 1000);
  else std::snprintf(buf, sizeof buf, "%.1f ms", ms);
  return buf;
}

}  // namespace

TcpRace connect_happy_eyeballs(const std::vector<std::string>& addresses, int port, Micros deadline, int stagger_ms) {
  TcpRace race;
  std::vector<int> fds(addresses.size(), -1);
  std::vector<Micros> started(addresses.size(), 0);
  for (const auto& a : addresses) race.attempts.push_back(AddressAttempt{a});
  size_t next = 0;
  Micros next_start = now_us();
  auto finish = [&](size_t i, int error) {
    race.attempts[i].error = error;
    race.attempts[i].ms = to_ms(now_us() - started[i]);
    if (fds[i] >= 0) ::close(fds[i]);
    fds[i] = -1;
    next_start = now_us();  // a failure starts the next address at once
  };
  for (int turns = 0; turns < 100000; ++turns) {
    Micros now = now_us();
    if (next < addresses.size() && now >= next_start) {
      size_t i = next++;
      started[i] = now;
      race.attempts[i].started = true;
      int error = 0;
      fds[i] = start_connect(addresses[i], port, error);
      if (fds[i] < 0) {
        finish(i, error);
        continue;
      }
      if (error == 0) {  // connected at once
        race.attempts[i].connected = true;
        race.attempts[i].ms = to_ms(now_us() - started[i]);
        race.fd = fds[i];
        race.winner = addresses[i];
        fds[i] = -1;
        break;
      }
      next_start = now + Micros(stagger_ms) * 1000;
    }
    std::vector<pollfd> polls;
    std::vector<size_t> which;
    for (size_t i = 0; i < fds.size(); ++i)
      if (fds[i] >= 0) polls.push_back(pollfd{fds[i], POLLOUT, 0}), which.push_back(i);
    if (polls.empty() && next >= addresses.size()) break;  // every address failed
    now = now_us();
    if (now >= deadline) {
      race.deadline_hit = true;
      break;
    }
    Micros until = deadline;
    if (next < addresses.size()) until = std::min(until, next_start);
    int wait_ms = static_cast<int>(std::max<Micros>(0, (until - now + 999) / 1000));
    if (polls.empty()) continue;
    int rc = ::poll(polls.data(), polls.size(), wait_ms);
    if (rc < 0 && errno != EINTR) break;
    for (size_t k = 0; rc > 0 && k < polls.size(); ++k) {
      if (!polls[k].revents) continue;
      size_t i = which[k];
      int err = 0;
      socklen_t el = sizeof err;
      getsockopt(fds[i], SOL_SOCKET, SO_ERROR, &err, &el);
      if (err != 0) {
        finish(i, err);
        continue;
      }
      race.attempts[i].connected = true;
      race.attempts[i].ms = to_ms(now_us() - started[i]);
      race.fd = fds[i];
      race.winner = addresses[i];
      fds[i] = -1;
      break;
    }
    if (race.fd >= 0) break;
  }
  for (size_t i = 0; i < fds.size(); ++i) {
    if (fds[i] < 0) continue;
    race.attempts[i].ms = to_ms(now_us() - started[i]);
    race.attempts[i].error = race.fd >= 0 ? 0 : ETIMEDOUT;
    ::close(fds[i]);
  }
  return race;
}

std::string describe_attempts(const std::vector<AddressAttempt>& attempts) {
  std::string out;
  for (const auto& a : attempts) {
    std::string what = a.connected              ? "connected"
                       : !a.started             ? "not tried"
                       : a.error == ECONNREFUSED ? "refused"
                       : a.error == ETIMEDOUT    ? "timed out"
                       : a.error                 ? std::strerror(a.error)
                                                 : "abandoned";
    std::string shown = is_v6(a.address) ? "[" + a.address + "]" : a.address;
    out += (out.empty() ? "" : ", ") + shown + " " + what + (a.started ? " (" + short_ms(a.ms) + ")" : "");
  }
  return out;
}

bool ipv6_refused_ipv4_alive(const std::vector<AddressAttempt>& attempts) {
  bool v6_refused = false, v4_alive = false;
  for (const auto& a : attempts) {
    if (is_v6(a.address) && a.error == ECONNREFUSED) v6_refused = true;
    if (!is_v6(a.address) && a.connected) v4_alive = true;
  }
  return v6_refused && v4_alive;
}

}  // namespace wscheck
