// The Python side of the dependency preflight: one interpreter process
// (src/diagnose/python_check.py, embedded) answers every requirement at once.
#pragma once

#include <string>
#include <vector>

#include "diagnose/check.h"
#include "scenario/dependency_requirements.h"

namespace wscheck {

/// Everything to check with one interpreter in one folder; paths resolved.
struct PythonCheckRequest {
  std::string python;                            // path or command on PATH
  std::string cwd;                               // "" = ours
  std::vector<std::string> requirement_files;
  std::vector<PyprojectRef> pyprojects;
  std::vector<std::string> modules;              // requires.python_modules
  std::vector<std::string> imports;              // requires.python_import
  int import_timeout_ms = 10000;
  bool import_packages = false;
  int timeout_ms = 30000;                        // for everything but the app imports
  std::vector<std::string> other_pythons;        // asked where a missing package is installed instead
};

/// The interpreter default: $VIRTUAL_ENV/bin/python, else python3.
std::string default_python();

/// Runs the checker; returns the "python", "python requirements",
/// "python MODULE" and "import MODULE" checks.
std::vector<Check> check_python(const PythonCheckRequest& request);

/// 'numpy>=1.26' -> shell-safe word.
std::string shell_quote(const std::string& word);

}  // namespace wscheck
