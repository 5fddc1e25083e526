// `wscheck doctor`: preflight only, with a verdict and hints.
#pragma once

#include <string>
#include <vector>

namespace wscheck {

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
};

int doctor_command(const DoctorCommandOptions& options);

}  // namespace wscheck
