// Minting HMAC-signed JSON Web Tokens (HS256/HS384/HS512) with OpenSSL.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace wscheck {

/// base64url without padding (RFC 7515 §2).
std::string base64url_encode(std::string_view bytes);
std::string base64_encode(std::string_view bytes);
/// Standard or url-safe base64, padding optional; throws std::invalid_argument.
std::string base64_decode(std::string_view text);

/// Signs `claims` with `secret`. `alg` is HS256, HS384 or HS512
/// (throws std::invalid_argument otherwise). Header is {"alg":..,"typ":"JWT"}.
std::string make_jwt(const nlohmann::json& claims, std::string_view secret, const std::string& alg = "HS256");

/// Checks an HMAC JWT's signature and `exp` (if present) and returns its
/// claims; throws std::runtime_error with a reason. Used by the reference server.
nlohmann::json verify_jwt(std::string_view token, std::string_view secret, long long now_s);

}  // namespace wscheck
