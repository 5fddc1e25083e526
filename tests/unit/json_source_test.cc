// Unit tests for src/scenario/json_source.h: JSON with comments and positions.
#include "scenario/json_source.h"

#include <doctest/doctest.h>

#include <string>

#include "scenario/utf8.h"
#include "test_util.h"

using wscheck::JsonLimits;
using wscheck::JsonSyntaxError;
using wscheck::parse_json_with_comments;
using wscheck::ParsedJson;
using wscheck::SourcePos;
using wscheck_test::contains;

namespace {

struct SyntaxFailure {
  bool thrown = false;
  SourcePos pos;
  std::string message;
};

SyntaxFailure syntax_error(std::string_view text, JsonLimits limits = {}) {
  SyntaxFailure f;
  try {
    (void)parse_json_with_comments(text, limits);
  } catch (const JsonSyntaxError& e) {
    f.thrown = true;
    f.pos = e.pos();
    f.message = e.what();
  }
  return f;
}

std::string nested_arrays(size_t levels) { return std::string(levels, '[') + std::string(levels, ']'); }

}  // namespace

TEST_SUITE("json_source") {

TEST_CASE("plain JSON parses into the same value nlohmann would produce") {
  const char* text = R"({"a": 1, "b": [true, false, null], "c": {"d": "e"}, "f": -2.5})";
  ParsedJson doc = parse_json_with_comments(text);
  CHECK(doc.value == nlohmann::json::parse(text));
}

TEST_CASE("line and block comments are skipped everywhere whitespace is allowed") {
  const char* text =
      "// leading comment\n"
      "/* block\n   over lines */ {\n"
      "  \"a\" /* before colon */ : /* before value */ 1, // after value\n"
      "  // a whole line\n"
      "  \"b\": [ /* in array */ 2 /* after element */ , 3 ] /* before brace */\n"
      "} // trailing\n"
      "/* trailing block */";
  ParsedJson doc = parse_json_with_comments(text);
  CHECK(doc.value == nlohmann::json{{"a", 1}, {"b", {2, 3}}});
}

TEST_CASE("comment markers inside strings are string content") {
  ParsedJson doc = parse_json_with_comments(R"({"url": "ws://host/ws", "c": "/* not a comment */", "d": "a//b"})");
  CHECK(doc.value["url"] == "ws://host/ws");
  CHECK(doc.value["c"] == "/* not a comment */");
  CHECK(doc.value["d"] == "a//b");
}

TEST_CASE("a comment running to the end of the file is fine") {
  ParsedJson doc = parse_json_with_comments("[1] // no newline at the end");
  CHECK(doc.value == nlohmann::json::array({1}));
}

TEST_CASE("positions of values and keys are recorded by JSON pointer") {
  const std::string text =
      "{\n"
      "  \"a\": 1,\n"
      "  \"b\": [true, {\"c\": \"x\"}]\n"
      "}";
  ParsedJson doc = parse_json_with_comments(text);
  const auto& map = doc.positions;
  auto at = [](SourcePos p) { return std::to_string(p.line) + ":" + std::to_string(p.col); };
  CHECK(at(map.value("")) == "1:1");
  CHECK(at(map.key("/a")) == "2:3");
  CHECK(at(map.value("/a")) == "2:8");
  CHECK(at(map.key("/b")) == "3:3");
  CHECK(at(map.value("/b")) == "3:8");
  CHECK(at(map.value("/b/0")) == "3:9");
  CHECK(at(map.value("/b/1")) == "3:15");
  CHECK(at(map.key("/b/1/c")) == "3:16");
  CHECK(at(map.value("/b/1/c")) == "3:21");

  SUBCASE("an unknown pointer falls back to its nearest recorded parent") {
    CHECK(at(map.value("/b/1/nope")) == "3:15");
    CHECK(at(map.value("/b/7/deeper")) == "3:8");
    CHECK(at(map.value("/zzz")) == "1:1");
  }
  SUBCASE("key() of an array element falls back to the element's value") {
    CHECK(at(map.key("/b/0")) == "3:9");
  }
}

TEST_CASE("an empty SourceMap reports the unknown position 0:0") {
  wscheck::SourceMap map;
  CHECK(map.value("/a").line == 0);
  CHECK(map.value("/a").col == 0);
  CHECK(map.key("/a").line == 0);
}

TEST_CASE("positions are counted after comments and CRLF line ends") {
  const std::string text = "/* one\ntwo */\r\n{\r\n\t\"k\": /*x*/ 5 }";
  ParsedJson doc = parse_json_with_comments(text);
  CHECK(doc.positions.value("").line == 3);
  CHECK(doc.positions.value("").col == 1);
  CHECK(doc.positions.key("/k").line == 4);
  CHECK(doc.positions.key("/k").col == 2);  // a tab is one character
  CHECK(doc.positions.value("/k").line == 4);
  CHECK(doc.positions.value("/k").col == 13);
}

TEST_CASE("columns count characters, not UTF-8 bytes") {
  // 'é' and 'ü' are two bytes each.
  ParsedJson doc = parse_json_with_comments("{\"é\": \"ü\", \"k\": 1}");
  CHECK(doc.value["é"] == "ü");
  CHECK(doc.positions.key("/k").col == 12);
  CHECK(doc.positions.value("/k").col == 17);
}

TEST_CASE("keys with '/' and '~' are recorded under escaped JSON pointers") {
  ParsedJson doc = parse_json_with_comments("{\"a/b\": {\"~c\": 1}}");
  CHECK(doc.positions.value("/a~1b").col == 9);
  CHECK(doc.positions.key("/a~1b/~0c").col == 10);
  CHECK(doc.positions.value("/a~1b/~0c").col == 16);
}

TEST_CASE("pointer_append escapes reference tokens (RFC 6901)") {
  CHECK(wscheck::pointer_append("/a", "b/c") == "/a/b~1c");
  CHECK(wscheck::pointer_append("", "x~y") == "/x~0y");
  CHECK(wscheck::pointer_append("/a", "") == "/a/");
  CHECK(wscheck::pointer_append("/list", size_t{12}) == "/list/12");
}

TEST_CASE("numbers keep the integer / float distinction") {
  ParsedJson doc = parse_json_with_comments(
      R"({"i": 42, "neg": -7, "zero": 0, "f": 1.5, "e": 1e3, "E": 2E-2, "big": 9223372036854775807,
          "huge": 9223372036854775808, "negf": -0.25})");
  const auto& v = doc.value;
  CHECK(v["i"].is_number_integer());
  CHECK(v["i"].get<long long>() == 42);
  CHECK(v["neg"].is_number_integer());
  CHECK(v["neg"].get<long long>() == -7);
  CHECK(v["zero"].is_number_integer());
  CHECK(v["f"].is_number_float());
  CHECK(v["f"].get<double>() == doctest::Approx(1.5));
  CHECK(v["e"].is_number_float());
  CHECK(v["e"].get<double>() == doctest::Approx(1000.0));
  CHECK(v["E"].is_number_float());
  CHECK(v["E"].get<double>() == doctest::Approx(0.02));
  CHECK(v["big"].is_number_integer());
  CHECK(v["big"].get<long long>() == 9223372036854775807LL);
  // Past int64 the value is kept as a float rather than silently wrapped.
  CHECK(v["huge"].is_number_float());
  CHECK(v["huge"].get<double>() == doctest::Approx(9223372036854775808.0));
  CHECK(v["negf"].get<double>() == doctest::Approx(-0.25));
}

TEST_CASE("malformed numbers are rejected with a position") {
  SyntaxFailure f = syntax_error("[1.]");
  CHECK(f.thrown);
  CHECK(contains(f.message, "digits expected after '.'"));
  CHECK(f.pos.col == 4);

  f = syntax_error("[1e+]");
  CHECK(f.thrown);
  CHECK(contains(f.message, "exponent"));
  CHECK(f.pos.col == 5);

  f = syntax_error("[-]");
  CHECK(f.thrown);
  CHECK(contains(f.message, "invalid number"));

  f = syntax_error("[01]");  // leading zeros are not JSON
  CHECK(f.thrown);
  CHECK(f.pos.col == 3);

  f = syntax_error("[+1]");
  CHECK(f.thrown);
  CHECK(contains(f.message, "expected a JSON value"));

  f = syntax_error("[.5]");
  CHECK(f.thrown);
  CHECK(f.pos.col == 2);
}

TEST_CASE("string escapes and \\u sequences decode to UTF-8") {
  ParsedJson doc = parse_json_with_comments(R"(["\"\\\/\b\f\n\r\t", "\u0041\u00e9\u20AC", "\ud83d\ude00", "\u0000x"])");
  CHECK(doc.value[0] == "\"\\/\b\f\n\r\t");
  CHECK(doc.value[1] == "A\xC3\xA9\xE2\x82\xAC");
  CHECK(doc.value[2] == "\xF0\x9F\x98\x80");  // U+1F600 from a surrogate pair
  CHECK(doc.value[3].get<std::string>() == std::string("\0x", 2));
}

