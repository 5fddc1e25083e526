#include "scenario/scenario_error.h"

#include <algorithm>

namespace wscheck {

bool ErrorList::add(ScenarioError error) {
  if (full()) return false;
  for (const auto& e : errors_)
    if (e.where().file == error.where().file && e.where().pos.line == error.where().pos.line &&
        e.where().pos.col == error.where().pos.col && std::string(e.what()) == error.what())
      return true;  // defaults are read once per scenario: report their problems once
  errors_.push_back(std::move(error));
  return !full();
}

std::vector<ScenarioError> ErrorList::sorted() const {
  std::vector<ScenarioError> out = errors_;
  std::stable_sort(out.begin(), out.end(), [](const ScenarioError& a, const ScenarioError& b) {
    const SourcePos &x = a.where().pos, &y = b.where().pos;
    return x.line != y.line ? x.line < y.line : x.col < y.col;
  });
  return out;
}

}  // namespace wscheck
