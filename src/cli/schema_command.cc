#include "cli/schema_command.h"

#include <cstdio>

#include "core/exit_status.h"
#include "scenario_schema.h"  // generated from docs/scenario.schema.json

namespace wscheck {

int schema_command() {
  std::fwrite(kScenarioSchemaJson.data(), 1, kScenarioSchemaJson.size(), stdout);
  // a closed or full stdout is the environment's problem, not the user's
  return to_int(std::fflush(stdout) == 0 ? ExitStatus::kPassed : ExitStatus::kEnvironment);
}

}  // namespace wscheck
