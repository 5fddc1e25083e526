// Unit tests for src/scenario/matcher.h: subset JSON matching and message matchers.
#include "scenario/matcher.h"

#include <doctest/doctest.h>

#include <stdexcept>
#include <string>

#include "test_util.h"

using wscheck::from_hex;
using wscheck::match_json;
using wscheck::match_message;
using wscheck::Matcher;
using wscheck::MatchResult;
using wscheck::Message;
using wscheck::to_hex;
using wscheck::validate_json_pattern;
using wscheck_test::contains;
using json = nlohmann::json;

namespace {

MatchResult mj(const char* pattern, const char* actual) { return match_json(json::parse(pattern), json::parse(actual)); }
bool ok(const char* pattern, const char* actual) { return mj(pattern, actual).ok; }

Matcher matcher(Matcher::Kind kind, std::string text, json pattern = nullptr) {
  Matcher m;
  m.kind = kind;
  m.text = std::move(text);
  m.json = std::move(pattern);
  return m;
}

Message text_msg(std::string data) { return Message{false, std::move(data)}; }
Message binary_msg(std::string data) { return Message{true, std::move(data)}; }

/// The (message, pointer) validate_json_pattern reports, or ("", "") for a valid pattern.
std::pair<std::string, std::string> invalid(const char* pattern) {
  auto e = validate_json_pattern(json::parse(pattern));
  return e ? *e : std::pair<std::string, std::string>{"", ""};
}

}  // namespace

