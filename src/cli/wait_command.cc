#include "cli/wait_command.h"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <string>

#include "cli/scenario_plan.h"
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
  ResolveOverrides resolve;
  if (auto code = parse_resolve_flags(o.resolve, resolve)) return *code;
  const Micros start = now_us();
  const Micros deadline = start + Micros(o.timeout_ms) * 1000;
  ProbeResult last;
  bool have_conclusive = false;
  int attempts = 0;
  int same_4xx = 0;  // consecutive attempts answering the same 4xx status
  Micros first_4xx = 0;
  int last_4xx = 0;
  bool gave_up_early = false;
  const int full_budget = std::min(o.timeout_ms, 5000);
  for (int turn = 0; turn < 1000000; ++turn) {
    Micros left = deadline - now_us();
    // An attempt with only a sliver of time left would report whatever the
    // deadline cut short; the previous, complete answer is the better one.
    if (attempts > 0 && left < 250 * 1000) break;
    ++attempts;
    int per_attempt = static_cast<int>(std::max<Micros>(1, std::min<Micros>(left / 1000, full_budget)));
    ProbeResult r = probe_target(ProbeOptions{*url, per_attempt, o.insecure, o.ca_file, resolve});
    if (r.ready()) {
      if (!o.quiet)
        std::printf("ready: %s after %s (%d attempt%s): %s\n", url->str().c_str(), format_ms(to_ms(now_us() - start)).c_str(),
                    attempts, attempts == 1 ? "" : "s", r.lines.empty() ? "" : r.lines.back().detail.c_str());
      return 0;
    }
    // An attempt the deadline cut short proves nothing: keep the last
    // conclusive answer (a real HTTP status, a refusal) over it.
    bool cut_short = per_attempt < full_budget && r.http_status == 0;
    if (!cut_short || !have_conclusive) {
      last = std::move(r);
      have_conclusive = have_conclusive || !cut_short;
    }
    // A client error that repeats will not turn into 101 by waiting.
    int status = last.http_status;
    if (status >= 400 && status < 500 && !cut_short) {
      same_4xx = same_4xx > 0 && status == last_4xx ? same_4xx + 1 : 1;
      if (same_4xx == 1) first_4xx = now_us();
      last_4xx = status;
      if (same_4xx >= 3 && now_us() - first_4xx >= 1000 * 1000) {
        gave_up_early = true;
        break;
      }
    } else {
      same_4xx = 0;
    }
    Micros sleep_us = std::min<Micros>(Micros(o.interval_ms) * 1000, deadline - now_us());
    if (sleep_us <= 0) break;
    usleep(static_cast<useconds_t>(sleep_us));
  }
  const Diagnosis& d = *last.failure;
  std::string early = gave_up_early ? "; stopped early: HTTP " + std::to_string(last.http_status) +
                                          " every time, which waiting will not change"
                                    : "";
  std::printf("not ready: %s after %s (%d attempt%s%s)\n  %s: %s\n", url->str().c_str(),
              format_ms(to_ms(now_us() - start)).c_str(), attempts, attempts == 1 ? "" : "s", early.c_str(),
              class_name(d.cls), d.headline.c_str());
  if (!d.hint.empty()) std::printf("  hint: %s\n", d.hint.c_str());
  return to_int(ExitStatus::kEnvironment);
}

}  // namespace wscheck
