// RecordingProxy: what a client's upgrade carries upstream (path, query,
// headers, subprotocols) and the upstream client connection.
#include <cstring>

#include "record/recording_proxy.h"

namespace wscheck {

namespace {

// Harness-style: no lws keepalive pings of our own on either side.
const lws_retry_bo_t kNoKeepalive = {nullptr, 0, 0, 3600, 7200, 0};

std::string copy_token(lws* wsi, lws_token_indexes token) {
  int n = lws_hdr_total_length(wsi, token);
  if (n <= 0) return "";
  std::string out(static_cast<size_t>(n) + 1, '\0');
  int got = lws_hdr_copy(wsi, out.data(), n + 1, token);
  out.resize(got > 0 ? static_cast<size_t>(got) : 0);
  return out;
}

/// The client's query string, re-encoded (lws hands the arguments decoded).
std::string client_query(lws* wsi) {
  std::string query;
  for (int i = 0; i < 64; ++i) {
    int n = lws_hdr_fragment_length(wsi, WSI_TOKEN_HTTP_URI_ARGS, i);
    if (n <= 0) break;
    std::string arg(static_cast<size_t>(n) + 1, '\0');
    int got = lws_hdr_copy_fragment(wsi, arg.data(), n + 1, WSI_TOKEN_HTTP_URI_ARGS, i);
    if (got <= 0) break;
    arg.resize(static_cast<size_t>(got));
    size_t eq = arg.find('=');
    std::string part = percent_encode(arg.substr(0, eq));
    if (eq != std::string::npos) part += "=" + percent_encode(arg.substr(eq + 1));
    query += (query.empty() ? "" : "&") + part;
  }
  return query;
}

struct KnownHeader {
  lws_token_indexes token;
  const char* name;
};

// Request headers lws parses itself that an application may depend on.
const KnownHeader kForwarded[] = {
    {WSI_TOKEN_HTTP_AUTHORIZATION, "Authorization"},
    {WSI_TOKEN_HTTP_COOKIE, "Cookie"},
    {WSI_TOKEN_ORIGIN, "Origin"},
    {WSI_TOKEN_HTTP_USER_AGENT, "User-Agent"},
    {WSI_TOKEN_HTTP_ACCEPT_LANGUAGE, "Accept-Language"},
};

// lws 4.1 cannot list unknown headers; these common ones are asked for by name.
const char* const kCustomHeaders[] = {"x-api-key", "x-auth-token", "x-access-token", "x-csrf-token",
                                      "x-request-id", "x-client-version", "x-requested-with"};

void add_custom(lws* wsi, const std::string& name, std::vector<std::pair<std::string, std::string>>& out) {
  std::string key = name + ":";
  int n = lws_hdr_custom_length(wsi, key.c_str(), static_cast<int>(key.size()));
  if (n <= 0) return;
  std::string value(static_cast<size_t>(n) + 1, '\0');
  int got = lws_hdr_custom_copy(wsi, value.data(), n + 1, key.c_str(), static_cast<int>(key.size()));
  if (got < 0) return;
  value.resize(static_cast<size_t>(got));
  out.emplace_back(name, value);
}

}  // namespace

ProxySession* RecordingProxy::accept_upgrade(lws* wsi) {
  sessions_.emplace_back();
  ProxySession* s = &sessions_.back();
  std::string client_path = copy_token(wsi, WSI_TOKEN_GET_URI);
  std::string base = options_.upstream.path;
  std::string base_query;
  if (size_t q = base.find('?'); q != std::string::npos) {
    base_query = base.substr(q + 1);
    base.resize(q);
  }
  std::string path = base == "/" || base.empty() ? (client_path.empty() ? "/" : client_path) : base;
  std::string query = client_query(wsi);
  if (!base_query.empty()) query = base_query + (query.empty() ? "" : "&" + query);
  s->upstream_path = path + (query.empty() ? "" : "?" + query);
  for (const KnownHeader& h : kForwarded) {
    std::string v = copy_token(wsi, h.token);
    if (!v.empty()) s->headers.emplace_back(h.name, v);
  }
  for (const char* name : kCustomHeaders) add_custom(wsi, name, s->headers);
  for (const std::string& name : options_.extra_headers) add_custom(wsi, name, s->headers);
  s->subprotocols = copy_token(wsi, WSI_TOKEN_PROTOCOL);

  s->index = conversation_.connections.size();
  RecordedConnection rc;
  rc.url = options_.upstream.scheme + "://" + options_.upstream.authority() + s->upstream_path;
  rc.headers = s->headers;
  size_t pos = 0;
  while (!s->subprotocols.empty() && pos <= s->subprotocols.size()) {
    size_t comma = s->subprotocols.find(',', pos);
    std::string p = s->subprotocols.substr(pos, comma == std::string::npos ? std::string::npos : comma - pos);
    p.erase(0, p.find_first_not_of(' '));
    if (!p.empty()) rc.subprotocols.push_back(p);
    if (comma == std::string::npos) break;
    pos = comma + 1;
  }
  rc.opened_ms = now_ms();
  if (recording_) conversation_.connections.push_back(std::move(rc));
  lws_set_opaque_user_data(wsi, s);
  return s;
}

void RecordingProxy::connect_upstream(ProxySession* s) {
  const Url& up = options_.upstream;
  std::string host_header = up.authority();
  lws_client_connect_info cc{};
  cc.context = context_;
  cc.vhost = client_vhost_;
  cc.address = up.host.c_str();
  cc.port = up.port;
  cc.path = s->upstream_path.c_str();
  cc.host = host_header.c_str();
  cc.protocol = s->subprotocols.empty() ? nullptr : s->subprotocols.c_str();
  cc.local_protocol_name = client_protocols_[0].name;
  cc.opaque_user_data = s;
  cc.pwsi = &s->upstream;
  cc.retry_and_idle_policy = &kNoKeepalive;
  if (up.tls()) {
    cc.ssl_connection = LCCSCF_USE_SSL;
    if (options_.insecure)
      cc.ssl_connection |= LCCSCF_ALLOW_SELFSIGNED | LCCSCF_SKIP_SERVER_CERT_HOSTNAME_CHECK | LCCSCF_ALLOW_EXPIRED |
                           LCCSCF_ALLOW_INSECURE;
  }
  s->upstream_connecting = true;
  if (!lws_client_connect_via_info(&cc)) {
    s->upstream = nullptr;
    s->upstream_connecting = false;
    notice(ProxyNotice::Kind::kUpstreamFailed, s->index, 0, "could not start a connection to " + up.scheme + "://" + up.authority());
    s->to_downstream.close = {1011, "upstream unreachable"};
    if (s->downstream) lws_callback_on_writable(s->downstream);
  }
}

int append_forwarded_headers(ProxySession* s, lws* wsi, unsigned char** p, unsigned char* end) {
  for (const auto& [name, value] : s->headers) {
    std::string key = name + ":";
    if (lws_add_http_header_by_name(wsi, reinterpret_cast<const unsigned char*>(key.c_str()),
                                    reinterpret_cast<const unsigned char*>(value.data()), static_cast<int>(value.size()),
                                    p, end))
      return -1;
  }
  return 0;
}

}  // namespace wscheck
