// Options shared by several subcommands (run, doctor, wait, bench, watch).
#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

namespace wscheck {

/// --var, --tag and --name: which scenarios run, with which variables.
void add_selection_options(CLI::App& cmd, std::vector<std::string>& vars, std::vector<std::string>& tags,
                           std::vector<std::string>& names);
/// --insecure and --ca-file: how a wss:// server's certificate is checked.
void add_tls_options(CLI::App& cmd, bool& insecure, std::string& ca_file);
/// --resolve, curl's way of pinning a host's addresses.
void add_resolve_option(CLI::App& cmd, std::vector<std::string>& resolve);

}  // namespace wscheck
