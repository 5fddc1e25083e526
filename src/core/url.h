// WebSocket / HTTP URL parsing and joining.
#pragma once

#include <optional>
#include <stdexcept>
#include <string>

namespace wscheck {

/// A parsed ws://, wss://, http://, https:// or tcp:// URL.
struct Url {
  std::string scheme;  // lower case
  std::string host;    // without brackets for IPv6 literals
  int port = 0;        // explicit or the scheme's default
  std::string path = "/";  // path plus "?query", never empty
  bool explicit_port = false;

  bool tls() const { return scheme == "wss" || scheme == "https"; }
  /// host[:port] as it belongs in a Host header (brackets for IPv6).
  std::string authority() const;
  std::string str() const;
};

/// Parses an absolute URL; on failure returns nullopt and sets `error` to a
/// sentence a person can act on.
std::optional<Url> parse_url(const std::string& text, std::string& error);

/// Resolves `ref` against `base`: an absolute URL is returned as is, a path
/// ("/ws?x=1") replaces the base's path. Throws std::invalid_argument.
Url resolve_url(const std::optional<Url>& base, const std::string& ref);

/// Appends name=value (percent-encoded) to the query of `path`.
std::string add_query_param(const std::string& path, const std::string& name, const std::string& value);

std::string percent_encode(const std::string& s);

}  // namespace wscheck
