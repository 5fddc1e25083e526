#include "diagnose/diagnose_result.h"

#include "diagnose/failure_text.h"

namespace wscheck {

void diagnose_result(ScenarioResult& result, const Redactor& redactor) {
  for (StepResult& step : result.steps) {
    if (!step.failure) continue;
    Diagnosis d = describe_failure(*step.failure);
    d.headline = redactor.apply(d.headline);
    for (auto& line : d.details) line = redactor.apply(line);
    step.diagnosis = std::move(d);
  }
  if (result.failed_step && *result.failed_step < result.steps.size() && result.steps[*result.failed_step].diagnosis)
    result.diagnosis = result.steps[*result.failed_step].diagnosis;
}

}  // namespace wscheck
