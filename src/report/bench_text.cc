#include "report/bench_text.h"

#include <cstdio>

#include "core/format.h"

namespace wscheck {

namespace {

std::string fmt(const char* f, double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, f, v);
  return buf;
}

/// A table cell: padded to `width`, and always followed by at least one space.
std::string pad(const std::string& s, size_t width) { return pad_right(s, width - 1) + " "; }

std::string rate_text(double v) { return v >= 100 ? fmt("%.0f", v) : fmt("%.2f", v); }

std::string bytes_text(double v) {
  if (v >= 1048576) return fmt("%.1f MiB", v / 1048576);
  if (v >= 1024) return fmt("%.1f KiB", v / 1024);
  return fmt("%.0f B", v);
}

std::string actual_text(const Verdict& v) {
  if (v.no_data) return "no samples";
  switch (v.threshold->kind) {
    case Threshold::Kind::kLatency: return format_us(v.actual);
    case Threshold::Kind::kRate: return rate_text(v.actual) + "/s";
    case Threshold::Kind::kRatio: return fmt("%.4g%%", v.actual * 100);
    case Threshold::Kind::kCount: return fmt("%.0f", v.actual);
  }
  return "";
}

}  // namespace

std::string format_us(double us) {
  if (us >= 1e6) return fmt("%.2f s", us / 1e6);
  if (us >= 1e3) return fmt("%.2f ms", us / 1e3);
  return fmt("%.0f us", us);
}

std::string bench_progress_line(const BenchReport& r, double elapsed_s) {
  // The last whole second: every thread has handed it over by now.
  const BenchSecond* last = nullptr;
  auto t = static_cast<std::int64_t>(elapsed_s) - 1;
  for (const auto& s : r.series)
    if (s.t == t) last = &s;
  std::string line = "elapsed " + fmt("%.0fs", elapsed_s);
  line += "  active " + std::to_string(last ? last->active : 0);
  line += "  msg/s " + rate_text(last ? static_cast<double>(last->counters.messages_received) : 0);
  if (r.mode != "echo") line += "  it/s " + rate_text(last ? static_cast<double>(last->counters.iterations) : 0);
  line += "  p99 " + (last && last->latency.count() ? format_us(static_cast<double>(last->latency.percentile(0.99))) : "-");
  line += "  errors " + std::to_string(r.totals.errors);
  return line;
}

std::string bench_summary(const BenchReport& r) {
  std::string out;
  const BenchCounters& c = r.totals;
  out += "\n" + std::string(r.mode == "echo" ? "echo" : r.mode == "open" ? "open model" : "closed model") + " against " +
         r.target + ", " + fmt("%.2f s", r.duration_s) + ", " + std::to_string(r.threads) + " thread" +
         (r.threads == 1 ? "" : "s") + (r.segments.empty() ? "" : ", segment " + r.segments.front()) +
         (r.segments.size() > 1 ? " +" + std::to_string(r.segments.size() - 1) + " merged" : "") + "\n";
  out += "  " + pad("messages sent", 22) + pad(std::to_string(c.messages_sent), 14) + rate_text(r.rate(c.messages_sent)) + "/s\n";
  out += "  " + pad("messages received", 22) + pad(std::to_string(c.messages_received), 14) +
         rate_text(r.rate(c.messages_received)) + "/s\n";
  if (r.mode == "echo") {
    out += "  " + pad("bytes sent", 22) + pad(std::to_string(c.bytes_sent), 14) + bytes_text(r.rate(c.bytes_sent)) + "/s\n";
    out += "  " + pad("bytes received", 22) + pad(std::to_string(c.bytes_received), 14) + bytes_text(r.rate(c.bytes_received)) + "/s\n";
  } else {
    out += "  " + pad("iterations", 22) + pad(std::to_string(c.iterations), 14) + rate_text(r.rate(c.iterations)) + "/s" +
           (r.mode == "open" ? " (requested " + rate_text(r.requested_rate) + "/s)" : "") + "\n";
    out += "  " + pad("iterations failed", 22) + std::to_string(c.iterations_failed) + "\n";
  }
  out += "  " + pad("connections opened", 22) + pad(std::to_string(c.connections_opened), 14) +
         rate_text(r.rate(c.connections_opened)) + "/s\n";
  out += "  " + pad("errors", 22) + pad(std::to_string(c.errors), 14) + fmt("%.4g%%", r.error_rate() * 100) + " error rate\n";
  out += "\n  " + pad("latency", 36) + pad("count", 10) + pad("p50", 11) + pad("p90", 11) + pad("p99", 11) + pad("p99.9", 11) + "max\n";
  auto row = [&](const std::string& name, const Histogram& h) {
    std::string label = name == kLatency ? (r.mode == "echo" ? "round trip (rtt)" : "all steps (step)") : name;
    out += "  " + pad(label.substr(0, 35), 36) + pad(std::to_string(h.count()), 10);
    for (double q : {0.5, 0.9, 0.99, 0.999}) out += pad(format_us(static_cast<double>(h.percentile(q))), 11);
    out += format_us(static_cast<double>(h.max())) + "\n";
  };
  for (const char* first : {kLatency, "dns", "tcp", "tls", "upgrade", "iteration", "start_lag"})
    if (auto it = r.histograms.find(first); it != r.histograms.end() && it->second.count()) row(first, it->second);
  for (const auto& [name, h] : r.histograms)
    if (name.rfind("step ", 0) == 0) row(name, h);
  if (!r.failures.empty()) {
    out += "\n  failures by class:\n";
    for (const auto& [cls, f] : r.failures) out += "    " + pad(cls, 18) + pad(std::to_string(f.count), 9) + f.example + "\n";
  }
  for (const auto& l : r.limits) out += "\n  limit: " + l + "\n";
  return out;
}

std::string bench_verdicts(const std::vector<Verdict>& verdicts) {
  if (verdicts.empty()) return "";
  std::string out = "\n  thresholds:\n";
  size_t failed = 0;
  for (const Verdict& v : verdicts) {
    if (!v.passed) ++failed;
    out += std::string("    ") + (v.passed ? "✓ " : "✗ ") + pad(v.threshold->text, 28) + "actual " + actual_text(v) +
           (v.passed ? "" : "  CROSSED") + "\n";
  }
  out += failed ? "  " + std::to_string(failed) + " of " + std::to_string(verdicts.size()) + " thresholds crossed: exit 1\n"
                : "  all " + std::to_string(verdicts.size()) + " thresholds held\n";
  return out;
}

}  // namespace wscheck
