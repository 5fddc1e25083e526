#include "diagnose/classify.h"

#include "diagnose/connect_notes.h"


namespace wscheck {

namespace {

std::string target(const Url& url) { return url.host + ":" + std::to_string(url.port); }

bool contains(const std::string& s, const char* needle) { return s.find(needle) != std::string::npos; }

}  // namespace

std::string http_status_text(int status) {
  const char* text = "";
  switch (status) {
    case 200: text = "OK"; break;
    case 204: text = "No Content"; break;
    case 301: text = "Moved Permanently"; break;
    case 302: text = "Found"; break;
    case 307: text = "Temporary Redirect"; break;
    case 308: text = "Permanent Redirect"; break;
    case 400: text = "Bad Request"; break;
    case 401: text = "Unauthorized"; break;
    case 403: text = "Forbidden"; break;
    case 404: text = "Not Found"; break;
    case 405: text = "Method Not Allowed"; break;
    case 426: text = "Upgrade Required"; break;
    case 429: text = "Too Many Requests"; break;
    case 500: text = "Internal Server Error"; break;
    case 502: text = "Bad Gateway"; break;
    case 503: text = "Service Unavailable"; break;
    case 504: text = "Gateway Timeout"; break;
    default: break;
  }
  std::string out = std::to_string(status);
  if (*text) out += std::string(" ") + text;
  return out;
}

namespace {

/// The upgrade phase failed: TCP (and TLS) worked; the HTTP side of the server answered or not.
Diagnosis classify_upgrade_failure(const ConnectObservation& seen, const Url& url, double waited_ms) {
  Diagnosis d;
  const std::string tcp = format_ms(to_ms(seen.tcp_us));
  if (seen.http_status >= 200 && seen.http_status != 101) {
    if (seen.http_status < 300 || seen.http_status == 404 || seen.http_status == 426) {
      d.cls = DiagnosisClass::kNotWebsocket;
      d.headline = "server answered HTTP " + http_status_text(seen.http_status) +
                   " without Upgrade: wrong path or not a WebSocket endpoint";
      if (!seen.content_type.empty()) d.details.push_back("content-type: " + seen.content_type);
      d.hint = "check the path in --url / the connect step (GET " + url.path.substr(0, url.path.find('?')) + ")";
    } else {
      d.cls = DiagnosisClass::kUpgradeRejected;
      d.headline = "server refused the upgrade: HTTP " + http_status_text(seen.http_status);
      if (seen.http_status == 401 || seen.http_status == 403) d.hint = rejection_hint(seen);
      else if (seen.http_status >= 500)
        d.hint = "the server's application failed while handling the upgrade: read its log";
      else if (seen.http_status >= 300 && seen.http_status < 400)
        d.hint = "the server redirects; point --url at the final location";
    }
    return d;
  }
  if (seen.deadline_hit) {
    d.cls = DiagnosisClass::kUpgradeTimeout;
    d.headline = "TCP connected in " + tcp + ", but no HTTP response to the upgrade within " + format_ms(waited_ms) +
                 ": the process holds the port but its app is not serving (still starting, blocked event loop, crashed worker)";
    d.hint = "check the server's log; `wscheck wait --url ...` before the tests helps if it is just slow to start";
    return d;
  }
  if (contains(seen.lws_error, "Accept hash wrong")) {
    d.cls = DiagnosisClass::kProtocolError;
    d.headline = "server answered 101 with a wrong Sec-WebSocket-Accept: it does not implement RFC 6455 correctly (a proxy rewriting headers?)";
    return d;
  }
  if (contains(seen.lws_error, "PROTOCOL") || contains(seen.lws_error, "protocol no match")) {
    d.cls = DiagnosisClass::kProtocolError;
    d.headline = "server selected a subprotocol that the client did not offer";
    return d;
  }
  if (contains(seen.lws_error, "EXT")) {
    d.cls = DiagnosisClass::kProtocolError;
    d.headline = "server accepted a WebSocket extension the client did not offer (" + seen.lws_error + ")";
    return d;
  }
  if (contains(seen.lws_error, "HS:") ) {
    d.cls = DiagnosisClass::kProtocolError;
    d.headline = "the server's 101 response is not a valid WebSocket handshake (" + seen.lws_error + ")";
    return d;
  }
  d.cls = DiagnosisClass::kReset;
  d.headline = "connection reset by peer during upgrade: TCP connected in " + tcp +
               ", then the server closed the connection without an HTTP response";
  d.hint = "the server process may have crashed while handling the request, or the port belongs to another kind of service";
  return d;
}

}  // namespace

Diagnosis classify_connect_failure(const ConnectObservation& seen, const Url& url) {
  Diagnosis d;
  const double phase_ms = to_ms(seen.phase_elapsed_us);
  // When our deadline ended the attempt, quote the budget the user set, not
  // the slice of it this phase happened to get.
  const double waited_ms = seen.deadline_hit && seen.deadline_us > 0 ? to_ms(seen.deadline_us) : phase_ms;
  switch (seen.failed_in) {
    case ConnPhase::kResolving:
      d.cls = DiagnosisClass::kDnsFailed;
      d.headline = "cannot resolve host \"" + url.host + "\": " + seen.dns_error;
      d.hint = "check the host name in --url / the scenario, and the machine's DNS (/etc/hosts, resolv.conf)";
      d.environment = true;
      return d;

    case ConnPhase::kTcp:
      if (seen.deadline_hit || phase_ms >= 1000.0) {
        d.cls = DiagnosisClass::kTcpTimeout;
        d.headline = "no TCP answer from " + target(url) + " within " + format_ms(waited_ms) + " (filtered or host down)";
        d.hint = "check that the host is up and no firewall drops the port";
      } else {
        d.cls = DiagnosisClass::kTcpRefused;
        d.headline = "nothing is listening on " + target(url) + " (connection refused)";
        d.hint = "start the server (or pass --server \"CMD\"), or check the port in --url";
      }
      d.environment = true;
      note_addresses(seen, url, d);
      return d;

    case ConnPhase::kTls:
      d.cls = DiagnosisClass::kTlsFailed;
      if (seen.deadline_hit) {
        d.headline = "TLS handshake with " + target(url) + " did not finish within " + format_ms(waited_ms);
        d.hint = "is this really a TLS port? try ws:// instead of wss://";
      } else if (seen.tls_verify_error) {
        d.headline = "TLS handshake failed: " + seen.tls_verify_text + " (X509 error " +
                     std::to_string(seen.tls_verify_error) + ")";
        d.hint = "use --ca-file FILE to trust a private CA, or --insecure for a test server";
      } else if (contains(seen.lws_error, "read failed") || contains(seen.lws_error, "SSL")) {
        d.headline = "TLS handshake with " + target(url) + " failed (" + seen.lws_error + ")";
        d.hint = "the port may not speak TLS: try ws:// instead of wss://";
      } else {
        d.headline = "TLS setup failed: " + seen.lws_error;
        d.hint = "check --ca-file";
      }
      d.environment = true;
      return d;

    case ConnPhase::kUpgrade:
    default:
      break;
  }

  return classify_upgrade_failure(seen, url, waited_ms);
}

Diagnosis describe_closed(const ConnectionFacts& conn, const std::string& while_doing) {
  Diagnosis d;
  if (!conn.protocol_error.empty()) {
    d.cls = DiagnosisClass::kProtocolError;
    d.headline = conn.protocol_error;
    if (!while_doing.empty()) d.details.push_back("while " + while_doing);
    return d;
  }
  const auto& close = conn.close;
  double after = close && conn.opened_at ? to_ms(close->at - conn.opened_at) : 0;
  if (!close || close->code == 1006) {
    d.cls = DiagnosisClass::kReset;
    d.headline = "the connection dropped without a close frame (1006) " + format_ms(after) +
                 " after it opened: the server went away, or it sent a frame the WebSocket layer had to reject";
  } else {
    d.cls = DiagnosisClass::kClosedByServer;
    d.headline = "server closed the connection: " + std::to_string(close->code) +
                 (close->reason.empty() ? "" : " \"" + close->reason + "\"") + " after " + format_ms(after);
  }
  if (!while_doing.empty()) d.details.push_back("while " + while_doing);
  return d;
}

}  // namespace wscheck
