// Parsing a scenario text in a unit test and reading back its errors.
#pragma once

#include <string>
#include <vector>

#include "scenario/parser.h"

namespace wscheck_test {

/// Every error of a scenario text, as str() lines ("f.json:L:C: ...").
inline std::vector<std::string> errors_of(const std::string& text) {
  std::vector<wscheck::ScenarioError> errors;
  (void)wscheck::parse_scenario_text(text, "f.json", errors);
  std::vector<std::string> out;
  for (const auto& e : errors) out.push_back(e.str());
  return out;
}

}  // namespace wscheck_test
