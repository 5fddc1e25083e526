// `wscheck init`: a starter scenarios/ folder and a CI workflow.
#pragma once

#include <string>

namespace wscheck {

struct InitCommandOptions {
  std::string url;        // probe this ws(s):// endpoint and fit the scenarios to it
  std::string dir = ".";  // where scenarios/ and wscheck-ci.yml go
  bool force = false;     // overwrite existing files
  int timeout_ms = 5000;  // per probe phase
  bool insecure = false;
  std::string ca_file;
};

int init_command(const InitCommandOptions& options);

}  // namespace wscheck
