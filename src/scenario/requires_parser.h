// Parsing of the dependency keys of `requires` (see dependency_requirements.h).
#pragma once

#include <functional>
#include <set>
#include <string>

#include <nlohmann/json.hpp>

#include "scenario/dependency_requirements.h"
#include "scenario/model.h"

namespace wscheck {

/// The keys read_dependency_requires understands.
std::set<std::string> dependency_require_keys();

/// Reads those keys of the `requires` object `v` (at JSON pointer `pointer`)
/// of scenario file `file`. `at` turns a pointer into file:line:col.
/// Throws ScenarioError.
DependencyRequirements read_dependency_requires(const nlohmann::json& v, const std::string& pointer, const std::string& file,
                                                const std::function<SourceRef(const std::string&)>& at);

/// A scenario's own `requires` over the file's defaults: lists are merged,
/// a scalar the scenario sets wins.
void merge_dependency_requires(DependencyRequirements& into, const DependencyRequirements& own);

}  // namespace wscheck
