// Durations as people type them on a command line: "30s", "10ms", "5m".
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace wscheck {

/// Parses "250ms", "30s", "5m", "1h" (a bare number is seconds) into
/// microseconds. Returns nullopt and sets `error` for anything else.
std::optional<std::int64_t> parse_duration_us(const std::string& text, std::string& error);

/// One --interval value: "30s" (the default for every scenario) or
/// "NAME=30s" (that scenario only; NAME may be a glob).
struct IntervalSpec {
  std::string scenario;  // "" for the default
  std::int64_t interval_us = 0;
};
std::optional<IntervalSpec> parse_interval_spec(const std::string& text, std::string& error);

/// "30 s", "250 ms", "2 m": the shortest exact wording, for logs and pages.
std::string format_duration_us(std::int64_t us);

}  // namespace wscheck
