// `wscheck import-har`: a browser HAR export becomes a scenario file.
#pragma once

#include <string>
#include <vector>

namespace wscheck {

struct ImportHarCommandOptions {
  std::string har_file;
  std::string output = "-";               // "-" = stdout
  std::string url_filter;                 // only entries whose URL matches
  std::vector<std::string> drops;         // leave out frames matching (heartbeats)
  std::string name;                       // scenario name (default: from the file name)
  bool absolute_urls = false;
  bool force = false;                     // overwrite --output
};

int import_har_command(const ImportHarCommandOptions& options);

}  // namespace wscheck
