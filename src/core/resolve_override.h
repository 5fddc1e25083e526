// curl-style --resolve HOST:PORT:ADDR[,ADDR...]: pinned name resolution.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace wscheck {

/// One --resolve entry: connections to host:port use these addresses, in order.
struct ResolveOverride {
  std::string host;  // lower case, without brackets
  int port = 0;
  std::vector<std::string> addresses;  // numeric, brackets removed
};

/// All --resolve entries of a run; looked up instead of the system resolver.
using ResolveOverrides = std::vector<ResolveOverride>;

/// Parses "HOST:PORT:ADDR[,ADDR...]" (IPv6 addresses may be bracketed:
/// "localhost:8080:[::1],127.0.0.1"). On failure returns nullopt and sets
/// `error` to a sentence naming the expected form.
std::optional<ResolveOverride> parse_resolve_override(const std::string& text, std::string& error);

/// The pinned addresses for host:port, or nullptr.
const std::vector<std::string>* find_override(const ResolveOverrides& all, const std::string& host, int port);

}  // namespace wscheck
