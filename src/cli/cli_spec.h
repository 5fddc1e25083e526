// The command-line interface as plain data, read from the CLI11 definitions,
// so the man page and the shell completions are generated from the same
// source as --help and cannot drift from it.
#pragma once

#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace wscheck {

/// What kind of value an option takes, for completion and the man page.
enum class ValueKind { kNone, kNumber, kChoice, kPath };

/// One option or positional argument of a command, as --help shows it.
struct OptionSpec {
  std::vector<std::string> names;    // short names first ("-j", "--jobs"); a positional's name
  std::string value_name;            // "INT", "TEXT"...; empty for a flag
  std::string description;
  std::string default_value;         // only when CLI11 captured one
  std::vector<std::string> choices;  // the values an IsMember check accepts
  ValueKind kind = ValueKind::kNone;
  bool positional = false;
  bool repeatable = false;
  bool required = false;
};

/// A command (the program itself, or a subcommand) and what it accepts.
struct CommandSpec {
  std::vector<std::string> path;  // {"wscheck"}, {"wscheck", "run"}
  std::string description;
  std::vector<OptionSpec> options;
  std::vector<CommandSpec> subcommands;

  std::string full_name() const;  // "wscheck run"
  bool has_positional() const;
};

/// Reads the visible options and subcommands of `app` (hidden ones, in the
/// empty group, are left out, as --help leaves them out).
CommandSpec describe_cli(const CLI::App& app, const std::string& program);

}  // namespace wscheck
