// Options that several subcommands share, defined once so their names and
// help text (also the man page's) cannot drift apart.
#include "cli/common_options.h"

namespace wscheck {

/// --var, --tag and --name: which scenarios run, with which variables.
void add_selection_options(CLI::App& cmd, std::vector<std::string>& vars, std::vector<std::string>& tags,
                           std::vector<std::string>& names) {
  cmd.add_option("--var", vars, "NAME=VALUE for ${NAME} in scenarios (repeatable)")->allow_extra_args(false);
  cmd.add_option("--tag", tags, "Only scenarios with this tag (repeatable)")->allow_extra_args(false);
  cmd.add_option("--name", names, "Only scenarios whose name matches this glob (repeatable)")->allow_extra_args(false);
}

/// --insecure and --ca-file: how a wss:// server's certificate is checked.
void add_tls_options(CLI::App& cmd, bool& insecure, std::string& ca_file) {
  cmd.add_flag("--insecure", insecure, "Accept any TLS certificate (test servers)");
  cmd.add_option("--ca-file", ca_file, "Trust this CA bundle (PEM) for wss://");
}

/// --resolve, curl's way of pinning a host's addresses.
void add_resolve_option(CLI::App& cmd, std::vector<std::string>& resolve) {
  cmd.add_option("--resolve", resolve,
                 "Use these addresses for HOST:PORT, like curl: --resolve localhost:8080:::1,127.0.0.1 (repeatable)");
}

}  // namespace wscheck
