// GET /: a self-contained HTML status page (no scripts, no external assets).
#pragma once

#include <string>

#include "watch/metrics_page.h"

namespace wscheck {

/// HTML-escapes &, <, >, " and '.
std::string html_escape(const std::string& text);

/// An inline SVG chart of recent run durations (failed runs in red).
std::string duration_chart_svg(const std::deque<std::pair<double, bool>>& history);

/// The page: one row per scenario with UP/DOWN, the class and first line of
/// the last failure, time since the last success and the duration chart.
std::string render_status_page(const MonitorView& view, double now_s);

}  // namespace wscheck
