// The lines `wscheck watch` writes: text for people, JSON lines for shippers.
#pragma once

#include <cstdio>
#include <string>
#include <utility>
#include <vector>

#include "watch/scenario_stats.h"

namespace wscheck {

/// One line per event, flushed at once. Text: "TIME LEVEL message";
/// JSON: {"ts","level","event",...fields,"message"}.
class WatchLog {
 public:
  using Fields = std::vector<std::pair<std::string, std::string>>;
  WatchLog(std::FILE* out, bool json) : out_(out), json_(json) {}

  void info(const std::string& event, const std::string& message, const Fields& fields = {});
  void warn(const std::string& event, const std::string& message, const Fields& fields = {});
  void state_change(const StateChange& change);

 private:
  void line(const char* level, const std::string& event, const std::string& message, const Fields& fields);
  std::FILE* out_;
  bool json_;
};

}  // namespace wscheck
