// The files `wscheck init` writes: starter scenarios and a CI workflow.
#pragma once

#include <string>
#include <vector>

#include "author/output_files.h"

namespace wscheck {

/// What init knows about the target; all defaults describe the built-in
/// reference server (JWT in the "token" query parameter, path /ws).
struct StarterTarget {
  std::string origin;        // "ws://host:port" probed with --url ("" = not probed)
  std::string path = "/ws";  // path (and query) of the WebSocket endpoint
  int upgrade_status = 0;    // HTTP status of the probe's upgrade without credentials (0 = not probed)
};

/// DIR/scenarios/{connect,no_credentials_rejection,ping,request_response}.json
/// and DIR/wscheck-ci.yml. When the upgrade without credentials was
/// accepted (101) the connect scenarios carry no auth, and the rejection
/// scenario is written as no_credentials_rejection.json.disabled (run
/// skips it) with a comment saying why.
std::vector<GeneratedFile> starter_files(const std::string& dir, const StarterTarget& target);

}  // namespace wscheck
