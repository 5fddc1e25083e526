// `wscheck serve`: the reference server as a standalone process.
#pragma once

#include <string>
#include <vector>

namespace wscheck {

struct ServeCommandOptions {
  std::string host = "127.0.0.1";
  int port = 8765;
  std::string jwt_secret;  // empty: $JWT_SECRET, else "test-secret"
  std::vector<std::string> faults;
  unsigned seed = 1;
};

int serve_command(const ServeCommandOptions& options);

}  // namespace wscheck
