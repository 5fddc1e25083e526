// The step parser, continued: the connect step with its auth, TLS and rejection
// options, its background rules (on_message) and its upgrade assertions.
#include <cctype>

#include "core/url.h"
#include "scenario/matcher.h"
#include "scenario/step_parser.h"

namespace wscheck {

namespace {

/// A header name wscheck can send or look for: not empty, no ':' or whitespace.
bool is_header_name(const std::string& name) {
  return !name.empty() && name.find_first_of(": \r\n") == std::string::npos;
}

}  // namespace

using json = nlohmann::json;

ConnectStep StepParser::read_connect(const json& b, const std::string& bp) const {
  r_.require_object(b, bp);
  r_.check_keys(b, bp, keys::kConnect);
  ConnectStep c;
  read_url(c, b, bp);
  if (b.contains("headers")) read_headers(c, b["headers"], pointer_append(bp, "headers"));
  if (b.contains("subprotocols"))
    c.subprotocols = r_.get_string_list(b["subprotocols"], pointer_append(bp, "subprotocols"), "subprotocols");
  if (b.contains("auth")) c.auth = read_auth(b["auth"], pointer_append(bp, "auth"));
  if (b.contains("tls")) {
    std::string tp = pointer_append(bp, "tls");
    const json& t = b["tls"];
    r_.require_object(t, tp);
    r_.check_keys(t, tp, keys::kTls);
    c.tls.ca_file = r_.get_string(t, tp, "ca_file").value_or("");
    r_.add_template(s_.templates, c.tls.ca_file, pointer_append(tp, "ca_file"));
    if (t.contains("insecure")) c.tls.insecure = r_.get_bool(t["insecure"], pointer_append(tp, "insecure"), "insecure");
  }
  if (auto as = r_.get_string(b, bp, "as")) {
    if (as->empty()) r_.note(pointer_append(bp, "as"), "connection name must not be empty");
    else c.as = *as;
  }
  if (b.contains("expect_rejected")) c.expect_rejected = read_rejected(b["expect_rejected"], pointer_append(bp, "expect_rejected"));
  if (b.contains("on_message")) c.on_message = read_rules(b["on_message"], pointer_append(bp, "on_message"));
  read_upgrade_checks(c, b, bp);
  return c;
}

std::vector<MessageRule> StepParser::read_rules(const json& v, const std::string& vp) const {
  std::vector<MessageRule> rules;
  if (!v.is_array()) {
    r_.note(vp, "\"on_message\" must be an array of rules, found " + type_word(v),
            "write [{\"match\": {\"text\": \"2\"}, \"reply\": {\"text\": \"3\"}}]");
    return rules;
  }
  for (size_t i = 0; i < v.size(); ++i) {
    try {
      rules.push_back(read_rule(v[i], pointer_append(vp, i)));
    } catch (const Abandon&) {
      // recorded; the other rules are still checked
    }
  }
  return rules;
}

MessageRule StepParser::read_rule(const json& v, const std::string& vp) const {
  r_.require_object(v, vp);
  r_.check_keys(v, vp, keys::kRule);
  MessageRule rule;
  rule.where = r_.at(vp);
  if (auto name = r_.get_string(v, vp, "name")) rule.name = *name;
  const bool reply = v.contains("reply"), ignore = v.contains("ignore");
  if (reply && ignore)
    r_.note_key(pointer_append(vp, "ignore"), "a rule either replies or ignores, found both \"reply\" and \"ignore\"",
                "keep one of them");
  else if (!reply && !ignore)
    r_.note(vp, "a rule needs \"reply\": SEND or \"ignore\": true", "add one of them");
  if (ignore) {
    std::string ip = pointer_append(vp, "ignore");
    if (auto flag = r_.get_bool(v["ignore"], ip, "\"ignore\""); flag && !*flag)
      r_.note(ip, "\"ignore\": false is not a rule", "write \"ignore\": true, or give the rule a \"reply\"");
  }
  if (!r_.require_key(v, vp, "match")) throw Abandon{};
  rule.match = read_matcher(v["match"], pointer_append(vp, "match"));
  if (reply && !ignore) rule.reply = read_send(v["reply"], pointer_append(vp, "reply"));
  return rule;
}

void StepParser::read_upgrade_checks(ConnectStep& c, const json& b, const std::string& bp) const {
  auto check_pattern = [&](const json& pattern, const std::string& p) {
    if (auto error = validate_json_pattern(pattern)) r_.note(p + error->second, error->first);
    r_.add_json_templates(s_.templates, pattern, p);
  };
  if (b.contains("expect_subprotocol")) {
    std::string sp = pointer_append(bp, "expect_subprotocol");
    check_pattern(b["expect_subprotocol"], sp);
    c.expect_subprotocol = b["expect_subprotocol"];
    if (c.expect_rejected) r_.note_key(sp, "\"expect_subprotocol\" checks an upgrade that succeeds; this one expects a refusal");
  }
  if (!b.contains("expect_headers")) return;
  std::string hp = pointer_append(bp, "expect_headers");
  if (c.expect_rejected) r_.note_key(hp, "\"expect_headers\" checks an upgrade that succeeds; this one expects a refusal");
  const json& h = b["expect_headers"];
  r_.require_object(h, hp);
  for (auto it = h.begin(); it != h.end(); ++it) {
    std::string p = pointer_append(hp, it.key());
    if (!is_header_name(it.key())) {
      r_.note_key(p, "invalid header name \"" + it.key() + "\"");
      continue;
    }
    check_pattern(it.value(), p);
    std::string name;
    for (char ch : it.key()) name += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    c.expect_headers.emplace_back(name, it.value());
  }
}

void StepParser::read_url(ConnectStep& c, const json& b, const std::string& bp) const {
  c.url = r_.get_string(b, bp, "url").value_or("");
  std::string up = pointer_append(bp, "url");
  r_.add_template(s_.templates, c.url, up);
  if (c.url.find("${") != std::string::npos) return;  // checked at run time, once expanded
  if (c.url.find("://") != std::string::npos) {
    std::string error;
    auto url = parse_url(c.url, error);
    if (!url) r_.note(up, error);
    else if (url->scheme != "ws" && url->scheme != "wss") r_.note(up, "a connect URL uses ws:// or wss://");
  } else if (!c.url.empty() && c.url[0] != '/') {
    r_.note(up, "URL \"" + c.url + "\" is neither absolute (ws://...) nor a path starting with '/'",
            "write ws://host:port/path, or /path to use --url's host");
  }
}

void StepParser::read_headers(ConnectStep& c, const json& h, const std::string& hp) const {
  r_.require_object(h, hp);
  for (auto it = h.begin(); it != h.end(); ++it) {
    std::string p = pointer_append(hp, it.key());
    if (!is_header_name(it.key())) {
      r_.note_key(p, "invalid header name \"" + it.key() + "\"");
      continue;
    }
    if (!it.value().is_string()) {
      r_.note(p, "header values must be strings");
      continue;
    }
    const std::string value = it.value().get<std::string>();
    if (value.find_first_of("\r\n") != std::string::npos) {
      r_.note(p, "header values must not contain line breaks");
      continue;
    }
    c.headers.emplace_back(it.key(), value);
    r_.add_template(s_.templates, value, p);
  }
}

std::optional<RejectSpec> StepParser::read_rejected(const json& r, const std::string& rp) const {
  RejectSpec spec;
  if (r.is_boolean()) {
    if (!r.get<bool>()) r_.note(rp, "\"expect_rejected\": false is the same as leaving it out");
    return spec;
  }
  r_.require_object(r, rp);
  r_.check_keys(r, rp, keys::kExpectRejected);
  if (r.contains("status")) spec.status = r_.get_int_list(r["status"], pointer_append(rp, "status"), "HTTP status", 100, 599);
  if (r.contains("close_code"))
    spec.close_code = r_.get_int_list(r["close_code"], pointer_append(rp, "close_code"), "close code", 1000, 4999);
  return spec;
}

AuthSpec StepParser::read_auth(const json& a, const std::string& ap) const {
  r_.require_object(a, ap);
  r_.check_keys(a, ap, keys::kAuth);
  AuthSpec auth;
  if (a.contains("token") == a.contains("jwt")) r_.note(ap, "auth needs exactly one of \"token\" or \"jwt\"");
  if (a.contains("token")) {
    auth.token = r_.get_string(a, ap, "token").value_or("");
    r_.add_template(s_.templates, *auth.token, pointer_append(ap, "token"));
  } else if (a.contains("jwt")) {
    auth.jwt = read_jwt(a["jwt"], pointer_append(ap, "jwt"));
  }
  if (auto in = r_.get_string(a, ap, "in")) {
    if (*in == "header") auth.in = AuthSpec::Placement::Header;
    else if (*in == "query") auth.in = AuthSpec::Placement::Query;
    else if (*in == "subprotocol") auth.in = AuthSpec::Placement::Subprotocol;
    else if (*in == "cookie") auth.in = AuthSpec::Placement::Cookie;
    else r_.note(pointer_append(ap, "in"), "\"in\" is one of header, query, subprotocol, cookie");
  }
  if (a.contains("param")) {
    if (auth.in != AuthSpec::Placement::Query)
      r_.note_key(pointer_append(ap, "param"), "\"param\" applies to \"in\": \"query\"");
    auth.param = r_.get_string(a, ap, "param").value_or(auth.param);
  }
  if (a.contains("name")) {
    if (auth.in != AuthSpec::Placement::Cookie)
      r_.note_key(pointer_append(ap, "name"), "\"name\" applies to \"in\": \"cookie\"");
    auth.cookie_name = r_.get_string(a, ap, "name").value_or(auth.cookie_name);
  }
  return auth;
}

JwtSpec StepParser::read_jwt(const json& j, const std::string& jp) const {
  r_.require_object(j, jp);
  r_.check_keys(j, jp, keys::kJwt);
  JwtSpec jwt;
  jwt.secret = r_.get_string(j, jp, "secret", true).value_or("");
  r_.add_template(s_.templates, jwt.secret, pointer_append(jp, "secret"));
  if (auto alg = r_.get_string(j, jp, "alg")) {
    if (!keys::kJwtAlgs.count(*alg))
      r_.note(pointer_append(jp, "alg"), "unsupported alg \"" + *alg + "\" (HS256, HS384 or HS512)");
    else jwt.alg = *alg;
  }
  if (j.contains("claims")) {
    std::string cp = pointer_append(jp, "claims");
    if (!j["claims"].is_object()) {
      r_.note(cp, "expected an object, found " + type_word(j["claims"]));
    } else {
      jwt.claims = j["claims"];
      r_.add_json_templates(s_.templates, jwt.claims, cp);
    }
  }
  if (j.contains("expires_in_s"))
    jwt.expires_in_s = r_.get_int(j["expires_in_s"], pointer_append(jp, "expires_in_s"), "expires_in_s", -315360000, 315360000);
  return jwt;
}

}  // namespace wscheck
