// Unit tests for src/report/source_excerpt.h: the caret under the culprit.
#include "report/source_excerpt.h"

#include <doctest/doctest.h>

#include <string>

#include "scenario/parser.h"
#include "test_util.h"

using namespace wscheck;
using wscheck_test::contains;

namespace {

/// The caret line of an excerpt, without its gutter.
std::string caret_line(const std::string& line, int col) {
  std::string out = caret_excerpt(line, col, "", "");
  size_t nl = out.find('\n');
  REQUIRE(nl != std::string::npos);
  return out.substr(nl + 1, out.size() - nl - 2);
}

}  // namespace

TEST_SUITE("source_excerpt") {

TEST_CASE("the caret sits under the exact column of an ASCII line") {
  CHECK(caret_line(R"(  {"expcet": {}})", 4) == "   ^");
  CHECK(caret_line("abc", 1) == "^");
  CHECK(caret_line("abc", 4) == "   ^");  // one past the end: "unexpected end"
  CHECK(caret_excerpt("abc", 2, "  1 | ", "    | ") == "  1 | abc\n    |  ^\n");
}

TEST_CASE("multi-byte UTF-8 before the column counts as one column each") {
  // "é" is 2 bytes, "€" 3, "𝄞" 4: one column each, as the parser counts.
  const std::string line = "{\"é€𝄞\": x}";
  // columns: { " é € 𝄞 " : space x -> x is column 9
  CHECK(caret_line(line, 9) == "        ^");
  std::string out = caret_excerpt(line, 9, "", "");
  CHECK(out.substr(0, out.find('\n')) == line);  // printed unchanged
}

TEST_CASE("wide characters take two cells, tabs are kept so the caret lines up") {
  CHECK(caret_line("\"日本\": 1", 6) == "       ^");  // " 日(2) 本(2) " : space
  CHECK(caret_line("\t\t\"x\": 1", 3) == "\t\t^");
}

TEST_CASE("control characters and invalid UTF-8 are shown as '?', one column each") {
  std::string line = std::string("a\x01") + "\xE9" + "b";
  std::string out = caret_excerpt(line, 4, "", "");
  CHECK(out == "a??b\n   ^\n");
  CHECK(caret_excerpt("a\xE2\x80\xAE" "b", 2, "", "") == "a?b\n ^\n");  // a right-to-left override
}

TEST_CASE("a long line is cut to a window around the column") {
  std::string line(10000, 'x');
  line[6000] = 'Y';
  std::string out = caret_excerpt(line, 6001, "", "");
  std::string shown = out.substr(0, out.find('\n'));
  std::string marks = out.substr(out.find('\n') + 1);
  CHECK(shown.size() < 400);
  CHECK(shown.rfind("…", 0) == 0);
  // the caret is under the Y
  size_t y = shown.find('Y');
  REQUIRE(y != std::string::npos);
  CHECK(marks.find('^') == y - std::string("…").size() + 1);
}

TEST_CASE("source_line picks the 1-based line and drops a CR") {
  CHECK(source_line("a\r\nbb\nccc", 2) == "bb");
  CHECK(source_line("a\nbb\nccc", 3) == "ccc");
  CHECK(source_line("a", 2).empty());
}

TEST_CASE("an error renders as file:line:col, the line, the caret and the hint") {
  const std::string text = "{\"name\": \"t\", \"steps\": [\n  {\"expcet\": {}}\n]}";
  std::vector<ScenarioError> errors;
  (void)parse_scenario_text(text, "f.json", errors);
  REQUIRE(errors.size() == 1);
  std::string out = render_scenario_error(errors[0], text);
  CHECK(out ==
        "f.json:2:4: unknown key \"expcet\" (did you mean \"expect\"?)\n"
        "    2 |   {\"expcet\": {}}\n"
        "      |    ^\n"
        "      = hint: a step is one of: close, connect, expect, expect_close, expect_sequence, expect_silence, ping, "
        "send, sleep; with capture, conn, count, name, strict, timeout_ms, until\n");
}

TEST_CASE("an error without a position has no excerpt") {
  ScenarioError e(SourceRef{"x.json", {}}, "no such file or directory");
  CHECK(render_scenario_error(e, "whatever") == "x.json: no such file or directory\n");
}

TEST_CASE("many errors: the first ones in full, then how many more") {
  std::vector<ScenarioError> errors;
  for (int i = 1; i <= 25; ++i) errors.emplace_back(SourceRef{"f.json", {i, 1}}, "e" + std::to_string(i));
  int reads = 0;
  std::string out = render_scenario_errors(errors, [&](const std::string&) {
    ++reads;
    return std::string("line\n").append(100, 'x');
  });
  CHECK(contains(out, "f.json:20:1: e20\n"));
  CHECK_FALSE(contains(out, "f.json:21:1:"));
  CHECK(contains(out, "... and 5 more\n"));
  CHECK(reads == 1);  // the file is read once
}

}  // TEST_SUITE("source_excerpt")
