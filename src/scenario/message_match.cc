// match_message: one received message against one matcher (json with an
// optional prefix, text, regex, binary), with the regex groups it captured.
#include <map>
#include <stdexcept>

#include "scenario/json_source.h"
#include "scenario/matcher.h"
#include "scenario/regex_cache.h"
#include "scenario/utf8.h"

namespace wscheck {

namespace {

std::map<std::string, nlohmann::json> as_captures(const std::map<std::string, std::string>& groups) {
  std::map<std::string, nlohmann::json> out;
  for (const auto& [name, value] : groups) out[name] = value;
  return out;
}

/// A JSON matcher's text: an optional anchored `prefix`, then the JSON.
MatchResult match_prefixed_json(const Matcher& matcher, std::string_view text, RegexCache* cache) {
  MatchResult r;
  std::map<std::string, nlohmann::json> captures;
  if (!matcher.prefix.empty()) {
    std::string why;
    std::optional<RegexMatch> found = regex_find(matcher.prefix, text, why, cache, true);
    if (!found) {
      r.reason = why.empty() ? "expected text starting with /" + matcher.prefix + "/, got " +
                                   truncate_utf8(nlohmann::json(std::string(text)).dump(), 120)
                             : why;
      return r;
    }
    r.body_offset = found->end;
    captures = as_captures(found->groups);
    text.remove_prefix(found->end);
  }
  const std::string after = matcher.prefix.empty() ? "" : " after the prefix " + nlohmann::json(matcher.prefix).dump();
  if (json_nesting_depth(text, kMaxMessageDepth) > kMaxMessageDepth) {
    r.reason = "the message nests JSON deeper than " + std::to_string(kMaxMessageDepth) + " levels; not compared";
    return r;
  }
  nlohmann::json actual = nlohmann::json::parse(text, nullptr, false);
  if (actual.is_discarded()) {
    r.reason = "expected JSON" + after + ", got text that is not JSON: " + truncate_utf8(std::string(text), 120);
    return r;
  }
  MatchResult m = match_json(matcher.json, actual, cache);
  m.body_offset = r.body_offset;
  if (!matcher.prefix.empty()) ++m.agreed;
  if (m.ok) m.captures = std::move(captures);
  return m;
}

}  // namespace

MatchResult match_message(const Matcher& matcher, const Message& message, RegexCache* cache) {
  MatchResult r;
  switch (matcher.kind) {
    case Matcher::Kind::Json: {
      if (message.binary) {
        r.reason = "expected a JSON text message, got a binary message of " + std::to_string(message.data.size()) + " bytes";
        return r;
      }
      return match_prefixed_json(matcher, message.data, cache);
    }
    case Matcher::Kind::Text:
      if (message.binary) {
        r.reason = "expected a text message, got binary";
        return r;
      }
      r.ok = message.data == matcher.text;
      if (!r.ok) r.reason = "expected text " + nlohmann::json(matcher.text).dump() + ", got " + truncate_utf8(nlohmann::json(message.data).dump(), 120);
      return r;
    case Matcher::Kind::Regex: {
      if (message.binary) {
        r.reason = "expected a text message, got binary";
        return r;
      }
      std::string why;
      std::optional<RegexMatch> found = regex_find(matcher.text, message.data, why, cache);
      r.ok = found.has_value();
      if (found) r.captures = as_captures(found->groups);
      else r.reason = why.empty() ? "text does not match /" + matcher.text + "/" : why;
      return r;
    }
    case Matcher::Kind::BinaryHex: {
      if (!message.binary) {
        r.reason = "expected a binary message, got text";
        return r;
      }
      std::string want;
      try {
        want = from_hex(matcher.text);
      } catch (const std::invalid_argument& e) {
        r.reason = e.what();
        return r;
      }
      r.ok = message.data == want;
      if (!r.ok) r.reason = "expected bytes " + to_hex(want) + ", got " + truncate_utf8(to_hex(message.data), 120);
      return r;
    }
  }
  return r;
}

}  // namespace wscheck
