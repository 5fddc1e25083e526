// Versions a report records about the tool that wrote it.
#pragma once

#include <string>

namespace wscheck {

struct RunMetadata {
  std::string version;          // wscheck
  std::string lws_version;      // libwebsockets, as the library reports itself
  std::string openssl_version;  // OpenSSL, the runtime library
};

/// The versions of this binary and of the libraries it runs with.
RunMetadata current_run_metadata();

}  // namespace wscheck