TEST_SUITE("matcher") {

TEST_CASE("objects match as a subset; extra keys are fine") {
  CHECK(ok(R"({"type": "pong"})", R"({"type": "pong", "timestamp": 123})"));
  CHECK(ok(R"({})", R"({"anything": 1})"));
  CHECK(ok(R"({"a": {"b": 1}})", R"({"a": {"b": 1, "c": 2}, "d": 3})"));
  CHECK_FALSE(ok(R"({"type": "pong"})", R"({"type": "echo"})"));
  CHECK_FALSE(ok(R"({})", R"([])"));
}

TEST_CASE("a mismatch names the JSON pointer and the reason") {
  MatchResult r = mj(R"({"a": {"b": 1}})", R"({"a": {"b": 2, "c": 3}})");
  CHECK_FALSE(r.ok);
  CHECK(r.path == "/a/b");
  CHECK(r.reason == "expected 1, got 2");

  r = mj(R"({"type": "pong"})", R"({"type": "echo_response"})");
  CHECK(r.path == "/type");
  CHECK(r.reason == R"(expected "pong", got "echo_response")");

  r = mj(R"({"a": {"x": 1}})", R"({"a": {}})");
  CHECK(r.path == "/a/x");
  CHECK(contains(r.reason, "missing"));
  CHECK(contains(r.reason, "expected 1"));

  r = mj(R"({"a": {"b": 1}})", R"({"a": "str"})");
  CHECK(r.path == "/a");
  CHECK(contains(r.reason, "expected an object, got string"));

  r = mj(R"({"a/b": {"c~d": 1}})", R"({"a/b": {"c~d": 2}})");
  CHECK(r.path == "/a~1b/c~0d");

  SUBCASE("the first difference, in key order, is reported") {
    r = mj(R"({"a": 1, "b": 2})", R"({"a": 0, "b": 0})");
    CHECK(r.path == "/a");
  }
  SUBCASE("a difference at the top") {
    r = mj(R"({"a": 1})", R"("text")");
    CHECK(r.path == "");
    CHECK(contains(r.reason, "expected an object"));
  }
}

TEST_CASE("arrays match element-wise and by length") {
  CHECK(ok(R"([1, 2, 3])", R"([1, 2, 3])"));
  CHECK(ok(R"([{"a": 1}, {"b": 2}])", R"([{"a": 1, "z": 0}, {"b": 2, "y": 0}])"));
  CHECK(ok(R"([])", R"([])"));
  CHECK_FALSE(ok(R"([1, 2, 3])", R"([3, 2, 1])"));

  MatchResult r = mj(R"([1, 2])", R"([1, 2, 3])");
  CHECK_FALSE(r.ok);
  CHECK(r.path == "");
  CHECK(r.reason == "expected an array of 2 elements, got 3");

  r = mj(R"({"list": [{"a": 1}, {"b": 2}]})", R"({"list": [{"a": 1}, {"b": 3}]})");
  CHECK(r.path == "/list/1/b");

  r = mj(R"({"list": []})", R"({"list": {}})");
  CHECK(r.path == "/list");
  CHECK(contains(r.reason, "expected an array, got object"));
}

TEST_CASE("scalars: numbers compare by value, types must agree otherwise") {
  CHECK(ok("1", "1.0"));
  CHECK(ok("-0.5", "-0.5"));
  CHECK(ok("null", "null"));
  CHECK(ok("true", "true"));
  CHECK_FALSE(ok("true", "1"));
  CHECK_FALSE(ok(R"("1")", "1"));
  CHECK_FALSE(ok("null", "0"));
  CHECK_FALSE(ok("null", R"("")"));
  CHECK_FALSE(ok("1", "1.5"));
}

TEST_CASE("$regex searches strings") {
  CHECK(ok(R"({"id": {"$regex": "^run-[0-9]+$"}})", R"({"id": "run-12"})"));
  CHECK(ok(R"({"$regex": "ell"})", R"("hello")"));  // search, not full match
  MatchResult r = mj(R"({"id": {"$regex": "^run-[0-9]+$"}})", R"({"id": "run-x"})");
  CHECK_FALSE(r.ok);
  CHECK(r.path == "/id");
  CHECK(contains(r.reason, "does not match /^run-[0-9]+$/"));
  r = mj(R"({"id": {"$regex": "1"}})", R"({"id": 1})");
  CHECK_FALSE(r.ok);
  CHECK(contains(r.reason, "expected a string"));
  r = mj(R"({"id": {"$regex": "x"}})", R"({})");
  CHECK_FALSE(r.ok);
  CHECK(contains(r.reason, "missing"));
}

TEST_CASE("$regex handles long subjects and gives up on catastrophic backtracking") {
  // PCRE2 with match/depth limits: long subjects are fine (std::regex
  // overflowed the stack on ~27 000 characters), and a pathological pattern
  // fails with a reason instead of stalling the event loop.
  CHECK(match_json(json{{"$regex", "^(a|b)*$"}}, json(std::string(200000, 'a'))).ok);
  MatchResult r = match_json(json{{"$regex", "^(\\w+\\s?)*$"}}, json(std::string(40, 'a') + "!"));
  CHECK_FALSE(r.ok);
  CHECK(contains(r.reason, "backtracks too much"));
}

TEST_CASE("a message nested deeper than the limit is not parsed") {
  std::string deep = std::string(100000, '[') + std::string(100000, ']');
  MatchResult r = match_message(Matcher{Matcher::Kind::Json, json{{"type", "x"}}, "", ""}, Message{false, "{\"a\":" + deep + "}"});
  CHECK_FALSE(r.ok);
  CHECK(contains(r.reason, "deeper than"));
  CHECK(match_message(Matcher{Matcher::Kind::Json, json{{"a", json::array({json::array()})}}, "", ""},
                      Message{false, R"({"a": [[]]})"}).ok);
}

TEST_CASE("$type for every type, with integer vs number") {
  auto type_ok = [](const char* type, const char* actual) {
    return match_json(json{{"$type", type}}, json::parse(actual)).ok;
  };
  CHECK(type_ok("string", R"("s")"));
  CHECK_FALSE(type_ok("string", "1"));
  CHECK(type_ok("boolean", "false"));
  CHECK_FALSE(type_ok("boolean", "0"));
  CHECK(type_ok("null", "null"));
  CHECK_FALSE(type_ok("null", "{}"));
  CHECK(type_ok("object", "{}"));
  CHECK_FALSE(type_ok("object", "[]"));
  CHECK(type_ok("array", "[]"));
  CHECK_FALSE(type_ok("array", "{}"));

  CHECK(type_ok("integer", "3"));
  CHECK(type_ok("integer", "-3"));
  CHECK(type_ok("integer", "18446744073709551615"));
  CHECK(type_ok("integer", "3.0"));  // JSON Schema: a float with no fraction is an integer
  CHECK_FALSE(type_ok("integer", "3.5"));
  CHECK_FALSE(type_ok("integer", R"("3")"));
  CHECK(type_ok("number", "3"));
  CHECK(type_ok("number", "3.5"));
  CHECK_FALSE(type_ok("number", R"("3")"));

  MatchResult r = mj(R"({"n": {"$type": "integer"}})", R"({"n": 2.5})");
  CHECK(r.path == "/n");
  CHECK(contains(r.reason, "expected type integer, got number 2.5"));
}

TEST_CASE("$exists true and false") {
  CHECK(ok(R"({"a": {"$exists": true}})", R"({"a": null})"));
  CHECK(ok(R"({"a": {"$exists": false}})", R"({"b": 1})"));
  MatchResult r = mj(R"({"a": {"$exists": true}})", R"({"b": 1})");
  CHECK_FALSE(r.ok);
  CHECK(r.path == "/a");
  CHECK(contains(r.reason, "missing"));
  r = mj(R"({"a": {"$exists": false}})", R"({"a": 5})");
  CHECK_FALSE(r.ok);
  CHECK(r.path == "/a");
  CHECK(contains(r.reason, "present"));
  CHECK(contains(r.reason, "5"));
}

TEST_CASE("$any matches if one alternative does") {
  const char* p = R"({"v": {"$any": [{"$type": "string"}, 5, {"k": 1}]}})";
  CHECK(ok(p, R"({"v": "x"})"));
  CHECK(ok(p, R"({"v": 5})"));
  CHECK(ok(p, R"({"v": {"k": 1, "extra": 2}})"));
  MatchResult r = mj(p, R"({"v": 6})");
  CHECK_FALSE(r.ok);
  CHECK(r.path == "/v");
  CHECK(contains(r.reason, "matches none of"));
}

TEST_CASE("$gt $gte $lt $lte at their boundaries") {
  CHECK(ok(R"({"$gt": 5})", "6"));
  CHECK_FALSE(ok(R"({"$gt": 5})", "5"));
  CHECK(ok(R"({"$gte": 5})", "5"));
  CHECK_FALSE(ok(R"({"$gte": 5})", "4.999"));
  CHECK(ok(R"({"$lt": 5})", "4.5"));
  CHECK_FALSE(ok(R"({"$lt": 5})", "5"));
  CHECK(ok(R"({"$lte": 5})", "5.0"));
  CHECK_FALSE(ok(R"({"$lte": 5})", "5.01"));
  CHECK(ok(R"({"$gt": -1.5})", "-1"));
  SUBCASE("several operators in one object must all hold") {
    CHECK(ok(R"({"$gt": 1, "$lt": 3})", "2"));
    CHECK_FALSE(ok(R"({"$gt": 1, "$lt": 3})", "3"));
    CHECK_FALSE(ok(R"({"$gt": 1, "$lt": 3})", "1"));
  }
  SUBCASE("non-numbers fail with a reason") {
    MatchResult r = mj(R"({"n": {"$gt": 1}})", R"({"n": "2"})");
    CHECK_FALSE(r.ok);
    CHECK(contains(r.reason, "expected a number"));
    r = mj(R"({"n": {"$lte": 1}})", R"({"n": 2})");
    CHECK(r.reason == "expected lte 1, got 2");
  }
}

TEST_CASE("$ne") {
  CHECK(ok(R"({"$ne": 1})", "2"));
  CHECK(ok(R"({"$ne": "a"})", R"("b")"));
  CHECK(ok(R"({"$ne": 1})", R"("1")"));
  CHECK_FALSE(ok(R"({"$ne": 1})", "1.0"));
  CHECK_FALSE(ok(R"({"$ne": null})", "null"));
  MatchResult r = mj(R"({"s": {"$ne": "error"}})", R"({"s": "error"})");
  CHECK(r.path == "/s");
  CHECK(contains(r.reason, "anything but \"error\""));
}

TEST_CASE("$contains on arrays and strings") {
  CHECK(ok(R"({"$contains": 2})", "[1, 2, 3]"));
  CHECK(ok(R"({"$contains": {"id": 1}})", R"([{"id": 0}, {"id": 1, "x": 2}])"));
  CHECK(ok(R"({"$contains": {"$gt": 10}})", "[1, 20]"));
  CHECK_FALSE(ok(R"({"$contains": 4})", "[1, 2, 3]"));
  CHECK_FALSE(ok(R"({"$contains": 1})", "[]"));
  CHECK(ok(R"({"$contains": "ell"})", R"("hello")"));
  CHECK_FALSE(ok(R"({"$contains": "xyz"})", R"("hello")"));
  MatchResult r = mj(R"({"tags": {"$contains": "b"}})", R"({"tags": ["a", "c"]})");
  CHECK(r.path == "/tags");
  CHECK(contains(r.reason, "no element matches \"b\""));
  r = mj(R"({"$contains": 1})", "5");
  CHECK_FALSE(r.ok);
  CHECK(contains(r.reason, "expected an array containing"));
}

TEST_CASE("agreed counts matching checks, to rank the closest message") {
  const char* p = R"({"a": 1, "b": 2, "c": 3})";
  MatchResult close = mj(p, R"({"a": 1, "b": 2, "c": 0})");
  MatchResult far = mj(p, R"({"a": 0, "b": 0, "c": 0})");
  CHECK_FALSE(close.ok);
  CHECK_FALSE(far.ok);
  CHECK(close.agreed == 2);
  CHECK(far.agreed == 0);
  CHECK(mj(p, R"({"a": 1, "b": 2, "c": 3})").agreed == 3);
}

TEST_CASE("match_message: json") {
  Matcher m = matcher(Matcher::Kind::Json, "", json{{"type", "pong"}});
  CHECK(match_message(m, text_msg(R"({"type":"pong","timestamp":1})")).ok);
  MatchResult r = match_message(m, text_msg(R"({"type":"echo"})"));
  CHECK_FALSE(r.ok);
  CHECK(r.path == "/type");

  r = match_message(m, text_msg("not json {"));
  CHECK_FALSE(r.ok);
  CHECK(contains(r.reason, "not JSON"));
  CHECK(contains(r.reason, "not json {"));

  r = match_message(m, binary_msg(R"({"type":"pong"})"));
  CHECK_FALSE(r.ok);
  CHECK(contains(r.reason, "binary message of 15 bytes"));
}

TEST_CASE("match_message: text is an exact match") {
  Matcher m = matcher(Matcher::Kind::Text, "pong");
  CHECK(match_message(m, text_msg("pong")).ok);
  MatchResult r = match_message(m, text_msg("pong "));
  CHECK_FALSE(r.ok);
  CHECK(contains(r.reason, R"(expected text "pong")"));
  CHECK(contains(r.reason, R"("pong ")"));
  r = match_message(m, binary_msg("pong"));
  CHECK_FALSE(r.ok);
  CHECK(contains(r.reason, "got binary"));
}

TEST_CASE("match_message: regex searches the text") {
  Matcher m = matcher(Matcher::Kind::Regex, "^hel+o");
  CHECK(match_message(m, text_msg("hello world")).ok);
  CHECK(match_message(matcher(Matcher::Kind::Regex, "wor"), text_msg("hello world")).ok);
  MatchResult r = match_message(m, text_msg("say hello"));
  CHECK_FALSE(r.ok);
  CHECK(contains(r.reason, "does not match /^hel+o/"));
  CHECK_FALSE(match_message(m, binary_msg("hello")).ok);
}

TEST_CASE("match_message: binary_hex compares bytes") {
  Matcher m = matcher(Matcher::Kind::BinaryHex, "00ff10");
  CHECK(match_message(m, binary_msg(std::string("\x00\xff\x10", 3))).ok);
  CHECK(match_message(matcher(Matcher::Kind::BinaryHex, "00:FF 10"), binary_msg(std::string("\x00\xff\x10", 3))).ok);
  MatchResult r = match_message(m, binary_msg(std::string("\x00\xfe", 2)));
  CHECK_FALSE(r.ok);
  CHECK(contains(r.reason, "expected bytes 00ff10, got 00fe"));
  r = match_message(m, text_msg(std::string("\x00\xff\x10", 3)));
  CHECK_FALSE(r.ok);
  CHECK(contains(r.reason, "got text"));
  r = match_message(matcher(Matcher::Kind::BinaryHex, "0"), binary_msg(""));
  CHECK_FALSE(r.ok);
  CHECK(contains(r.reason, "odd number"));
}

TEST_CASE("validate_json_pattern accepts valid patterns") {
  CHECK_FALSE(validate_json_pattern(json::parse(R"({"type": "pong", "n": 1, "list": [1, {"a": null}]})")).has_value());
  CHECK_FALSE(validate_json_pattern(json::parse(
                                        R"({"a": {"$regex": "^x"}, "b": {"$type": "integer"}, "c": {"$exists": false},
                                            "d": {"$any": [1, {"$gt": 2}]}, "e": {"$gt": 1, "$lte": 9.5},
                                            "f": {"$ne": {"x": 1}}, "g": {"$contains": {"id": {"$type": "string"}}}})"))
                    .has_value());
  CHECK_FALSE(validate_json_pattern(json("plain")).has_value());
}

TEST_CASE("validate_json_pattern reports the culprit's pointer") {
  auto e = invalid(R"({"a": {"$gtt": 1}})");
  CHECK(e.second == "/a/$gtt");
  CHECK(contains(e.first, "unknown operator \"$gtt\""));

  e = invalid(R"({"a": {"$gt": 1, "b": 2}})");
  CHECK(e.second == "/a");
  CHECK(contains(e.first, "mixes $operators with plain keys"));

  e = invalid(R"({"a": {"$type": "float"}})");
  CHECK(e.second == "/a/$type");
  CHECK(contains(e.first, "$type takes one of"));

  e = invalid(R"({"a": {"$type": 1}})");
  CHECK(e.second == "/a/$type");

  e = invalid(R"({"a": {"$regex": 5}})");
  CHECK(e.second == "/a/$regex");
  CHECK(contains(e.first, "$regex takes a string"));

  e = invalid(R"({"a": {"$regex": "(unclosed"}})");
  CHECK(e.second == "/a/$regex");
  CHECK(contains(e.first, "invalid $regex"));

  e = invalid(R"({"a": {"$exists": "yes"}})");
  CHECK(e.second == "/a/$exists");
  CHECK(contains(e.first, "true or false"));

  e = invalid(R"({"a": {"$any": []}})");
  CHECK(e.second == "/a/$any");
  CHECK(contains(e.first, "non-empty array"));

  e = invalid(R"({"a": {"$any": [1, {"$nope": 2}]}})");
  CHECK(e.second == "/a/$any/1/$nope");

  e = invalid(R"({"a": {"$lt": "5"}})");
  CHECK(e.second == "/a/$lt");
  CHECK(contains(e.first, "$lt takes a number"));

  e = invalid(R"({"a": {"$contains": {"$type": "decimal"}}})");
  CHECK(e.second == "/a/$contains/$type");

  e = invalid(R"([{"ok": 1}, {"x": {"$bad": 1}}])");
  CHECK(e.second == "/1/x/$bad");
}

TEST_CASE("is_valid_regex") {
  std::string why;
  CHECK(wscheck::is_valid_regex("^a[0-9]{2,}$", why));
  CHECK(why.empty());
  CHECK_FALSE(wscheck::is_valid_regex("a(", why));
  CHECK_FALSE(why.empty());
  why.clear();
  CHECK_FALSE(wscheck::is_valid_regex("[z-a]", why));
  CHECK_FALSE(why.empty());
}

TEST_CASE("to_hex and from_hex") {
  CHECK(to_hex(std::string("\x00\xff\x10\xab", 4)) == "00ff10ab");
  CHECK(to_hex("") == "");
  CHECK(from_hex("00ff10AB") == std::string("\x00\xff\x10\xab", 4));
  CHECK(from_hex("00:ff 10") == std::string("\x00\xff\x10", 3));
  CHECK(from_hex("") == "");
  CHECK_THROWS_AS(from_hex("abc"), std::invalid_argument);
  CHECK_THROWS_AS(from_hex("zz"), std::invalid_argument);
  CHECK_THROWS_AS(from_hex("0x00"), std::invalid_argument);
  std::string all;
  for (int i = 0; i < 256; ++i) all.push_back(static_cast<char>(i));
  std::string hex = to_hex(all);
  CHECK(hex.size() == 512);
  CHECK(hex.substr(0, 8) == "00010203");
  CHECK(hex.substr(504) == "fcfdfeff");
  CHECK(from_hex(hex) == all);
}

}  // TEST_SUITE("matcher")

TEST_SUITE("known_bugs") {

// json_equal() compares every pair of numbers as doubles, so distinct 64-bit
// integers above 2^53 (snowflake-style IDs, nanosecond timestamps) match.
TEST_CASE("matcher: distinct integers above 2^53 do not match") {
  CHECK_FALSE(ok("9007199254740993", "9007199254740992"));
  CHECK_FALSE(ok(R"({"id": 1234567890123456789})", R"({"id": 1234567890123456788})"));
  CHECK(ok(R"({"$ne": 9007199254740993})", "9007199254740992"));
}

// has_type("integer") tests a float with static_cast<long long>(d), which is
// undefined behaviour outside the int64 range (UBSan's float-cast-overflow
// reports it). JSON Schema counts any number with a zero fraction as an
// integer, as this matcher does for 3.0.
TEST_CASE("matcher: $type integer on floats outside the int64 range") {
  CHECK(ok(R"({"$type": "integer"})", "1e300"));
  CHECK(ok(R"({"$type": "integer"})", "-1e19"));
  CHECK_FALSE(ok(R"({"$type": "integer"})", "1e-300"));
}

}  // TEST_SUITE("known_bugs")
