// Which names and values in captured traffic are credentials. The scenario
// writer turns every one of them into a ${VARIABLE}; none is ever written.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace wscheck {

/// What the scenario writer does with a request header of a captured upgrade.
enum class HeaderUse {
  kDrop,    // part of the handshake or browser noise (Host, Sec-WebSocket-Key, User-Agent, ...)
  kSecret,  // a credential (Authorization, Cookie, X-Api-Key, ...): becomes a variable
  kKeep,    // written as is (Origin, custom application headers)
};

HeaderUse classify_header(std::string_view name);

/// A query parameter or JSON key whose value is a credential ("token",
/// "access_token", "apiKey", "password", "session", "sig", ...).
bool is_secret_name(std::string_view name);

/// A value shaped like a bearer credential whatever its name: a JWT
/// (three base64url segments starting "eyJ").
bool looks_like_token(std::string_view value);

/// The words of an identifier: "createdAt" -> {"created", "at"},
/// "x-api-key" -> {"x", "api", "key"}, "run_id" -> {"run", "id"}; lower case.
std::vector<std::string> identifier_words(std::string_view name);

/// An upper-case variable name for a credential found under `name`
/// ("access_token" -> "ACCESS_TOKEN", "Authorization" -> "AUTHORIZATION").
std::string variable_name_for(std::string_view name);

}  // namespace wscheck
