// Unit tests for src/core/url.h: parsing, resolving and query parameters.
#include "core/url.h"

#include <doctest/doctest.h>

#include <optional>
#include <stdexcept>
#include <string>

#include "test_util.h"

using wscheck::add_query_param;
using wscheck::parse_url;
using wscheck::percent_encode;
using wscheck::resolve_url;
using wscheck::Url;
using wscheck_test::contains;

namespace {

Url must_parse(const std::string& text) {
  std::string error;
  auto url = parse_url(text, error);
  REQUIRE_MESSAGE(url.has_value(), text << ": " << error);
  CHECK(error.empty());
  return *url;
}

/// The error parse_url gives, or "" when it accepts the text.
std::string parse_error(const std::string& text) {
  std::string error;
  auto url = parse_url(text, error);
  if (url) return "";
  CHECK_FALSE(error.empty());
  return error;
}

std::string resolve_error(const std::optional<Url>& base, const std::string& ref) {
  try {
    (void)resolve_url(base, ref);
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_SUITE("url") {

TEST_CASE("schemes and their default ports") {
  Url ws = must_parse("ws://localhost/ws");
  CHECK(ws.scheme == "ws");
  CHECK(ws.host == "localhost");
  CHECK(ws.port == 80);
  CHECK_FALSE(ws.explicit_port);
  CHECK(ws.path == "/ws");
  CHECK_FALSE(ws.tls());

  Url wss = must_parse("wss://example.com/chat");
  CHECK(wss.port == 443);
  CHECK(wss.tls());

  Url http = must_parse("http://127.0.0.1/health");
  CHECK(http.port == 80);
  CHECK_FALSE(http.tls());

  Url https = must_parse("https://example.com");
  CHECK(https.port == 443);
  CHECK(https.tls());
  CHECK(https.path == "/");

  Url tcp = must_parse("tcp://db:5432");
  CHECK(tcp.scheme == "tcp");
  CHECK(tcp.port == 5432);
  CHECK(tcp.str() == "tcp://db:5432");
  CHECK(contains(parse_error("tcp://db"), "a port is required"));
}

TEST_CASE("explicit ports, scheme case, authority and str()") {
  Url u = must_parse("WS://Example.com:8080/ws");
  CHECK(u.scheme == "ws");
  CHECK(u.host == "Example.com");
  CHECK(u.port == 8080);
  CHECK(u.explicit_port);
  CHECK(u.authority() == "Example.com:8080");
  CHECK(u.str() == "ws://Example.com:8080/ws");

  Url d = must_parse("ws://h:80/");
  CHECK(d.port == 80);
  CHECK(d.authority() == "h");  // a default port is left out of the Host header
  CHECK(d.str() == "ws://h/");

  CHECK(must_parse("ws://h:1").port == 1);
  CHECK(must_parse("ws://h:65535").port == 65535);
}

TEST_CASE("IPv6 literals") {
  Url u = must_parse("ws://[::1]:8080/ws");
  CHECK(u.host == "::1");
  CHECK(u.port == 8080);
  CHECK(u.authority() == "[::1]:8080");
  CHECK(u.str() == "ws://[::1]:8080/ws");

  Url d = must_parse("wss://[2001:db8::1]/");
  CHECK(d.host == "2001:db8::1");
  CHECK(d.port == 443);
  CHECK(d.authority() == "[2001:db8::1]");

  CHECK(contains(parse_error("ws://[::1/ws"), "unterminated IPv6"));
  CHECK(contains(parse_error("ws://[::1]x/ws"), "unexpected text after the IPv6 address"));
  CHECK(contains(parse_error("ws://[::1]:/ws"), "invalid port"));
  CHECK(contains(parse_error("ws://[]:80/"), "no host"));
}

TEST_CASE("the path keeps the query and drops the fragment") {
  CHECK(must_parse("ws://h:1/ws?token=a&b=c").path == "/ws?token=a&b=c");
  CHECK(must_parse("ws://h?x=1").path == "/?x=1");
  CHECK(must_parse("ws://h:9?x=1").port == 9);
  CHECK(must_parse("ws://h/ws#frag").path == "/ws");
  CHECK(must_parse("ws://h/a/b/c").path == "/a/b/c");
  CHECK(must_parse("ws://h/p@q").path == "/p@q");  // '@' outside the authority is fine
}

TEST_CASE("missing host") {
  CHECK(contains(parse_error("ws:///ws"), "no host"));
  CHECK(contains(parse_error("ws://:8080/ws"), "no host"));
  CHECK(contains(parse_error("ws://"), "no host"));
}

TEST_CASE("bad ports") {
  for (const char* text : {"ws://h:0/", "ws://h:70000/", "ws://h:65536/", "ws://h:abc/", "ws://h:/", "ws://h:123456/",
                           "ws://h:-1/", "ws://h:8o/"}) {
    CAPTURE(text);
    std::string e = parse_error(text);
    CHECK(contains(e, "invalid port"));
    CHECK(contains(e, text));
  }
}

TEST_CASE("user@ in the authority is rejected") {
  CHECK(contains(parse_error("ws://user@host/ws"), "not supported"));
  CHECK(contains(parse_error("ws://user:pw@host:80/ws"), "not supported"));
}

TEST_CASE("not absolute, or an unsupported scheme") {
  CHECK(contains(parse_error("localhost:8000/ws"), "not an absolute URL"));
  CHECK(contains(parse_error("/ws"), "not an absolute URL"));
  std::string e = parse_error("ftp://h/x");
  CHECK(contains(e, "unsupported URL scheme \"ftp\""));
  CHECK(contains(parse_error("://h/"), "unsupported URL scheme"));
}

TEST_CASE("spaces and control characters are rejected") {
  CHECK(contains(parse_error("ws://h/a b"), "invalid character in the path"));
  CHECK(contains(parse_error("ws://h/a\tb"), "invalid character in the path"));
  CHECK(contains(parse_error("ws://h\\x/"), "invalid character in the host"));
  CHECK(contains(parse_error("ws://h x/"), "invalid character in the host"));
}

TEST_CASE("resolve_url joins a relative path to the base") {
  std::optional<Url> base = must_parse("ws://127.0.0.1:9000/old?q=1");
  Url u = resolve_url(base, "/ws?x=1");
  CHECK(u.scheme == "ws");
  CHECK(u.host == "127.0.0.1");
  CHECK(u.port == 9000);
  CHECK(u.path == "/ws?x=1");
  CHECK(u.str() == "ws://127.0.0.1:9000/ws?x=1");

  CHECK(resolve_url(base, "?only=query").path == "/?only=query");
  CHECK(resolve_url(base, "").str() == "ws://127.0.0.1:9000/old?q=1");
}

TEST_CASE("resolve_url keeps an absolute reference as is") {
  std::optional<Url> base = must_parse("ws://127.0.0.1:9000/");
  Url u = resolve_url(base, "wss://other.example:8443/p");
  CHECK(u.scheme == "wss");
  CHECK(u.host == "other.example");
  CHECK(u.port == 8443);
  CHECK(u.path == "/p");
  CHECK(resolve_url(std::nullopt, "ws://h/x").str() == "ws://h/x");
}

TEST_CASE("resolve_url errors") {
  CHECK(contains(resolve_error(std::nullopt, "/ws"), "needs a base"));
  CHECK(contains(resolve_error(std::nullopt, "/ws"), "--url"));
  std::optional<Url> base = must_parse("ws://h:1/");
  CHECK(contains(resolve_error(base, "ws"), "must start with '/'"));
  CHECK(contains(resolve_error(base, "/a b"), "invalid character"));
  CHECK(contains(resolve_error(base, "ws://h:0/"), "invalid port"));
  CHECK(resolve_error(base, "/fine") == "");
}

TEST_CASE("add_query_param percent-encodes and picks ? or &") {
  CHECK(add_query_param("/ws", "token", "abc") == "/ws?token=abc");
  CHECK(add_query_param("/ws?a=1", "token", "abc") == "/ws?a=1&token=abc");
  CHECK(add_query_param("/ws", "token", "a b&c=d/e+f?") == "/ws?token=a%20b%26c%3Dd%2Fe%2Bf%3F");
  CHECK(add_query_param("/ws", "my key", "\xC3\xA9") == "/ws?my%20key=%C3%A9");
  CHECK(add_query_param("/", "t", "") == "/?t=");
  // a JWT's alphabet needs no escaping
  CHECK(add_query_param("/ws", "token", "eyJ.a-b_c~d") == "/ws?token=eyJ.a-b_c~d");
}

TEST_CASE("percent_encode keeps exactly the RFC 3986 unreserved characters") {
  CHECK(percent_encode("AZaz09-_.~") == "AZaz09-_.~");
  CHECK(percent_encode("%") == "%25");
  CHECK(percent_encode(std::string("\x00\xff", 2)) == "%00%FF");
  CHECK(percent_encode(":/?#[]@!$&'()*+,;=") == "%3A%2F%3F%23%5B%5D%40%21%24%26%27%28%29%2A%2B%2C%3B%3D");
}

}  // TEST_SUITE("url")

TEST_SUITE("known_bugs") {

// The authority ends at '/' or '?', but not at '#': a fragment right after
// the host becomes part of the host name.
TEST_CASE("url: a fragment right after the host is not part of the host") {
  std::string error;
  auto url = parse_url("ws://example.com#frag", error);
  REQUIRE(url.has_value());
  CHECK(url->host == "example.com");
  CHECK(url->path == "/");
  auto with_port = parse_url("ws://example.com:8080#frag", error);
  CHECK(with_port.has_value());
}

}  // TEST_SUITE("known_bugs")
