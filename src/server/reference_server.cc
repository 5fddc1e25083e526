#include "server/reference_server.h"

#include <chrono>
#include <cstring>
#include <ctime>
#include <deque>
#include <new>
#include <nlohmann/json.hpp>

#include "scenario/json_source.h"
#include "scenario/jwt.h"

namespace wscheck {

namespace {

using json = nlohmann::json;

const char* const kAgentEvents[] = {"agent_started", "agent_thinking", "tool_executing", "tool_completed",
                                    "agent_completed"};

}  // namespace

/// State of one accepted WebSocket; lives in lws' per-session block via
/// placement new (lws never runs constructors).
struct ReferenceSession {
  std::deque<std::string> outbox;
  std::string user_id;
  std::deque<std::pair<std::chrono::steady_clock::time_point, std::string>> scheduled;  // slow-events
  lws_sorted_usec_list_t sul{};
  lws* wsi = nullptr;
  bool close_after_greeting = false;
  std::string rx;
};

namespace {

using Session = ReferenceSession;

std::string header(lws* wsi, lws_token_indexes token) {
  int n = lws_hdr_total_length(wsi, token);
  if (n <= 0) return "";
  std::string out(static_cast<size_t>(n) + 1, '\0');
  int got = lws_hdr_copy(wsi, out.data(), n + 1, token);
  out.resize(got > 0 ? static_cast<size_t>(got) : 0);
  return out;
}

std::string query_arg(lws* wsi, const char* name) {
  char buf[4096];
  const char* value = lws_get_urlarg_by_name(wsi, name, buf, sizeof buf);
  return value ? std::string(value) : "";
}

std::string cookie_token(const std::string& cookies) {
  size_t pos = 0;
  while (pos < cookies.size()) {
    size_t end = cookies.find(';', pos);
    std::string part = cookies.substr(pos, end == std::string::npos ? std::string::npos : end - pos);
    while (!part.empty() && part[0] == ' ') part.erase(0, 1);
    if (part.rfind("token=", 0) == 0) return part.substr(6);
    if (end == std::string::npos) break;
    pos = end + 1;
  }
  return "";
}

int write_http(lws* wsi, int status, const std::string& body) {
  std::vector<unsigned char> buf(LWS_PRE + 1024 + body.size());
  unsigned char* start = buf.data() + LWS_PRE;
  unsigned char* p = start;
  unsigned char* end = buf.data() + buf.size();
  if (lws_add_http_common_headers(wsi, static_cast<unsigned>(status), "application/json", body.size(), &p, end) ||
      lws_finalize_write_http_header(wsi, start, &p, end))
    return 1;
  std::vector<unsigned char> b(LWS_PRE + body.size());
  std::memcpy(b.data() + LWS_PRE, body.data(), body.size());
  if (lws_write(wsi, b.data() + LWS_PRE, body.size(), LWS_WRITE_HTTP_FINAL) < 0) return 1;
  return 0;
}

long long now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

void queue(Session* s, const json& message) {
  s->outbox.push_back(message.dump());
  lws_callback_on_writable(s->wsi);
}

void on_scheduled(lws_sorted_usec_list_t* sul) {
  Session* s = lws_container_of(sul, Session, sul);
  auto now = std::chrono::steady_clock::now();
  while (!s->scheduled.empty() && s->scheduled.front().first <= now) {
    s->outbox.push_back(std::move(s->scheduled.front().second));
    s->scheduled.pop_front();
  }
  if (!s->outbox.empty()) lws_callback_on_writable(s->wsi);
  if (!s->scheduled.empty()) {
    auto delay = std::chrono::duration_cast<std::chrono::microseconds>(s->scheduled.front().first - now).count();
    lws_sul_schedule(lws_get_context(s->wsi), 0, &s->sul, on_scheduled, delay > 0 ? delay : 0);
  }
}

}  // namespace

std::string parse_fault(const std::string& text, ServerFaults& faults) {
  auto eq = text.find('=');
  std::string name = text.substr(0, eq);
  std::string value = eq == std::string::npos ? "" : text.substr(eq + 1);
  if (name == "http-500") faults.http_500 = true;
  else if (name == "close-1011") faults.close_1011 = true;
  else if (name == "slow-events") {
    try {
      faults.slow_events_ms = std::stoi(value);
    } catch (const std::exception&) {
      return "--fault slow-events=MS needs a number of milliseconds";
    }
  } else if (name == "drop-event") {
    bool known = false;
    for (const char* e : kAgentEvents) known = known || value == e;
    if (!known) return "--fault drop-event=NAME takes one of agent_started, agent_thinking, tool_executing, tool_completed, agent_completed";
    faults.drop_event = value;
  } else if (name == "drop-random") {
    try {
      faults.drop_random_percent = std::stoi(value);
    } catch (const std::exception&) {
      faults.drop_random_percent = -1;
    }
    if (faults.drop_random_percent < 0 || faults.drop_random_percent > 100)
      return "--fault drop-random=PERCENT takes 0-100 (use --seed N to make it reproducible)";
  } else if (name == "accept-silent" || name == "slow-upgrade" || name == "no-pong") {
    return "--fault " + name +
           " cannot be shown by the libwebsockets-based server (lws answers upgrades and pings itself); "
           "use tests/peers/fault_server.py --mode " + name;
  } else {
    return "unknown --fault \"" + text + "\" (http-500, close-1011, slow-events=MS, drop-event=NAME, drop-random=PERCENT)";
  }
  return "";
}

bool ReferenceServer::start(lws_context* context, std::string& error) {
  random_.seed(options_.faults.seed);
  protocols_[0] = {"http", &ReferenceServer::callback, 0, 0, 0, this, 0};
  protocols_[1] = {"wscheck-reference", &ReferenceServer::callback, sizeof(Session), 65536, 0, this, 0};
  protocols_[2] = {nullptr, nullptr, 0, 0, 0, nullptr, 0};
  // Upgrades without Sec-WebSocket-Protocol bind to the ws protocol (the "default" pvo).
  default_pvo_ = {nullptr, nullptr, "default", "1"};
  ws_pvo_ = {nullptr, &default_pvo_, "wscheck-reference", ""};

  lws_context_creation_info info{};
  info.port = options_.port;
  info.iface = options_.iface.c_str();
  info.protocols = protocols_;
  info.pvo = &ws_pvo_;
  info.vhost_name = "reference";
  info.options = 0;
  lws_vhost* vh = lws_create_vhost(context, &info);
  if (!vh) {
    error = "could not listen on " + options_.iface + ":" + std::to_string(options_.port) + " (port in use?)";
    return false;
  }
  port_ = lws_get_vhost_listen_port(vh);
  return true;
}

int ReferenceServer::callback(lws* wsi, lws_callback_reasons reason, void* user, void* in, size_t len) {
  const lws_protocols* proto = lws_get_protocol(wsi);
  auto* self = proto ? static_cast<ReferenceServer*>(proto->user) : nullptr;
  if (!self) return lws_callback_http_dummy(wsi, reason, user, in, len);
  if (proto->name && std::strcmp(proto->name, "wscheck-reference") == 0) return self->handle_ws(wsi, reason, user, in, len);
  return self->handle_http(wsi, reason, in, len);
}

int ReferenceServer::handle_http(lws* wsi, lws_callback_reasons reason, void* in, size_t len) {
  if (reason == LWS_CALLBACK_HTTP) {
    std::string path(static_cast<const char*>(in), strnlen(static_cast<const char*>(in), 1024));
    int rc = path == "/health" ? write_http(wsi, 200, R"({"status":"ok"})")
                               : write_http(wsi, 404, R"({"detail":"not found"})");
    if (rc) return -1;
    return lws_http_transaction_completed(wsi) ? -1 : 0;
  }
  return lws_callback_http_dummy(wsi, reason, nullptr, in, len);
}

int ReferenceServer::handle_ws(lws* wsi, lws_callback_reasons reason, void* user, void* in, size_t len) {
  auto* session = static_cast<Session*>(user);
  const bool live = session && session->wsi;
  switch (static_cast<int>(reason)) {
    case LWS_CALLBACK_HTTP_CONFIRM_UPGRADE: return confirm_upgrade(wsi);
    case LWS_CALLBACK_ESTABLISHED: on_established(wsi, session); break;
    case LWS_CALLBACK_RECEIVE: return live ? on_receive(wsi, *session, in, len) : 0;
    case LWS_CALLBACK_SERVER_WRITEABLE: return live ? on_writable(wsi, *session) : 0;
    case LWS_CALLBACK_CLOSED:
      if (live) {
        lws_sul_cancel(&session->sul);
        session->~Session();
        session->wsi = nullptr;
      }
      break;
    default: break;
  }
  return 0;
}

int ReferenceServer::confirm_upgrade(lws* wsi) {
  std::string path = header(wsi, WSI_TOKEN_GET_URI);
  if (path != "/ws") {
    write_http(wsi, 404, R"({"detail":"no WebSocket endpoint here; use /ws"})");
    return 1;
  }
  if (options_.faults.http_500) {
    write_http(wsi, 500, R"J({"detail":"internal server error (fault injection)"})J");
    return 1;
  }
  std::string token = query_arg(wsi, "token=");
  if (token.empty()) {
    std::string auth = header(wsi, WSI_TOKEN_HTTP_AUTHORIZATION);
    if (auth.rfind("Bearer ", 0) == 0) token = auth.substr(7);
  }
  if (token.empty()) token = cookie_token(header(wsi, WSI_TOKEN_HTTP_COOKIE));
  if (token.empty()) {
    write_http(wsi, 403, R"({"detail":"missing token"})");
    return 1;
  }
  try {
    json claims = verify_jwt(token, options_.jwt_secret, static_cast<long long>(std::time(nullptr)));
    // Stash the user for ESTABLISHED: the per-session block is not allocated yet.
    pending_user_ = claims.contains("sub") && claims["sub"].is_string() ? claims["sub"].get<std::string>() : "";
  } catch (const std::exception& e) {
    write_http(wsi, 403, json{{"detail", std::string("invalid token: ") + e.what()}}.dump());
    return 1;
  }
  return 0;
}

void ReferenceServer::on_established(lws* wsi, ReferenceSession* session) {
  new (session) Session();
  session->wsi = wsi;
  session->user_id = pending_user_;
  queue(session, json{{"type", "connection_established"}, {"user_id", session->user_id}});
  session->close_after_greeting = options_.faults.close_1011;
}

int ReferenceServer::on_receive(lws* wsi, ReferenceSession& session, void* in, size_t len) {
  if (lws_is_first_fragment(wsi)) session.rx.clear();
  session.rx.append(static_cast<const char*>(in), len);
  if (session.rx.size() > 1024 * 1024) {
    lws_close_reason(wsi, LWS_CLOSE_STATUS_MESSAGE_TOO_LARGE, nullptr, 0);
    return -1;
  }
  if (!lws_is_final_fragment(wsi) || lws_remaining_packet_payload(wsi)) return 0;
  json msg = json_nesting_depth(session.rx, kMaxMessageDepth) > kMaxMessageDepth
                 ? json(nullptr)
                 : json::parse(session.rx, nullptr, false);
  session.rx.clear();
  if (msg.is_discarded() || !msg.is_object()) {
    queue(&session, json{{"type", "error"}, {"code", "invalid_json"}});
    return 0;
  }
  std::string type = msg.value("type", "");
  if (type == "ping") {
    queue(&session, json{{"type", "pong"}, {"timestamp", now_ms()}});
  } else if (type == "echo") {
    msg["type"] = "echo_response";
    queue(&session, msg);
  } else if (type == "user_message") {
    start_agent_run(session, msg);
  } else {
    queue(&session, json{{"type", "error"}, {"code", "unknown_type"}, {"received", type}});
  }
  return 0;
}

void ReferenceServer::start_agent_run(ReferenceSession& session, const nlohmann::json& msg) {
  std::string run_id = "run-" + std::to_string(++runs_started_);
  auto at = std::chrono::steady_clock::now();
  std::string dropped = options_.faults.drop_event;
  if (options_.faults.drop_random_percent > 0 &&
      static_cast<int>(random_() % 100) < options_.faults.drop_random_percent)
    dropped = kAgentEvents[random_() % 5];
  for (const char* event : kAgentEvents) {
    if (dropped == event) continue;
    json data = json::object();
    if (std::string(event) == "agent_started") data["content"] = msg.value("content", json());
    if (std::string(event) == "tool_executing" || std::string(event) == "tool_completed") data["tool"] = "search";
    if (std::string(event) == "agent_completed") data["result"] = "done";
    std::string text = json{{"type", event}, {"run_id", run_id}, {"data", data}}.dump();
    if (options_.faults.slow_events_ms > 0) {
      at += std::chrono::milliseconds(options_.faults.slow_events_ms);
      session.scheduled.emplace_back(at, std::move(text));
    } else {
      session.outbox.push_back(std::move(text));
    }
  }
  if (!session.scheduled.empty())
    lws_sul_schedule(lws_get_context(session.wsi), 0, &session.sul, on_scheduled,
                     options_.faults.slow_events_ms * 1000LL);
  if (!session.outbox.empty()) lws_callback_on_writable(session.wsi);
}

int ReferenceServer::on_writable(lws* wsi, ReferenceSession& session) {
  if (session.outbox.empty()) {
    if (session.close_after_greeting) {
      lws_close_reason(wsi, LWS_CLOSE_STATUS_UNEXPECTED_CONDITION,
                       reinterpret_cast<unsigned char*>(const_cast<char*>("internal error")), 14);
      return -1;
    }
    return 0;
  }
  std::string text = std::move(session.outbox.front());
  session.outbox.pop_front();
  std::vector<unsigned char> buf(LWS_PRE + text.size());
  std::memcpy(buf.data() + LWS_PRE, text.data(), text.size());
  if (lws_write(wsi, buf.data() + LWS_PRE, text.size(), LWS_WRITE_TEXT) < 0) return -1;
  if (!session.outbox.empty() || session.close_after_greeting) lws_callback_on_writable(wsi);
  return 0;
}

}  // namespace wscheck
