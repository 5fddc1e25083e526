// The step between the engine and the reports: facts become diagnoses.
#pragma once

#include "core/redactor.h"
#include "engine/results.h"

namespace wscheck {

/// Fills `diagnosis` of every failed step (and of the scenario) from the
/// failure facts the engine recorded, with secrets redacted. Call it on each
/// finished ScenarioResult before any reporter sees it. Idempotent.
void diagnose_result(ScenarioResult& result, const Redactor& redactor);

}  // namespace wscheck
