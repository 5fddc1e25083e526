#include "diagnose/probe.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <ctime>
#include <memory>

#include "diagnose/classify.h"
#include "engine/clock.h"
#include "engine/resolver.h"
#include "scenario/jwt.h"
#include "scenario/utf8.h"

namespace wscheck {

namespace {

struct Fd {
  int fd = -1;
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
};

struct SslDeleter {
  void operator()(SSL* s) const { SSL_free(s); }
  void operator()(SSL_CTX* c) const { SSL_CTX_free(c); }
};

std::string x509_name(X509_NAME* name) {
  if (!name) return "";
  char buf[256];
  X509_NAME_oneline(name, buf, sizeof buf);
  return buf;
}

/// Waits for `events` on fd until `deadline`; returns false on timeout.
bool wait_fd(int fd, short events, Micros deadline) {
  for (;;) {
    Micros left = deadline - now_us();
    if (left <= 0) return false;
    pollfd p{fd, events, 0};
    int rc = ::poll(&p, 1, static_cast<int>((left + 999) / 1000));
    if (rc > 0) return true;
    if (rc == 0) return false;
    if (errno != EINTR) return false;
  }
}

class Prober {
 public:
  explicit Prober(const ProbeOptions& o) : o_(o) {}

  ProbeResult run() {
    if (!dns() || !tcp()) return std::move(r_);
    if (o_.url.tls() && !tls()) return std::move(r_);
    if (o_.url.scheme == "tcp") return std::move(r_);
    http();
    return std::move(r_);
  }

 private:
  void fail(const std::string& name, double ms, Diagnosis d) {
    r_.lines.push_back(CheckLine{CheckLine::Level::kFail, name, ms, d.headline, d.hint, class_name(d.cls)});
    r_.failure = std::move(d);
  }

  bool dns() {
    Micros t0 = now_us();
    Resolution res = resolve_host(o_.url.host, o_.url.port);
    double ms = to_ms(now_us() - t0);
    if (res.addresses.empty()) {
      ConnectObservation seen;
      seen.failed_in = ConnPhase::kResolving;
      seen.dns_error = res.error;
      fail("dns", ms, classify_connect_failure(seen, o_.url));
      return false;
    }
    std::string list;
    for (const auto& a : res.addresses) list += (list.empty() ? "" : ", ") + a;
    r_.lines.push_back(CheckLine{CheckLine::Level::kOk, "dns", ms, o_.url.host + " → " + list, "", ""});
    address_ = res.addresses.front();
    return true;
  }

  bool tcp() {
    sockaddr_storage ss{};
    socklen_t len = 0;
    if (address_.find(':') != std::string::npos) {
      auto* a = reinterpret_cast<sockaddr_in6*>(&ss);
      a->sin6_family = AF_INET6;
      a->sin6_port = htons(static_cast<uint16_t>(o_.url.port));
      inet_pton(AF_INET6, address_.c_str(), &a->sin6_addr);
      len = sizeof(sockaddr_in6);
    } else {
      auto* a = reinterpret_cast<sockaddr_in*>(&ss);
      a->sin_family = AF_INET;
      a->sin_port = htons(static_cast<uint16_t>(o_.url.port));
      inet_pton(AF_INET, address_.c_str(), &a->sin_addr);
      len = sizeof(sockaddr_in);
    }
    sock_.fd = ::socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    Micros t0 = now_us();
    int rc = ::connect(sock_.fd, reinterpret_cast<sockaddr*>(&ss), len);
    int err = rc == 0 ? 0 : errno;
    if (err == EINPROGRESS) {
      if (!wait_fd(sock_.fd, POLLOUT, t0 + Micros(o_.timeout_ms) * 1000)) {
        ConnectObservation seen;
        seen.failed_in = ConnPhase::kTcp;
        seen.deadline_hit = true;
        seen.phase_elapsed_us = now_us() - t0;
        fail("tcp", to_ms(now_us() - t0), classify_connect_failure(seen, o_.url));
        return false;
      }
      socklen_t el = sizeof err;
      getsockopt(sock_.fd, SOL_SOCKET, SO_ERROR, &err, &el);
    }
    double ms = to_ms(now_us() - t0);
    if (err != 0) {
      Diagnosis d;
      if (err == ECONNREFUSED) {
        ConnectObservation seen;
        seen.failed_in = ConnPhase::kTcp;
        d = classify_connect_failure(seen, o_.url);
      } else {
        d.cls = err == ETIMEDOUT ? DiagnosisClass::kTcpTimeout : DiagnosisClass::kTcpRefused;
        d.headline = "cannot connect to " + address_ + ":" + std::to_string(o_.url.port) + ": " + std::strerror(err);
        d.hint = "check the address, the route and any firewall";
        d.environment = true;
      }
      fail("tcp", ms, d);
      return false;
    }
    r_.lines.push_back(CheckLine{CheckLine::Level::kOk, "tcp", ms, "connected to " + address_ + ":" + std::to_string(o_.url.port), "", ""});
    return true;
  }

