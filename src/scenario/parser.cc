#include "scenario/parser.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "core/url.h"
#include "scenario/matcher.h"
#include "scenario/requires_parser.h"
#include "scenario/variables.h"

namespace wscheck {

namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

const std::set<std::string> kStepKeys = {"connect", "send",  "expect", "expect_sequence", "expect_silence",
                                         "ping",    "close", "expect_close", "sleep"};
const std::set<std::string> kModifierKeys = {"name", "timeout_ms", "conn", "strict", "capture"};

std::string join(const std::set<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

/// Levenshtein distance, to suggest the key a typo meant.
size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (size_t j = 1; j <= b.size(); ++j)
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

std::string suggestion(const std::string& key, const std::set<std::string>& allowed) {
  std::string best;
  size_t best_d = 3;
  for (const auto& a : allowed) {
    size_t d = edit_distance(key, a);
    if (d < best_d) {
      best_d = d;
      best = a;
    }
  }
  return best.empty() ? "" : " (did you mean \"" + best + "\"?)";
}

std::string type_word(const json& v) {
  if (v.is_object()) return "an object";
  if (v.is_array()) return "an array";
  if (v.is_string()) return "a string";
  if (v.is_boolean()) return "a boolean";
  if (v.is_number()) return "a number";
  return "null";
}

/// Reads one file's document, turning structural problems into ScenarioErrors.
class FileReader {
 public:
  FileReader(const std::string& file, const ParsedJson& doc) : file_(file), doc_(doc) {}

  Suite read() {
    Suite suite;
    const json& root = doc_.value;
    if (!root.is_object()) fail("", "a scenario file holds a JSON object (one scenario, or {\"scenarios\": [...]})");
    if (root.contains("scenarios")) {
      check_keys(root, "", {"scenarios", "defaults", "server"});
      json defaults = json::object();
      if (root.contains("defaults")) {
        defaults = root["defaults"];
        require_object(defaults, "/defaults");
        check_keys(defaults, "/defaults", {"tags", "timeout_ms", "step_timeout_ms", "requires"});
      }
      if (root.contains("server")) {
        check_server_block(root["server"], "/server");
        suite.server = root["server"];
        suite.server_where = at("/server");
      }
      const json& list = root["scenarios"];
      if (!list.is_array()) fail("/scenarios", "\"scenarios\" must be an array of scenario objects");
      if (list.empty()) fail("/scenarios", "\"scenarios\" is empty");
      for (size_t i = 0; i < list.size(); ++i)
        suite.scenarios.push_back(read_scenario(list[i], pointer_append("/scenarios", i), defaults));
    } else {
      suite.scenarios.push_back(read_scenario(root, "", json::object()));
    }
    return suite;
  }

 private:
  [[noreturn]] void fail(const std::string& pointer, const std::string& message) const {
    throw ScenarioError(at(pointer), message);
  }
  [[noreturn]] void fail_key(const std::string& pointer, const std::string& message) const {
    throw ScenarioError(SourceRef{file_, doc_.positions.key(pointer)}, message);
  }
  SourceRef at(const std::string& pointer) const { return SourceRef{file_, doc_.positions.value(pointer)}; }

  void check_keys(const json& obj, const std::string& pointer, const std::set<std::string>& allowed) const {
    for (auto it = obj.begin(); it != obj.end(); ++it) {
      if (!allowed.count(it.key()))
        fail_key(pointer_append(pointer, it.key()),
                 "unknown key \"" + it.key() + "\"" + suggestion(it.key(), allowed) + "; allowed here: " + join(allowed));
    }
  }

  void require_object(const json& v, const std::string& pointer) const {
    if (!v.is_object()) fail(pointer, "expected an object, found " + type_word(v));
  }

  std::string get_string(const json& obj, const std::string& pointer, const std::string& key, bool required = false) const {
    std::string p = pointer_append(pointer, key);
    if (!obj.contains(key)) {
      if (required) fail(pointer, "missing required key \"" + key + "\"");
      return "";
    }
    if (!obj[key].is_string()) fail(p, "\"" + key + "\" must be a string, found " + type_word(obj[key]));
    return obj[key].get<std::string>();
  }

  long long get_int(const json& v, const std::string& pointer, const std::string& what, long long min, long long max) const {
    if (!v.is_number_integer() && !v.is_number_unsigned())
      fail(pointer, what + " must be an integer, found " + type_word(v));
    long long n = v.get<long long>();
    if (n < min || n > max)
      fail(pointer, what + " must be between " + std::to_string(min) + " and " + std::to_string(max) + ", found " + std::to_string(n));
    return n;
  }

  bool get_bool(const json& v, const std::string& pointer, const std::string& what) const {
    if (!v.is_boolean()) fail(pointer, what + " must be true or false, found " + type_word(v));
    return v.get<bool>();
  }

  std::vector<std::string> get_string_list(const json& v, const std::string& pointer, const std::string& what) const {
    if (!v.is_array()) fail(pointer, what + " must be an array of strings, found " + type_word(v));
    std::vector<std::string> out;
    for (size_t i = 0; i < v.size(); ++i) {
      if (!v[i].is_string()) fail(pointer_append(pointer, i), what + " must contain only strings");
      out.push_back(v[i].get<std::string>());
    }
    return out;
  }

  std::vector<int> get_int_list(const json& v, const std::string& pointer, const std::string& what, int min, int max) const {
    std::vector<int> out;
    if (v.is_array()) {
      for (size_t i = 0; i < v.size(); ++i)
        out.push_back(static_cast<int>(get_int(v[i], pointer_append(pointer, i), what, min, max)));
    } else {
      out.push_back(static_cast<int>(get_int(v, pointer, what, min, max)));
    }
    return out;
  }

  void add_template(Scenario& s, const std::string& text, const std::string& pointer) const {
    try {
      if (find_var_refs(text).empty()) return;
    } catch (const TemplateError& e) {
      fail(pointer, e.what());
    }
    s.templates.push_back(TemplateRef{text, at(pointer)});
  }

  void add_json_templates(Scenario& s, const json& v, const std::string& pointer) const {
    if (v.is_string()) {
      add_template(s, v.get<std::string>(), pointer);
    } else if (v.is_object()) {
      for (auto it = v.begin(); it != v.end(); ++it) add_json_templates(s, it.value(), pointer_append(pointer, it.key()));
    } else if (v.is_array()) {
      for (size_t i = 0; i < v.size(); ++i) add_json_templates(s, v[i], pointer_append(pointer, i));
    }
  }

  void check_server_block(const json& v, const std::string& pointer) const {
    require_object(v, pointer);
    check_keys(v, pointer, {"command", "ready", "ready_timeout_ms", "ready_log", "grace_ms", "log", "env", "cwd"});
    get_string(v, pointer, "command", true);
  }

  Requirements read_requires(const json& v, const std::string& pointer) const {
    require_object(v, pointer);
    std::set<std::string> keys = {"env", "commands", "files", "python_modules", "tcp", "http"};
    keys.merge(dependency_require_keys());
    check_keys(v, pointer, keys);
    Requirements r;
    r.deps = read_dependency_requires(v, pointer, file_, [this](const std::string& p) { return at(p); });
    auto list = [&](const char* key, std::vector<std::string>& out) {
      if (v.contains(key)) out = get_string_list(v[key], pointer_append(pointer, key), std::string("requires.") + key);
    };
    list("env", r.env);
    list("commands", r.commands);
    list("files", r.files);
    list("python_modules", r.python_modules);
    list("tcp", r.tcp);
    list("http", r.http);
    for (size_t i = 0; i < r.http.size(); ++i) {
      std::string error;
      if (r.http[i].find("${") == std::string::npos && !parse_url(r.http[i], error))
        fail(pointer_append(pointer_append(pointer, "http"), i), error);
    }
    return r;
  }

  Scenario read_scenario(const json& v, const std::string& pointer, const json& defaults) const {
    Scenario s;
    s.where = at(pointer);
    require_object(v, pointer);
    check_keys(v, pointer, {"name", "tags", "timeout_ms", "requires", "steps", "description"});
    s.name = get_string(v, pointer, "name", true);
    if (s.name.empty()) fail(pointer_append(pointer, "name"), "\"name\" must not be empty");
    if (v.contains("description")) get_string(v, pointer, "description");
    if (defaults.contains("tags")) s.tags = get_string_list(defaults["tags"], "/defaults/tags", "tags");
    if (v.contains("tags"))
      for (auto& t : get_string_list(v["tags"], pointer_append(pointer, "tags"), "tags"))
        if (std::find(s.tags.begin(), s.tags.end(), t) == s.tags.end()) s.tags.push_back(t);
    if (defaults.contains("timeout_ms"))
      s.timeout_ms = static_cast<int>(get_int(defaults["timeout_ms"], "/defaults/timeout_ms", "timeout_ms", 1, 3600000));
    if (v.contains("timeout_ms"))
      s.timeout_ms = static_cast<int>(get_int(v["timeout_ms"], pointer_append(pointer, "timeout_ms"), "timeout_ms", 1, 3600000));
    if (defaults.contains("requires")) s.requires_ = read_requires(defaults["requires"], "/defaults/requires");
    if (v.contains("requires")) {
      Requirements own = read_requires(v["requires"], pointer_append(pointer, "requires"));
      auto merge = [](std::vector<std::string>& into, const std::vector<std::string>& from) {
        for (const auto& x : from)
          if (std::find(into.begin(), into.end(), x) == into.end()) into.push_back(x);
      };
      merge(s.requires_.env, own.env);
      merge(s.requires_.commands, own.commands);
      merge(s.requires_.files, own.files);
      merge(s.requires_.python_modules, own.python_modules);
      merge(s.requires_.tcp, own.tcp);
      merge(s.requires_.http, own.http);
      merge_dependency_requires(s.requires_.deps, own.deps);
    }
    for (const auto& list : {s.requires_.tcp, s.requires_.http, s.requires_.files})
      for (const auto& item : list) add_template(s, item, pointer_append(pointer, "requires"));
    std::optional<int> default_step_timeout;
    if (defaults.contains("step_timeout_ms"))
      default_step_timeout = static_cast<int>(get_int(defaults["step_timeout_ms"], "/defaults/step_timeout_ms", "step_timeout_ms", 1, 3600000));

    if (!v.contains("steps")) fail(pointer, "missing required key \"steps\"");
    const json& steps = v["steps"];
    std::string steps_ptr = pointer_append(pointer, "steps");
    if (!steps.is_array()) fail(steps_ptr, "\"steps\" must be an array, found " + type_word(steps));
    if (steps.empty()) fail(steps_ptr, "\"steps\" is empty: a scenario needs at least one step");
    std::set<std::string> opened;
    for (size_t i = 0; i < steps.size(); ++i) {
      Step step = read_step(s, steps[i], pointer_append(steps_ptr, i));
      if (!step.timeout_ms) step.timeout_ms = default_step_timeout;
      if (step.kind == "connect") {
        opened.insert(std::get<ConnectStep>(step.body).as);
      } else if (!opened.count(step.conn) && step.kind != "sleep") {
        fail(pointer_append(steps_ptr, i), "step \"" + step.kind + "\" uses connection \"" + step.conn +
                                               "\" before any connect step opened it (add {\"connect\": {...}} first" +
                                               (step.conn == "default" ? ")" : ", with \"as\": \"" + step.conn + "\")"));
      }
      s.steps.push_back(std::move(step));
    }
    return s;
  }

  Step read_step(Scenario& s, const json& v, const std::string& pointer) const {
    Step step;
    step.where = at(pointer);
    require_object(v, pointer);
    std::string kind;
    for (auto it = v.begin(); it != v.end(); ++it) {
      const std::string& k = it.key();
      if (kStepKeys.count(k)) {
        if (!kind.empty())
          fail_key(pointer_append(pointer, k), "a step has exactly one action, found both \"" + kind + "\" and \"" + k + "\"");
        kind = k;
      } else if (!kModifierKeys.count(k)) {
        std::set<std::string> all = kStepKeys;
        all.insert(kModifierKeys.begin(), kModifierKeys.end());
        fail_key(pointer_append(pointer, k), "unknown key \"" + k + "\"" + suggestion(k, all) +
                                                 "; a step is one of: " + join(kStepKeys));
      }
    }
    if (kind.empty()) fail(pointer, "a step needs one action: " + join(kStepKeys));
    step.kind = kind;
    if (v.contains("name")) step.name = get_string(v, pointer, "name");
    if (v.contains("timeout_ms"))
      step.timeout_ms = static_cast<int>(get_int(v["timeout_ms"], pointer_append(pointer, "timeout_ms"), "timeout_ms", 1, 3600000));
    if (v.contains("conn")) step.conn = get_string(v, pointer, "conn");
    bool is_expect = kind == "expect" || kind == "expect_sequence";
    if (v.contains("strict")) {
      if (!is_expect) fail_key(pointer_append(pointer, "strict"), "\"strict\" applies only to expect and expect_sequence steps");
      step.strict = get_bool(v["strict"], pointer_append(pointer, "strict"), "strict");
    }
    if (v.contains("capture")) {
      std::string cp = pointer_append(pointer, "capture");
      if (!is_expect) fail_key(cp, "\"capture\" applies only to expect and expect_sequence steps");
      const json& c = v["capture"];
      require_object(c, cp);
      for (auto it = c.begin(); it != c.end(); ++it) {
        std::string p = pointer_append(cp, it.key());
        if (!is_valid_var_name(it.key())) fail_key(p, "capture variable \"" + it.key() + "\" is not a valid name (letters, digits, _)");
        if (!it.value().is_string()) fail(p, "a capture maps a variable to a JSON pointer string like \"/run_id\"");
        std::string ptr = it.value().get<std::string>();
        if (!ptr.empty() && ptr[0] != '/') fail(p, "JSON pointer must start with '/' (e.g. \"/run_id\"), found \"" + ptr + "\"");
        try {
          (void)json::json_pointer(ptr);
        } catch (const std::exception&) {
          fail(p, "invalid JSON pointer \"" + ptr + "\"");
        }
        step.capture.emplace_back(it.key(), ptr);
        s.captured_vars.push_back(it.key());
      }
    }
    std::string bp = pointer_append(pointer, kind);
    const json& b = v[kind];
    if (kind == "connect") step.body = read_connect(s, b, bp);
    else if (kind == "send") step.body = read_send(s, b, bp);
    else if (kind == "expect") step.body = ExpectStep{read_matcher(s, b, bp)};
    else if (kind == "expect_sequence") step.body = read_sequence(s, b, bp);
    else if (kind == "expect_silence") {
      require_object(b, bp);
      check_keys(b, bp, {"ms"});
      if (!b.contains("ms")) fail(bp, "missing required key \"ms\"");
      step.body = ExpectSilenceStep{static_cast<int>(get_int(b["ms"], pointer_append(bp, "ms"), "ms", 1, 3600000))};
    } else if (kind == "ping") {
      require_object(b, bp);
      check_keys(b, bp, {"payload"});
      PingStep ping;
      if (b.contains("payload")) {
        ping.payload = get_string(b, bp, "payload");
        if (ping.payload->size() > 125) fail(pointer_append(bp, "payload"), "a ping payload is at most 125 bytes (RFC 6455 control frame)");
      }
      step.body = ping;
    } else if (kind == "close") {
      require_object(b, bp);
      check_keys(b, bp, {"code", "reason"});
      CloseStep close;
      if (b.contains("code")) close.code = static_cast<int>(get_int(b["code"], pointer_append(bp, "code"), "close code", 1000, 4999));
      close.reason = get_string(b, bp, "reason");
      if (close.reason.size() > 123) fail(pointer_append(bp, "reason"), "a close reason is at most 123 bytes");
      step.body = close;
    } else if (kind == "expect_close") {
      require_object(b, bp);
      check_keys(b, bp, {"code", "reason"});
      ExpectCloseStep ec;
      if (b.contains("code")) ec.codes = get_int_list(b["code"], pointer_append(bp, "code"), "close code", 1000, 4999);
      if (b.contains("reason")) {
        ec.reason_regex = get_string(b, bp, "reason");
        std::string why;
        if (!is_valid_regex(*ec.reason_regex, why)) fail(pointer_append(bp, "reason"), "invalid regex: " + why);
      }
      step.body = ec;
    } else if (kind == "sleep") {
      require_object(b, bp);
      check_keys(b, bp, {"ms"});
      if (!b.contains("ms")) fail(bp, "missing required key \"ms\"");
      step.body = SleepStep{static_cast<int>(get_int(b["ms"], pointer_append(bp, "ms"), "ms", 0, 3600000))};
    }
    return step;
  }

  ConnectStep read_connect(Scenario& s, const json& b, const std::string& bp) const {
    require_object(b, bp);
    check_keys(b, bp, {"url", "headers", "subprotocols", "auth", "tls", "as", "expect_rejected"});
    ConnectStep c;
    c.url = b.contains("url") ? get_string(b, bp, "url") : "";
    add_template(s, c.url, pointer_append(bp, "url"));
    if (c.url.find("${") == std::string::npos && c.url.find("://") != std::string::npos) {
      std::string error;
      auto url = parse_url(c.url, error);
      if (!url) fail(pointer_append(bp, "url"), error);
      if (url->scheme != "ws" && url->scheme != "wss") fail(pointer_append(bp, "url"), "a connect URL uses ws:// or wss://");
    } else if (!c.url.empty() && c.url[0] != '/' && c.url.find("${") == std::string::npos) {
      fail(pointer_append(bp, "url"), "URL \"" + c.url + "\" is neither absolute (ws://...) nor a path starting with '/'");
    }
    if (b.contains("headers")) {
      std::string hp = pointer_append(bp, "headers");
      require_object(b["headers"], hp);
      for (auto it = b["headers"].begin(); it != b["headers"].end(); ++it) {
        std::string p = pointer_append(hp, it.key());
        if (!it.value().is_string()) fail(p, "header values must be strings");
        if (it.key().empty() || it.key().find_first_of(": \r\n") != std::string::npos)
          fail_key(p, "invalid header name \"" + it.key() + "\"");
        if (it.value().get<std::string>().find_first_of("\r\n") != std::string::npos)
          fail(p, "header values must not contain line breaks");
        c.headers.emplace_back(it.key(), it.value().get<std::string>());
        add_template(s, it.value().get<std::string>(), p);
      }
    }
    if (b.contains("subprotocols"))
      c.subprotocols = get_string_list(b["subprotocols"], pointer_append(bp, "subprotocols"), "subprotocols");
    if (b.contains("auth")) c.auth = read_auth(s, b["auth"], pointer_append(bp, "auth"));
    if (b.contains("tls")) {
      std::string tp = pointer_append(bp, "tls");
      require_object(b["tls"], tp);
      check_keys(b["tls"], tp, {"ca_file", "insecure"});
      c.tls.ca_file = get_string(b["tls"], tp, "ca_file");
      add_template(s, c.tls.ca_file, pointer_append(tp, "ca_file"));
      if (b["tls"].contains("insecure")) c.tls.insecure = get_bool(b["tls"]["insecure"], pointer_append(tp, "insecure"), "insecure");
    }
    if (b.contains("as")) {
      c.as = get_string(b, bp, "as");
      if (c.as.empty()) fail(pointer_append(bp, "as"), "connection name must not be empty");
    }
    if (b.contains("expect_rejected")) {
      std::string rp = pointer_append(bp, "expect_rejected");
      const json& r = b["expect_rejected"];
      RejectSpec spec;
      if (r.is_boolean()) {
        if (!r.get<bool>()) fail(rp, "\"expect_rejected\": false is the same as leaving it out");
      } else {
        require_object(r, rp);
        check_keys(r, rp, {"status", "close_code"});
        if (r.contains("status")) spec.status = get_int_list(r["status"], pointer_append(rp, "status"), "HTTP status", 100, 599);
        if (r.contains("close_code")) spec.close_code = get_int_list(r["close_code"], pointer_append(rp, "close_code"), "close code", 1000, 4999);
      }
      c.expect_rejected = spec;
    }
    return c;
  }

  AuthSpec read_auth(Scenario& s, const json& a, const std::string& ap) const {
    require_object(a, ap);
    check_keys(a, ap, {"token", "jwt", "in", "param", "name"});
    AuthSpec auth;
    if (a.contains("token") == a.contains("jwt")) fail(ap, "auth needs exactly one of \"token\" or \"jwt\"");
    if (a.contains("token")) {
      auth.token = get_string(a, ap, "token");
      add_template(s, *auth.token, pointer_append(ap, "token"));
    } else {
      std::string jp = pointer_append(ap, "jwt");
      const json& j = a["jwt"];
      require_object(j, jp);
      check_keys(j, jp, {"secret", "alg", "claims", "expires_in_s"});
      JwtSpec jwt;
      jwt.secret = get_string(j, jp, "secret", true);
      add_template(s, jwt.secret, pointer_append(jp, "secret"));
      if (j.contains("alg")) {
        jwt.alg = get_string(j, jp, "alg");
        if (jwt.alg != "HS256" && jwt.alg != "HS384" && jwt.alg != "HS512")
          fail(pointer_append(jp, "alg"), "unsupported alg \"" + jwt.alg + "\" (HS256, HS384 or HS512)");
      }
      if (j.contains("claims")) {
        require_object(j["claims"], pointer_append(jp, "claims"));
        jwt.claims = j["claims"];
        add_json_templates(s, jwt.claims, pointer_append(jp, "claims"));
      }
      if (j.contains("expires_in_s"))
        jwt.expires_in_s = get_int(j["expires_in_s"], pointer_append(jp, "expires_in_s"), "expires_in_s", -315360000, 315360000);
      auth.jwt = jwt;
    }
    if (a.contains("in")) {
      std::string in = get_string(a, ap, "in");
      if (in == "header") auth.in = AuthSpec::Placement::Header;
      else if (in == "query") auth.in = AuthSpec::Placement::Query;
      else if (in == "subprotocol") auth.in = AuthSpec::Placement::Subprotocol;
      else if (in == "cookie") auth.in = AuthSpec::Placement::Cookie;
      else fail(pointer_append(ap, "in"), "\"in\" is one of header, query, subprotocol, cookie");
    }
    if (a.contains("param")) {
      if (auth.in != AuthSpec::Placement::Query) fail_key(pointer_append(ap, "param"), "\"param\" applies to \"in\": \"query\"");
      auth.param = get_string(a, ap, "param");
    }
    if (a.contains("name")) {
      if (auth.in != AuthSpec::Placement::Cookie) fail_key(pointer_append(ap, "name"), "\"name\" applies to \"in\": \"cookie\"");
      auth.cookie_name = get_string(a, ap, "name");
    }
    return auth;
  }

  SendStep read_send(Scenario& s, const json& b, const std::string& bp) const {
    require_object(b, bp);
    check_keys(b, bp, {"text", "json", "binary_hex", "binary_base64"});
    if (b.size() != 1) fail(bp, "send takes exactly one of text, json, binary_hex, binary_base64");
    SendStep send;
    if (b.contains("text")) {
      send.kind = SendStep::Kind::Text;
      send.text = get_string(b, bp, "text");
      add_template(s, send.text, pointer_append(bp, "text"));
    } else if (b.contains("json")) {
      send.kind = SendStep::Kind::Json;
      send.json = b["json"];
      add_json_templates(s, send.json, pointer_append(bp, "json"));
    } else if (b.contains("binary_hex")) {
      send.kind = SendStep::Kind::BinaryHex;
      send.text = get_string(b, bp, "binary_hex");
      try {
        (void)from_hex(send.text);
      } catch (const std::exception& e) {
        fail(pointer_append(bp, "binary_hex"), e.what());
      }
    } else {
      send.kind = SendStep::Kind::BinaryBase64;
      send.text = get_string(b, bp, "binary_base64");
    }
    return send;
  }

  Matcher read_matcher(Scenario& s, const json& m, const std::string& mp) const {
    require_object(m, mp);
    check_keys(m, mp, {"json", "text", "regex", "binary_hex"});
    if (m.size() != 1) fail(mp, "a matcher is exactly one of {\"json\": ...}, {\"text\": ...}, {\"regex\": ...}, {\"binary_hex\": ...}");
    Matcher matcher;
    if (m.contains("json")) {
      matcher.kind = Matcher::Kind::Json;
      matcher.json = m["json"];
      std::string jp = pointer_append(mp, "json");
      if (auto error = validate_json_pattern(matcher.json)) fail(jp + error->second, error->first);
      add_json_templates(s, matcher.json, jp);
    } else if (m.contains("text")) {
      matcher.kind = Matcher::Kind::Text;
      matcher.text = get_string(m, mp, "text");
      add_template(s, matcher.text, pointer_append(mp, "text"));
    } else if (m.contains("regex")) {
      matcher.kind = Matcher::Kind::Regex;
      matcher.text = get_string(m, mp, "regex");
      std::string why;
      if (!is_valid_regex(matcher.text, why)) fail(pointer_append(mp, "regex"), "invalid regex: " + why);
    } else {
      matcher.kind = Matcher::Kind::BinaryHex;
      matcher.text = get_string(m, mp, "binary_hex");
      try {
        (void)from_hex(matcher.text);
      } catch (const std::exception& e) {
        fail(pointer_append(mp, "binary_hex"), e.what());
      }
    }
    return matcher;
  }

  ExpectSequenceStep read_sequence(Scenario& s, const json& b, const std::string& bp) const {
    require_object(b, bp);
    check_keys(b, bp, {"match", "ordered"});
    ExpectSequenceStep seq;
    std::string mp = pointer_append(bp, "match");
    if (!b.contains("match")) fail(bp, "missing required key \"match\"");
    if (!b["match"].is_array() || b["match"].empty()) fail(mp, "\"match\" must be a non-empty array of matchers");
    for (size_t i = 0; i < b["match"].size(); ++i) seq.match.push_back(read_matcher(s, b["match"][i], pointer_append(mp, i)));
    if (b.contains("ordered")) seq.ordered = get_bool(b["ordered"], pointer_append(bp, "ordered"), "ordered");
    return seq;
  }

  std::string file_;
  const ParsedJson& doc_;
};

}  // namespace

Suite parse_scenario_text(std::string_view text, const std::string& file) {
  ParsedJson doc;
  try {
    doc = parse_json_with_comments(text);
  } catch (const JsonSyntaxError& e) {
    throw ScenarioError(SourceRef{file, e.pos()}, e.what());
  }
  FileReader reader(file, doc);
  return reader.read();
}

std::vector<std::string> find_scenario_files(const std::vector<std::string>& paths) {
  std::vector<std::string> files;
  for (const auto& p : paths) {
    std::error_code ec;
    if (fs::is_directory(p, ec)) {
      std::vector<std::string> found;
      for (auto it = fs::recursive_directory_iterator(p, fs::directory_options::skip_permission_denied, ec);
           !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
        if (it->is_regular_file(ec) && it->path().extension() == ".json") found.push_back(it->path().string());
      }
      std::sort(found.begin(), found.end());
      if (found.empty()) throw ScenarioError(SourceRef{p, {}}, "no *.json scenario files in this directory");
      files.insert(files.end(), found.begin(), found.end());
    } else if (fs::is_regular_file(p, ec)) {
      files.push_back(p);
    } else {
      throw ScenarioError(SourceRef{p, {}}, "no such file or directory");
    }
  }
  return files;
}

Suite load_suite(const std::vector<std::string>& files, std::vector<ScenarioError>& errors) {
  Suite suite;
  std::map<std::string, SourceRef> names;
  for (const auto& file : files) {
    std::ifstream in(file, std::ios::binary);
    if (!in) {
      errors.emplace_back(SourceRef{file, {}}, "cannot open the file for reading");
      continue;
    }
    std::ostringstream buffer;
    buffer << in.rdbuf();
    try {
      Suite one = parse_scenario_text(buffer.str(), file);
      for (auto& s : one.scenarios) {
        auto [it, fresh] = names.emplace(s.name, s.where);
        if (!fresh) {
          errors.emplace_back(s.where, "duplicate scenario name \"" + s.name + "\" (first defined at " + it->second.str() + ")");
          continue;
        }
        suite.scenarios.push_back(std::move(s));
      }
      if (one.server) {
        if (suite.server) errors.emplace_back(one.server_where, "a second \"server\" block (first at " + suite.server_where.str() + ")");
        suite.server = one.server;
        suite.server_where = one.server_where;
      }
    } catch (const ScenarioError& e) {
      errors.push_back(e);
    }
  }
  return suite;
}

}  // namespace wscheck
