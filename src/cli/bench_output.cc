#include "cli/bench_output.h"

#include <pthread.h>
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <ctime>

#include "core/exit_status.h"
#include "report/bench_html.h"
#include "report/bench_json.h"
#include "report/bench_text.h"
#include "report/report_file.h"

namespace wscheck {

BenchOutput::BenchOutput(bool quiet) : quiet_(quiet), tty_(isatty(STDOUT_FILENO) == 1) {}

void BenchOutput::progress(const BenchReport& so_far, double elapsed_s) {
  if (quiet_) return;
  const double every = tty_ ? 1.0 : 5.0;
  if (last_ >= 0 && elapsed_s - last_ < every) return;
  last_ = elapsed_s;
  std::string line = bench_progress_line(so_far, elapsed_s);
  if (tty_) {
    std::fprintf(stdout, "\r\033[K%s", line.c_str());
    line_open_ = true;
  } else {
    std::fprintf(stdout, "%s\n", line.c_str());
  }
  std::fflush(stdout);
}

void BenchOutput::finish_line() {
  if (line_open_) std::fputs("\n", stdout);
  line_open_ = false;
}

std::string check_bench_reports(const std::string& json_path, const std::string& html_path) {
  if (!json_path.empty() && json_path == html_path) return "--report-json and --report-html name the same file";
  if (json_path == "-" || html_path == "-") return "bench reports go to files (the summary uses stdout)";
  return "";
}

int drive_bench(LoadThreads& threads, BenchReport& report, BenchOutput& out, Micros deadline_us) {
  // The load threads inherit a mask without SIGINT/SIGTERM; this thread
  // takes them with sigtimedwait, which is also its 200 ms tick.
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  sigset_t old;
  pthread_sigmask(SIG_BLOCK, &set, &old);
  const Micros start = now_us();
  threads.start(start);
  int interrupted = 0;
  bool stopped = false;
  while (!threads.all_done()) {
    timespec tick{0, 200 * 1000 * 1000};
    int sig = sigtimedwait(&set, nullptr, &tick);
    if ((sig == SIGINT || sig == SIGTERM) && !interrupted) {
      interrupted = sig;
      threads.stop();
    }
    for (const auto& i : threads.collect()) add_interval(report, i);
    const Micros now = now_us();
    if (deadline_us && now - start > deadline_us && !stopped) {
      stopped = true;
      threads.stop();
      report.limits.emplace_back("iterations still running 120 s after --duration were interrupted");
    }
    out.progress(report, to_ms(now - start) / 1000.0);
  }
  threads.join();
  for (const auto& i : threads.collect()) add_interval(report, i);
  report.duration_s = to_ms((threads.finished_at() ? threads.finished_at() : now_us()) - start) / 1000.0;
  pthread_sigmask(SIG_SETMASK, &old, nullptr);
  out.finish_line();
  if (std::string e = threads.error(); !e.empty()) std::fprintf(stderr, "wscheck: a load thread could not start: %s\n", e.c_str());
  return interrupted;
}

int finish_bench(const BenchReport& report, const std::vector<Threshold>& thresholds, const std::string& json_path,
                 const std::string& html_path, BenchOutput& /*out*/, int interrupted) {
  std::vector<Verdict> verdicts = evaluate(thresholds, report);
  std::fputs(bench_summary(report).c_str(), stdout);
  std::fputs(bench_verdicts(verdicts).c_str(), stdout);
  std::fflush(stdout);
  bool write_failed = false;
  std::string error;
  if (!json_path.empty() && !write_report(json_path, bench_to_json(report).dump(1) + "\n", error)) {
    std::fprintf(stderr, "wscheck: could not write the JSON report: %s\n", error.c_str());
    write_failed = true;
  }
  if (!html_path.empty() && !write_report(html_path, bench_html(report, verdicts), error)) {
    std::fprintf(stderr, "wscheck: could not write the HTML report: %s\n", error.c_str());
    write_failed = true;
  }
  if (interrupted) {
    std::fprintf(stdout, "interrupted: the numbers above cover the run until then\n");
    return to_int(ExitStatus::kInterrupted);
  }
  if (write_failed) return to_int(ExitStatus::kEnvironment);
  bool crossed = false;
  for (const Verdict& v : verdicts) crossed = crossed || !v.passed;
  if (crossed) return to_int(ExitStatus::kFailed);
  const BenchCounters& c = report.totals;
  if (c.connections_opened == 0 && c.errors > 0) {
    std::fprintf(stdout, "exit 3: no connection opened at all; the target is not serving (see failures above)\n");
    return to_int(ExitStatus::kEnvironment);
  }
  return to_int(ExitStatus::kPassed);
}

}  // namespace wscheck
