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
#include "diagnose/probe_connect.h"
#include "diagnose/probe_http.h"
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
    Resolution res = resolve_host_within(o_.url.host, o_.url.port, o_.resolve, o_.timeout_ms);
    double ms = to_ms(now_us() - t0);
    if (res.addresses.empty()) {
      ConnectObservation seen;
      seen.failed_in = ConnPhase::kResolving;
      seen.dns_error = res.error;
      seen.deadline_hit = res.timed_out;
      seen.deadline_us = Micros(o_.timeout_ms) * 1000;
      seen.phase_elapsed_us = now_us() - t0;
      fail("dns", ms, classify_connect_failure(seen, o_.url));
      return false;
    }
    std::string list;
    for (const auto& a : res.addresses) list += (list.empty() ? "" : ", ") + a;
    r_.lines.push_back(CheckLine{CheckLine::Level::kOk, "dns", ms,
                                 o_.url.host + " → " + list + (res.pinned ? " (--resolve)" : ""), "", ""});
    addresses_ = interleave_families(res.addresses);
    return true;
  }

  bool tcp() {
    Micros t0 = now_us();
    TcpRace race = connect_happy_eyeballs(addresses_, o_.url.port, t0 + Micros(o_.timeout_ms) * 1000);
    double ms = to_ms(now_us() - t0);
    const std::string port = std::to_string(o_.url.port);
    if (race.fd >= 0) {
      sock_.fd = race.fd;
      std::string shown = race.winner.find(':') != std::string::npos ? "[" + race.winner + "]" : race.winner;
      std::string detail = "connected to " + shown + ":" + port;
      if (race.attempts.size() > 1) detail += " (" + describe_attempts(race.attempts) + ")";
      bool trap = ipv6_refused_ipv4_alive(race.attempts);
      if (trap) detail += "; IPv6 was refused, IPv4 answered: the server listens on IPv4 only";
      r_.lines.push_back(CheckLine{trap ? CheckLine::Level::kWarn : CheckLine::Level::kOk, "tcp", ms, detail, "", ""});
      return true;
    }
    Diagnosis d;
    bool all_refused = true;
    for (const auto& a : race.attempts) all_refused = all_refused && a.started && a.error == ECONNREFUSED;
    if (all_refused && race.attempts.size() == 1) {
      ConnectObservation seen;
      seen.failed_in = ConnPhase::kTcp;
      d = classify_connect_failure(seen, o_.url);
    } else if (race.deadline_hit && race.attempts.size() == 1) {
      ConnectObservation seen;
      seen.failed_in = ConnPhase::kTcp;
      seen.deadline_hit = true;
      seen.phase_elapsed_us = now_us() - t0;
      d = classify_connect_failure(seen, o_.url);
    } else {
      d.cls = all_refused ? DiagnosisClass::kTcpRefused : DiagnosisClass::kTcpTimeout;
      d.headline = "cannot connect to " + o_.url.host + ":" + port + " on any of its " +
                   std::to_string(race.attempts.size()) + " address" + (race.attempts.size() == 1 ? "" : "es") + ": " +
                   describe_attempts(race.attempts);
      d.hint = all_refused ? "nothing listens on this port on any address: is the server running, on this port?"
                           : "check the address, the route and any firewall";
      d.environment = true;
    }
    fail("tcp", ms, d);
    return false;
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

  /// How a read of the response ended.
  enum class Read { kComplete, kNothingByDeadline, kNothingAtEof, kError, kPartialByDeadline, kPartialAtEof };

  /// Reads until the response is complete (headers, and up to 200 body
  /// bytes as announced), EOF or the deadline.
  Read read_response(std::string& out, Micros deadline) {
    char buf[4096];
    bool headers_done = false;
    auto partial = [&](Read if_headers_done, Read otherwise) {
      if (out.empty()) return otherwise;
      return out.find("\r\n\r\n") != std::string::npos ? if_headers_done : Read::kPartialAtEof;
    };
    for (int guard = 0; guard < 100000; ++guard) {
      if (http_response_complete(out, 200)) return Read::kComplete;
      if (!headers_done && out.find("\r\n\r\n") != std::string::npos) {
        headers_done = true;  // give a body without Content-Length a moment, not the whole budget
        deadline = std::min(deadline, now_us() + 200 * 1000);
      }
      ssize_t n = ssl_ ? SSL_read(ssl_.get(), buf, sizeof buf) : ::recv(sock_.fd, buf, sizeof buf, 0);
      if (n > 0) {
        out.append(buf, static_cast<size_t>(n));
        if (out.size() > 65536) return Read::kComplete;
        continue;
      }
      if (n == 0) return partial(Read::kComplete, Read::kNothingAtEof);
      if (ssl_) {
        int e = SSL_get_error(ssl_.get(), static_cast<int>(n));
        if (e == SSL_ERROR_ZERO_RETURN) return partial(Read::kComplete, Read::kNothingAtEof);
        if (e != SSL_ERROR_WANT_READ && e != SSL_ERROR_WANT_WRITE) return partial(Read::kComplete, Read::kError);
      } else if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
        return partial(Read::kComplete, Read::kError);
      }
      if (!wait_fd(sock_.fd, POLLIN, deadline)) {
        if (out.empty()) return Read::kNothingByDeadline;
        return headers_done ? Read::kComplete : Read::kPartialByDeadline;
      }
    }
    return Read::kComplete;
  }

  /// The request line's target, as the check line and hints print it.
  std::string request_target() const { return "GET " + o_.url.path; }

  /// An HTTP response that started but whose header block never finished.
  void fail_partial(const std::string& name, double ms, const std::string& response, bool at_eof) {
    Diagnosis d;
    std::string quoted = "\"" + one_line(response, 80) + "\"";
    std::string bytes = std::to_string(response.size()) + " byte" + (response.size() == 1 ? "" : "s");
    if (at_eof) {
      d.cls = DiagnosisClass::kReset;
      d.headline = "the server began an HTTP response to " + request_target() + " and closed the connection after " +
                   bytes + ": " + quoted;
      d.hint = "a proxy or the server process died mid-response: read the server's log";
    } else {
      d.cls = DiagnosisClass::kUpgradeTimeout;
      d.headline = "incomplete HTTP response to " + request_target() + ": only " + bytes + " arrived within " +
                   std::to_string(o_.timeout_ms) + " ms (" + quoted + "), the header block never ended";
      d.hint = "the server or a proxy in front of it sends the response slowly or is stuck mid-response; "
               "a longer --step-timeout shows whether it is only slow";
    }
    d.environment = true;
    fail(name, ms, d);
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
    Read rc = send_all(request, deadline) ? read_response(response, deadline) : Read::kError;
    double ms = to_ms(now_us() - t0);
    if (rc == Read::kPartialByDeadline || rc == Read::kPartialAtEof) {
      if (looks_like_http_start(response)) {
        fail_partial(name, ms, response, rc == Read::kPartialAtEof);
        return;
      }
      rc = Read::kComplete;  // not HTTP at all: said below
    }
    if (rc != Read::kComplete) {
      ConnectObservation seen;
      seen.failed_in = ConnPhase::kUpgrade;
      seen.phase_elapsed_us = now_us() - t0;
      seen.deadline_hit = rc == Read::kNothingByDeadline;
      seen.lws_error = "read failed";
      Diagnosis d = classify_connect_failure(seen, o_.url);
      if (rc == Read::kNothingByDeadline) {
        d.headline = "TCP connected, but no HTTP response to " + request_target() + " within " +
                     std::to_string(o_.timeout_ms) + " ms: the process holds the port but its app is not serving "
                     "(still starting, blocked event loop, crashed worker)";
      }
      fail(name, ms, d);
      return;
    }
    judge_response(name, ms, response, ws);
  }

  void judge_response(const std::string& name, double ms, const std::string& response, bool ws) {
    std::string status_line = one_line(response.substr(0, response.find("\r\n")), 200);
    int status = 0;
    if (status_line.rfind("HTTP/1.", 0) == 0 && status_line.size() >= 12) status = std::atoi(status_line.c_str() + 9);
    r_.http_status = status;
    std::string body = one_line(http_body(response), 200);
    std::string body_note = body.empty() ? "" : " (body: \"" + body + "\")";
    if (status == 0) {
      Diagnosis d;
      d.cls = DiagnosisClass::kNotWebsocket;
      d.headline = "the port answered, but not with HTTP: \"" + one_line(response, 80) + "\"";
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
      r_.lines.push_back(CheckLine{CheckLine::Level::kOk, name, ms, "101 Switching Protocols (" + request_target() + ")", "", ""});
      return;
    }
    if (status == 401 || status == 403) {
      r_.lines.push_back(CheckLine{CheckLine::Level::kOk, name, ms,
                                   "HTTP " + http_status_text(status) + " to " + request_target() +
                                       " without credentials: the endpoint is served and enforces auth" + body_note,
                                   "", ""});
      return;
    }
    ConnectObservation seen;
    seen.failed_in = ConnPhase::kUpgrade;
    seen.http_status = status;
    Diagnosis d = classify_connect_failure(seen, o_.url);
    d.headline += " to " + request_target() + body_note;
    d.hint += std::string(d.hint.empty() ? "" : "; ") + "the probe sent exactly " + request_target() +
              " (the first connect step's path and query): compare it with what the server expects";
    fail(name, ms, d);
  }

  const ProbeOptions& o_;
  ProbeResult r_;
  std::vector<std::string> addresses_;
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