TEST_CASE("bad escapes are rejected") {
  SyntaxFailure f = syntax_error(R"(["\q"])");
  CHECK(f.thrown);
  CHECK(contains(f.message, "invalid escape"));
  CHECK(f.pos.line == 1);
  CHECK(f.pos.col >= 3);
  CHECK(f.pos.col <= 5);

  f = syntax_error(R"(["\u12G4"])");
  CHECK(f.thrown);
  CHECK(contains(f.message, "4 hex digits"));

  f = syntax_error(R"(["\u12"])");
  CHECK(f.thrown);
  CHECK(contains(f.message, "4 hex digits"));

  f = syntax_error(R"(["\ud83d"])");
  CHECK(f.thrown);
  CHECK(contains(f.message, "unpaired UTF-16 surrogate"));

  f = syntax_error(R"(["\ude00"])");
  CHECK(f.thrown);
  CHECK(contains(f.message, "unpaired UTF-16 surrogate"));

  f = syntax_error(R"(["\ud83d\u0041"])");
  CHECK(f.thrown);
  CHECK(contains(f.message, "low surrogate"));

  f = syntax_error(R"(["\ud83dx"])");
  CHECK(f.thrown);
  CHECK(contains(f.message, "unpaired UTF-16 surrogate"));
}

TEST_CASE("unterminated and multi-line strings are rejected") {
  SyntaxFailure f = syntax_error("{\"a\": \"abc");
  CHECK(f.thrown);
  CHECK(contains(f.message, "unterminated string"));
  CHECK(f.pos.line == 1);
  CHECK(f.pos.col == 11);

  f = syntax_error("{\"a\": \"abc\n\"}");
  CHECK(f.thrown);
  CHECK(contains(f.message, "control character"));
  CHECK(f.pos.line == 1);
  CHECK(f.pos.col == 11);

  f = syntax_error("[\"\\");
  CHECK(f.thrown);
}