  bool tls() {
    Micros t0 = now_us();
    ctx_.reset(SSL_CTX_new(TLS_client_method()));
    SSL_CTX_set_default_verify_paths(ctx_.get());
    if (!o_.ca_file.empty() && SSL_CTX_load_verify_locations(ctx_.get(), o_.ca_file.c_str(), nullptr) != 1) {
      Diagnosis d;
      d.cls = DiagnosisClass::kTlsFailed;
      d.headline = "cannot load CA file \"" + o_.ca_file + "\"";
      d.environment = true;
      fail("tls", 0, d);
      return false;
    }
    ssl_.reset(SSL_new(ctx_.get()));
    SSL_set_fd(ssl_.get(), sock_.fd);
    unsigned char tmp[16];
    bool is_ip = inet_pton(AF_INET, o_.url.host.c_str(), tmp) == 1 || inet_pton(AF_INET6, o_.url.host.c_str(), tmp) == 1;
    if (!is_ip) SSL_set_tlsext_host_name(ssl_.get(), o_.url.host.c_str());
    SSL_set1_host(ssl_.get(), o_.url.host.c_str());
    SSL_set_verify(ssl_.get(), SSL_VERIFY_NONE, nullptr);  // we read the verdict ourselves below
    Micros deadline = t0 + Micros(o_.timeout_ms) * 1000;
    for (;;) {
      int rc = SSL_connect(ssl_.get());
      if (rc == 1) break;
      int e = SSL_get_error(ssl_.get(), rc);
      bool waited = e == SSL_ERROR_WANT_READ    ? wait_fd(sock_.fd, POLLIN, deadline)
                    : e == SSL_ERROR_WANT_WRITE ? wait_fd(sock_.fd, POLLOUT, deadline)
                                                : false;
      if (waited) continue;
      Diagnosis d;
      d.cls = DiagnosisClass::kTlsFailed;
      d.environment = true;
      if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE) {
        d.headline = "TLS handshake with " + o_.url.host + ":" + std::to_string(o_.url.port) + " did not finish within " +
                     std::to_string(o_.timeout_ms) + " ms";
      } else {
        char buf[256];
        ERR_error_string_n(ERR_get_error(), buf, sizeof buf);
        d.headline = std::string("TLS handshake failed: ") + buf;
      }
      d.hint = "is this really a TLS port? try ws:// instead of wss://";
      fail("tls", to_ms(now_us() - t0), d);
      return false;
    }
    double ms = to_ms(now_us() - t0);
    std::string detail = std::string(SSL_get_version(ssl_.get())) + " " + SSL_get_cipher_name(ssl_.get());
    X509* cert = SSL_get1_peer_certificate(ssl_.get());
    if (cert) {
      int days = 0, secs = 0;
      ASN1_TIME_diff(&days, &secs, nullptr, X509_get0_notAfter(cert));
      std::tm not_after{};
      if (ASN1_TIME_to_tm(X509_get0_notAfter(cert), &not_after) == 1) r_.cert_not_after = static_cast<long long>(timegm(&not_after));
      detail += "; subject " + x509_name(X509_get_subject_name(cert)) + "; issuer " +
                x509_name(X509_get_issuer_name(cert)) + "; expires in " + std::to_string(days) + " days";
      X509_free(cert);
    }
    long verify = SSL_get_verify_result(ssl_.get());
    if (verify != X509_V_OK) {
      std::string why = X509_verify_cert_error_string(verify);
      if (o_.insecure) {
        r_.lines.push_back(CheckLine{CheckLine::Level::kWarn, "tls", ms, detail + "; " + why + " (accepted: --insecure)", "", ""});
        return true;
      }
      Diagnosis d;
      d.cls = DiagnosisClass::kTlsFailed;
      d.environment = true;
      d.headline = "TLS handshake failed: " + why + " (X509 error " + std::to_string(verify) + ")";
      d.hint = "use --ca-file FILE to trust a private CA, or --insecure for a test server";
      d.details.push_back(detail);
      fail("tls", ms, d);
      return false;
    }
    r_.lines.push_back(CheckLine{CheckLine::Level::kOk, "tls", ms, detail + "; certificate verified", "", ""});
    return true;
  }

