// libFuzzer target: the scenario-file parser.
//
// Input: the bytes of one scenario file. parse_scenario_text() may reject it
// with wscheck::ScenarioError (that is the contract); any other exception,
// a crash, a sanitizer report or a hang is a finding. For an accepted file
// the target also checks what the rest of wscheck relies on: every JSON
// matcher validates, every recorded template parses, labels render.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz/fuzz_check.h"
#include "report/source_excerpt.h"
#include "scenario/matcher.h"
#include "scenario/parser.h"
#include "scenario/variables.h"

namespace {

constexpr const char* kTarget = "parser_fuzz";

void check_matcher(const wscheck::Matcher& m) {
  (void)m.describe();
  if (m.kind == wscheck::Matcher::Kind::Json) {
    auto error = wscheck::validate_json_pattern(m.json);
    FUZZ_CHECK(kTarget, !error, "accepted a JSON matcher that validate_json_pattern rejects: " +
                                    (error ? error->first : std::string()));
  } else if (m.kind == wscheck::Matcher::Kind::Regex) {
    std::string why;
    FUZZ_CHECK(kTarget, wscheck::is_valid_regex(m.text, why), "accepted an invalid regex: " + why);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  wscheck::Suite suite;
  try {
    suite = wscheck::parse_scenario_text(text, "fuzz.json");
  } catch (const wscheck::ScenarioError& e) {
    std::string where = e.str();  // "file:line:col: message" must render
    FUZZ_CHECK(kTarget, where.rfind("fuzz.json", 0) == 0, "error not located in the file: " + where);
    (void)wscheck::render_scenario_error(e, text);  // the caret excerpt of any line must render
    return 0;
  }
  FUZZ_CHECK(kTarget, !suite.scenarios.empty(), "parse succeeded with no scenario");
  for (const auto& s : suite.scenarios) {
    FUZZ_CHECK(kTarget, !s.name.empty(), "accepted a scenario with an empty name");
    FUZZ_CHECK(kTarget, !s.steps.empty(), "accepted a scenario with no steps");
    for (const auto& t : s.templates) {
      try {
        (void)wscheck::find_var_refs(t.text);
      } catch (const wscheck::TemplateError& e) {
        fuzzcheck::fail(kTarget, std::string("accepted a malformed template: ") + e.what());
      }
    }
    for (const auto& step : s.steps) {
      (void)step.label();
      (void)step.where.str();
      if (auto* e = std::get_if<wscheck::ExpectStep>(&step.body)) check_matcher(e->matcher);
      if (auto* q = std::get_if<wscheck::ExpectSequenceStep>(&step.body))
        for (const auto& m : q->match) check_matcher(m);
      if (auto* sd = std::get_if<wscheck::SendStep>(&step.body))
        if (sd->kind == wscheck::SendStep::Kind::Json) (void)sd->json.dump();
    }
  }
  return 0;
}
