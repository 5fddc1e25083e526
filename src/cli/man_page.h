// `wscheck --generate man`: the man page, from the CLI definitions plus a
// hand-written prose file (src/cli/man_prose.roff).
#pragma once

#include <optional>
#include <string>

#include "cli/cli_spec.h"

namespace wscheck {

/// The line of the prose file that the generated sections replace.
inline constexpr const char* kManCommandsMarker = ".\\\" @COMMANDS@";

/// Renders wscheck.1 (roff, man macros): NAME and SYNOPSIS from `cli`, then
/// `prose` with its marker line replaced by OPTIONS and COMMANDS (every
/// subcommand with its options). Nothing when `prose` has no marker line.
std::optional<std::string> render_man_page(const CommandSpec& cli, const std::string& prose, const std::string& version);

}  // namespace wscheck
