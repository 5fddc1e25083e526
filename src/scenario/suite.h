// The suite model: everything the scenario files of one run declare.
#pragma once

#include <optional>
#include <vector>

#include "scenario/model.h"

namespace wscheck {

/// Everything one or more scenario files declare.
struct Suite {
  std::vector<Scenario> scenarios;
  std::optional<ServerSpec> server;  // a suite file's "server" block, typed and validated
};

}  // namespace wscheck
