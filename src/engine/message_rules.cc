#include "engine/message_rules.h"

#include <stdexcept>

#include "scenario/jwt.h"

namespace wscheck {

OutgoingFrame render_send(const SendStep& send, const VariableScope& scope) {
  switch (send.kind) {
    case SendStep::Kind::Text: return {false, expand_template(send.text, scope)};
    case SendStep::Kind::Json: return {false, expand_template(send.prefix, scope) + expand_json(send.json, scope).dump()};
    case SendStep::Kind::BinaryHex: return {true, from_hex(send.text)};
    case SendStep::Kind::BinaryBase64: return {true, base64_decode(send.text)};
  }
  throw std::invalid_argument("unknown send kind");
}

MessageRules::MessageRules(std::vector<MessageRule> rules, const VariableScope* scope)
    : rules_(std::move(rules)), counts_(rules_.size(), 0), scope_(scope) {}

RuleVerdict MessageRules::handle(const Message& message) {
  RuleVerdict verdict;
  for (size_t i = 0; i < rules_.size(); ++i) {
    MatchResult result = match_message(rules_[i].match, message, &cache_);
    if (!result.ok) continue;
    verdict.handled = true;
    verdict.rule = i;
    ++counts_[i];
    if (!rules_[i].reply) return verdict;
    try {
      auto captures = std::move(result.captures);  // named groups of the rule's regex or prefix
      const VariableScope none({}, false);
      const VariableScope& base = scope_ ? *scope_ : none;
      if (captures.empty()) {
        verdict.reply = render_send(*rules_[i].reply, base);
      } else {
        VariableScope local = base;  // the captures never leak into the scenario's variables
        for (auto& [name, value] : captures) local.set_capture(name, std::move(value));
        verdict.reply = render_send(*rules_[i].reply, local);
      }
    } catch (const std::exception& e) {
      verdict.error = e.what();
    }
    return verdict;
  }
  return verdict;
}

std::vector<RuleCount> MessageRules::counts() const {
  std::vector<RuleCount> out;
  for (size_t i = 0; i < rules_.size(); ++i)
    out.push_back({rules_[i].label(), rules_[i].reply ? RuleAction::kReply : RuleAction::kIgnore, counts_[i]});
  return out;
}

}  // namespace wscheck
