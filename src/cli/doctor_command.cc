#include "cli/doctor_command.h"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include "cli/color.h"
#include "cli/scenario_plan.h"
#include "core/exit_status.h"
#include "diagnose/preflight.h"

namespace wscheck {

int doctor_command(const DoctorCommandOptions& o) {
  const bool color = use_color(o.color, stdout);
  std::string url_text = o.url;
  if (url_text.empty())
    if (const char* env = std::getenv("WSCHECK_URL")) url_text = env;
  Plan plan;
  std::vector<CheckLine> lines;
  std::error_code ec;
  // `doctor --url` in a folder without scenarios/ checks the target alone.
  if (o.paths.empty() && !url_text.empty() && !std::filesystem::exists("scenarios", ec)) {
    lines.push_back(CheckLine{CheckLine::Level::kWarn, "scenarios", 0,
                              "none here (no scenarios/ folder, no files named): probing the URL only", "", ""});
  } else {
    if (auto code = load_plan(PlanRequest{o.paths, o.vars, o.tags, o.names, ""}, plan)) {
      std::printf("verdict: scenario files are invalid (see the errors above); nothing was checked further\n");
      return *code;
    }
    lines.push_back(CheckLine{CheckLine::Level::kOk, "scenarios", 0,
                              std::to_string(plan.chosen.size()) + " scenario(s) in " + std::to_string(plan.files.size()) +
                                  " file(s) parse and validate; variables resolve",
                              "", ""});
  }
  std::optional<Url> target;
  if (!url_text.empty()) {
    std::string error;
    target = parse_url(url_text, error);
    if (!target) {
      std::fprintf(stderr, "wscheck: --url: %s\n", error.c_str());
      return to_int(ExitStatus::kUsage);
    }
  }
  ProbeOptions probe{Url{}, o.timeout_ms, o.insecure, o.ca_file, {}};
  if (auto code = parse_resolve_flags(o.resolve, probe.resolve)) return *code;
  std::vector<CheckLine> more = run_preflight(plan, target, probe);
  lines.insert(lines.end(), more.begin(), more.end());
  if (!target)
    lines.push_back(CheckLine{CheckLine::Level::kWarn, "target", 0,
                              "no --url (or WSCHECK_URL): `wscheck run` would use the built-in reference server", "", ""});
  std::printf("wscheck doctor%s\n", target ? (" → " + target->str()).c_str() : "");
  print_check_lines(stdout, lines, color);
  if (has_failure(lines)) {
    std::printf("%s\n", first_failure(lines).c_str());
    std::printf("verdict: NOT READY: the environment, not the server's WebSocket behaviour, is at fault (exit 3)\n");
    return to_int(ExitStatus::kEnvironment);
  }
  std::printf("verdict: ready\n");
  return 0;
}

}  // namespace wscheck
