// Background rules of one connection (connect "on_message"): which rule
// takes an arriving message, the reply it sends, and how often each fired.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "scenario/matcher.h"
#include "scenario/model.h"
#include "scenario/regex_cache.h"
#include "scenario/variables.h"

namespace wscheck {

enum class RuleAction { kReply, kIgnore };

/// How often one rule of a connection handled a message (for reports).
struct RuleCount {
  std::string name;  // the rule's name, or its matcher described
  RuleAction action = RuleAction::kReply;
  size_t count = 0;
};

/// A frame to send: what a send step or a rule's reply renders to.
struct OutgoingFrame {
  bool binary = false;
  std::string data;
};

/// Renders a send body with `scope`. Throws TemplateError for an undefined
/// ${VAR}, std::invalid_argument for bad hex or base64.
OutgoingFrame render_send(const SendStep& send, const VariableScope& scope);

/// The verdict on one arriving message.
struct RuleVerdict {
  bool handled = false;  // a rule took it: it must not reach the inbox
  size_t rule = 0;       // which one (index into the rules)
  std::optional<OutgoingFrame> reply;
  std::string error;     // the reply could not be rendered (what went wrong)
};

/// The rules of one connection, first match wins. Pure: no lws, no socket,
/// so the dispatch is unit-tested with plain messages.
class MessageRules {
 public:
  MessageRules() = default;
  /// `rules` with their matchers already expanded. Replies are rendered per
  /// message with `scope` (the scenario's variables at that moment, which
  /// must outlive this object) plus the rule's own captures.
  MessageRules(std::vector<MessageRule> rules, const VariableScope* scope);

  bool empty() const { return rules_.empty(); }
  const MessageRule& rule(size_t i) const { return rules_[i]; }
  RuleVerdict handle(const Message& message);
  std::vector<RuleCount> counts() const;

 private:
  std::vector<MessageRule> rules_;
  std::vector<size_t> counts_;
  const VariableScope* scope_ = nullptr;
  RegexCache cache_;
};

}  // namespace wscheck
