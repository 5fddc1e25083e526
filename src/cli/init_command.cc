#include "cli/init_command.h"

#include <cstdio>

#include "author/authoring_error.h"
#include "author/starter_files.h"
#include "core/exit_status.h"
#include "core/url.h"
#include "diagnose/diagnosis.h"
#include "diagnose/probe.h"

namespace wscheck {

namespace {

/// Probes `text`; fills `target` or prints why not and returns an exit status.
int probe_into(const InitCommandOptions& o, StarterTarget& target) {
  std::string error;
  auto url = parse_url(o.url, error);
  if (!url || (url->scheme != "ws" && url->scheme != "wss")) {
    std::fprintf(stderr, "wscheck init: --url %s: %s\n", o.url.c_str(),
                 url ? "use the WebSocket endpoint's ws:// or wss:// URL" : error.c_str());
    return to_int(ExitStatus::kUsage);
  }
  ProbeResult probe = probe_target(ProbeOptions{*url, o.timeout_ms, o.insecure, o.ca_file});
  for (const CheckLine& line : probe.lines)
    std::fprintf(stderr, "  %-7s %s\n", line.name.c_str(), line.detail.c_str());
  if (!probe.ready()) {
    const Diagnosis& d = *probe.failure;
    std::fprintf(stderr, "wscheck init: %s: %s\n", class_name(d.cls), d.headline.c_str());
    if (!d.hint.empty()) std::fprintf(stderr, "  hint: %s\n", d.hint.c_str());
    std::fprintf(stderr, "  nothing was written; fix the target or run `wscheck init` without --url for defaults\n");
    return to_int(ExitStatus::kEnvironment);
  }
  target.origin = url->scheme + "://" + url->authority();
  target.path = url->path;
  target.upgrade_status = probe.http_status;
  return 0;
}

}  // namespace

int init_command(const InitCommandOptions& o) {
  StarterTarget target;
  if (!o.url.empty()) {
    if (int rc = probe_into(o, target); rc != 0) return rc;
  }
  std::vector<GeneratedFile> files = starter_files(o.dir, target);
  try {
    write_generated(files, o.force);
  } catch (const AuthoringError& e) {
    std::fprintf(stderr, "wscheck init: %s\n", e.what());
    return to_int(ExitStatus::kUsage);
  }
  for (const auto& f : files) std::printf("wrote %s\n", f.path.c_str());
  if (target.upgrade_status == 101)
    std::printf("note: %s%s accepted an upgrade without credentials; the rejection scenario is written disabled\n",
                target.origin.c_str(), target.path.c_str());
  else if (target.upgrade_status)
    std::printf("note: %s%s answered HTTP %d without credentials; the rejection scenario expects it\n",
                target.origin.c_str(), target.path.c_str(), target.upgrade_status);
  std::string dir = o.dir == "." ? "" : (o.dir.back() == '/' ? o.dir : o.dir + "/");
  std::printf("next: wscheck run%s %sscenarios/   (edit scenarios/request_response.json for your protocol)\n",
              target.origin.empty() ? "" : (" --url " + target.origin).c_str(), dir.c_str());
  return 0;
}

}  // namespace wscheck
