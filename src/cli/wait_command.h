// `wscheck wait`: poll until a target is really ready, with a deadline.
#pragma once

#include <string>
#include <vector>

namespace wscheck {

struct WaitCommandOptions {
  std::string url;          // ws(s)://, http(s)://, tcp://host:port
  int timeout_ms = 30000;   // overall deadline
  int interval_ms = 200;    // between attempts
  bool insecure = false;
  std::string ca_file;
  std::vector<std::string> resolve;  // --resolve HOST:PORT:ADDR[,ADDR...]
  bool quiet = false;
};

int wait_command(const WaitCommandOptions& options);

}  // namespace wscheck
