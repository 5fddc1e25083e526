// `wscheck record`: a recording proxy that writes the session as a scenario.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace wscheck {

struct RecordCommandOptions {
  std::string listen = "127.0.0.1:0";  // HOST:PORT for clients (port 0: ephemeral, printed)
  std::string upstream;                // ws:// or wss:// server to forward to
  std::string output = "recording.json";  // "-" = stdout
  std::string name;                    // scenario name
  int max_duration_ms = 0;             // stop by itself after this long (0: on Ctrl-C / SIGTERM)
  std::vector<std::string> drops;      // leave out text frames matching (heartbeats)
  std::vector<std::string> headers;    // extra custom request headers to forward
  size_t max_message_bytes = 16u << 20;
  bool absolute_urls = false;
  bool force = false;
  bool insecure = false;
  std::string ca_file;
};

int record_command(const RecordCommandOptions& options);

}  // namespace wscheck