  bool send_all(const std::string& data, Micros deadline) {
    size_t off = 0;
    while (off < data.size()) {
      ssize_t n = ssl_ ? SSL_write(ssl_.get(), data.data() + off, static_cast<int>(data.size() - off))
                       : ::send(sock_.fd, data.data() + off, data.size() - off, MSG_NOSIGNAL);
      if (n > 0) {
        off += static_cast<size_t>(n);
        continue;
      }
      if (!wait_fd(sock_.fd, POLLOUT, deadline)) return false;
    }
    return true;
  }

  /// Reads until the end of the headers (plus up to 200 body bytes), EOF or the deadline.
  int read_response(std::string& out, Micros deadline) {
    char buf[4096];
    bool headers_done = false;
    for (;;) {
      auto head_end = out.find("\r\n\r\n");
      if (head_end != std::string::npos) {
        if (out.rfind("HTTP/1.1 101", 0) == 0 || out.size() >= head_end + 4 + std::min<size_t>(200, body_length(out))) return 1;
        if (!headers_done) {
          headers_done = true;  // give a body without Content-Length a moment, not the whole budget
          deadline = std::min(deadline, now_us() + 200 * 1000);
        }
      }
      ssize_t n = ssl_ ? SSL_read(ssl_.get(), buf, sizeof buf) : ::recv(sock_.fd, buf, sizeof buf, 0);
      if (n > 0) {
        out.append(buf, static_cast<size_t>(n));
        if (out.size() > 65536) return 1;
        continue;
      }
      if (n == 0) return out.empty() ? 0 : 1;
      if (ssl_) {
        int e = SSL_get_error(ssl_.get(), static_cast<int>(n));
        if (e == SSL_ERROR_ZERO_RETURN) return out.empty() ? 0 : 1;
        if (e != SSL_ERROR_WANT_READ && e != SSL_ERROR_WANT_WRITE) return out.empty() ? -2 : 1;
      } else if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
        return out.empty() ? -2 : 1;
      }
      if (!wait_fd(sock_.fd, POLLIN, deadline)) return out.empty() ? -1 : 1;
    }
  }

  static size_t body_length(const std::string& response) {
    auto pos = response.find("\r\nContent-Length:");
    if (pos == std::string::npos) pos = response.find("\r\ncontent-length:");
    if (pos == std::string::npos) return 200;
    return static_cast<size_t>(std::strtoul(response.c_str() + pos + 17, nullptr, 10));
  }

