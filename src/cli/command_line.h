// The command line: every subcommand's options and its CLI11 node.
#pragma once

#include <CLI/CLI.hpp>
#include <optional>

#include "cli/bench_command.h"
#include "cli/doctor_command.h"
#include "cli/generate_command.h"
#include "cli/import_har_command.h"
#include "cli/init_command.h"
#include "cli/record_command.h"
#include "cli/run_command.h"
#include "cli/schema_command.h"
#include "cli/serve_command.h"
#include "cli/wait_command.h"
#include "cli/watch_command.h"

namespace wscheck {

/// What main() parses into: one options struct and one CLI11 node per subcommand.
struct CommandLine {
  GenerateOptions generate;
  RunCommandOptions run;
  ServeCommandOptions serve;
  DoctorCommandOptions doctor;
  WaitCommandOptions wait;
  BenchCommandOptions bench;
  MergeCommandOptions merge;
  InitCommandOptions init;
  ImportHarCommandOptions har;
  RecordCommandOptions rec;
  WatchCommandOptions watch;
  CLI::App* run_cmd = nullptr;
  CLI::App* serve_cmd = nullptr;
  CLI::App* doctor_cmd = nullptr;
  CLI::App* wait_cmd = nullptr;
  CLI::App* schema_cmd = nullptr;
  CLI::App* bench_cmd = nullptr;
  CLI::App* merge_cmd = nullptr;
  CLI::App* init_cmd = nullptr;
  CLI::App* har_cmd = nullptr;
  CLI::App* rec_cmd = nullptr;
  CLI::App* watch_cmd = nullptr;
};

/// Defines every subcommand and option on `app`, bound to `cl`.
void define_commands(CLI::App& app, CommandLine& cl);

/// Runs the subcommand the user chose; nullopt when none was.
std::optional<int> run_chosen_command(const CommandLine& cl);

}  // namespace wscheck
