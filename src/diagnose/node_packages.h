// requires.node_packages: a package.json's dependencies against node_modules.
#pragma once

#include <string>

#include "diagnose/check.h"

namespace wscheck {

/// Every entry of "dependencies" and "devDependencies" must be in
/// node_modules (looked up as Node does: this folder, then its parents)
/// with a version inside its range. One check, one line per problem.
Check check_node_packages(const std::string& package_json);

}  // namespace wscheck
