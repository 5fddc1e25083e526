#include "cli/wait_command.h"

#include <unistd.h>

#include <cstdio>

#include "core/exit_status.h"
#include "diagnose/classify.h"
#include "diagnose/probe.h"
#include "engine/clock.h"

namespace wscheck {

int wait_command(const WaitCommandOptions& o) {
  std::string error;
  auto url = parse_url(o.url, error);
  if (!url) {
    std::fprintf(stderr, "wscheck wait: --url: %s\n", error.c_str());
    return to_int(ExitStatus::kUsage);
  }
  const Micros start = now_us();
  const Micros deadline = start + Micros(o.timeout_ms) * 1000;
  ProbeResult last;
  int attempts = 0;
  for (;;) {
    Micros left = deadline - now_us();
    // An attempt with only a sliver of time left would report whatever the
    // deadline cut short; the previous, complete answer is the better one.
    if (attempts > 0 && left < 250 * 1000) break;
    ++attempts;
    int per_attempt = static_cast<int>(std::max<Micros>(1, std::min<Micros>(left / 1000, 5000)));
    last = probe_target(ProbeOptions{*url, per_attempt, o.insecure, o.ca_file});
    if (last.ready()) {
      if (!o.quiet)
        std::printf("ready: %s after %s (%d attempt%s): %s\n", url->str().c_str(), format_ms(to_ms(now_us() - start)).c_str(),
                    attempts, attempts == 1 ? "" : "s", last.lines.empty() ? "" : last.lines.back().detail.c_str());
      return 0;
    }
    Micros sleep_us = std::min<Micros>(Micros(o.interval_ms) * 1000, deadline - now_us());
    if (sleep_us <= 0) break;
    usleep(static_cast<useconds_t>(sleep_us));
  }
  const Diagnosis& d = *last.failure;
  std::printf("not ready: %s after %s (%d attempts)\n  %s: %s\n", url->str().c_str(),
              format_ms(to_ms(now_us() - start)).c_str(), attempts, class_name(d.cls), d.headline.c_str());
  if (!d.hint.empty()) std::printf("  hint: %s\n", d.hint.c_str());
  return to_int(ExitStatus::kEnvironment);
}

}  // namespace wscheck