TEST_CASE("trailing commas are errors located at the closing bracket") {
  SyntaxFailure f = syntax_error("{\n  \"a\": 1,\n}");
  CHECK(f.thrown);
  CHECK(contains(f.message, "trailing comma"));
  CHECK(f.pos.line == 3);
  CHECK(f.pos.col == 1);

  f = syntax_error("[1, 2, ]");
  CHECK(f.thrown);
  CHECK(contains(f.message, "trailing comma"));
  CHECK(f.pos.line == 1);
  CHECK(f.pos.col == 8);

  f = syntax_error("[1, /* c */ ]");
  CHECK(f.thrown);
  CHECK(contains(f.message, "trailing comma"));
}

TEST_CASE("structural errors name what was expected and what was found") {
  SyntaxFailure f = syntax_error(R"({"a" 1})");
  CHECK(f.thrown);
  CHECK(contains(f.message, "expected ':'"));
  CHECK(contains(f.message, "found '1'"));
  CHECK(f.pos.col == 6);

  f = syntax_error(R"({"a": 1 "b": 2})");
  CHECK(f.thrown);
  CHECK(contains(f.message, "expected ',' or '}'"));
  CHECK(f.pos.col == 9);

  f = syntax_error("[1 2]");
  CHECK(f.thrown);
  CHECK(contains(f.message, "expected ',' or ']'"));

  f = syntax_error("{a: 1}");
  CHECK(f.thrown);
  CHECK(contains(f.message, "quoted object key"));
  CHECK(f.pos.col == 2);

  f = syntax_error("{\"a\": ");
  CHECK(f.thrown);
  CHECK(contains(f.message, "end of the file"));

  f = syntax_error("");
  CHECK(f.thrown);
  CHECK(contains(f.message, "expected a JSON value"));
  CHECK(f.pos.line == 1);
  CHECK(f.pos.col == 1);

  f = syntax_error("{} x");
  CHECK(f.thrown);
  CHECK(contains(f.message, "unexpected text after the end"));
  CHECK(f.pos.col == 4);

  f = syntax_error("[tru]");
  CHECK(f.thrown);
  CHECK(contains(f.message, "did you mean true"));

  f = syntax_error("[True]");
  CHECK(f.thrown);
  CHECK(contains(f.message, "expected a JSON value"));

  f = syntax_error("[nul]");
  CHECK(f.thrown);
  CHECK(contains(f.message, "null"));
}

TEST_CASE("an unterminated block comment is reported where it starts") {
  SyntaxFailure f = syntax_error("{\n /* never closed\n \"a\": 1}");
  CHECK(f.thrown);
  CHECK(contains(f.message, "unterminated /* comment"));
  CHECK(f.pos.line == 2);
  CHECK(f.pos.col == 2);
}

TEST_CASE("a lone '/' is not a comment") {
  SyntaxFailure f = syntax_error("[1 / 2]");
  CHECK(f.thrown);
  CHECK(f.pos.col == 4);
}

TEST_CASE("duplicate keys are errors at the second occurrence") {
  SyntaxFailure f = syntax_error("{\n  \"a\": 1,\n  \"a\": 2\n}");
  CHECK(f.thrown);
  CHECK(contains(f.message, "duplicate key \"a\""));
  CHECK(f.pos.line == 3);
  CHECK(f.pos.col == 3);

  SUBCASE("after unescaping") {
    f = syntax_error(R"({"ab": 1, "a\u0062": 2})");
    CHECK(f.thrown);
    CHECK(contains(f.message, "duplicate key \"ab\""));
    CHECK(f.pos.col == 11);
  }
  SUBCASE("the same key in different objects is fine") {
    CHECK_NOTHROW(parse_json_with_comments(R"({"a": {"a": 1}, "b": {"a": 2}})"));
  }
}

