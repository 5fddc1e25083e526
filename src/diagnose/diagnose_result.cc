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
  if (result.failed_step && *result.failed_step < result.steps.size() && result.steps[*result.failed_step].diagnosis) {
    Diagnosis& d = *result.steps[*result.failed_step].diagnosis;
    for (const std::string& line : rule_count_lines(result.connections)) d.details.push_back(redactor.apply(line));
    result.diagnosis = d;
  }
}

std::vector<std::string> rule_count_lines(const std::vector<ConnectionReport>& connections) {
  std::vector<std::string> lines;
  for (const auto& c : connections) {
    for (const auto& rule : c.rules) {
      std::string times = rule.count == 1 ? "once" : std::to_string(rule.count) + " times";
      std::string what = rule.count == 0 ? "never matched"
                         : rule.action == RuleAction::kReply ? "replied " + times
                                                             : "ignored " + times;
      lines.push_back("rule \"" + rule.name + "\"" + (connections.size() > 1 ? " on " + c.name : "") + ": " + what);
    }
  }
  return lines;
}

}  // namespace wscheck
