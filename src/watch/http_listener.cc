#include "watch/http_listener.h"

#include <cstdlib>
#include <cstring>

#include "watch/exposition.h"
#include "watch/probe_page.h"

namespace wscheck {

namespace {

constexpr size_t kChunk = 16 * 1024;
constexpr const char* kText = "text/plain; charset=utf-8";

/// The per-connection block lws zeroes for us: only an id, no constructor needed.
struct Session {
  std::uint64_t exchange_id;
};

std::string url_arg(lws* wsi, const char* name, bool& present) {
  char buf[2048];
  const char* value = lws_get_urlarg_by_name(wsi, name, buf, sizeof buf);
  present = value != nullptr;
  return value ? std::string(value) : "";
}

int scrape_timeout_ms(lws* wsi) {
  char buf[32];
  static const char kHeader[] = "x-prometheus-scrape-timeout-seconds:";
  int n = lws_hdr_custom_copy(wsi, buf, sizeof buf, kHeader, static_cast<int>(sizeof kHeader - 1));
  if (n <= 0) return 0;
  double seconds = std::strtod(buf, nullptr);
  if (!(seconds > 0) || seconds > 3600) return 0;
  return static_cast<int>(seconds * 1000);
}

}  // namespace

struct HttpListener::Exchange {
  std::uint64_t id = 0;
  lws* wsi = nullptr;
  bool ready = false;    // the response is known
  bool closed = false;   // the connection went away
  bool headers_sent = false;
  int status = 200;
  std::string content_type;
  std::string body;
  size_t sent = 0;
  std::uint64_t probe_id = 0;
};

HttpListener::HttpListener(Watcher& watcher, ListenerOptions options) : watcher_(watcher), options_(std::move(options)) {}

HttpListener::~HttpListener() = default;

bool HttpListener::start(lws_context* context, std::string& error) {
  protocols_[0] = {"wscheck-watch-http", &HttpListener::callback, sizeof(Session), 0, 0, this, 0};
  protocols_[1] = {nullptr, nullptr, 0, 0, 0, nullptr, 0};
  lws_context_creation_info info{};
  info.port = options_.port;
  info.iface = options_.host.c_str();
  info.protocols = protocols_;
  info.vhost_name = "watch-http";
  info.keepalive_timeout = 10;
  lws_vhost* vh = lws_create_vhost(context, &info);
  if (!vh) {
    error = "could not listen on " + options_.host + ":" + std::to_string(options_.port) +
            " (port in use, or not an address of this machine?)";
    return false;
  }
  port_ = lws_get_vhost_listen_port(vh);
  return true;
}

int HttpListener::callback(lws* wsi, lws_callback_reasons reason, void* user, void* in, size_t len) {
  const lws_protocols* proto = lws_get_protocol(wsi);
  auto* self = proto ? static_cast<HttpListener*>(proto->user) : nullptr;
  auto* session = static_cast<Session*>(user);
  if (!self || !session) return lws_callback_http_dummy(wsi, reason, user, in, len);
  switch (reason) {
    case LWS_CALLBACK_HTTP:
      return self->on_request(wsi, session->exchange_id, std::string(static_cast<const char*>(in), strnlen(static_cast<const char*>(in), 2048)));
    case LWS_CALLBACK_HTTP_WRITEABLE:
      return self->on_writeable(wsi, session->exchange_id);
    case LWS_CALLBACK_CLOSED_HTTP:
      self->on_closed(session->exchange_id);
      return 0;
    default:
      return lws_callback_http_dummy(wsi, reason, user, in, len);
  }
}

HttpListener::Exchange& HttpListener::open_exchange(lws* wsi, std::uint64_t& id) {
  on_closed(id);  // a keep-alive connection's previous exchange, if any
  auto ex = std::make_unique<Exchange>();
  ex->id = id = next_id_++;
  ex->wsi = wsi;
  Exchange& ref = *ex;
  exchanges_[ref.id] = std::move(ex);
  return ref;
}

void HttpListener::respond(Exchange& ex, int status, const std::string& content_type, std::string body) {
  ex.ready = true;
  ex.status = status;
  ex.content_type = content_type;
  ex.body = std::move(body);
  if (!ex.closed) lws_callback_on_writable(ex.wsi);
}

int HttpListener::on_request(lws* wsi, std::uint64_t& id, const std::string& path) {
  Exchange& ex = open_exchange(wsi, id);
  if (lws_hdr_total_length(wsi, WSI_TOKEN_GET_URI) <= 0) {
    respond(ex, 405, kText, "only GET is served here\n");
    return 0;
  }
  if (path == "/metrics") respond(ex, 200, Exposition::kContentType, options_.metrics());
  else if (path == "/healthz") respond(ex, 200, kText, "ok\n");
  else if (path == "/") respond(ex, 200, "text/html; charset=utf-8", options_.status_page());
  else if (path == "/probe") answer_probe(wsi, ex);
  else respond(ex, 404, kText, "not found: try /, /metrics, /probe?scenario=NAME&target=URL or /healthz\n");
  return 0;
}

void HttpListener::answer_probe(lws* wsi, Exchange& ex) {
  bool has_scenario = false, has_target = false;
  std::string scenario = url_arg(wsi, "scenario=", has_scenario);
  std::string target_text = url_arg(wsi, "target=", has_target);
  std::optional<Url> target;
  if (has_target && !target_text.empty()) {
    std::string error;
    // blackbox-style configs pass host:port; a bare one means ws://
    if (target_text.find("://") == std::string::npos) target_text = "ws://" + target_text;
    target = parse_url(target_text, error);
    if (target && target->scheme != "ws" && target->scheme != "wss") error = "the target must be ws:// or wss://";
    if (!target || !error.empty()) {
      watcher_.count_rejected_probe();
      respond(ex, 400, kText, "bad target: " + (error.empty() ? std::string("unparsable URL") : error) + "\n");
      return;
    }
  }
  int deadline = options_.probe_timeout_ms;
  if (int scrape = scrape_timeout_ms(wsi); scrape > 0) deadline = std::min(deadline, std::max(100, scrape - 500));
  const std::uint64_t ex_id = ex.id;
  auto admission = watcher_.start_probe(
      scenario, target, deadline,
      [this, ex_id, scenario](const RunOutcome& outcome) {
        auto it = exchanges_.find(ex_id);
        if (it != exchanges_.end()) respond(*it->second, 200, Exposition::kContentType, render_probe(outcome, scenario));
      },
      ex.probe_id);
  switch (admission) {
    case ProbeAdmission::kStarted: return;
    case ProbeAdmission::kUnknownScenario:
      watcher_.count_rejected_probe();
      respond(ex, 400, kText,
              (has_scenario ? "unknown scenario \"" + scenario + "\"" : std::string("missing ?scenario=NAME")) +
                  "; the known ones: " + watcher_.known_scenarios() + "\n");
      return;
    case ProbeAdmission::kBusy:
      watcher_.count_rejected_probe();
      respond(ex, 503, kText, "too many probes running at once; try again\n");
      return;
    case ProbeAdmission::kShuttingDown: respond(ex, 503, kText, "shutting down\n"); return;
  }
}

int HttpListener::on_writeable(lws* wsi, std::uint64_t& id) {
  auto it = exchanges_.find(id);
  if (it == exchanges_.end() || !it->second->ready) return 0;
  Exchange& ex = *it->second;
  if (!ex.headers_sent) {
    std::vector<unsigned char> buf(LWS_PRE + 1024);
    unsigned char* start = buf.data() + LWS_PRE;
    unsigned char* p = start;
    unsigned char* end = buf.data() + buf.size();
    static const char kNoStore[] = "no-store";
    if (lws_add_http_common_headers(wsi, static_cast<unsigned>(ex.status), ex.content_type.c_str(), ex.body.size(), &p, end) ||
        lws_add_http_header_by_token(wsi, WSI_TOKEN_HTTP_CACHE_CONTROL, reinterpret_cast<const unsigned char*>(kNoStore),
                                     static_cast<int>(sizeof kNoStore - 1), &p, end) ||
        lws_finalize_write_http_header(wsi, start, &p, end))
      return -1;
    ex.headers_sent = true;
    if (!ex.body.empty()) {
      lws_callback_on_writable(wsi);
      return 0;
    }
  }
  if (ex.sent < ex.body.size()) {
    const size_t n = std::min(kChunk, ex.body.size() - ex.sent);
    const bool last = ex.sent + n == ex.body.size();
    std::vector<unsigned char> buf(LWS_PRE + n);
    std::memcpy(buf.data() + LWS_PRE, ex.body.data() + ex.sent, n);
    if (lws_write(wsi, buf.data() + LWS_PRE, n, last ? LWS_WRITE_HTTP_FINAL : LWS_WRITE_HTTP) < 0) return -1;
    ex.sent += n;
    if (!last) {
      lws_callback_on_writable(wsi);
      return 0;
    }
  }
  on_closed(id);  // this exchange is over; the connection may carry another
  return lws_http_transaction_completed(wsi) ? -1 : 0;
}

void HttpListener::on_closed(std::uint64_t& id) {
  if (id == 0) return;
  auto it = exchanges_.find(id);
  id = 0;
  if (it == exchanges_.end()) return;
  it->second->closed = true;
  if (it->second->probe_id) watcher_.cancel_probe(it->second->probe_id);
  retired_.push_back(std::move(it->second));
  exchanges_.erase(it);
}

void HttpListener::poll() { retired_.clear(); }

}  // namespace wscheck
