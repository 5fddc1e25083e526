#include "author/secret_rules.h"

#include <algorithm>
#include <cctype>

namespace wscheck {

namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool is_one_of(const std::string& word, std::initializer_list<const char*> list) {
  return std::any_of(list.begin(), list.end(), [&](const char* w) { return word == w; });
}

bool base64url_segment(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '=';
  });
}

}  // namespace

std::vector<std::string> identifier_words(std::string_view name) {
  std::vector<std::string> words;
  std::string current;
  auto flush = [&] {
    if (!current.empty()) words.push_back(lower(current));
    current.clear();
  };
  for (size_t i = 0; i < name.size(); ++i) {
    char c = name[i];
    if (!std::isalnum(static_cast<unsigned char>(c))) {
      flush();
      continue;
    }
    bool upper = std::isupper(static_cast<unsigned char>(c)) != 0;
    bool prev_lower = i > 0 && (std::islower(static_cast<unsigned char>(name[i - 1])) ||
                                std::isdigit(static_cast<unsigned char>(name[i - 1])));
    if (upper && prev_lower) flush();  // camelCase boundary
    current.push_back(c);
  }
  flush();
  return words;
}

HeaderUse classify_header(std::string_view name) {
  std::string n = lower(name);
  if (n.empty() || n[0] == ':') return HeaderUse::kDrop;  // HTTP/2 pseudo headers
  if (n == "authorization" || n == "proxy-authorization" || n == "cookie") return HeaderUse::kSecret;
  static const char* const kDropped[] = {
      "host", "connection", "upgrade", "sec-websocket-key", "sec-websocket-version", "sec-websocket-extensions",
      "sec-websocket-accept", "sec-websocket-protocol", "content-length", "accept", "accept-encoding",
      "accept-language", "cache-control", "pragma", "user-agent", "dnt", "referer", "te", "priority"};
  for (const char* d : kDropped)
    if (n == d) return HeaderUse::kDrop;
  if (n.rfind("sec-ch-", 0) == 0 || n.rfind("sec-fetch-", 0) == 0) return HeaderUse::kDrop;
  return is_secret_name(name) ? HeaderUse::kSecret : HeaderUse::kKeep;
}

bool is_secret_name(std::string_view name) {
  std::vector<std::string> words = identifier_words(name);
  for (size_t i = 0; i < words.size(); ++i) {
    const std::string& w = words[i];
    if (is_one_of(w, {"token", "tokens", "secret", "password", "passwd", "pwd", "passphrase", "auth", "authorization",
                      "apikey", "accesskey", "jwt", "session", "sessionid", "sid", "sig", "signature", "credential",
                      "credentials", "cookie", "otp", "bearer", "csrf", "xsrf", "accesstoken", "refreshtoken",
                      "idtoken"}))
      return true;
    // "api_key", "x-api-key", "access_key", "private_key", "key" alone; not "keyboard"
    if (w == "key" && (words.size() == 1 || i > 0)) return true;
  }
  return false;
}

bool looks_like_token(std::string_view value) {
  if (value.size() < 20 || value.rfind("eyJ", 0) != 0) return false;
  size_t d1 = value.find('.');
  if (d1 == std::string_view::npos) return false;
  size_t d2 = value.find('.', d1 + 1);
  if (d2 == std::string_view::npos || value.find('.', d2 + 1) != std::string_view::npos) return false;
  return base64url_segment(value.substr(0, d1)) && base64url_segment(value.substr(d1 + 1, d2 - d1 - 1)) &&
         base64url_segment(value.substr(d2 + 1));
}

std::string variable_name_for(std::string_view name) {
  std::string out;
  for (const std::string& w : identifier_words(name)) {
    if (!out.empty()) out.push_back('_');
    for (char c : w) out.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  }
  if (out.empty() || std::isdigit(static_cast<unsigned char>(out[0]))) out = "SECRET_" + out;
  return out;
}

}  // namespace wscheck
