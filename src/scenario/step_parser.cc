#include "scenario/step_parser.h"

#include "scenario/matcher.h"
#include "scenario/regex.h"
#include "scenario/variables.h"

namespace wscheck {

using json = nlohmann::json;

namespace {

bool is_expect(const std::string& kind) { return kind == "expect" || kind == "expect_sequence"; }

}  // namespace

Step StepParser::read_step(const json& v, const std::string& pointer) const {
  Step step;
  step.where = r_.at(pointer);
  r_.require_object(v, pointer);
  std::string kind;
  bool unknown = false;
  keys::KeySet all = keys::kStepActions;
  all.insert(keys::kStepModifiers.begin(), keys::kStepModifiers.end());
  for (auto it = v.begin(); it != v.end(); ++it) {
    const std::string& k = it.key();
    if (keys::kStepActions.count(k)) {
      if (!kind.empty())
        r_.fail_key(pointer_append(pointer, k), "a step has exactly one action, found both \"" + kind + "\" and \"" + k + "\"",
                    "split it into two steps");
      kind = k;
    } else if (!keys::kStepModifiers.count(k)) {
      unknown = true;
      r_.note_key(pointer_append(pointer, k), "unknown key \"" + k + "\"" + suggestion(k, all),
                  "a step is one of: " + join_keys(keys::kStepActions) + "; with " + join_keys(keys::kStepModifiers));
    }
  }
  if (kind.empty() && unknown) throw Abandon{};  // the unknown key was the action: one error is enough
  if (kind.empty()) r_.fail(pointer, "a step needs one action: " + join_keys(keys::kStepActions));
  step.kind = kind;
  read_modifiers(step, v, pointer);
  step.body = read_body(kind, v[kind], pointer_append(pointer, kind));
  read_stream(step, v, pointer);
  return step;
}

/// "count" and "until": modifiers of a single expect (a stream of items).
void StepParser::read_stream(Step& step, const json& v, const std::string& pointer) const {
  auto* expect = std::get_if<ExpectStep>(&step.body);
  for (const char* key : {"count", "until"}) {
    if (!v.contains(key) || expect) continue;
    r_.note_key(pointer_append(pointer, key), std::string("\"") + key + "\" applies only to expect steps",
                step.kind == "expect_sequence" ? "use an expect step with \"count\"/\"until\" instead of expect_sequence"
                                               : "");
  }
  if (!expect) return;
  if (v.contains("count"))
    expect->count = r_.get_int32(v["count"], pointer_append(pointer, "count"), "count", 1, 1000000).value_or(1);
  if (v.contains("until")) {
    try {
      expect->until = read_matcher(v["until"], pointer_append(pointer, "until"));
    } catch (const Abandon&) {
      // recorded
    }
  }
}

void StepParser::read_modifiers(Step& step, const json& v, const std::string& pointer) const {
  if (auto name = r_.get_string(v, pointer, "name")) step.name = *name;
  if (v.contains("timeout_ms"))
    step.timeout_ms = r_.get_int32(v["timeout_ms"], pointer_append(pointer, "timeout_ms"), "timeout_ms", 1, 3600000);
  if (auto conn = r_.get_string(v, pointer, "conn")) step.conn = *conn;
  if (v.contains("strict")) {
    if (!is_expect(step.kind))
      r_.note_key(pointer_append(pointer, "strict"), "\"strict\" applies only to expect and expect_sequence steps");
    else if (auto strict = r_.get_bool(v["strict"], pointer_append(pointer, "strict"), "strict"))
      step.strict = *strict;
  }
  if (v.contains("capture")) {
    std::string cp = pointer_append(pointer, "capture");
    if (!is_expect(step.kind)) r_.note_key(cp, "\"capture\" applies only to expect and expect_sequence steps");
    else read_capture(step, v["capture"], cp);
  }
}

void StepParser::read_capture(Step& step, const json& c, const std::string& cp) const {
  r_.require_object(c, cp);
  for (auto it = c.begin(); it != c.end(); ++it) {
    std::string p = pointer_append(cp, it.key());
    if (!is_valid_var_name(it.key())) {
      r_.note_key(p, "capture variable \"" + it.key() + "\" is not a valid name (letters, digits, _)");
      continue;
    }
    if (!it.value().is_string()) {
      r_.note(p, "a capture maps a variable to a JSON pointer string like \"/run_id\"");
      continue;
    }
    std::string ptr = it.value().get<std::string>();
    if (!ptr.empty() && ptr[0] != '/') {
      r_.note(p, "JSON pointer must start with '/' (e.g. \"/run_id\"), found \"" + ptr + "\"");
      continue;
    }
    try {
      (void)json::json_pointer(ptr);
    } catch (const std::exception&) {
      r_.note(p, "invalid JSON pointer \"" + ptr + "\"", "escape '~' as ~0 and '/' inside a key as ~1");
      continue;
    }
    step.capture.emplace_back(it.key(), ptr);
    s_.captured_vars.push_back(it.key());
  }
}

StepBody StepParser::read_body(const std::string& kind, const json& b, const std::string& bp) const {
  if (kind == "connect") return read_connect(b, bp);
  if (kind == "send") return read_send(b, bp);
  if (kind == "expect") {
    ExpectStep expect;  // count and until are step modifiers: read_stream
    expect.matcher = read_matcher(b, bp);
    return expect;
  }
  if (kind == "expect_sequence") return read_sequence(b, bp);
  return read_control(kind, b, bp);
}

/// expect_silence, ping, close, expect_close, sleep.
StepBody StepParser::read_control(const std::string& kind, const json& b, const std::string& bp) const {
  r_.require_object(b, bp);
  if (kind == "expect_silence" || kind == "sleep") {
    r_.check_keys(b, bp, kind == "sleep" ? keys::kSleep : keys::kExpectSilence);
    if (!r_.require_key(b, bp, "ms")) throw Abandon{};
    auto ms = r_.get_int32(b["ms"], pointer_append(bp, "ms"), "ms", kind == "sleep" ? 0 : 1, 3600000);
    if (kind == "sleep") return SleepStep{ms.value_or(0)};
    return ExpectSilenceStep{ms.value_or(1)};
  }
  if (kind == "ping") {
    r_.check_keys(b, bp, keys::kPing);
    PingStep ping;
    ping.payload = r_.get_string(b, bp, "payload");
    if (ping.payload && ping.payload->size() > 125)
      r_.note(pointer_append(bp, "payload"), "a ping payload is at most 125 bytes (RFC 6455 control frame)");
    return ping;
  }
  if (kind == "close") {
    r_.check_keys(b, bp, keys::kClose);
    CloseStep close;
    if (b.contains("code"))
      close.code = r_.get_int32(b["code"], pointer_append(bp, "code"), "close code", 1000, 4999).value_or(1000);
    close.reason = r_.get_string(b, bp, "reason").value_or("");
    if (close.reason.size() > 123) r_.note(pointer_append(bp, "reason"), "a close reason is at most 123 bytes");
    return close;
  }
  r_.check_keys(b, bp, keys::kExpectClose);
  ExpectCloseStep ec;
  if (b.contains("code")) ec.codes = r_.get_int_list(b["code"], pointer_append(bp, "code"), "close code", 1000, 4999);
  ec.reason_regex = r_.get_string(b, bp, "reason");
  std::string why;
  if (ec.reason_regex && !is_valid_regex(*ec.reason_regex, why))
    r_.note(pointer_append(bp, "reason"), "invalid regex: " + why);
  return ec;
}

SendStep StepParser::read_send(const json& b, const std::string& bp) const {
  r_.require_object(b, bp);
  r_.check_keys(b, bp, keys::kSend);
  if (b.contains("prefix") && !b.contains("json"))
    r_.fail(pointer_append(bp, "prefix"), "\"prefix\" goes with \"json\": the frame is the prefix, then the compact JSON",
            "add \"json\", or put the whole frame in \"text\"");
  if (b.size() != (b.contains("prefix") ? 2u : 1u))
    r_.fail(bp, "send takes exactly one of text, json, binary_hex, binary_base64 (json may have a prefix)");
  SendStep send;
  if (b.contains("text")) {
    send.kind = SendStep::Kind::Text;
    send.text = r_.get_string(b, bp, "text").value_or("");
    r_.add_template(s_.templates, send.text, pointer_append(bp, "text"));
  } else if (b.contains("json")) {
    send.kind = SendStep::Kind::Json;
    send.json = b["json"];
    r_.add_json_templates(s_.templates, send.json, pointer_append(bp, "json"));
    if (b.contains("prefix")) {
      send.prefix = r_.get_string(b, bp, "prefix").value_or("");
      r_.add_template(s_.templates, send.prefix, pointer_append(bp, "prefix"));
    }
  } else if (b.contains("binary_hex")) {
    send.kind = SendStep::Kind::BinaryHex;
    send.text = r_.get_string(b, bp, "binary_hex").value_or("");
    try {
      (void)from_hex(send.text);
    } catch (const std::exception& e) {
      r_.note(pointer_append(bp, "binary_hex"), e.what());
    }
  } else if (b.contains("binary_base64")) {
    send.kind = SendStep::Kind::BinaryBase64;
    send.text = r_.get_string(b, bp, "binary_base64").value_or("");
  }
  return send;
}

Matcher StepParser::read_matcher(const json& m, const std::string& mp) const {
  r_.require_object(m, mp);
  r_.check_keys(m, mp, keys::kMatcher);
  if (m.contains("prefix") && !m.contains("json"))
    r_.fail(pointer_append(mp, "prefix"), "\"prefix\" goes with \"json\": the text must start with the prefix, the rest is JSON",
            "add \"json\", or use {\"regex\": \"^...\"} to match the whole text");
  if (m.size() != (m.contains("prefix") ? 2u : 1u))
    r_.fail(mp, "a matcher is exactly one of {\"json\": ...} (optionally with \"prefix\"), {\"text\": ...}, {\"regex\": ...}, {\"binary_hex\": ...}");
  Matcher matcher;
  if (m.contains("json")) {
    matcher.kind = Matcher::Kind::Json;
    matcher.json = m["json"];
    std::string jp = pointer_append(mp, "json");
    if (auto error = validate_json_pattern(matcher.json)) r_.note(jp + error->second, error->first);
    r_.add_json_templates(s_.templates, matcher.json, jp);
    if (m.contains("prefix")) {
      matcher.prefix = r_.get_string(m, mp, "prefix").value_or("");
      read_regex_groups(matcher.prefix, pointer_append(mp, "prefix"));
    }
  } else if (m.contains("text")) {
    matcher.kind = Matcher::Kind::Text;
    matcher.text = r_.get_string(m, mp, "text").value_or("");
    r_.add_template(s_.templates, matcher.text, pointer_append(mp, "text"));
  } else if (m.contains("regex")) {
    matcher.kind = Matcher::Kind::Regex;
    matcher.text = r_.get_string(m, mp, "regex").value_or("");
    read_regex_groups(matcher.text, pointer_append(mp, "regex"));
  } else if (m.contains("binary_hex")) {
    matcher.kind = Matcher::Kind::BinaryHex;
    matcher.text = r_.get_string(m, mp, "binary_hex").value_or("");
    try {
      (void)from_hex(matcher.text);
    } catch (const std::exception& e) {
      r_.note(pointer_append(mp, "binary_hex"), e.what());
    }
  }
  return matcher;
}

void StepParser::read_regex_groups(const std::string& pattern, const std::string& pointer) const {
  std::string why;
  std::optional<Regex> re = Regex::compile(pattern, why);
  if (!re) {
    r_.note(pointer, "invalid regex: " + why);
    return;
  }
  for (const std::string& name : re->group_names()) {
    if (!is_valid_var_name(name)) {
      r_.note(pointer, "the named group \"" + name + "\" is not a valid variable name (letters, digits, _)",
              "rename the group (?<" + name + ">...) to an ASCII name like (?<ack_id>...)");
      continue;
    }
    s_.captured_vars.push_back(name);
  }
}

ExpectSequenceStep StepParser::read_sequence(const json& b, const std::string& bp) const {
  r_.require_object(b, bp);
  r_.check_keys(b, bp, keys::kExpectSequence);
  ExpectSequenceStep seq;
  std::string mp = pointer_append(bp, "match");
  if (!r_.require_key(b, bp, "match")) throw Abandon{};
  if (!b["match"].is_array() || b["match"].empty()) r_.fail(mp, "\"match\" must be a non-empty array of matchers");
  for (size_t i = 0; i < b["match"].size(); ++i) {
    try {
      seq.match.push_back(read_matcher(b["match"][i], pointer_append(mp, i)));
    } catch (const Abandon&) {
      // recorded; the other matchers are still checked
    }
  }
  if (b.contains("ordered"))
    seq.ordered = r_.get_bool(b["ordered"], pointer_append(bp, "ordered"), "ordered").value_or(true);
  return seq;
}

}  // namespace wscheck
