#include "cli/watch_log.h"

#include <chrono>
#include <cstdio>
#include <ctime>
#include <nlohmann/json.hpp>

namespace wscheck {

namespace {

std::string timestamp() {
  auto now = std::chrono::system_clock::now();
  std::time_t t = std::chrono::system_clock::to_time_t(now);
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  char buf[40];
  std::tm tm{};
  gmtime_r(&t, &tm);
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  char out[48];
  std::snprintf(out, sizeof out, "%s.%03dZ", buf, static_cast<int>(ms));
  return out;
}

std::string seconds_text(double s) {
  char buf[32];
  if (s < 120) std::snprintf(buf, sizeof buf, "%.1f s", s);
  else std::snprintf(buf, sizeof buf, "%.1f min", s / 60);
  return buf;
}

}  // namespace

void WatchLog::info(const std::string& event, const std::string& message, const Fields& fields) {
  line("info", event, message, fields);
}

void WatchLog::warn(const std::string& event, const std::string& message, const Fields& fields) {
  line("warn", event, message, fields);
}

void WatchLog::line(const char* level, const std::string& event, const std::string& message, const Fields& fields) {
  if (json_) {
    nlohmann::ordered_json j;
    j["ts"] = timestamp();
    j["level"] = level;
    j["event"] = event;
    for (const auto& [k, v] : fields) j[k] = v;
    j["message"] = message;
    std::fprintf(out_, "%s\n", j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace).c_str());
  } else {
    std::string upper = level;
    for (auto& c : upper) c = static_cast<char>(c - 'a' + 'A');
    std::fprintf(out_, "%s %-4s %s\n", timestamp().c_str(), upper.c_str(), message.c_str());
  }
  std::fflush(out_);
}

void WatchLog::state_change(const StateChange& c) {
  switch (c.kind) {
    case StateChange::Kind::kUp:
      info("up", "UP " + c.scenario + ": first run passed", {{"scenario", c.scenario}});
      break;
    case StateChange::Kind::kDown:
      warn("down", "DOWN " + c.scenario + ": " + c.failure_class + ": " + c.failure_line,
           {{"scenario", c.scenario}, {"class", c.failure_class}, {"first_line", c.failure_line}});
      break;
    case StateChange::Kind::kRecovered:
      info("recovered",
           "RECOVERED " + c.scenario + " after " + std::to_string(c.failed_runs) + " failed run" +
               (c.failed_runs == 1 ? "" : "s") + " (down " + seconds_text(c.down_for_s) + ")",
           {{"scenario", c.scenario}, {"failed_runs", std::to_string(c.failed_runs)}, {"down_seconds", seconds_text(c.down_for_s)}});
      break;
  }
}

}  // namespace wscheck
