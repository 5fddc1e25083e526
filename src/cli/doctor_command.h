// `wscheck doctor`: preflight only, with a verdict and hints.
#pragma once

#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "scenario/dependency_requirements.h"

namespace wscheck {

/// Dependency checks asked for on the command line (paths relative to the
/// current folder), so doctor works without any scenario file.
struct DoctorDependencyOptions {
  std::string python;
  std::string cwd;
  std::vector<std::string> requirements;   // requirements.txt files
  std::vector<std::string> pyprojects;     // FILE or FILE:group,group
  std::vector<std::string> node_packages;  // package.json files
  std::vector<std::string> python_import;
  std::vector<std::string> python_modules;
  int import_timeout_ms = 0;
  bool import_packages = false;
  bool any() const {
    return !requirements.empty() || !pyprojects.empty() || !node_packages.empty() || !python_import.empty() ||
           !python_modules.empty();
  }
};

struct DoctorCommandOptions {
  std::vector<std::string> paths;
  std::string url;
  std::vector<std::string> vars;
  std::vector<std::string> tags;
  std::vector<std::string> names;
  int timeout_ms = 5000;
  bool insecure = false;
  std::string ca_file;
  std::vector<std::string> resolve;  // --resolve HOST:PORT:ADDR[,ADDR...]
  std::string color = "auto";
  DoctorDependencyOptions deps;
};

/// --python, --requirements, --pyproject, --node-packages, --python-import, ...
void add_doctor_dependency_options(CLI::App& doctor, DoctorDependencyOptions& deps);

int doctor_command(const DoctorCommandOptions& options);

}  // namespace wscheck
