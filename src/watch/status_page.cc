#include "watch/status_page.h"

#include <algorithm>
#include <cstdio>

namespace wscheck {

namespace {

std::string ago(double seconds) {
  if (seconds < 0) seconds = 0;
  char buf[32];
  if (seconds < 1) std::snprintf(buf, sizeof buf, "%.0f ms ago", seconds * 1000);
  else if (seconds < 120) std::snprintf(buf, sizeof buf, "%.0f s ago", seconds);
  else if (seconds < 7200) std::snprintf(buf, sizeof buf, "%.0f min ago", seconds / 60);
  else std::snprintf(buf, sizeof buf, "%.1f h ago", seconds / 3600);
  return buf;
}

std::string fixed(double v, int decimals) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

constexpr const char* kStyle =
    "body{font:14px system-ui,sans-serif;margin:1.5em;color:#222}"
    "table{border-collapse:collapse}td,th{padding:.4em .8em;border-bottom:1px solid #ddd;text-align:left;vertical-align:middle}"
    ".state{font-weight:bold}.up .state{color:#1a7f37}.down .state{color:#cf222e}.pending .state{color:#888}"
    ".line{max-width:40em;font-family:monospace;font-size:12px}small{color:#666}";

std::string row(const ScenarioView& s, double now_s) {
  const ScenarioStats& st = *s.stats;
  const char* state = !st.has_run() ? "pending" : st.up() ? "up" : "down";
  const char* word = !st.has_run() ? "PENDING" : st.up() ? "UP" : "DOWN";
  std::string html = "<tr class=\"scenario " + std::string(state) + "\" data-scenario=\"" + html_escape(st.name()) + "\">";
  html += "<td class=\"name\">" + html_escape(st.name()) + "</td>";
  html += "<td class=\"state\">" + std::string(word) + "</td>";
  std::string failure;
  if (st.has_run() && !st.up())
    failure = "<b>" + html_escape(st.last_failure_class()) + "</b>: " + html_escape(st.last_failure_line());
  html += "<td class=\"line\">" + failure + "</td>";
  html += "<td>" + (st.last_success_s() ? ago(now_s - *st.last_success_s()) : std::string("never")) + "</td>";
  html += "<td>" + std::to_string(st.runs_passed()) + " / " + std::to_string(st.runs_passed() + st.runs_failed()) +
          (st.overruns() ? " <small>(" + std::to_string(st.overruns()) + " overruns)</small>" : "") + "</td>";
  html += "<td>" + duration_chart_svg(st.history()) + "</td></tr>\n";
  return html;
}

}  // namespace

std::string html_escape(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string duration_chart_svg(const std::deque<std::pair<double, bool>>& history) {
  constexpr double kWidth = 180, kHeight = 32;
  std::string svg = "<svg class=\"chart\" width=\"180\" height=\"32\" viewBox=\"0 0 180 32\" role=\"img\">";
  if (history.empty()) return svg + "</svg>";
  double top = 0;
  for (const auto& [d, passed] : history) top = std::max(top, d);
  if (top <= 0) top = 1e-6;
  const double step = history.size() > 1 ? kWidth / double(history.size() - 1) : 0;
  std::string points, dots;
  for (size_t i = 0; i < history.size(); ++i) {
    const double x = step * double(i);
    const double y = kHeight - 2 - (history[i].first / top) * (kHeight - 4);
    points += fixed(x, 1) + "," + fixed(y, 1) + " ";
    if (!history[i].second) dots += "<circle cx=\"" + fixed(x, 1) + "\" cy=\"" + fixed(y, 1) + "\" r=\"2\" fill=\"#cf222e\"/>";
  }
  svg += "<polyline fill=\"none\" stroke=\"#0969da\" stroke-width=\"1.5\" points=\"" + points + "\"/>" + dots;
  svg += "<title>last " + std::to_string(history.size()) + " runs, longest " + fixed(top * 1000, 1) + " ms</title></svg>";
  return svg;
}

std::string render_status_page(const MonitorView& view, double now_s) {
  size_t up = 0, down = 0;
  for (const auto& s : view.scenarios) {
    if (!s.stats->has_run()) continue;
    s.stats->up() ? ++up : ++down;
  }
  std::string html =
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta http-equiv=\"refresh\" content=\"10\">"
      "<title>wscheck watch: " + std::to_string(down) + " down</title><style>" + kStyle + "</style></head><body>\n";
  html += "<h1>wscheck watch</h1>\n<p id=\"summary\">" + std::to_string(up) + " up, " + std::to_string(down) + " down, " +
          std::to_string(view.scenarios.size()) + " scenarios <small>(wscheck " + html_escape(view.build.version) +
          "; <a href=\"/metrics\">metrics</a>)</small></p>\n";
  html += "<table><thead><tr><th>scenario</th><th>state</th><th>last failure</th><th>last success</th>"
          "<th>passed / runs</th><th>recent durations</th></tr></thead><tbody>\n";
  for (const auto& s : view.scenarios) html += row(s, now_s);
  html += "</tbody></table>\n</body></html>\n";
  return html;
}

}  // namespace wscheck
