// The step between the engine and the reports: facts become diagnoses.
#pragma once

#include <string>
#include <vector>

#include "core/redactor.h"
#include "engine/results.h"

namespace wscheck {

/// Fills `diagnosis` of every failed step (and of the scenario) from the
/// failure facts the engine recorded, with secrets redacted. Call it on each
/// finished ScenarioResult before any reporter sees it. Idempotent.
void diagnose_result(ScenarioResult& result, const Redactor& redactor);

/// One line per on_message rule of the connections, with how often it fired:
/// `rule "engine.io heartbeat": replied 4 times` (a failure's details, -v).
std::vector<std::string> rule_count_lines(const std::vector<ConnectionReport>& connections);

}  // namespace wscheck
