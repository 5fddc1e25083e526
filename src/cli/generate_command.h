// `wscheck --generate man|bash|zsh`: hidden options that print the man page or
// a completion script, generated from the CLI11 definitions of the running
// binary (the build runs it; see the top-level meson.build).
#pragma once

#include <string>

namespace CLI {
class App;
}

namespace wscheck {

/// The values of the hidden --generate and --man-prose options.
struct GenerateOptions {
  std::string what;       // "man", "bash" or "zsh"; empty: not asked
  std::string man_prose;  // the hand-written sections of the man page
};

/// Adds --generate and --man-prose to `app`, hidden from --help.
void add_generate_options(CLI::App& app, GenerateOptions& options);

/// Prints what was asked for to stdout. Call after every subcommand is
/// defined. Returns the exit status (2 when the prose file is unusable).
int generate_command(const CLI::App& app, const GenerateOptions& options, const std::string& version);

}  // namespace wscheck
