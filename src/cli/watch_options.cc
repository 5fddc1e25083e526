// The `watch` subcommand's flags: their help text is also the man page's.
#include <CLI/CLI.hpp>

#include "cli/common_options.h"
#include "cli/watch_command.h"

namespace wscheck {

void add_watch_options(CLI::App& cmd, WatchCommandOptions& o) {
  cmd.add_option("paths", o.paths, "Scenario files or directories (searched for *.json; default: scenarios/)");
  cmd.add_option("--url", o.url, "Target ws:// or wss:// base URL (default: $WSCHECK_URL, else the built-in reference server)");
  add_selection_options(cmd, o.vars, o.tags, o.names);
  cmd.add_option("--interval", o.intervals,
                 "Time between runs: DURATION for every scenario (default 30s), or NAME=DURATION for the scenarios "
                 "whose name matches the glob NAME (repeatable; the last match wins). Units: ms, s, m, h")
      ->allow_extra_args(false);
  cmd.add_option("--jitter", o.jitter_percent,
                 "Delay each run by a random 0..PERCENT of its interval so scenarios do not fire together (default 10)")
      ->check(CLI::Range(0.0, 100.0));
  cmd.add_option("--listen", o.listen,
                 "HOST:PORT of the HTTP endpoints /metrics, /probe, / and /healthz (default 127.0.0.1:9464; port 0 picks "
                 "a free one, logged at start). Use a non-loopback address only behind a firewall");
  cmd.add_option("--log-format", o.log_format, "text (default) or json: one JSON object per line, for log shippers")
      ->check(CLI::IsMember({"text", "json"}));
  cmd.add_option("--history", o.history, "Recent run durations kept per scenario for the status page chart (default 60)")
      ->check(CLI::Range(static_cast<size_t>(1), static_cast<size_t>(1000)));
  cmd.add_option("--probe-timeout", o.probe_timeout_ms,
                 "Deadline of one /probe run in ms (default 10000); a shorter Prometheus scrape timeout header wins")
      ->check(CLI::Range(100, 600000));
  cmd.add_option("--shutdown-timeout", o.shutdown_timeout_ms,
                 "On SIGTERM/SIGINT, how long running scenarios may go on before they are cut, in ms (default 10000)")
      ->check(CLI::Range(0, 600000));
  cmd.add_option("--cert-check-interval", o.cert_check_interval,
                 "How often the certificate of a wss:// target is read for wscheck_tls_cert_expiry_timestamp_seconds "
                 "(default 1h)");
  cmd.add_option("--step-timeout", o.step_timeout_ms, "Default step timeout in ms (default 5000)")->check(CLI::Range(1, 3600000));
  add_tls_options(cmd, o.insecure, o.ca_file);
  cmd.add_option("--max-message-bytes", o.max_message_bytes, "Largest message accepted (default 16 MiB)")
      ->check(CLI::Range(static_cast<size_t>(1), static_cast<size_t>(1) << 31));
}

}  // namespace wscheck
