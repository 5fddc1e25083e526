#include "author/har_reader.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <optional>

#include "author/authoring_error.h"
#include "scenario/jwt.h"
#include "scenario/regex.h"

#include <nlohmann/json.hpp>

namespace wscheck {

namespace {

using json = nlohmann::json;

const char* const kExportHint =
    "export from Chromium or Chrome DevTools (Network panel, filter \"WS\", reload or reconnect with DevTools "
    "open, then right-click > \"Save all as HAR with content\"), or capture with `wscheck record`";

std::string where(const std::string& file, size_t entry) {
  return file + ": log.entries[" + std::to_string(entry) + "]";
}

bool is_websocket_entry(const json& e) {
  if (!e.is_object()) return false;
  if (e.value("_resourceType", "") == "websocket") return true;
  if (e.contains("_webSocketMessages")) return true;
  const json& req = e.value("request", json::object());
  std::string url = req.is_object() ? req.value("url", "") : "";
  return url.rfind("ws://", 0) == 0 || url.rfind("wss://", 0) == 0;
}

/// HAR's startedDateTime ("2026-11-29T06:42:14.123Z") as epoch milliseconds, if it parses.
std::optional<double> started_ms(const json& e) {
  std::string s = e.value("startedDateTime", "");
  std::tm tm{};
  int ms = 0;
  if (s.size() < 19 || std::sscanf(s.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
                                   &tm.tm_hour, &tm.tm_min, &tm.tm_sec) != 6)
    return std::nullopt;
  if (s.size() > 20 && s[19] == '.') ms = std::atoi(s.substr(20, 3).c_str());
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  return static_cast<double>(timegm(&tm)) * 1000.0 + ms;
}

std::vector<std::string> split_protocols(const std::string& value) {
  std::vector<std::string> out;
  size_t pos = 0;
  while (pos <= value.size()) {
    size_t comma = value.find(',', pos);
    std::string p = value.substr(pos, comma == std::string::npos ? std::string::npos : comma - pos);
    p.erase(0, p.find_first_not_of(" \t"));
    p.erase(p.find_last_not_of(" \t") + 1);
    if (!p.empty()) out.push_back(p);
    if (comma == std::string::npos) break;
    pos = comma + 1;
  }
  return out;
}

RecordedConnection read_request(const json& e, const std::string& at) {
  RecordedConnection c;
  const json& req = e.value("request", json::object());
  if (!req.is_object() || !req.contains("url") || !req["url"].is_string())
    throw AuthoringError(at + ": the entry has no request.url");
  c.url = req["url"].get<std::string>();
  if (c.url.rfind("http://", 0) == 0) c.url = "ws://" + c.url.substr(7);
  if (c.url.rfind("https://", 0) == 0) c.url = "wss://" + c.url.substr(8);
  for (const json& h : req.value("headers", json::array())) {
    if (!h.is_object() || !h.contains("name") || !h["name"].is_string() || !h.value("value", json()).is_string()) continue;
    std::string name = h["name"].get<std::string>();
    std::string value = h["value"].get<std::string>();
    std::string lname = name;
    std::transform(lname.begin(), lname.end(), lname.begin(), ::tolower);
    if (lname == "sec-websocket-protocol") {
      for (auto& p : split_protocols(value)) c.subprotocols.push_back(p);
      continue;
    }
    c.headers.emplace_back(name, value);
  }
  return c;
}

RecordedEvent read_frame(const json& m, size_t conn, const std::string& at, size_t index, double& first_s) {
  std::string here = at + "._webSocketMessages[" + std::to_string(index) + "]";
  if (!m.is_object()) throw AuthoringError(here + ": a frame must be an object");
  std::string type = m.value("type", "");
  if (type != "send" && type != "receive")
    throw AuthoringError(here + ": \"type\" must be \"send\" or \"receive\", not \"" + type + "\"");
  if (!m.contains("data") || !m["data"].is_string()) throw AuthoringError(here + ": \"data\" must be a string");
  int opcode = m.value("opcode", 1);
  RecordedEvent ev;
  ev.kind = type == "send" ? RecordedEvent::Kind::kSend : RecordedEvent::Kind::kReceive;
  ev.conn = conn;
  double t = m.contains("time") && m["time"].is_number() ? m["time"].get<double>() : first_s;
  if (first_s < 0) first_s = t;
  ev.at_ms = t * 1000.0;
  if (opcode == 2) {
    ev.binary = true;
    try {
      ev.data = base64_decode(m["data"].get<std::string>());
    } catch (const std::exception&) {
      throw AuthoringError(here + ": a binary frame's \"data\" must be base64");
    }
  } else if (opcode == 1) {
    ev.data = m["data"].get<std::string>();
  } else {
    throw AuthoringError(here + ": opcode " + std::to_string(opcode) + " is neither 1 (text) nor 2 (binary)");
  }
  return ev;
}

json parse_har(const std::string& text, const std::string& file) {
  json har;
  try {
    har = json::parse(text);
  } catch (const json::parse_error& e) {
    throw AuthoringError(file + ": not a HAR file: the JSON does not parse (byte " + std::to_string(e.byte) +
                         "); export it again from the browser's Network panel");
  }
  if (!har.is_object() || !har.contains("log") || !har["log"].is_object() || !har["log"].contains("entries") ||
      !har["log"]["entries"].is_array())
    throw AuthoringError(file + ": not a HAR file: there is no log.entries array");
  return har;
}

}  // namespace

Conversation read_har(const std::string& text, const std::string& file, const HarOptions& options) {
  json har = parse_har(text, file);
  std::optional<Regex> filter;
  if (!options.url_filter.empty()) {
    std::string error;
    filter = Regex::compile(options.url_filter, error);
    if (!filter) throw AuthoringError("--url-filter \"" + options.url_filter + "\": " + error);
  }
  Conversation c;
  const json& log = har["log"];
  std::string creator = log.contains("creator") && log["creator"].is_object() ? log["creator"].value("name", "") : "";
  c.source = file + (creator.empty() ? " (HAR)" : " (HAR from " + creator + ")");
  const json& entries = log["entries"];
  size_t websocket_entries = 0, filtered_out = 0;
  double first_s = -1;
  for (size_t i = 0; i < entries.size(); ++i) {
    if (!is_websocket_entry(entries[i])) continue;
    ++websocket_entries;
    RecordedConnection conn = read_request(entries[i], where(file, i));
    if (filter && !filter->search(conn.url)) {
      ++filtered_out;
      continue;
    }
    const json& frames = entries[i].value("_webSocketMessages", json::array());
    if (!frames.is_array() || frames.empty()) continue;
    size_t index = c.connections.size();
    std::vector<RecordedEvent> events;
    for (size_t k = 0; k < frames.size(); ++k) events.push_back(read_frame(frames[k], index, where(file, i), k, first_s));
    auto started = started_ms(entries[i]);
    conn.opened_ms = started ? std::min(*started, events.front().at_ms) : events.front().at_ms;
    c.connections.push_back(std::move(conn));
    for (auto& ev : events) c.events.push_back(std::move(ev));
  }
  if (websocket_entries == 0)
    throw AuthoringError(file + ": no WebSocket connection in this HAR (" + std::to_string(entries.size()) +
                         " entries, none a ws:// or wss:// upgrade); " + kExportHint);
  if (c.connections.empty() && filtered_out == websocket_entries)
    throw AuthoringError(file + ": none of the " + std::to_string(websocket_entries) +
                         " WebSocket entries matches --url-filter \"" + options.url_filter + "\"");
  if (c.connections.empty())
    throw AuthoringError(file + ": " + std::to_string(websocket_entries) +
                         " WebSocket entr" + (websocket_entries == 1 ? "y has" : "ies have") +
                         " no recorded frames (\"_webSocketMessages\"): Firefox's HAR export leaves WebSocket "
                         "messages out, and Chromium records only frames sent while DevTools was open; " + kExportHint);
  std::stable_sort(c.events.begin(), c.events.end(), [](const RecordedEvent& a, const RecordedEvent& b) { return a.at_ms < b.at_ms; });
  return c;
}

}  // namespace wscheck
