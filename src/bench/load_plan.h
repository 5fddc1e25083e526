// Splitting a load across segments (processes) and threads, and parsing its units.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "engine/clock.h"

namespace wscheck {

/// "I/N" from --segment: this process is segment `index` (1-based) of `count`.
struct Segment {
  unsigned index = 1;
  unsigned count = 1;
  std::string text() const { return std::to_string(index) + "/" + std::to_string(count); }
};

/// Parses "I/N" with 1 <= I <= N <= 10000; nullopt with `error` otherwise.
std::optional<Segment> parse_segment(const std::string& text, std::string& error);

/// "30s", "2m", "500ms", "1h", "1.5s" or a plain number of seconds.
std::optional<Micros> parse_duration(const std::string& text, std::string& error);

/// "200", "200/s", "600/m": iterations per second.
std::optional<double> parse_rate(const std::string& text, std::string& error);

/// Lane `lane` of `lanes`' share of `total` items: total/lanes, plus one for
/// the first total%lanes lanes. The shares of every lane add up to `total`.
std::uint64_t share_of(std::uint64_t total, unsigned lane, unsigned lanes);
/// The index of the first item of lane `lane` when items are dealt in blocks.
std::uint64_t first_of(std::uint64_t total, unsigned lane, unsigned lanes);

/// What caps concurrent connections on this machine, independent of the server.
struct ConnectionLimits {
  std::uint64_t fd_limit = 0;      // RLIMIT_NOFILE after raising the soft limit to the hard one
  std::uint64_t port_range = 0;    // ephemeral ports per (source ip, destination) pair
  bool raised = false;
};

/// Raises RLIMIT_NOFILE to its hard limit and reads the ephemeral port range.
ConnectionLimits raise_connection_limits();

}  // namespace wscheck
