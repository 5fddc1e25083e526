#include "report/preflight_text.h"

#include "core/format.h"

#include <cstdio>

#include "diagnose/classify.h"

namespace wscheck {

namespace {

std::string paint(bool color, const char* code, const std::string& text) {
  return color ? std::string("\033[") + code + "m" + text + "\033[0m" : text;
}

}  // namespace

std::string render_checks(const std::vector<Check>& checks, bool color) {
  std::string out;
  for (const auto& c : checks) {
    const bool ok = c.status == Check::Status::kOk, warn = c.status == Check::Status::kWarn;
    std::string word = paint(color, ok ? "32" : warn ? "33" : "31", ok ? "ok  " : warn ? "warn" : "FAIL");
    std::string ms = format_ms(c.ms);
    out += "  " + word + "  " + pad_right(c.name, 22) + " " + std::string(ms.size() < 9 ? 9 - ms.size() : 0, ' ') + ms + "  " +
           c.detail + "\n";
    for (const auto& d : c.details) out += "          " + d + "\n";
    if (ok) continue;
    if (!c.hint.empty()) out += "        hint: " + c.hint + "\n";
    if (!c.fix.empty()) out += "        fix:  " + c.fix + "\n";
  }
  return out;
}

std::string render_fixes(const std::vector<Check>& checks) {
  std::string out;
  for (const auto& c : checks)
    if (c.status == Check::Status::kFail && !c.fix.empty()) out += "  " + c.fix + "\n";
  return out.empty() ? "" : "to fix the dependencies, run:\n" + out;
}

std::string render_preflight_failure(const std::vector<Check>& checks, bool color) {
  std::string out = first_failure(checks) + "\n";
  out += "preflight failed: the environment is not ready, so no scenario was run\n";
  out += render_checks(checks, color);
  out += render_fixes(checks);
  out += "exit 3: this is an environment problem, not a WebSocket behaviour failure (skip with --no-preflight)\n";
  return out;
}

std::string render_environment_failure(const Diagnosis& d, const std::string& what) {
  std::string out = std::string(class_name(d.cls)) + ": " + d.headline + "\n";
  for (const auto& line : d.details) out += "    " + line + "\n";
  if (!d.hint.empty()) out += "    hint: " + d.hint + "\n";
  return out + "exit 3: " + what + "; no scenario was run\n";
}

}  // namespace wscheck
