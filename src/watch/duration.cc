#include "watch/duration.h"

#include <cctype>
#include <cstdlib>

namespace wscheck {

std::optional<std::int64_t> parse_duration_us(const std::string& text, std::string& error) {
  size_t i = 0;
  while (i < text.size() && (std::isdigit(static_cast<unsigned char>(text[i])) || text[i] == '.')) ++i;
  const std::string number = text.substr(0, i);
  const std::string unit = text.substr(i);
  char* end = nullptr;
  double value = number.empty() ? -1 : std::strtod(number.c_str(), &end);
  if (number.empty() || !end || *end != '\0' || value < 0) {
    error = "\"" + text + "\" is not a duration; write it like 250ms, 30s, 5m or 1h";
    return std::nullopt;
  }
  double scale = 0;
  if (unit.empty() || unit == "s") scale = 1e6;
  else if (unit == "ms") scale = 1e3;
  else if (unit == "us") scale = 1;
  else if (unit == "m") scale = 60e6;
  else if (unit == "h") scale = 3600e6;
  else {
    error = "\"" + text + "\": unknown unit \"" + unit + "\" (use ms, s, m or h)";
    return std::nullopt;
  }
  double us = value * scale;
  if (us > 7 * 24 * 3600e6) {
    error = "\"" + text + "\" is longer than a week";
    return std::nullopt;
  }
  return static_cast<std::int64_t>(us);
}

std::optional<IntervalSpec> parse_interval_spec(const std::string& text, std::string& error) {
  IntervalSpec spec;
  std::string value = text;
  if (auto eq = text.rfind('='); eq != std::string::npos) {
    spec.scenario = text.substr(0, eq);
    value = text.substr(eq + 1);
    if (spec.scenario.empty()) {
      error = "\"" + text + "\": the scenario name before \"=\" is empty";
      return std::nullopt;
    }
  }
  auto us = parse_duration_us(value, error);
  if (!us) return std::nullopt;
  if (*us < 1000) {
    error = "\"" + text + "\": an interval must be at least 1ms";
    return std::nullopt;
  }
  spec.interval_us = *us;
  return spec;
}

std::string format_duration_us(std::int64_t us) {
  if (us % 3600000000 == 0 && us > 0) return std::to_string(us / 3600000000) + " h";
  if (us % 60000000 == 0 && us > 0) return std::to_string(us / 60000000) + " m";
  if (us % 1000000 == 0) return std::to_string(us / 1000000) + " s";
  if (us % 1000 == 0) return std::to_string(us / 1000) + " ms";
  return std::to_string(us) + " us";
}

}  // namespace wscheck
