#include "cli/bench_command.h"

#include <pthread.h>
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <thread>

#include "bench/echo_client.h"
#include "bench/load_plan.h"
#include "bench/load_threads.h"
#include "bench/threshold.h"
#include "bench/vu_scheduler.h"
#include "cli/bench_output.h"
#include "cli/scenario_plan.h"
#include "core/exit_status.h"
#include "engine/resolver.h"

namespace wscheck {

namespace {

/// Everything a bench run needs after its flags were checked.
struct BenchSetup {
  Segment segment;
  unsigned threads = 1;
  Url url;
  std::vector<Threshold> thresholds;
  Micros duration_us = 0;
  Micros ramp_up_us = 0;
};

std::optional<int> check_common(const BenchCommandOptions& o, BenchSetup& s) {
  std::string error;
  if (!o.segment.empty()) {
    auto seg = parse_segment(o.segment, error);
    if (!seg) return usage_error(error);
    s.segment = *seg;
  }
  unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  s.threads = o.threads ? o.threads : cores;
  for (const auto& text : o.thresholds) {
    auto t = parse_threshold(text, error);
    if (!t) return usage_error("--threshold: " + error);
    s.thresholds.push_back(*t);
  }
  if (!o.duration.empty()) {
    auto d = parse_duration(o.duration, error);
    if (!d || *d == 0) return usage_error("--duration: " + (d ? "must be more than 0" : error));
    s.duration_us = *d;
  }
  if (!o.ramp_up.empty()) {
    auto d = parse_duration(o.ramp_up, error);
    if (!d) return usage_error("--ramp-up: " + error);
    s.ramp_up_us = *d;
  }
  std::string url_text = o.url;
  if (url_text.empty())
    if (const char* env = std::getenv("WSCHECK_URL")) url_text = env;
  if (url_text.empty()) return usage_error("bench needs a target: --url ws://host:port (or $WSCHECK_URL)");
  auto url = parse_url(url_text, error);
  if (!url) return usage_error("--url: " + error);
  if (url->scheme != "ws" && url->scheme != "wss") return usage_error("--url must be ws:// or wss://, got \"" + url_text + "\"");
  s.url = *url;
  if (auto e = check_bench_reports(o.report_json, o.report_html); !e.empty()) return usage_error(e);
  return std::nullopt;
}

/// Connections this process may hold at once, and the sentence saying why
/// when the machine (not the server) is what caps the run.
std::uint64_t cap_connections(std::uint64_t wanted, const ConnectionLimits& limits, BenchReport& report) {
  const std::uint64_t reserve = 64;  // stdio, lws' own pipes, report files
  std::uint64_t by_fd = limits.fd_limit > reserve ? limits.fd_limit - reserve : 0;
  std::uint64_t cap = std::min(by_fd, limits.port_range);
  if (wanted <= cap) return wanted;
  if (by_fd <= limits.port_range)
    report.limits.push_back("the open-file limit (RLIMIT_NOFILE " + std::to_string(limits.fd_limit) + ") caps this process at " +
                            std::to_string(cap) + " connections, not the server; raise it (ulimit -Hn, LimitNOFILE=) or use --segment across processes");
  else
    report.limits.push_back("the ephemeral port range (" + std::to_string(limits.port_range) +
                            " ports in /proc/sys/net/ipv4/ip_local_port_range) caps this process at " + std::to_string(cap) +
                            " connections to one address, not the server; widen the range or spread over --segment processes on more source addresses");
  return cap;
}

int run_echo(const BenchCommandOptions& o, BenchSetup& s) {
  if (o.size == 0 || o.size > (64u << 20)) return usage_error("--size must be 1 .. 67108864 bytes");
  if (o.window == 0 || o.window > 100000) return usage_error("--window must be 1 .. 100000");
  if (o.connections == 0) return usage_error("--connections must be at least 1");
  if (o.messages == 0 && s.duration_us == 0)
    return usage_error("--messages 0 holds connections idle: give --duration too");
  BenchReport report;
  report.mode = "echo";
  report.target = s.url.str();
  report.segments = {s.segment.text()};
  ConnectionLimits limits = raise_connection_limits();
  std::uint64_t mine = share_of(o.connections, s.segment.index - 1, s.segment.count);
  const std::uint64_t first_global = first_of(o.connections, s.segment.index - 1, s.segment.count);
  mine = cap_connections(mine, limits, report);
  report.vus = static_cast<unsigned>(mine);
  s.threads = static_cast<unsigned>(std::min<std::uint64_t>(s.threads, std::max<std::uint64_t>(mine, 1)));
  report.threads = s.threads;
  Resolution where = resolve_host(s.url.host, s.url.port);
  if (where.addresses.empty()) {
    std::fprintf(stderr, "wscheck: cannot resolve %s: %s\n", s.url.host.c_str(), where.error.c_str());
    return to_int(ExitStatus::kEnvironment);
  }
  EchoOptions echo;
  echo.url = s.url;
  echo.address = where.addresses.front();
  echo.size = o.size;
  echo.window = o.window;
  echo.messages = o.messages;
  echo.text = o.text;
  echo.duration_us = s.duration_us;
  echo.insecure = o.insecure;
  LoadThreads threads(s.threads, EventLoop::Options{false, o.insecure, o.ca_file},
                      [&](EventLoop& loop, unsigned i, Recorder& rec) -> std::unique_ptr<ThreadWorkload> {
                        auto first = static_cast<std::uint32_t>(first_global + first_of(mine, i, s.threads));
                        auto count = static_cast<std::uint32_t>(share_of(mine, i, s.threads));
                        return std::make_unique<EchoWorkload>(loop, echo, first, count, rec);
                      });
  BenchOutput out(o.quiet);
  int interrupted = drive_bench(threads, report, out, 0);
  return finish_bench(report, s.thresholds, o.report_json, o.report_html, out, interrupted);
}

LoadShare thread_share(const BenchCommandOptions& o, const BenchSetup& s, double rate, unsigned t) {
  LoadShare share;
  const unsigned lanes = s.segment.count * s.threads;
  const unsigned lane = t * s.segment.count + (s.segment.index - 1);  // interleaves segments and threads
  share.open = rate > 0;
  share.duration_us = s.duration_us;
  share.ramp_up_us = s.ramp_up_us;
  if (o.iterations) share.iterations = share_of(o.iterations, lane, lanes);
  if (share.open) {
    share.rate = rate / lanes;
    share.rate_phase_us = static_cast<Micros>(static_cast<double>(lane) / rate * 1e6);
    unsigned max_vus = o.max_vus ? o.max_vus : 10000;
    share.max_in_flight = static_cast<unsigned>(std::max<std::uint64_t>(1, share_of(max_vus, lane, lanes)));
  } else {
    // VU g of the whole run starts at ramp_up * g / vus; lane `lane` owns g = lane, lane + lanes, ...
    for (unsigned g = lane; g < o.vus; g += lanes)
      share.vu_offsets.push_back(o.vus ? s.ramp_up_us * g / o.vus : 0);
  }
  return share;
}

int run_scenarios(const BenchCommandOptions& o, BenchSetup& s) {
  Plan plan;
  if (auto code = load_plan(PlanRequest{o.paths, o.vars, o.tags, o.names, ""}, plan)) return *code;
  if (plan.chosen.empty()) return usage_error("no scenario selected to run as load");
  std::string error;
  double rate = 0;
  if (!o.rate.empty()) {
    auto r = parse_rate(o.rate, error);
    if (!r) return usage_error(error);
    rate = *r;
    if (o.vus) return usage_error("--vus (closed model) and --rate (open model) exclude each other; pick one");
  }
  BenchCommandOptions opts = o;
  if (!rate && !opts.vus) opts.vus = 1;
  if (!s.duration_us && !o.iterations) return usage_error("bench needs an end: --duration 30s or --iterations N");
  BenchReport report;
  report.mode = rate > 0 ? "open" : "closed";
  report.target = s.url.str();
  report.segments = {s.segment.text()};
  report.requested_rate = rate / s.segment.count;
  ConnectionLimits limits = raise_connection_limits();
  std::uint64_t vus_here = rate > 0 ? (o.max_vus ? o.max_vus : 10000) / s.segment.count
                                    : share_of(opts.vus, s.segment.index - 1, s.segment.count);
  if (cap_connections(vus_here, limits, report) < vus_here && rate == 0)
    return usage_error(report.limits.back());
  report.vus = rate > 0 ? 0 : static_cast<unsigned>(vus_here);
  report.threads = s.threads;
  RunSettings settings;
  settings.base_url = s.url;
  settings.vars = plan.vars;
  settings.default_step_timeout_ms = o.step_timeout_ms;
  settings.insecure = o.insecure;
  settings.ca_file = o.ca_file;
  LoadThreads threads(s.threads, EventLoop::Options{false, o.insecure, o.ca_file},
                      [&](EventLoop& loop, unsigned t, Recorder& rec) -> std::unique_ptr<ThreadWorkload> {
                        return std::make_unique<VuScheduler>(loop, plan.chosen, settings, thread_share(opts, s, rate, t), rec);
                      });
  BenchOutput out(o.quiet);
  // In-flight iterations end by their own step timeouts; this is the backstop.
  Micros deadline = s.duration_us ? s.duration_us + 120 * 1000000LL : 0;
  int interrupted = drive_bench(threads, report, out, deadline);
  return finish_bench(report, s.thresholds, o.report_json, o.report_html, out, interrupted);
}

}  // namespace

int bench_command(const BenchCommandOptions& o) {
  BenchSetup setup;
  if (auto code = check_common(o, setup)) return *code;
  if (o.echo) {
    if (!o.paths.empty() || o.vus || !o.rate.empty() || o.iterations)
      return usage_error("--echo measures raw throughput: it takes no scenario files, --vus, --rate or --iterations");
    return run_echo(o, setup);
  }
  return run_scenarios(o, setup);
}

}  // namespace wscheck
