// requires.python / cwd / python_requirements / pyproject / node_packages /
// python_import: what the project itself declares, checked in one pass.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace wscheck {

/// A pyproject.toml to check: [project.dependencies] plus the named groups
/// ([project.optional-dependencies] or [dependency-groups]).
struct PyprojectRef {
  std::string file;
  std::vector<std::string> groups;
  bool operator==(const PyprojectRef&) const = default;
};

/// The dependency part of a scenario's `requires`, paths as written.
struct DependencyRequirements {
  std::string python;                            // path or command; "" = $VIRTUAL_ENV/bin/python, else python3
  std::string cwd;                               // folder the app runs from; "" = wscheck's own
  std::vector<std::string> python_requirements;  // requirements.txt files
  std::vector<PyprojectRef> pyprojects;
  std::vector<std::string> node_packages;        // package.json files
  std::vector<std::string> python_import;        // the app's own modules, imported with a deadline
  std::optional<int> import_timeout_ms;          // default 10000
  std::optional<bool> import_packages;           // also import each installed requirement's top-level module
  std::string base_dir;                          // the scenario file's folder: relative paths start there
  bool empty() const {
    return python_requirements.empty() && pyprojects.empty() && node_packages.empty() && python_import.empty();
  }
};

}  // namespace wscheck
