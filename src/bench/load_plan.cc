#include "bench/load_plan.h"

#include <sys/resource.h>

#include <charconv>
#include <cmath>
#include <fstream>

namespace wscheck {

namespace {

bool parse_number(const std::string& text, double& value, std::string& unit) {
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || !std::isfinite(value) || value < 0) return false;
  unit.assign(end, text.data() + text.size());
  return true;
}

}  // namespace

std::optional<Segment> parse_segment(const std::string& text, std::string& error) {
  Segment s;
  auto slash = text.find('/');
  unsigned long i = 0, n = 0;
  bool ok = slash != std::string::npos;
  if (ok) {
    auto a = std::from_chars(text.data(), text.data() + slash, i);
    auto b = std::from_chars(text.data() + slash + 1, text.data() + text.size(), n);
    ok = a.ec == std::errc() && a.ptr == text.data() + slash && b.ec == std::errc() && b.ptr == text.data() + text.size();
  }
  if (!ok || n < 1 || n > 10000 || i < 1 || i > n) {
    error = "--segment \"" + text + "\": expected I/N with 1 <= I <= N <= 10000, e.g. 2/4";
    return std::nullopt;
  }
  s.index = static_cast<unsigned>(i);
  s.count = static_cast<unsigned>(n);
  return s;
}

std::optional<Micros> parse_duration(const std::string& text, std::string& error) {
  double v = 0;
  std::string unit;
  if (parse_number(text, v, unit)) {
    double us = -1;
    if (unit.empty() || unit == "s") us = v * 1e6;
    else if (unit == "ms") us = v * 1e3;
    else if (unit == "m") us = v * 60e6;
    else if (unit == "h") us = v * 3600e6;
    if (us >= 0 && us <= 7 * 24 * 3600e6) return static_cast<Micros>(us);
  }
  error = "\"" + text + "\" is not a duration: use e.g. 30s, 2m, 500ms, 1h (at most a week)";
  return std::nullopt;
}

std::optional<double> parse_rate(const std::string& text, std::string& error) {
  double v = 0;
  std::string unit;
  if (parse_number(text, v, unit) && v > 0 && v <= 10000000) {
    if (unit.empty() || unit == "/s") return v;
    if (unit == "/m") return v / 60.0;
  }
  error = "--rate \"" + text + "\": expected iterations per second, e.g. 200 or 200/s or 600/m (0 < R <= 10^7)";
  return std::nullopt;
}

std::uint64_t share_of(std::uint64_t total, unsigned lane, unsigned lanes) {
  return total / lanes + (lane < total % lanes ? 1 : 0);
}

std::uint64_t first_of(std::uint64_t total, unsigned lane, unsigned lanes) {
  std::uint64_t first = 0;
  for (unsigned l = 0; l < lane; ++l) first += share_of(total, l, lanes);
  return first;
}

ConnectionLimits raise_connection_limits() {
  ConnectionLimits limits;
  rlimit rl{};
  if (getrlimit(RLIMIT_NOFILE, &rl) == 0) {
    if (rl.rlim_cur < rl.rlim_max) {
      rlimit want = rl;
      want.rlim_cur = rl.rlim_max;
      if (setrlimit(RLIMIT_NOFILE, &want) == 0) {
        rl = want;
        limits.raised = true;
      }
    }
    limits.fd_limit = rl.rlim_cur == RLIM_INFINITY ? (1u << 20) : rl.rlim_cur;
  }
  std::ifstream range("/proc/sys/net/ipv4/ip_local_port_range");
  unsigned long lo = 0, hi = 0;
  if (range >> lo >> hi && hi >= lo) limits.port_range = hi - lo + 1;
  else limits.port_range = 28232;  // the Linux default 32768..60999
  return limits;
}

}  // namespace wscheck
