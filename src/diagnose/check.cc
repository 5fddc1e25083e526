#include "diagnose/check.h"

#include <algorithm>

namespace wscheck {

Check check_from_line(const CheckLine& l) {
  Check c;
  c.status = l.level == CheckLine::Level::kOk ? Check::Status::kOk
             : l.level == CheckLine::Level::kWarn ? Check::Status::kWarn
                                                  : Check::Status::kFail;
  c.name = l.name;
  c.ms = l.ms;
  c.detail = l.detail;
  c.hint = l.hint;
  c.cls = l.cls;
  return c;
}

std::vector<Check> checks_from_lines(const std::vector<CheckLine>& lines) {
  std::vector<Check> out;
  for (const auto& l : lines) out.push_back(check_from_line(l));
  return out;
}

bool has_failure(const std::vector<Check>& checks) {
  return std::any_of(checks.begin(), checks.end(), [](const Check& c) { return c.status == Check::Status::kFail; });
}

std::string first_failure(const std::vector<Check>& checks) {
  for (const auto& c : checks) {
    if (c.status != Check::Status::kFail) continue;
    std::string text = c.detail;
    if (!c.details.empty()) text += ": " + c.details.front() + (c.details.size() > 1 ? " (and " + std::to_string(c.details.size() - 1) + " more)" : "");
    return (c.cls.empty() ? "preflight" : c.cls) + ": " + text;
  }
  return "";
}

}  // namespace wscheck
