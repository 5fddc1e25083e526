// Unit tests for src/scenario/jwt.h: HMAC JWTs and base64.
//
// Expected tokens come from independent sources: the jwt.io / RFC 7519-style
// HS256 example, and tokens computed with Python's hmac/hashlib/base64 over
// the same signing input make_jwt builds (nlohmann::json::dump() sorts keys,
// so the payload segment is {"iat":...,"name":...,"sub":...}).
#include "scenario/jwt.h"

#include <doctest/doctest.h>

#include <stdexcept>
#include <string>

#include "test_util.h"

using wscheck::base64_decode;
using wscheck::base64_encode;
using wscheck::base64url_encode;
using wscheck::make_jwt;
using wscheck::verify_jwt;
using wscheck_test::contains;
using json = nlohmann::json;

namespace {

const char* kJwtIoToken =
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9."
    "eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ."
    "SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c";
const char* kJwtIoSecret = "your-256-bit-secret";
const long long kNow = 1700000000;

json jwt_io_claims() { return json{{"sub", "1234567890"}, {"name", "John Doe"}, {"iat", 1516239022}}; }

/// The reason verify_jwt gives for rejecting `token`, or "" if it accepts it.
std::string rejection(std::string_view token, std::string_view secret, long long now = kNow) {
  try {
    (void)verify_jwt(token, secret, now);
  } catch (const std::runtime_error& e) {
    return e.what();
  }
  return "";
}

std::string segment(const std::string& token, int index) {
  size_t start = 0;
  for (int i = 0; i < index; ++i) start = token.find('.', start) + 1;
  size_t end = token.find('.', start);
  return token.substr(start, end == std::string::npos ? std::string::npos : end - start);
}

}  // namespace

