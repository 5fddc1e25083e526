// The sentences that name a failed step: failure facts in, Diagnosis out.
#pragma once

#include "core/diagnosis.h"
#include "engine/failure.h"

namespace wscheck {

/// The class, first line, details and hint for one failure fact.
Diagnosis describe_fact(const FailureFact& fact);

/// As describe_fact(); when the environment broke underneath (`cause`), its
/// diagnosis leads and the symptom becomes the first detail line.
Diagnosis describe_failure(const StepFailure& failure);

}  // namespace wscheck