TEST_CASE("invalid UTF-8 is reported at the offending byte's line and column") {
  SyntaxFailure f = syntax_error("{\"a\": \"ok\",\n \"b\": \"\xFF\"}");
  CHECK(f.thrown);
  CHECK(contains(f.message, "invalid UTF-8"));
  CHECK(f.pos.line == 2);
  CHECK(f.pos.col == 8);

  SUBCASE("multi-byte characters before it count as one column each") {
    f = syntax_error("[\"\xC3\xA9\xC3\xA9\x80\"]");  // é é then a stray continuation byte
    CHECK(f.thrown);
    CHECK(f.pos.line == 1);
    CHECK(f.pos.col == 5);
  }
  SUBCASE("overlong encodings, UTF-16 surrogates and truncated sequences are invalid") {
    CHECK(syntax_error("[\"\xC0\xAF\"]").thrown);
    CHECK(syntax_error("[\"\xED\xA0\x80\"]").thrown);
    CHECK(syntax_error("[\"\xF4\x90\x80\x80\"]").thrown);  // past U+10FFFF
    f = syntax_error("[\"\xE2\x82");
    CHECK(f.thrown);
    CHECK(contains(f.message, "UTF-8"));
    CHECK(f.pos.col == 3);
  }
  SUBCASE("even inside a comment") {
    f = syntax_error("// \xFE\n[1]");
    CHECK(f.thrown);
    CHECK(f.pos.col == 4);
  }
  SUBCASE("valid 2, 3 and 4 byte characters are accepted") {
    ParsedJson doc = parse_json_with_comments("[\"\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80\"]");
    CHECK(doc.value[0] == "\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80");
  }
}

TEST_CASE("nesting depth is limited") {
  SUBCASE("64 levels, the default limit, parse") {
    ParsedJson doc = parse_json_with_comments(nested_arrays(64));
    CHECK(doc.value.is_array());
  }
  SUBCASE("deeper documents are rejected with the limit in the message") {
    SyntaxFailure f = syntax_error(nested_arrays(100));
    CHECK(f.thrown);
    CHECK(contains(f.message, "nesting deeper than 64 levels"));
    CHECK(f.pos.line == 1);
    CHECK(f.pos.col >= 65);
    CHECK(f.pos.col <= 66);
  }
  SUBCASE("objects count too") {
    std::string text;
    for (int i = 0; i < 100; ++i) text += "{\"a\":";
    text += "1" + std::string(100, '}');
    SyntaxFailure f = syntax_error(text);
    CHECK(f.thrown);
    CHECK(contains(f.message, "nesting deeper"));
  }
  SUBCASE("a hostile depth fails cleanly instead of overflowing the stack") {
    SyntaxFailure f = syntax_error(std::string(200000, '['));
    CHECK(f.thrown);
    CHECK(contains(f.message, "nesting deeper"));
  }
  SUBCASE("a custom limit is honoured") {
    JsonLimits limits;
    limits.max_depth = 3;
    CHECK_NOTHROW(parse_json_with_comments(nested_arrays(3), limits));
    SyntaxFailure f = syntax_error(nested_arrays(6), limits);
    CHECK(f.thrown);
    CHECK(contains(f.message, "nesting deeper than 3 levels"));
  }
}

TEST_CASE("the size limit is checked before parsing") {
  JsonLimits limits;
  limits.max_bytes = 10;
  CHECK_NOTHROW(parse_json_with_comments("[1,2,3,45]", limits));
  SyntaxFailure f = syntax_error("[1,2,3,456]", limits);
  CHECK(f.thrown);
  CHECK(contains(f.message, "larger than 10 bytes"));
  CHECK(f.pos.line == 1);
  CHECK(f.pos.col == 1);
}

}  // TEST_SUITE("json_source")

TEST_SUITE("known_bugs") {

// A syntax error's message quotes the character found; for a non-ASCII
// character (e.g. typographic quotes pasted from a document) it quotes only
// the first byte, so the message itself is not valid UTF-8.
TEST_CASE("json_source: an error message quoting a non-ASCII character is valid UTF-8") {
  SyntaxFailure f = syntax_error("{\"a\": \xE2\x80\x9Cx\xE2\x80\x9D}");  // {"a": “x”}
  REQUIRE(f.thrown);
  CHECK(f.pos.col == 7);
  CHECK_FALSE(wscheck::find_invalid_utf8(f.message).has_value());
}

}  // TEST_SUITE("known_bugs")
