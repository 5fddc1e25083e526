// `wscheck --generate zsh`: a zsh completion function from the CLI definitions.
#pragma once

#include <string>

#include "cli/cli_spec.h"

namespace wscheck {

/// The `_wscheck` completion function (a #compdef file for $fpath): commands
/// with their descriptions, options with theirs, choice values, files for
/// path-valued options and *.json files or folders for positionals.
std::string render_zsh_completion(const CommandSpec& cli);

}  // namespace wscheck