TEST_SUITE("jwt") {

TEST_CASE("verify_jwt accepts the canonical jwt.io HS256 token") {
  json claims = verify_jwt(kJwtIoToken, kJwtIoSecret, kNow);
  CHECK(claims == jwt_io_claims());
}

TEST_CASE("verify_jwt rejects a wrong secret, a tampered payload or signature") {
  CHECK(contains(rejection(kJwtIoToken, "not-the-secret"), "bad JWT signature"));
  CHECK(contains(rejection(kJwtIoToken, ""), "bad JWT signature"));

  std::string tampered = kJwtIoToken;
  // payload {"sub":"1234567891",...}: same header and signature, one digit changed
  std::string payload = base64url_encode(R"({"sub":"1234567891","name":"John Doe","iat":1516239022})");
  tampered = segment(kJwtIoToken, 0) + "." + payload + "." + segment(kJwtIoToken, 2);
  CHECK(contains(rejection(tampered, kJwtIoSecret), "bad JWT signature"));

  // first signature character 'S' -> 'T' changes the first signature byte
  std::string bad_sig = segment(kJwtIoToken, 0) + "." + segment(kJwtIoToken, 1) + ".T" + segment(kJwtIoToken, 2).substr(1);
  CHECK(contains(rejection(bad_sig, kJwtIoSecret), "bad JWT signature"));

  std::string truncated_sig = segment(kJwtIoToken, 0) + "." + segment(kJwtIoToken, 1) + ".";
  CHECK(contains(rejection(truncated_sig, kJwtIoSecret), "bad JWT signature"));
}

TEST_CASE("make_jwt: HS256 over the jwt.io claims") {
  std::string token = make_jwt(jwt_io_claims(), kJwtIoSecret, "HS256");
  CHECK(token ==
        "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9."
        "eyJpYXQiOjE1MTYyMzkwMjIsIm5hbWUiOiJKb2huIERvZSIsInN1YiI6IjEyMzQ1Njc4OTAifQ."
        "fdOPQ05ZfRhkST2-rIWgUpbqUsVhkkNVNcuG7Ki0s-8");
  // The header segment is byte-identical to jwt.io's.
  CHECK(segment(token, 0) == segment(kJwtIoToken, 0));
  CHECK(make_jwt(jwt_io_claims(), kJwtIoSecret) == token);  // HS256 is the default
}

TEST_CASE("make_jwt: HS384 and HS512") {
  CHECK(make_jwt(jwt_io_claims(), kJwtIoSecret, "HS384") ==
        "eyJhbGciOiJIUzM4NCIsInR5cCI6IkpXVCJ9."
        "eyJpYXQiOjE1MTYyMzkwMjIsIm5hbWUiOiJKb2huIERvZSIsInN1YiI6IjEyMzQ1Njc4OTAifQ."
        "YnQ0XsGV7q1kSiw8f6Je8F2lnLOGsTbtOs0jJEsVnPhTLs5luClQdnPrdy67ZuWn");
  CHECK(make_jwt(jwt_io_claims(), kJwtIoSecret, "HS512") ==
        "eyJhbGciOiJIUzUxMiIsInR5cCI6IkpXVCJ9."
        "eyJpYXQiOjE1MTYyMzkwMjIsIm5hbWUiOiJKb2huIERvZSIsInN1YiI6IjEyMzQ1Njc4OTAifQ."
        "P2L-OXlIA6aT5CtEt2UvYwAEXUxxSd3rEfmmCFSflJTZyZaUoQmJ8k68novA-3aL97EWN0q4mqzuxO0KkLnnRA");
}

TEST_CASE("make_jwt with an empty secret still signs") {
  CHECK(make_jwt(json{{"sub", "x"}}, "", "HS256") ==
        "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJ4In0.lnKozbYel_W0K_YkTzYJGH_FMceEDonnOIjzwjVWQLg");
  CHECK(make_jwt(json{{"sub", "x"}}, std::string_view{}, "HS256") ==
        "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJ4In0.lnKozbYel_W0K_YkTzYJGH_FMceEDonnOIjzwjVWQLg");
}

TEST_CASE("make_jwt / verify_jwt round trips for every supported alg") {
  json claims{{"sub", "test-user"}, {"n", 3}, {"unicode", "h\xC3\xA9"}};
  for (const char* alg : {"HS256", "HS384", "HS512"}) {
    CAPTURE(alg);
    std::string token = make_jwt(claims, "s3cret", alg);
    CHECK(json::parse(base64_decode(segment(token, 0))) == json{{"alg", alg}, {"typ", "JWT"}});
    CHECK(verify_jwt(token, "s3cret", kNow) == claims);
    CHECK(contains(rejection(token, "s3cret!"), "bad JWT signature"));
  }
}

TEST_CASE("make_jwt rejects unsupported algorithms") {
  CHECK_THROWS_AS(make_jwt(json::object(), "s", "none"), std::invalid_argument);
  CHECK_THROWS_AS(make_jwt(json::object(), "s", "RS256"), std::invalid_argument);
  CHECK_THROWS_AS(make_jwt(json::object(), "s", "hs256"), std::invalid_argument);
}

TEST_CASE("verify_jwt checks exp") {
  std::string token = make_jwt(json{{"sub", "u"}, {"exp", kNow}}, "k");
  CHECK(contains(rejection(token, "k", kNow + 1), "expired"));
  CHECK(contains(rejection(token, "k", kNow + 100000), "expired"));
  CHECK(rejection(token, "k", kNow - 1) == "");
  SUBCASE("a token without exp never expires") {
    std::string forever = make_jwt(json{{"sub", "u"}}, "k");
    CHECK(rejection(forever, "k", 99999999999LL) == "");
  }
}

TEST_CASE("verify_jwt rejects malformed tokens and other algorithms") {
  CHECK(contains(rejection("abc", "k"), "three dot-separated parts"));
  CHECK(contains(rejection("a.b", "k"), "three dot-separated parts"));
  CHECK(contains(rejection("!!.!!.!!", "k"), "malformed"));
  CHECK(contains(rejection(base64url_encode("not json") + "." + base64url_encode("{}") + ".", "k"), "malformed"));
  // alg "none" must never be accepted
  std::string none = base64url_encode(R"({"alg":"none","typ":"JWT"})") + "." + base64url_encode(R"({"sub":"x"})") + ".";
  CHECK_FALSE(rejection(none, "k").empty());
  std::string no_alg = base64url_encode(R"({"typ":"JWT"})") + "." + base64url_encode(R"({"sub":"x"})") + ".";
  CHECK(contains(rejection(no_alg, "k"), "no alg"));
  // an HS256 token whose header is swapped to claim HS512
  std::string token = make_jwt(json{{"sub", "x"}}, "k", "HS256");
  std::string swapped =
      base64url_encode(R"({"alg":"HS512","typ":"JWT"})") + "." + segment(token, 1) + "." + segment(token, 2);
  CHECK(contains(rejection(swapped, "k"), "bad JWT signature"));
  // claims must be an object
  std::string array_claims = make_jwt(json::array({1, 2}), "k");
  CHECK(contains(rejection(array_claims, "k"), "not an object"));
}

TEST_CASE("base64url_encode and base64_encode: RFC 4648 test vectors") {
  const std::pair<const char*, const char*> vectors[] = {{"", ""},           {"f", "Zg=="},        {"fo", "Zm8="},
                                                         {"foo", "Zm9v"},    {"foob", "Zm9vYg=="}, {"fooba", "Zm9vYmE="},
                                                         {"foobar", "Zm9vYmFy"}};
  for (const auto& [plain, encoded] : vectors) {
    CAPTURE(plain);
    CHECK(base64_encode(plain) == encoded);
    std::string unpadded = encoded;
    while (!unpadded.empty() && unpadded.back() == '=') unpadded.pop_back();
    CHECK(base64url_encode(plain) == unpadded);
    CHECK(base64_decode(encoded) == plain);
    CHECK(base64_decode(unpadded) == plain);
  }
}

TEST_CASE("base64url uses - and _ where base64 uses + and /") {
  const std::string bytes("\xfb\xff\xbf", 3);
  CHECK(base64_encode(bytes) == "+/+/");
  CHECK(base64url_encode(bytes) == "-_-_");
  CHECK(base64_decode("+/+/") == bytes);
  CHECK(base64_decode("-_-_") == bytes);
  CHECK(base64url_encode(std::string("\xfb\xff", 2)) == "-_8");
  CHECK(base64_encode(std::string("\xfb\xff", 2)) == "+/8=");
}

TEST_CASE("base64_decode rejects invalid input") {
  CHECK_THROWS_AS(base64_decode("Zm9v!"), std::invalid_argument);
  CHECK_THROWS_AS(base64_decode("Zm 9v"), std::invalid_argument);
  CHECK_THROWS_AS(base64_decode("Zg==Zg"), std::invalid_argument);  // data after padding
  CHECK_THROWS_AS(base64_decode("Z"), std::invalid_argument);       // 6 bits cannot make a byte
  CHECK_THROWS_AS(base64_decode("Zm9vY"), std::invalid_argument);
  CHECK(base64_decode("") == "");
  CHECK(base64_decode("Zg=") == "f");
}

TEST_CASE("base64 round trips every length and byte value") {
  std::string bytes;
  for (int n = 0; n < 70; ++n) {
    CAPTURE(n);
    CHECK(base64_decode(base64_encode(bytes)) == bytes);
    CHECK(base64_decode(base64url_encode(bytes)) == bytes);
    CHECK(base64url_encode(bytes).find_first_of("+/=") == std::string::npos);
    CHECK(base64_encode(bytes).size() == (bytes.size() + 2) / 3 * 4);
    bytes.push_back(static_cast<char>((n * 37 + 250) & 0xFF));
  }
}

}  // TEST_SUITE("jwt")

TEST_SUITE("known_bugs") {

// RFC 7519 §4.1.4: "the current date/time MUST be before the expiration
// date/time". verify_jwt accepts a token at now == exp (PyJWT and
// node jsonwebtoken both reject it).
TEST_CASE("jwt: verify_jwt rejects a token whose exp equals now") {
  std::string token = make_jwt(json{{"sub", "u"}, {"exp", kNow}}, "k");
  CHECK(contains(rejection(token, "k", kNow), "expired"));
}

}  // TEST_SUITE("known_bugs")
