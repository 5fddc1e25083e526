// Every subcommand and option of the command line, bound to CommandLine;
// main() only parses and dispatches. The man page and completions are
// generated from these same definitions (cli/cli_spec.cc).
#include "cli/command_line.h"

#include "cli/common_options.h"

#include <cstdint>

namespace wscheck {

namespace {

void define_generate(CLI::App& app, CommandLine& cl) {
  add_generate_options(app, cl.generate);
}

void define_run(CLI::App& app, CommandLine& cl) {
  cl.run_cmd = app.add_subcommand("run", "Run scenario files (default: scenarios/)");
  cl.run_cmd->add_option("paths", cl.run.paths, "Scenario files or directories (searched for *.json)");
  cl.run_cmd->add_option("--url", cl.run.url, "Target ws://host:port (default: $WSCHECK_URL, else the built-in server)");
  add_selection_options(*cl.run_cmd, cl.run.vars, cl.run.tags, cl.run.names);
  cl.run_cmd->add_option("-j,--jobs", cl.run.jobs, "Scenarios run concurrently")->check(CLI::Range(1, 1000));
  cl.run_cmd->add_flag("--fail-fast", cl.run.fail_fast, "Stop starting scenarios after the first failure");
  cl.run_cmd->add_option("--repeat", cl.run.repeat, "Run each scenario N times; report pass counts and flaky ones")
      ->check(CLI::Range(1, 10000));
  cl.run_cmd->add_option("--shard", cl.run.shard, "I/N: run only this shard of the scenarios (CI matrix fan-out)");
  cl.run_cmd->add_option("--step-timeout", cl.run.step_timeout_ms, "Default step timeout in ms")->check(CLI::Range(1, 3600000));
  cl.run_cmd->add_flag("--no-preflight", cl.run.no_preflight, "Skip the preflight checks");
  add_tls_options(*cl.run_cmd, cl.run.insecure, cl.run.ca_file);
  add_resolve_option(*cl.run_cmd, cl.run.resolve);
  cl.run_cmd->add_option("--max-message-bytes", cl.run.max_message_bytes, "Largest message accepted (default 16 MiB)")
      ->check(CLI::Range(static_cast<size_t>(1), static_cast<size_t>(1) << 31));
  cl.run_cmd->add_option("--server", cl.run.server, "Start the system under test: CMD (via /bin/sh -c), torn down after the run");
  cl.run_cmd->add_option("--ready", cl.run.ready, "Readiness of --server: tcp://h:p, http://.../health or ws://.../ws");
  cl.run_cmd->add_option("--ready-log", cl.run.ready_log, "Readiness of --server: a regex matched against its output");
  cl.run_cmd->add_option("--ready-timeout", cl.run.ready_timeout_ms, "Deadline for --server to be ready, ms (default 30000)")
      ->check(CLI::Range(1, 3600000));
  cl.run_cmd->add_option("--server-grace", cl.run.server_grace_ms, "SIGTERM to SIGKILL grace for --server, ms (default 3000)")
      ->check(CLI::Range(0, 600000));
  cl.run_cmd->add_option("--server-log", cl.run.server_log, "Where --server's output goes (default: $TMPDIR/wscheck-server-PID.log)");
  cl.run_cmd->add_option("--report-json", cl.run.report_json, "Write a JSON report (shape: docs/report.schema.json)");
  cl.run_cmd->add_option("--report-junit", cl.run.report_junit, "Write a JUnit XML report");
  cl.run_cmd->add_option("--report-tap", cl.run.report_tap, "Write a TAP 14 report to FILE, or - for stdout");
  cl.run_cmd->add_flag("-v,--verbose", cl.run.verbose, "Per-step timings and a frame trace");
  cl.run_cmd->add_flag("-q,--quiet", cl.run.quiet, "Only failures and the summary");
  cl.run_cmd->add_option("--color", cl.run.color, "auto|always|never (NO_COLOR is honoured)")
      ->check(CLI::IsMember({"auto", "always", "never"}));
}

void define_serve(CLI::App& app, CommandLine& cl) {
  cl.serve_cmd = app.add_subcommand("serve", "Run the built-in reference server");
  cl.serve_cmd->add_option("--host", cl.serve.host, "Interface to listen on");
  cl.serve_cmd->add_option("--port", cl.serve.port, "Port (0: pick a free one; the port is printed as LISTENING <port>)")
      ->check(CLI::Range(0, 65535));
  cl.serve_cmd->add_option("--jwt-secret", cl.serve.jwt_secret, "HS256 secret (default: $JWT_SECRET, else test-secret)");
  cl.serve_cmd->add_option("--fault", cl.serve.faults, "http-500 | close-1011 | slow-events=MS | drop-event=NAME | drop-random=PERCENT")->allow_extra_args(false);
  cl.serve_cmd->add_option("--seed", cl.serve.seed, "Seed for drop-random (reproducible flakiness)");
}

void define_doctor(CLI::App& app, CommandLine& cl) {
  cl.doctor_cmd = app.add_subcommand("doctor", "Preflight only: validate scenarios, requires checks, probe the target");
  cl.doctor_cmd->add_option("paths", cl.doctor.paths, "Scenario files or directories");
  cl.doctor_cmd->add_option("--url", cl.doctor.url, "Target to probe (default: $WSCHECK_URL)");
  add_selection_options(*cl.doctor_cmd, cl.doctor.vars, cl.doctor.tags, cl.doctor.names);
  cl.doctor_cmd->add_option("--timeout", cl.doctor.timeout_ms, "Per-phase deadline in ms")->check(CLI::Range(1, 600000));
  add_tls_options(*cl.doctor_cmd, cl.doctor.insecure, cl.doctor.ca_file);
  add_resolve_option(*cl.doctor_cmd, cl.doctor.resolve);
  cl.doctor_cmd->add_option("--color", cl.doctor.color, "auto|always|never")->check(CLI::IsMember({"auto", "always", "never"}));
  add_doctor_dependency_options(*cl.doctor_cmd, cl.doctor.deps);
}

void define_wait(CLI::App& app, CommandLine& cl) {
  cl.wait_cmd = app.add_subcommand("wait", "Wait until a target really serves (ws upgrade answered, http 2xx, tcp open)");
  cl.wait_cmd->add_option("--url", cl.wait.url, "ws://, wss://, http://, https:// or tcp://host:port")->required();
  cl.wait_cmd->add_option("--timeout", cl.wait.timeout_ms, "Overall deadline in ms (default 30000)")->check(CLI::Range(1, 3600000));
  cl.wait_cmd->add_option("--interval", cl.wait.interval_ms, "Pause between attempts in ms")->check(CLI::Range(1, 60000));
  add_tls_options(*cl.wait_cmd, cl.wait.insecure, cl.wait.ca_file);
  add_resolve_option(*cl.wait_cmd, cl.wait.resolve);
  cl.wait_cmd->add_flag("-q,--quiet", cl.wait.quiet, "Print only on failure");
}

void define_schema(CLI::App& app, CommandLine& cl) {
  cl.schema_cmd = app.add_subcommand("schema", "Print the JSON Schema of scenario files (for editors: docs/editor-setup.md)");
}

void define_bench(CLI::App& app, CommandLine& cl) {
  cl.bench_cmd = app.add_subcommand(
      "bench", "Load and throughput: run scenarios as virtual users (--vus or --rate), or --echo raw throughput; "
               "percentiles, failures by class, thresholds for CI (docs/bench.md)");
  cl.bench_cmd->add_option("paths", cl.bench.paths, "Scenario files or directories run as load (default: scenarios/)");
  cl.bench_cmd->add_option("--url", cl.bench.url, "Target ws:// or wss:// base URL (default: $WSCHECK_URL)");
  add_selection_options(*cl.bench_cmd, cl.bench.vars, cl.bench.tags, cl.bench.names);
  cl.bench_cmd->add_option("--vus", cl.bench.vus, "Closed model: N virtual users, each looping its scenario (default 1)")
      ->check(CLI::Range(1u, 1000000u));
  cl.bench_cmd->add_option("--rate", cl.bench.rate,
                        "Open model: start iterations at R per second (200, 200/s, 600/m); latency counts from the "
                        "intended start, so a stalled server cannot hide (coordinated omission)");
  cl.bench_cmd->add_option("--max-vus", cl.bench.max_vus, "Open model: iterations in flight at most (default 10000); later ones wait and their wait counts")
      ->check(CLI::Range(1u, 1000000u));
  cl.bench_cmd->add_option("--duration", cl.bench.duration, "Stop starting iterations after this long (30s, 2m, 500ms); in-flight ones finish");
  cl.bench_cmd->add_option("--iterations", cl.bench.iterations, "Stop after N iterations in total (shared by every VU)")
      ->check(CLI::Range(static_cast<std::uint64_t>(1), static_cast<std::uint64_t>(1) << 40));
  cl.bench_cmd->add_option("--ramp-up", cl.bench.ramp_up, "Start VUs evenly (closed) or grow the rate linearly (open) over this time");
  cl.bench_cmd->add_flag("--echo", cl.bench.echo, "Raw throughput against an echo server: pipelined fixed-size messages, each echo verified");
  cl.bench_cmd->add_option("--size", cl.bench.size, "--echo: payload bytes per message (default 64)");
  cl.bench_cmd->add_option("--window", cl.bench.window, "--echo: messages in flight per connection (default 100)");
  cl.bench_cmd->add_option("--connections", cl.bench.connections, "--echo: connections (default 1); 0 messages + --duration holds them idle")
      ->check(CLI::Range(1u, 10000000u));
  cl.bench_cmd->add_option("--messages", cl.bench.messages, "--echo: messages per connection (default 10000; 0 = idle until --duration)");
  cl.bench_cmd->add_flag("--text", cl.bench.text, "--echo: send text frames (7-bit ASCII) instead of binary");
  cl.bench_cmd->add_option("--threads", cl.bench.threads, "Load threads, each with its own lws context (default: number of cores)")
      ->check(CLI::Range(1u, 1024u));
  cl.bench_cmd->add_option("--segment", cl.bench.segment, "I/N: run this process's share of the VUs, rate, iterations or connections (merge with `wscheck merge`)");
  cl.bench_cmd->add_option("--threshold", cl.bench.thresholds,
                        "Pass/fail criterion, repeatable: step_p99<50ms, error_rate<0.1%, msg_rate>20000 (grammar: docs/bench.md); "
                        "exit 1 when one is crossed")->allow_extra_args(false);
  cl.bench_cmd->add_option("--report-json", cl.bench.report_json, "Write the bench report: counts, histograms, per-second series (input of merge)");
  cl.bench_cmd->add_option("--report-html", cl.bench.report_html, "Write a self-contained HTML page with latency and throughput charts");
  cl.bench_cmd->add_option("--step-timeout", cl.bench.step_timeout_ms, "Default step timeout in ms")->check(CLI::Range(1, 3600000));
  add_tls_options(*cl.bench_cmd, cl.bench.insecure, cl.bench.ca_file);
  cl.bench_cmd->add_flag("-q,--quiet", cl.bench.quiet, "No progress lines, only the summary");
}

void define_merge(CLI::App& app, CommandLine& cl) {
  cl.merge_cmd = app.add_subcommand("merge", "Merge bench reports of several segments (--segment I/N) exactly: counts and histograms add");
  cl.merge_cmd->add_option("inputs", cl.merge.inputs, "Bench reports written by bench --report-json")->required();
  cl.merge_cmd->add_option("-o,--output", cl.merge.output, "Write the merged bench report (JSON) here");
  cl.merge_cmd->add_option("--threshold", cl.merge.thresholds, "Pass/fail criterion on the merged numbers (as for bench)")->allow_extra_args(false);
  cl.merge_cmd->add_option("--report-html", cl.merge.report_html, "Write the merged HTML page");
  cl.merge_cmd->add_flag("-q,--quiet", cl.merge.quiet, "Only the summary");
}

void define_init(CLI::App& app, CommandLine& cl) {
  cl.init_cmd = app.add_subcommand("init", "Write starter scenarios (connect, rejection, ping, request/response) and a CI workflow");
  cl.init_cmd->add_option("--url", cl.init.url, "Probe this ws:// or wss:// endpoint first and fit the scenarios to its path and auth answer");
  cl.init_cmd->add_option("--dir", cl.init.dir, "Directory that receives scenarios/ and wscheck-ci.yml (default: .)");
  cl.init_cmd->add_flag("--force", cl.init.force, "Overwrite files that already exist (default: refuse, exit 2)");
  cl.init_cmd->add_option("--timeout", cl.init.timeout_ms, "Per-phase deadline of the --url probe in ms")->check(CLI::Range(1, 600000));
  cl.init_cmd->add_flag("--insecure", cl.init.insecure, "Accept any TLS certificate when probing");
  cl.init_cmd->add_option("--ca-file", cl.init.ca_file, "Trust this CA bundle (PEM) when probing");
}

void define_import_har(CLI::App& app, CommandLine& cl) {
  cl.har_cmd = app.add_subcommand("import-har", "Turn a browser HAR export (Chromium DevTools) into a scenario");
  cl.har_cmd->add_option("file", cl.har.har_file, "The .har file (Network panel > Save all as HAR with content)")->required();
  cl.har_cmd->add_option("-o,--output", cl.har.output, "Scenario file to write (default: - for stdout); never overwritten without --force");
  cl.har_cmd->add_option("--url-filter", cl.har.url_filter, "Only WebSocket entries whose URL matches this regex (PCRE2)");
  cl.har_cmd->add_option("--drop", cl.har.drops, "Leave out text frames matching this regex, e.g. heartbeats (repeatable)")->allow_extra_args(false);
  cl.har_cmd->add_option("--name", cl.har.name, "Scenario name (default: \"imported from FILE\")");
  cl.har_cmd->add_flag("--absolute-urls", cl.har.absolute_urls, "Keep connect URLs absolute instead of relative to --url");
  cl.har_cmd->add_flag("--force", cl.har.force, "Overwrite --output if it exists");
}

void define_record(CLI::App& app, CommandLine& cl) {
  cl.rec_cmd = app.add_subcommand("record", "Record a live session through a WebSocket proxy and write it as a scenario");
  cl.rec_cmd->add_option("--listen", cl.rec.listen, "HOST:PORT the proxy listens on for your client (port 0: a free one, printed as LISTENING <port>)");
  cl.rec_cmd->add_option("--upstream", cl.rec.upstream, "The real server, ws://host:port/path or wss://...; its path is used unless it is /")->required();
  cl.rec_cmd->add_option("-o,--output", cl.rec.output, "Scenario file written on exit (default: recording.json; - for stdout); never overwritten without --force");
  cl.rec_cmd->add_option("--max-duration", cl.rec.max_duration_ms, "Stop recording by itself after this many ms (default: on Ctrl-C / SIGTERM)")->check(CLI::Range(1, 86400000));
  cl.rec_cmd->add_option("--drop", cl.rec.drops, "Leave out text frames matching this regex, e.g. heartbeats (repeatable)")->allow_extra_args(false);
  cl.rec_cmd->add_option("--header", cl.rec.headers, "Also forward this custom request header upstream (repeatable; Authorization, Cookie, Origin and common X- headers always are)")->allow_extra_args(false);
  cl.rec_cmd->add_option("--name", cl.rec.name, "Scenario name (default: \"recorded from URL\")");
  cl.rec_cmd->add_option("--max-message-bytes", cl.rec.max_message_bytes, "Largest message passed through; larger closes both sides with 1009 (default 16 MiB)")
      ->check(CLI::Range(static_cast<size_t>(1), static_cast<size_t>(1) << 31));
  cl.rec_cmd->add_flag("--absolute-urls", cl.rec.absolute_urls, "Write absolute connect URLs instead of paths relative to --url");
  cl.rec_cmd->add_flag("--force", cl.rec.force, "Overwrite --output if it exists");
  cl.rec_cmd->add_flag("--insecure", cl.rec.insecure, "Accept any TLS certificate from a wss:// upstream");
  cl.rec_cmd->add_option("--ca-file", cl.rec.ca_file, "Trust this CA bundle (PEM) for a wss:// upstream");
}

void define_watch(CLI::App& app, CommandLine& cl) {
  cl.watch_cmd = app.add_subcommand(
      "watch", "Run scenarios on a schedule until SIGTERM/SIGINT; serve Prometheus /metrics, /probe and a status page");
  add_watch_options(*cl.watch_cmd, cl.watch);
}

}  // namespace

void define_commands(CLI::App& app, CommandLine& cl) {
  define_generate(app, cl);
  define_run(app, cl);
  define_serve(app, cl);
  define_doctor(app, cl);
  define_wait(app, cl);
  define_schema(app, cl);
  define_bench(app, cl);
  define_merge(app, cl);
  define_init(app, cl);
  define_import_har(app, cl);
  define_record(app, cl);
  define_watch(app, cl);
}

std::optional<int> run_chosen_command(const CommandLine& cl) {
  if (*cl.run_cmd) return run_command(cl.run);
  if (*cl.serve_cmd) return serve_command(cl.serve);
  if (*cl.doctor_cmd) return doctor_command(cl.doctor);
  if (*cl.wait_cmd) return wait_command(cl.wait);
  if (*cl.bench_cmd) return bench_command(cl.bench);
  if (*cl.merge_cmd) return merge_command(cl.merge);
  if (*cl.init_cmd) return init_command(cl.init);
  if (*cl.har_cmd) return import_har_command(cl.har);
  if (*cl.rec_cmd) return record_command(cl.rec);
  if (*cl.watch_cmd) return watch_command(cl.watch);
  if (*cl.schema_cmd) return schema_command();
  return std::nullopt;
}

}  // namespace wscheck