  void http() {
    bool ws = o_.url.scheme == "ws" || o_.url.scheme == "wss";
    std::string key = base64_encode("wscheck-probe-16");
    std::string request = "GET " + o_.url.path + " HTTP/1.1\r\nHost: " + o_.url.authority() + "\r\n";
    if (ws)
      request += "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: " + key + "\r\nSec-WebSocket-Version: 13\r\n";
    else
      request += "Connection: close\r\n";
    request += "User-Agent: wscheck-probe\r\n\r\n";
    Micros t0 = now_us();
    Micros deadline = t0 + Micros(o_.timeout_ms) * 1000;
    std::string name = ws ? "upgrade" : "http";
    std::string response;
    int rc = send_all(request, deadline) ? read_response(response, deadline) : -2;
    double ms = to_ms(now_us() - t0);
    if (rc <= 0) {
      ConnectObservation seen;
      seen.failed_in = ConnPhase::kUpgrade;
      seen.phase_elapsed_us = now_us() - t0;
      seen.deadline_hit = rc == -1;
      seen.lws_error = "read failed";
      Diagnosis d = classify_connect_failure(seen, o_.url);
      if (rc == -1) {
        d.headline = "TCP connected, but no HTTP response to the " + std::string(ws ? "upgrade" : "request") + " within " +
                     std::to_string(o_.timeout_ms) + " ms: the process holds the port but its app is not serving "
                     "(still starting, blocked event loop, crashed worker)";
      }
      fail(name, ms, d);
      return;
    }
    std::string status_line = response.substr(0, response.find("\r\n"));
    int status = 0;
    if (status_line.rfind("HTTP/1.", 0) == 0 && status_line.size() >= 12) status = std::atoi(status_line.c_str() + 9);
    r_.http_status = status;
    std::string body;
    if (auto p = response.find("\r\n\r\n"); p != std::string::npos) body = response.substr(p + 4);
    std::string body_note = body.empty() ? "" : " (body: \"" + truncate_utf8(body, 200) + "\")";
    if (status == 0) {
      Diagnosis d;
      d.cls = DiagnosisClass::kNotWebsocket;
      d.headline = "the port answered, but not with HTTP: \"" + truncate_utf8(status_line, 80) + "\"";
      d.hint = "this port belongs to another kind of service";
      fail(name, ms, d);
      return;
    }
    if (!ws) {
      if (status >= 200 && status < 300) {
        r_.lines.push_back(CheckLine{CheckLine::Level::kOk, name, ms, status_line, "", ""});
      } else {
        Diagnosis d;
        d.cls = DiagnosisClass::kUpgradeRejected;
        d.headline = "HTTP " + http_status_text(status) + " from " + o_.url.str() + body_note;
        fail(name, ms, d);
      }
      return;
    }
    if (status == 101) {
      r_.lines.push_back(CheckLine{CheckLine::Level::kOk, name, ms, "101 Switching Protocols", "", ""});
      return;
    }
    if (status == 401 || status == 403) {
      r_.lines.push_back(CheckLine{CheckLine::Level::kOk, name, ms,
                                   "HTTP " + http_status_text(status) + " to a probe without credentials: the endpoint is served and enforces auth", "", ""});
      return;
    }
    ConnectObservation seen;
    seen.failed_in = ConnPhase::kUpgrade;
    seen.http_status = status;
    Diagnosis d = classify_connect_failure(seen, o_.url);
    d.headline += body_note;
    fail(name, ms, d);
  }

  const ProbeOptions& o_;
  ProbeResult r_;
  std::string address_;
  Fd sock_;
  std::unique_ptr<SSL_CTX, SslDeleter> ctx_;
  std::unique_ptr<SSL, SslDeleter> ssl_;
};

}  // namespace

ProbeResult probe_target(const ProbeOptions& options) {
  Prober prober(options);
  return prober.run();
}

}  // namespace wscheck
