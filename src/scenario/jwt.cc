#include "scenario/jwt.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <stdexcept>

namespace wscheck {

namespace {

const EVP_MD* digest_for(const std::string& alg) {
  if (alg == "HS256") return EVP_sha256();
  if (alg == "HS384") return EVP_sha384();
  if (alg == "HS512") return EVP_sha512();
  throw std::invalid_argument("unsupported JWT alg \"" + alg + "\" (use HS256, HS384 or HS512)");
}

std::string hmac(const EVP_MD* md, std::string_view key, std::string_view data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (!HMAC(md, key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(data.data()),
            data.size(), out, &len))
    throw std::runtime_error("OpenSSL HMAC failed");
  return std::string(reinterpret_cast<char*>(out), len);
}

std::string encode(std::string_view bytes, const char* alphabet, bool pad) {
  std::string out;
  size_t i = 0;
  while (i + 2 < bytes.size()) {
    unsigned v = (unsigned char)bytes[i] << 16 | (unsigned char)bytes[i + 1] << 8 | (unsigned char)bytes[i + 2];
    out += alphabet[v >> 18 & 63];
    out += alphabet[v >> 12 & 63];
    out += alphabet[v >> 6 & 63];
    out += alphabet[v & 63];
    i += 3;
  }
  size_t rest = bytes.size() - i;
  if (rest == 1) {
    unsigned v = (unsigned char)bytes[i] << 16;
    out += alphabet[v >> 18 & 63];
    out += alphabet[v >> 12 & 63];
    if (pad) out += "==";
  } else if (rest == 2) {
    unsigned v = (unsigned char)bytes[i] << 16 | (unsigned char)bytes[i + 1] << 8;
    out += alphabet[v >> 18 & 63];
    out += alphabet[v >> 12 & 63];
    out += alphabet[v >> 6 & 63];
    if (pad) out += "=";
  }
  return out;
}

}  // namespace

std::string base64url_encode(std::string_view bytes) {
  return encode(bytes, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_", false);
}

std::string base64_encode(std::string_view bytes) {
  return encode(bytes, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/", true);
}

std::string base64_decode(std::string_view text) {
  std::string out;
  unsigned buffer = 0;
  int bits = 0;
  size_t i = 0;
  for (; i < text.size(); ++i) {
    char c = text[i];
    int v;
    if (c >= 'A' && c <= 'Z') v = c - 'A';
    else if (c >= 'a' && c <= 'z') v = c - 'a' + 26;
    else if (c >= '0' && c <= '9') v = c - '0' + 52;
    else if (c == '+' || c == '-') v = 62;
    else if (c == '/' || c == '_') v = 63;
    else if (c == '=') break;
    else throw std::invalid_argument("invalid base64 character");
    buffer = (buffer << 6) | unsigned(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((buffer >> bits) & 0xFF));
    }
  }
  for (; i < text.size(); ++i)
    if (text[i] != '=') throw std::invalid_argument("invalid base64: data after padding");
  if (bits >= 6) throw std::invalid_argument("invalid base64 length");
  return out;
}

std::string make_jwt(const nlohmann::json& claims, std::string_view secret, const std::string& alg) {
  const EVP_MD* md = digest_for(alg);
  nlohmann::json header = {{"alg", alg}, {"typ", "JWT"}};
  std::string signing_input = base64url_encode(header.dump()) + "." + base64url_encode(claims.dump());
  return signing_input + "." + base64url_encode(hmac(md, secret, signing_input));
}

nlohmann::json verify_jwt(std::string_view token, std::string_view secret, long long now_s) {
  auto dot1 = token.find('.');
  auto dot2 = dot1 == std::string_view::npos ? dot1 : token.find('.', dot1 + 1);
  if (dot2 == std::string_view::npos) throw std::runtime_error("not a JWT (expected three dot-separated parts)");
  nlohmann::json header, claims;
  std::string signature;
  try {
    header = nlohmann::json::parse(base64_decode(token.substr(0, dot1)));
    claims = nlohmann::json::parse(base64_decode(token.substr(dot1 + 1, dot2 - dot1 - 1)));
    signature = base64_decode(token.substr(dot2 + 1));
  } catch (const std::exception&) {
    throw std::runtime_error("malformed JWT");
  }
  if (!header.is_object() || !header.contains("alg") || !header["alg"].is_string())
    throw std::runtime_error("JWT header has no alg");
  const EVP_MD* md;
  try {
    md = digest_for(header["alg"].get<std::string>());
  } catch (const std::invalid_argument& e) {
    throw std::runtime_error(e.what());
  }
  std::string expected = hmac(md, secret, token.substr(0, dot2));
  if (expected.size() != signature.size() || CRYPTO_memcmp(expected.data(), signature.data(), expected.size()) != 0)
    throw std::runtime_error("bad JWT signature");
  if (!claims.is_object()) throw std::runtime_error("JWT claims are not an object");
  if (claims.contains("exp") && claims["exp"].is_number() && claims["exp"].get<double>() <= double(now_s))
    throw std::runtime_error("JWT expired");
  return claims;
}

}  // namespace wscheck
