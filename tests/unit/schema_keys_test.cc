// The parser, docs/scenario.schema.json and the docs cannot drift: every key
// the parser knows is in the schema, and the schema knows no other key.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "scenario/keys.h"
#include "scenario/matcher.h"
#include "scenario/parser.h"
#include "scenario_schema.h"  // generated from docs/scenario.schema.json

using namespace wscheck;
using nlohmann::json;

namespace {

const json& schema() {
  static const json s = json::parse(kScenarioSchemaJson);
  return s;
}

std::set<std::string> names_at(const std::string& pointer, bool enum_values = false) {
  const json& node = schema().at(json::json_pointer(pointer));
  std::set<std::string> out;
  if (enum_values) {
    for (const auto& v : node) out.insert(v.get<std::string>());
  } else {
    for (auto it = node.begin(); it != node.end(); ++it) out.insert(it.key());
  }
  return out;
}

std::set<std::string> without_schema_key(std::set<std::string> s) {
  s.erase("$schema");
  return s;
}

}  // namespace

TEST_SUITE("schema_keys") {

TEST_CASE("the embedded schema is the docs file, and valid JSON declaring draft 2020-12") {
  CHECK(schema()["$schema"] == "https://json-schema.org/draft/2020-12/schema");
}

TEST_CASE("every key list of the parser equals the schema's properties") {
  struct Place {
    const keys::KeySet& names;
    std::string pointer;
  };
  const Place places[] = {
      {keys::kDefaults, "/$defs/defaults/properties"},
      {keys::kServer, "/$defs/server/properties"},
      {keys::kScenario, "/$defs/scenario/properties"},
      {keys::kRequires, "/$defs/requires/properties"},
      {keys::kConnect, "/$defs/connect/properties"},
      {keys::kRule, "/$defs/rule/properties"},
      {keys::kAuth, "/$defs/auth/properties"},
      {keys::kJwt, "/$defs/jwt/properties"},
      {keys::kTls, "/$defs/connect/properties/tls/properties"},
      {keys::kExpectRejected, "/$defs/connect/properties/expect_rejected/anyOf/1/properties"},
      {keys::kSend, "/$defs/send/properties"},
      {keys::kMatcher, "/$defs/matcher/properties"},
      {keys::kExpectSequence, "/$defs/expect_sequence/properties"},
      {keys::kExpectSilence, "/$defs/expect_silence/properties"},
      {keys::kPing, "/$defs/ping/properties"},
      {keys::kClose, "/$defs/close/properties"},
      {keys::kExpectClose, "/$defs/expect_close/properties"},
      {keys::kSleep, "/$defs/sleep/properties"},
  };
  for (const auto& p : places) {
    CAPTURE(p.pointer);
    CHECK(names_at(p.pointer) == p.names);
  }
  CHECK(without_schema_key(names_at("/$defs/suite_file/properties")) == keys::kSuiteFile);
  CHECK(without_schema_key(names_at("/$defs/scenario_file/properties")) == keys::kScenario);
  CHECK(names_at("/$defs/suite_file/properties").count("$schema") == 1);
  CHECK(names_at("/$defs/scenario_file/properties").count("$schema") == 1);
}

TEST_CASE("a step: every action and modifier, and exactly one action") {
  keys::KeySet all = keys::kStepActions;
  all.insert(keys::kStepModifiers.begin(), keys::kStepModifiers.end());
  CHECK(names_at("/$defs/step/properties") == all);
  std::set<std::string> one_of;
  for (const auto& alt : schema()["$defs"]["step"]["oneOf"]) one_of.insert(alt["required"][0].get<std::string>());
  CHECK(one_of == keys::kStepActions);
}

TEST_CASE("enumerated values and matcher operators") {
  CHECK(names_at("/$defs/auth/properties/in/enum", true) == keys::kAuthPlacements);
  CHECK(names_at("/$defs/jwt/properties/alg/enum", true) == keys::kJwtAlgs);
  CHECK(names_at("/$defs/pattern/anyOf/2/properties") == json_pattern_operators());
}

TEST_CASE("the parser accepts every listed requires key (the list is what it checks)") {
  for (const auto& key : keys::kRequires) {
    CAPTURE(key);
    const std::string text = "{\"name\": \"t\", \"requires\": {\"" + key + "\": []}, \"steps\": [{\"sleep\": {\"ms\": 1}}]}";
    std::vector<ScenarioError> errors;
    (void)parse_scenario_text(text, "f.json", errors);
    CHECK(errors.empty());
  }
}

TEST_CASE("$schema is accepted at the top of a scenario or suite file, and nowhere else") {
  std::vector<ScenarioError> errors;
  (void)parse_scenario_text(R"({"$schema": "x", "name": "t", "steps": [{"sleep": {"ms": 1}}]})", "f.json", errors);
  CHECK(errors.empty());
  (void)parse_scenario_text(R"({"$schema": "x", "scenarios": [{"name": "t", "steps": [{"sleep": {"ms": 1}}]}]})",
                            "f.json", errors);
  CHECK(errors.empty());
  (void)parse_scenario_text(R"({"scenarios": [{"$schema": "x", "name": "t", "steps": [{"sleep": {"ms": 1}}]}]})",
                            "f.json", errors);
  REQUIRE(errors.size() == 1);
  CHECK(std::string(errors[0].what()).find("unknown key \"$schema\"") == 0);
}

}  // TEST_SUITE("schema_keys")
