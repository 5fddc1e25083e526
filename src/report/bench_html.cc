#include "report/bench_html.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "report/bench_text.h"
#include "report/text_escape.h"

namespace wscheck {

namespace {

constexpr double kW = 760, kH = 220, kLeft = 70, kBottom = 30, kTop = 15, kRight = 15;

std::string num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

struct Line {
  std::string label, color;
  std::vector<std::pair<double, double>> points;  // x, y in data units
};

/// A line chart with its own y scale (0..max) labelled by `y_text`.
std::string line_chart(const std::string& title, const std::vector<Line>& lines, double x_max,
                       std::string (*y_text)(double)) {
  double y_max = 0;
  for (const auto& l : lines)
    for (const auto& p : l.points) y_max = std::max(y_max, p.second);
  if (y_max <= 0) y_max = 1;
  if (x_max <= 0) x_max = 1;
  const double pw = kW - kLeft - kRight, ph = kH - kTop - kBottom;
  auto X = [&](double x) { return kLeft + x / x_max * pw; };
  auto Y = [&](double y) { return kTop + ph - y / y_max * ph; };
  std::string s = "<h2>" + xml_text(title) + "</h2>\n<svg width=\"" + num(kW) + "\" height=\"" + num(kH) +
                  "\" xmlns=\"http://www.w3.org/2000/svg\" font-size=\"11\">\n";
  s += "<rect x=\"" + num(kLeft) + "\" y=\"" + num(kTop) + "\" width=\"" + num(pw) + "\" height=\"" + num(ph) +
       "\" fill=\"#fafafa\" stroke=\"#ccc\"/>\n";
  for (int i = 0; i <= 4; ++i) {
    double y = y_max * i / 4;
    s += "<text x=\"" + num(kLeft - 4) + "\" y=\"" + num(Y(y) + 4) + "\" text-anchor=\"end\">" + xml_text(y_text(y)) + "</text>\n";
    s += "<line x1=\"" + num(kLeft) + "\" x2=\"" + num(kLeft + pw) + "\" y1=\"" + num(Y(y)) + "\" y2=\"" + num(Y(y)) +
         "\" stroke=\"#eee\"/>\n";
  }
  s += "<text x=\"" + num(kLeft + pw) + "\" y=\"" + num(kH - 8) + "\" text-anchor=\"end\">" + num(x_max) + " s</text>\n";
  s += "<text x=\"" + num(kLeft) + "\" y=\"" + num(kH - 8) + "\">0 s</text>\n";
  double legend_x = kLeft + 10;
  for (const auto& l : lines) {
    std::string pts;
    for (const auto& p : l.points) pts += num(X(p.first)) + "," + num(Y(p.second)) + " ";
    s += "<polyline fill=\"none\" stroke=\"" + l.color + "\" stroke-width=\"1.5\" points=\"" + pts + "\"/>\n";
    s += "<text x=\"" + num(legend_x) + "\" y=\"" + num(kTop + 12) + "\" fill=\"" + l.color + "\">" + xml_text(l.label) + "</text>\n";
    legend_x += 14 + 7 * static_cast<double>(l.label.size());
  }
  return s + "</svg>\n";
}

std::string us_text(double us) { return format_us(us); }
std::string count_text(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.0f", v);
  return buf;
}

/// Bars over 40 logarithmic bins from the smallest to the largest value.
std::string histogram_chart(const Histogram& h) {
  std::string s = "<h2>Latency histogram</h2>\n";
  if (h.count() == 0) return s + "<p>no samples</p>\n";
  const int bins = 40;
  double lo = std::log(std::max<double>(1, static_cast<double>(h.min())));
  double hi = std::log(std::max<double>(2, static_cast<double>(h.max()) + 1));
  if (hi <= lo) hi = lo + 1;
  std::vector<double> counts(bins, 0);
  const auto& b = h.buckets();
  for (size_t i = 0; i < b.size(); ++i) {
    if (!b[i]) continue;
    double v = std::log(std::max<double>(1, static_cast<double>(Histogram::bucket_low(i))));
    int k = std::clamp(static_cast<int>((v - lo) / (hi - lo) * bins), 0, bins - 1);
    counts[static_cast<size_t>(k)] += static_cast<double>(b[i]);
  }
  double top = *std::max_element(counts.begin(), counts.end());
  const double pw = kW - kLeft - kRight, ph = kH - kTop - kBottom, bw = pw / bins;
  s += "<svg width=\"" + num(kW) + "\" height=\"" + num(kH) + "\" xmlns=\"http://www.w3.org/2000/svg\" font-size=\"11\">\n";
  for (int k = 0; k < bins; ++k) {
    double height = counts[static_cast<size_t>(k)] / top * ph;
    s += "<rect x=\"" + num(kLeft + k * bw) + "\" y=\"" + num(kTop + ph - height) + "\" width=\"" + num(bw - 1) +
         "\" height=\"" + num(height) + "\" fill=\"#4a7bd0\"><title>" +
         xml_text(format_us(std::exp(lo + (hi - lo) * k / bins)) + ": " + count_text(counts[static_cast<size_t>(k)])) +
         "</title></rect>\n";
  }
  s += "<text x=\"" + num(kLeft) + "\" y=\"" + num(kH - 8) + "\">" + xml_text(format_us(std::exp(lo))) + "</text>\n";
  s += "<text x=\"" + num(kLeft + pw) + "\" y=\"" + num(kH - 8) + "\" text-anchor=\"end\">" +
       xml_text(format_us(std::exp(hi))) + " (log scale)</text>\n";
  s += "<text x=\"" + num(kLeft - 4) + "\" y=\"" + num(kTop + 8) + "\" text-anchor=\"end\">" + count_text(top) + "</text>\n";
  return s + "</svg>\n";
}

}  // namespace

std::string bench_html(const BenchReport& r, const std::vector<Verdict>& verdicts) {
  Line p50{"p50", "#4a7bd0", {}}, p99{"p99", "#d04a4a", {}}, active{"active", "#4aa04a", {}}, msgs{"msg/s received", "#a04ad0", {}};
  for (const auto& s : r.series) {
    double x = static_cast<double>(s.t) + 0.5;
    if (s.latency.count()) {
      p50.points.push_back({x, static_cast<double>(s.latency.percentile(0.5))});
      p99.points.push_back({x, static_cast<double>(s.latency.percentile(0.99))});
    }
    active.points.push_back({x, static_cast<double>(s.active)});
    msgs.points.push_back({x, static_cast<double>(s.counters.messages_received)});
  }
  const double x_max = r.series.empty() ? 1 : static_cast<double>(r.series.back().t + 1);
  std::string html =
      "<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>wscheck bench</title>\n"
      "<style>body{font-family:sans-serif;margin:2em;color:#222}pre{background:#f4f4f4;padding:1em}"
      "h2{font-size:1.1em;margin-top:1.5em}</style></head><body>\n<h1>wscheck bench: " +
      xml_text(r.target) + "</h1>\n";
  html += line_chart("Latency over time (" + std::string(r.mode == "echo" ? "round trip" : "steps") + ")", {p50, p99}, x_max, us_text);
  html += histogram_chart(r.histogram(kLatency));
  html += line_chart("Active connections over time", {active}, x_max, count_text);
  html += line_chart("Throughput over time (messages received per second)", {msgs}, x_max, count_text);
  html += "<h2>Summary</h2>\n<pre>" + xml_text(bench_summary(r) + bench_verdicts(verdicts)) + "</pre>\n</body></html>\n";
  return html;
}

}  // namespace wscheck
