// Unit tests for the pieces behind the second diagnosis pass: --resolve
// parsing, RFC 8305 family interleaving, and reading raw HTTP responses.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "core/resolve_override.h"
#include "diagnose/probe_http.h"
#include "engine/resolver.h"

using wscheck::find_override;
using wscheck::http_body;
using wscheck::http_response_complete;
using wscheck::interleave_families;
using wscheck::looks_like_http_start;
using wscheck::one_line;
using wscheck::parse_resolve_override;

TEST_CASE("--resolve HOST:PORT:ADDR[,ADDR...]") {
  std::string error;
  auto r = parse_resolve_override("LocalHost:8080:::1,127.0.0.1", error);
  REQUIRE(r);
  CHECK(r->host == "localhost");
  CHECK(r->port == 8080);
  CHECK(r->addresses == std::vector<std::string>{"::1", "127.0.0.1"});
  auto b = parse_resolve_override("example.test:443:[::1],[2001:db8::1]", error);
  REQUIRE(b);
  CHECK(b->addresses == std::vector<std::string>{"::1", "2001:db8::1"});
  CHECK(find_override({*r, *b}, "LOCALHOST", 8080) != nullptr);
  CHECK(find_override({*r, *b}, "localhost", 8081) == nullptr);
  for (const char* bad : {"localhost", "localhost:80", ":80:127.0.0.1", "h:0:127.0.0.1", "h:x:127.0.0.1",
                          "h:80:not-an-ip", "h:80:127.0.0.1,", "h:80:"}) {
    CAPTURE(bad);
    CHECK_FALSE(parse_resolve_override(bad, error));
    CHECK(error.find("HOST:PORT:ADDR") != std::string::npos);
  }
}

TEST_CASE("addresses alternate families, starting with the first one's") {
  CHECK(interleave_families({"::1", "fe80::1", "127.0.0.1", "10.0.0.1"}) ==
        std::vector<std::string>{"::1", "127.0.0.1", "fe80::1", "10.0.0.1"});
  CHECK(interleave_families({"127.0.0.1", "::1"}) == std::vector<std::string>{"127.0.0.1", "::1"});
  CHECK(interleave_families({}).empty());
}

TEST_CASE("a chunked error body is decoded") {
  std::string resp =
      "HTTP/1.1 400 Bad Request\r\nTransfer-Encoding: chunked\r\n\r\n1c\r\nUnsupported upgrade request.\r\n0\r\n\r\n";
  CHECK(http_response_complete(resp, 200));
  CHECK(http_body(resp) == "Unsupported upgrade request.");
  std::string two = "HTTP/1.1 500 X\r\ntransfer-encoding: Chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n";
  CHECK(http_body(two) == "abcde");
  std::string cut = "HTTP/1.1 500 X\r\nTransfer-Encoding: chunked\r\n\r\n10\r\nabc";
  CHECK_FALSE(http_response_complete(cut, 200));
  CHECK(http_body(cut) == "abc");
}

TEST_CASE("Content-Length bodies and 101 responses complete") {
  CHECK(http_response_complete("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n", 200));
  CHECK_FALSE(http_response_complete("HTTP/1.1 400 Bad\r\nContent-Length: 5\r\n\r\nab", 200));
  CHECK(http_response_complete("HTTP/1.1 400 Bad\r\nContent-Length: 5\r\n\r\nabcde", 200));
  CHECK_FALSE(http_response_complete("HTTP/1.1 101 Swi", 200));
}

TEST_CASE("the start of an HTTP status line is recognised") {
  CHECK(looks_like_http_start("H"));
  CHECK(looks_like_http_start("HTTP/1.1"));
  CHECK(looks_like_http_start("HTTP/1.1 101 Switching"));
  CHECK_FALSE(looks_like_http_start("SSH-2.0-OpenSSH"));
  CHECK_FALSE(looks_like_http_start(""));
}

TEST_CASE("one_line keeps a quote on one line") {
  CHECK(one_line("a\r\nb\tc", 100) == "a b c");
  CHECK(one_line("x\x01y", 100) == "x\\x01y");
  CHECK(one_line("abcdef", 3).size() <= 6);
}
