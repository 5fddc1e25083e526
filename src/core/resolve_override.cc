#include "core/resolve_override.h"

#include <arpa/inet.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>

namespace wscheck {

namespace {

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

bool numeric_address(const std::string& a) {
  unsigned char buf[16];
  return inet_pton(AF_INET, a.c_str(), buf) == 1 || inet_pton(AF_INET6, a.c_str(), buf) == 1;
}

}  // namespace

std::optional<ResolveOverride> parse_resolve_override(const std::string& text, std::string& error) {
  const std::string form = "--resolve takes HOST:PORT:ADDR[,ADDR...], e.g. localhost:8080:::1,127.0.0.1; got \"" + text + "\"";
  size_t first = text.find(':');
  size_t second = first == std::string::npos ? std::string::npos : text.find(':', first + 1);
  if (first == 0 || second == std::string::npos) {
    error = form;
    return std::nullopt;
  }
  ResolveOverride r;
  r.host = lower(text.substr(0, first));
  if (r.host.size() > 2 && r.host.front() == '[' && r.host.back() == ']') r.host = r.host.substr(1, r.host.size() - 2);
  std::string port = text.substr(first + 1, second - first - 1);
  char* end = nullptr;
  long p = std::strtol(port.c_str(), &end, 10);
  if (port.empty() || *end != '\0' || p < 1 || p > 65535) {
    error = form + " (the port must be 1-65535)";
    return std::nullopt;
  }
  r.port = static_cast<int>(p);
  std::string list = text.substr(second + 1);
  size_t pos = 0;
  while (pos <= list.size()) {
    size_t comma = list.find(',', pos);
    std::string a = list.substr(pos, comma == std::string::npos ? std::string::npos : comma - pos);
    if (a.size() > 2 && a.front() == '[' && a.back() == ']') a = a.substr(1, a.size() - 2);
    if (!numeric_address(a)) {
      error = form + " (\"" + a + "\" is not a numeric IPv4 or IPv6 address)";
      return std::nullopt;
    }
    r.addresses.push_back(a);
    if (comma == std::string::npos) break;
    pos = comma + 1;
  }
  return r;
}

const std::vector<std::string>* find_override(const ResolveOverrides& all, const std::string& host, int port) {
  std::string h = lower(host);
  for (const auto& o : all)
    if (o.host == h && o.port == port) return &o.addresses;
  return nullptr;
}

}  // namespace wscheck
