// The step parser: one step object of a scenario file into a model Step.
#pragma once

#include <string>

#include "scenario/field_reader.h"
#include "scenario/model.h"

namespace wscheck {

/// Reads the steps of one scenario. Problems go to the FieldReader's error
/// list; a step that cannot be used throws Abandon after recording why.
class StepParser {
 public:
  StepParser(const FieldReader& reader, Scenario& scenario) : r_(reader), s_(scenario) {}

  Step read_step(const nlohmann::json& v, const std::string& pointer) const;

 private:
  void read_modifiers(Step& step, const nlohmann::json& v, const std::string& pointer) const;
  void read_capture(Step& step, const nlohmann::json& c, const std::string& pointer) const;
  void read_stream(Step& step, const nlohmann::json& v, const std::string& pointer) const;
  StepBody read_body(const std::string& kind, const nlohmann::json& b, const std::string& bp) const;
  StepBody read_control(const std::string& kind, const nlohmann::json& b, const std::string& bp) const;
  ConnectStep read_connect(const nlohmann::json& b, const std::string& bp) const;
  void read_url(ConnectStep& c, const nlohmann::json& b, const std::string& bp) const;
  void read_headers(ConnectStep& c, const nlohmann::json& h, const std::string& hp) const;
  std::vector<MessageRule> read_rules(const nlohmann::json& v, const std::string& vp) const;
  MessageRule read_rule(const nlohmann::json& v, const std::string& vp) const;
  void read_upgrade_checks(ConnectStep& c, const nlohmann::json& b, const std::string& bp) const;
  std::optional<RejectSpec> read_rejected(const nlohmann::json& r, const std::string& rp) const;
  AuthSpec read_auth(const nlohmann::json& a, const std::string& ap) const;
  JwtSpec read_jwt(const nlohmann::json& j, const std::string& jp) const;
  SendStep read_send(const nlohmann::json& b, const std::string& bp) const;
  Matcher read_matcher(const nlohmann::json& m, const std::string& mp) const;
  /// Checks a matcher regex and registers its named groups as captured variables.
  void read_regex_groups(const std::string& pattern, const std::string& pointer) const;
  ExpectSequenceStep read_sequence(const nlohmann::json& b, const std::string& bp) const;

  const FieldReader& r_;
  Scenario& s_;
};

}  // namespace wscheck
