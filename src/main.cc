// wscheck: CLI11 wiring only. Each subcommand lives in src/cli/.
#include <libwebsockets.h>
#include <openssl/opensslv.h>

#include <CLI/CLI.hpp>
#include <cstdio>

#include "cli/bench_command.h"
#include "cli/doctor_command.h"
#include "cli/generate_command.h"
#include "cli/import_har_command.h"
#include "cli/init_command.h"
#include "cli/record_command.h"
#include "cli/run_command.h"
#include "cli/schema_command.h"
#include "cli/serve_command.h"
#include "cli/wait_command.h"
#include "cli/watch_command.h"
#include "core/exit_status.h"
#include "wscheck_config.h"

int main(int argc, char** argv) {
  using wscheck::ExitStatus;
  CLI::App app{"wscheck: run WebSocket conversation scenarios against any server, and say why they fail"};
  app.require_subcommand(0, 1);
  bool show_version = false;
  app.add_flag("--version", show_version, "Print versions of wscheck, libwebsockets and OpenSSL");
  wscheck::GenerateOptions generate;
  wscheck::add_generate_options(app, generate);

  wscheck::RunCommandOptions run;
  CLI::App* run_cmd = app.add_subcommand("run", "Run scenario files (default: scenarios/)");
  run_cmd->add_option("paths", run.paths, "Scenario files or directories (searched for *.json)");
  run_cmd->add_option("--url", run.url, "Target ws://host:port (default: $WSCHECK_URL, else the built-in server)");
  run_cmd->add_option("--var", run.vars, "NAME=VALUE for ${NAME} in scenarios (repeatable)")->allow_extra_args(false);
  run_cmd->add_option("--tag", run.tags, "Only scenarios with this tag (repeatable)")->allow_extra_args(false);
  run_cmd->add_option("--name", run.names, "Only scenarios whose name matches this glob (repeatable)")->allow_extra_args(false);
  run_cmd->add_option("-j,--jobs", run.jobs, "Scenarios run concurrently")->check(CLI::Range(1, 1000));
  run_cmd->add_flag("--fail-fast", run.fail_fast, "Stop starting scenarios after the first failure");
  run_cmd->add_option("--repeat", run.repeat, "Run each scenario N times; report pass counts and flaky ones")
      ->check(CLI::Range(1, 10000));
  run_cmd->add_option("--shard", run.shard, "I/N: run only this shard of the scenarios (CI matrix fan-out)");
  run_cmd->add_option("--step-timeout", run.step_timeout_ms, "Default step timeout in ms")->check(CLI::Range(1, 3600000));
  run_cmd->add_flag("--no-preflight", run.no_preflight, "Skip the preflight checks");
  run_cmd->add_flag("--insecure", run.insecure, "Accept any TLS certificate (test servers)");
  run_cmd->add_option("--ca-file", run.ca_file, "Trust this CA bundle (PEM) for wss://");
  run_cmd->add_option("--resolve", run.resolve, "Use these addresses for HOST:PORT, like curl: --resolve localhost:8080:::1,127.0.0.1 (repeatable)");
  run_cmd->add_option("--max-message-bytes", run.max_message_bytes, "Largest message accepted (default 16 MiB)")
      ->check(CLI::Range(static_cast<size_t>(1), static_cast<size_t>(1) << 31));
  run_cmd->add_option("--server", run.server, "Start the system under test: CMD (via /bin/sh -c), torn down after the run");
  run_cmd->add_option("--ready", run.ready, "Readiness of --server: tcp://h:p, http://.../health or ws://.../ws");
  run_cmd->add_option("--ready-log", run.ready_log, "Readiness of --server: a regex matched against its output");
  run_cmd->add_option("--ready-timeout", run.ready_timeout_ms, "Deadline for --server to be ready, ms (default 30000)")
      ->check(CLI::Range(1, 3600000));
  run_cmd->add_option("--server-grace", run.server_grace_ms, "SIGTERM to SIGKILL grace for --server, ms (default 3000)")
      ->check(CLI::Range(0, 600000));
  run_cmd->add_option("--server-log", run.server_log, "Where --server's output goes (default: $TMPDIR/wscheck-server-PID.log)");
  run_cmd->add_option("--report-json", run.report_json, "Write a JSON report (shape: docs/report.schema.json)");
  run_cmd->add_option("--report-junit", run.report_junit, "Write a JUnit XML report");
  run_cmd->add_option("--report-tap", run.report_tap, "Write a TAP 14 report to FILE, or - for stdout");
  run_cmd->add_flag("-v,--verbose", run.verbose, "Per-step timings and a frame trace");
  run_cmd->add_flag("-q,--quiet", run.quiet, "Only failures and the summary");
  run_cmd->add_option("--color", run.color, "auto|always|never (NO_COLOR is honoured)")
      ->check(CLI::IsMember({"auto", "always", "never"}));

  wscheck::ServeCommandOptions serve;
  CLI::App* serve_cmd = app.add_subcommand("serve", "Run the built-in reference server");
  serve_cmd->add_option("--host", serve.host, "Interface to listen on");
  serve_cmd->add_option("--port", serve.port, "Port (0: pick a free one; the port is printed as LISTENING <port>)")
      ->check(CLI::Range(0, 65535));
  serve_cmd->add_option("--jwt-secret", serve.jwt_secret, "HS256 secret (default: $JWT_SECRET, else test-secret)");
  serve_cmd->add_option("--fault", serve.faults, "http-500 | close-1011 | slow-events=MS | drop-event=NAME | drop-random=PERCENT")->allow_extra_args(false);

  wscheck::DoctorCommandOptions doctor;
  CLI::App* doctor_cmd = app.add_subcommand("doctor", "Preflight only: validate scenarios, requires checks, probe the target");
  doctor_cmd->add_option("paths", doctor.paths, "Scenario files or directories");
  doctor_cmd->add_option("--url", doctor.url, "Target to probe (default: $WSCHECK_URL)");
  doctor_cmd->add_option("--var", doctor.vars, "NAME=VALUE (repeatable)")->allow_extra_args(false);
  doctor_cmd->add_option("--tag", doctor.tags, "Only scenarios with this tag")->allow_extra_args(false);
  doctor_cmd->add_option("--name", doctor.names, "Only scenarios matching this glob")->allow_extra_args(false);
  doctor_cmd->add_option("--timeout", doctor.timeout_ms, "Per-phase deadline in ms")->check(CLI::Range(1, 600000));
  doctor_cmd->add_flag("--insecure", doctor.insecure, "Accept any TLS certificate");
  doctor_cmd->add_option("--ca-file", doctor.ca_file, "Trust this CA bundle (PEM)");
  doctor_cmd->add_option("--resolve", doctor.resolve, "Use these addresses for HOST:PORT, like curl: --resolve localhost:8080:::1,127.0.0.1 (repeatable)");
  doctor_cmd->add_option("--color", doctor.color, "auto|always|never")->check(CLI::IsMember({"auto", "always", "never"}));
  wscheck::add_doctor_dependency_options(*doctor_cmd, doctor.deps);

  wscheck::WaitCommandOptions wait;
  CLI::App* wait_cmd = app.add_subcommand("wait", "Wait until a target really serves (ws upgrade answered, http 2xx, tcp open)");
  wait_cmd->add_option("--url", wait.url, "ws://, wss://, http://, https:// or tcp://host:port")->required();
  wait_cmd->add_option("--timeout", wait.timeout_ms, "Overall deadline in ms (default 30000)")->check(CLI::Range(1, 3600000));
  wait_cmd->add_option("--interval", wait.interval_ms, "Pause between attempts in ms")->check(CLI::Range(1, 60000));
  wait_cmd->add_flag("--insecure", wait.insecure, "Accept any TLS certificate");
  wait_cmd->add_option("--ca-file", wait.ca_file, "Trust this CA bundle (PEM)");
  wait_cmd->add_option("--resolve", wait.resolve, "Use these addresses for HOST:PORT, like curl: --resolve localhost:8080:::1,127.0.0.1 (repeatable)");
  wait_cmd->add_flag("-q,--quiet", wait.quiet, "Print only on failure");

  CLI::App* schema_cmd = app.add_subcommand("schema", "Print the JSON Schema of scenario files (for editors: docs/editor-setup.md)");

  serve_cmd->add_option("--seed", serve.seed, "Seed for drop-random (reproducible flakiness)");

  wscheck::BenchCommandOptions bench;
  CLI::App* bench_cmd = app.add_subcommand(
      "bench", "Load and throughput: run scenarios as virtual users (--vus or --rate), or --echo raw throughput; "
               "percentiles, failures by class, thresholds for CI (docs/bench.md)");
  bench_cmd->add_option("paths", bench.paths, "Scenario files or directories run as load (default: scenarios/)");
  bench_cmd->add_option("--url", bench.url, "Target ws:// or wss:// base URL (default: $WSCHECK_URL)");
  bench_cmd->add_option("--var", bench.vars, "NAME=VALUE for ${NAME} in scenarios (repeatable)")->allow_extra_args(false);
  bench_cmd->add_option("--tag", bench.tags, "Only scenarios with this tag (repeatable)")->allow_extra_args(false);
  bench_cmd->add_option("--name", bench.names, "Only scenarios whose name matches this glob (repeatable)")->allow_extra_args(false);
  bench_cmd->add_option("--vus", bench.vus, "Closed model: N virtual users, each looping its scenario (default 1)")
      ->check(CLI::Range(1u, 1000000u));
  bench_cmd->add_option("--rate", bench.rate,
                        "Open model: start iterations at R per second (200, 200/s, 600/m); latency counts from the "
                        "intended start, so a stalled server cannot hide (coordinated omission)");
  bench_cmd->add_option("--max-vus", bench.max_vus, "Open model: iterations in flight at most (default 10000); later ones wait and their wait counts")
      ->check(CLI::Range(1u, 1000000u));
  bench_cmd->add_option("--duration", bench.duration, "Stop starting iterations after this long (30s, 2m, 500ms); in-flight ones finish");
  bench_cmd->add_option("--iterations", bench.iterations, "Stop after N iterations in total (shared by every VU)")
      ->check(CLI::Range(static_cast<std::uint64_t>(1), static_cast<std::uint64_t>(1) << 40));
  bench_cmd->add_option("--ramp-up", bench.ramp_up, "Start VUs evenly (closed) or grow the rate linearly (open) over this time");
  bench_cmd->add_flag("--echo", bench.echo, "Raw throughput against an echo server: pipelined fixed-size messages, each echo verified");
  bench_cmd->add_option("--size", bench.size, "--echo: payload bytes per message (default 64)");
  bench_cmd->add_option("--window", bench.window, "--echo: messages in flight per connection (default 100)");
  bench_cmd->add_option("--connections", bench.connections, "--echo: connections (default 1); 0 messages + --duration holds them idle")
      ->check(CLI::Range(1u, 10000000u));
  bench_cmd->add_option("--messages", bench.messages, "--echo: messages per connection (default 10000; 0 = idle until --duration)");
  bench_cmd->add_flag("--text", bench.text, "--echo: send text frames (7-bit ASCII) instead of binary");
  bench_cmd->add_option("--threads", bench.threads, "Load threads, each with its own lws context (default: number of cores)")
      ->check(CLI::Range(1u, 1024u));
  bench_cmd->add_option("--segment", bench.segment, "I/N: run this process's share of the VUs, rate, iterations or connections (merge with `wscheck merge`)");
  bench_cmd->add_option("--threshold", bench.thresholds,
                        "Pass/fail criterion, repeatable: step_p99<50ms, error_rate<0.1%, msg_rate>20000 (grammar: docs/bench.md); "
                        "exit 1 when one is crossed")->allow_extra_args(false);
  bench_cmd->add_option("--report-json", bench.report_json, "Write the bench report: counts, histograms, per-second series (input of merge)");
  bench_cmd->add_option("--report-html", bench.report_html, "Write a self-contained HTML page with latency and throughput charts");
  bench_cmd->add_option("--step-timeout", bench.step_timeout_ms, "Default step timeout in ms")->check(CLI::Range(1, 3600000));
  bench_cmd->add_flag("--insecure", bench.insecure, "Accept any TLS certificate (test servers)");
  bench_cmd->add_option("--ca-file", bench.ca_file, "Trust this CA bundle (PEM) for wss://");
  bench_cmd->add_flag("-q,--quiet", bench.quiet, "No progress lines, only the summary");

  wscheck::MergeCommandOptions merge;
  CLI::App* merge_cmd = app.add_subcommand("merge", "Merge bench reports of several segments (--segment I/N) exactly: counts and histograms add");
  merge_cmd->add_option("inputs", merge.inputs, "Bench reports written by bench --report-json")->required();
  merge_cmd->add_option("-o,--output", merge.output, "Write the merged bench report (JSON) here");
  merge_cmd->add_option("--threshold", merge.thresholds, "Pass/fail criterion on the merged numbers (as for bench)")->allow_extra_args(false);
  merge_cmd->add_option("--report-html", merge.report_html, "Write the merged HTML page");
  merge_cmd->add_flag("-q,--quiet", merge.quiet, "Only the summary");

  wscheck::InitCommandOptions init;
  CLI::App* init_cmd = app.add_subcommand("init", "Write starter scenarios (connect, rejection, ping, request/response) and a CI workflow");
  init_cmd->add_option("--url", init.url, "Probe this ws:// or wss:// endpoint first and fit the scenarios to its path and auth answer");
  init_cmd->add_option("--dir", init.dir, "Directory that receives scenarios/ and wscheck-ci.yml (default: .)");
  init_cmd->add_flag("--force", init.force, "Overwrite files that already exist (default: refuse, exit 2)");
  init_cmd->add_option("--timeout", init.timeout_ms, "Per-phase deadline of the --url probe in ms")->check(CLI::Range(1, 600000));
  init_cmd->add_flag("--insecure", init.insecure, "Accept any TLS certificate when probing");
  init_cmd->add_option("--ca-file", init.ca_file, "Trust this CA bundle (PEM) when probing");

  wscheck::ImportHarCommandOptions har;
  CLI::App* har_cmd = app.add_subcommand("import-har", "Turn a browser HAR export (Chromium DevTools) into a scenario");
  har_cmd->add_option("file", har.har_file, "The .har file (Network panel > Save all as HAR with content)")->required();
  har_cmd->add_option("-o,--output", har.output, "Scenario file to write (default: - for stdout); never overwritten without --force");
  har_cmd->add_option("--url-filter", har.url_filter, "Only WebSocket entries whose URL matches this regex (PCRE2)");
  har_cmd->add_option("--drop", har.drops, "Leave out text frames matching this regex, e.g. heartbeats (repeatable)")->allow_extra_args(false);
  har_cmd->add_option("--name", har.name, "Scenario name (default: \"imported from FILE\")");
  har_cmd->add_flag("--absolute-urls", har.absolute_urls, "Keep connect URLs absolute instead of relative to --url");
  har_cmd->add_flag("--force", har.force, "Overwrite --output if it exists");

  wscheck::RecordCommandOptions rec;
  CLI::App* rec_cmd = app.add_subcommand("record", "Record a live session through a WebSocket proxy and write it as a scenario");
  rec_cmd->add_option("--listen", rec.listen, "HOST:PORT the proxy listens on for your client (port 0: a free one, printed as LISTENING <port>)");
  rec_cmd->add_option("--upstream", rec.upstream, "The real server, ws://host:port/path or wss://...; its path is used unless it is /")->required();
  rec_cmd->add_option("-o,--output", rec.output, "Scenario file written on exit (default: recording.json; - for stdout); never overwritten without --force");
  rec_cmd->add_option("--max-duration", rec.max_duration_ms, "Stop recording by itself after this many ms (default: on Ctrl-C / SIGTERM)")->check(CLI::Range(1, 86400000));
  rec_cmd->add_option("--drop", rec.drops, "Leave out text frames matching this regex, e.g. heartbeats (repeatable)")->allow_extra_args(false);
  rec_cmd->add_option("--header", rec.headers, "Also forward this custom request header upstream (repeatable; Authorization, Cookie, Origin and common X- headers always are)")->allow_extra_args(false);
  rec_cmd->add_option("--name", rec.name, "Scenario name (default: \"recorded from URL\")");
  rec_cmd->add_option("--max-message-bytes", rec.max_message_bytes, "Largest message passed through; larger closes both sides with 1009 (default 16 MiB)")
      ->check(CLI::Range(static_cast<size_t>(1), static_cast<size_t>(1) << 31));
  rec_cmd->add_flag("--absolute-urls", rec.absolute_urls, "Write absolute connect URLs instead of paths relative to --url");
  rec_cmd->add_flag("--force", rec.force, "Overwrite --output if it exists");
  rec_cmd->add_flag("--insecure", rec.insecure, "Accept any TLS certificate from a wss:// upstream");
  rec_cmd->add_option("--ca-file", rec.ca_file, "Trust this CA bundle (PEM) for a wss:// upstream");
  wscheck::WatchCommandOptions watch;
  CLI::App* watch_cmd = app.add_subcommand(
      "watch", "Run scenarios on a schedule until SIGTERM/SIGINT; serve Prometheus /metrics, /probe and a status page");
  wscheck::add_watch_options(*watch_cmd, watch);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? 0 : wscheck::to_int(ExitStatus::kUsage);
  }
  if (!generate.what.empty()) return wscheck::generate_command(app, generate, WSCHECK_VERSION);
  if (show_version) {
    std::printf("wscheck %s\nlibwebsockets %s\n%s\n", WSCHECK_VERSION, lws_get_library_version(), OPENSSL_VERSION_TEXT);
    return 0;
  }
  if (*run_cmd) return wscheck::run_command(run);
  if (*serve_cmd) return wscheck::serve_command(serve);
  if (*doctor_cmd) return wscheck::doctor_command(doctor);
  if (*wait_cmd) return wscheck::wait_command(wait);
  if (*bench_cmd) return wscheck::bench_command(bench);
  if (*merge_cmd) return wscheck::merge_command(merge);
  if (*init_cmd) return wscheck::init_command(init);
  if (*har_cmd) return wscheck::import_har_command(har);
  if (*rec_cmd) return wscheck::record_command(rec);
  if (*watch_cmd) return wscheck::watch_command(watch);
  if (*schema_cmd) return wscheck::schema_command();
  std::fputs(app.help().c_str(), stdout);
  return wscheck::to_int(ExitStatus::kUsage);
}
