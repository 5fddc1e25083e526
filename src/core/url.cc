#include "core/url.h"

#include <algorithm>
#include <stdexcept>

namespace wscheck {

namespace {

int default_port(const std::string& scheme) {
  if (scheme == "ws" || scheme == "http") return 80;
  if (scheme == "wss" || scheme == "https") return 443;
  return 0;
}

}  // namespace

std::string Url::authority() const {
  std::string h = host.find(':') != std::string::npos ? "[" + host + "]" : host;
  if (explicit_port && port != default_port(scheme)) h += ":" + std::to_string(port);
  return h;
}

std::string Url::str() const { return scheme + "://" + authority() + (scheme == "tcp" ? "" : path); }

namespace {

/// Splits "host[:port]" or "[v6][:port]" into url.host and the port text;
/// returns an error sentence or "".
std::string split_authority(const std::string& authority, const std::string& text, Url& url,
                            std::string& port_text) {
  if (authority.find('@') != std::string::npos)
    return "user:password@ in URLs is not supported (\"" + text + "\"); use a connect step's auth or headers";
  if (!authority.empty() && authority[0] == '[') {
    auto close = authority.find(']');
    if (close == std::string::npos) return "unterminated IPv6 address in \"" + text + "\"";
    url.host = authority.substr(1, close - 1);
    if (close + 1 < authority.size()) {
      if (authority[close + 1] != ':') return "unexpected text after the IPv6 address in \"" + text + "\"";
      port_text = authority.substr(close + 2);
      url.explicit_port = true;
    }
  } else {
    auto colon = authority.rfind(':');
    url.host = authority.substr(0, colon);
    if (colon != std::string::npos) {
      port_text = authority.substr(colon + 1);
      url.explicit_port = true;
    }
  }
  if (url.host.empty()) return "no host in \"" + text + "\"";
  return "";
}

/// Sets url.port from the explicit port text or the scheme's default.
std::string set_port(const std::string& port_text, const std::string& text, Url& url) {
  if (!url.explicit_port) {
    url.port = default_port(url.scheme);
    return url.port == 0 ? "a port is required in \"" + text + "\"" : "";
  }
  if (port_text.empty() || port_text.size() > 5 ||
      !std::all_of(port_text.begin(), port_text.end(), [](char c) { return c >= '0' && c <= '9'; }) ||
      std::stoi(port_text) < 1 || std::stoi(port_text) > 65535)
    return "invalid port \"" + port_text + "\" in \"" + text + "\" (1-65535)";
  url.port = std::stoi(port_text);
  return "";
}

/// Rejects spaces and control characters in the host and path.
std::string check_characters(const Url& url, const std::string& text) {
  for (char c : url.host)
    if (static_cast<unsigned char>(c) <= 0x20 || c == '/' || c == '\\')
      return "invalid character in the host of \"" + text + "\"";
  for (char c : url.path)
    if (static_cast<unsigned char>(c) < 0x20 || c == ' ')
      return "invalid character in the path of \"" + text + "\" (percent-encode spaces and control characters)";
  return "";
}

}  // namespace

std::optional<Url> parse_url(const std::string& text, std::string& error) {
  auto sep = text.find("://");
  if (sep == std::string::npos) {
    error = "\"" + text + "\" is not an absolute URL (expected ws://host:port/path or wss://...)";
    return std::nullopt;
  }
  Url url;
  url.scheme = text.substr(0, sep);
  std::transform(url.scheme.begin(), url.scheme.end(), url.scheme.begin(), ::tolower);
  if (url.scheme != "ws" && url.scheme != "wss" && url.scheme != "http" && url.scheme != "https" &&
      url.scheme != "tcp") {
    error = "unsupported URL scheme \"" + url.scheme + "\" in \"" + text + "\" (use ws, wss, http, https or tcp)";
    return std::nullopt;
  }
  std::string rest = text.substr(sep + 3);
  auto slash = rest.find_first_of("/?#");
  std::string authority = rest.substr(0, slash);
  if (slash != std::string::npos) {
    url.path = rest.substr(slash);
    if (url.path[0] == '?' || url.path[0] == '#') url.path = "/" + url.path;
  }
  if (auto hash = url.path.find('#'); hash != std::string::npos) url.path.erase(hash);
  std::string port_text;
  error = split_authority(authority, text, url, port_text);
  if (error.empty()) error = set_port(port_text, text, url);
  if (error.empty()) error = check_characters(url, text);
  if (!error.empty()) return std::nullopt;
  return url;
}

Url resolve_url(const std::optional<Url>& base, const std::string& ref) {
  std::string error;
  if (ref.find("://") != std::string::npos) {
    auto url = parse_url(ref, error);
    if (!url) throw std::invalid_argument(error);
    return *url;
  }
  if (!base)
    throw std::invalid_argument("relative URL \"" + ref + "\" needs a base: pass --url ws://host:port");
  Url url = *base;
  if (ref.empty()) return url;
  if (ref[0] != '/' && ref[0] != '?')
    throw std::invalid_argument("relative URL \"" + ref + "\" must start with '/'");
  url.path = ref[0] == '?' ? "/" + ref : ref;
  for (char c : url.path)
    if (static_cast<unsigned char>(c) < 0x20 || c == ' ')
      throw std::invalid_argument("invalid character in the path \"" + ref + "\" (percent-encode it)");
  return url;
}

std::string percent_encode(const std::string& s) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
        c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(hex[c >> 4]);
      out.push_back(hex[c & 15]);
    }
  }
  return out;
}

std::string add_query_param(const std::string& path, const std::string& name, const std::string& value) {
  char sep = path.find('?') == std::string::npos ? '?' : '&';
  return path + sep + percent_encode(name) + "=" + percent_encode(value);
}

}  // namespace wscheck
