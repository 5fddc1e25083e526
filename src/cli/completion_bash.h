// `wscheck --generate bash`: a bash completion script from the CLI definitions.
#pragma once

#include <string>

#include "cli/cli_spec.h"

namespace wscheck {

/// A self-contained bash completion script (no bash-completion helpers
/// needed): subcommands, options, the values of choice options (--color),
/// files for path-valued options and *.json files or folders for positionals.
std::string render_bash_completion(const CommandSpec& cli);

}  // namespace wscheck
