// Pieces of `wscheck run` beside its main flow: the managed server's options
// and words, --repeat counts, environment-failure output.
#pragma once

#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include "cli/run_command.h"
#include "cli/scenario_plan.h"
#include "core/diagnosis.h"
#include "core/exit_status.h"
#include "core/redactor.h"
#include "engine/results.h"
#include "process/managed_server.h"
#include "report/reporter.h"

namespace wscheck {

/// The current UTC time as ISO 8601 (run metadata).
std::string iso_now();

/// --server flags, else the suite file's "server" block; nullopt if neither.
std::optional<ManagedServerOptions> managed_server_options(const RunCommandOptions& o, const Plan& plan);

/// --repeat: pass counts per scenario go into the run summary (so every
/// report carries them) and on the console; a scenario that both passed and
/// failed is flaky, which fails the run (exit 1) and says so.
ExitStatus report_repeats(std::FILE* out, const std::vector<ScenarioResult>& results, size_t repeat, bool color,
                          ExitStatus status, RunSummary& summary);

/// The managed server's own words about a failed scenario: what it logged
/// while the failing step ran, and its last error-looking line.
void attach_server_words(ManagedServer& server, ScenarioResult& r, const Redactor& redactor);

/// The environment stopped the run before any scenario: says why on `out`.
void print_environment_failure(std::FILE* out, const Diagnosis& d, const char* what);

}  // namespace wscheck
