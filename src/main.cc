// wscheck: CLI11 wiring only. Each subcommand lives in src/cli/.
#include <libwebsockets.h>
#include <openssl/opensslv.h>

#include <CLI/CLI.hpp>
#include <cstdio>

#include "cli/doctor_command.h"
#include "cli/run_command.h"
#include "cli/serve_command.h"
#include "cli/wait_command.h"
#include "core/exit_status.h"
#include "wscheck_config.h"

int main(int argc, char** argv) {
  using wscheck::ExitStatus;
  CLI::App app{"wscheck: run WebSocket conversation scenarios against any server, and say why they fail"};
  app.require_subcommand(0, 1);
  bool show_version = false;
  app.add_flag("--version", show_version, "Print versions of wscheck, libwebsockets and OpenSSL");

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
  doctor_cmd->add_option("--color", doctor.color, "auto|always|never")->check(CLI::IsMember({"auto", "always", "never"}));
  wscheck::add_doctor_dependency_options(*doctor_cmd, doctor.deps);

  wscheck::WaitCommandOptions wait;
  CLI::App* wait_cmd = app.add_subcommand("wait", "Wait until a target really serves (ws upgrade answered, http 2xx, tcp open)");
  wait_cmd->add_option("--url", wait.url, "ws://, wss://, http://, https:// or tcp://host:port")->required();
  wait_cmd->add_option("--timeout", wait.timeout_ms, "Overall deadline in ms (default 30000)")->check(CLI::Range(1, 3600000));
  wait_cmd->add_option("--interval", wait.interval_ms, "Pause between attempts in ms")->check(CLI::Range(1, 60000));
  wait_cmd->add_flag("--insecure", wait.insecure, "Accept any TLS certificate");
  wait_cmd->add_option("--ca-file", wait.ca_file, "Trust this CA bundle (PEM)");
  wait_cmd->add_flag("-q,--quiet", wait.quiet, "Print only on failure");

  serve_cmd->add_option("--seed", serve.seed, "Seed for drop-random (reproducible flakiness)");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? 0 : wscheck::to_int(ExitStatus::kUsage);
  }
  if (show_version) {
    std::printf("wscheck %s\nlibwebsockets %s\n%s\n", WSCHECK_VERSION, lws_get_library_version(), OPENSSL_VERSION_TEXT);
    return 0;
  }
  if (*run_cmd) return wscheck::run_command(run);
  if (*serve_cmd) return wscheck::serve_command(serve);
  if (*doctor_cmd) return wscheck::doctor_command(doctor);
  if (*wait_cmd) return wscheck::wait_command(wait);
  std::fputs(app.help().c_str(), stdout);
  return wscheck::to_int(ExitStatus::kUsage);
}
