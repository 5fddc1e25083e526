// The connect step: build the options, open, wait for 101 or a refusal.
#include <algorithm>
#include <cctype>

#include "engine/auth.h"
#include "engine/scenario_runner.h"

namespace wscheck {

namespace {

bool is_secret_header(std::string name) {
  for (auto& ch : name) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return name == "authorization" || name == "cookie" || name.find("token") != std::string::npos ||
         name.find("secret") != std::string::npos || name.find("api-key") != std::string::npos;
}

bool listed(const std::vector<int>& list, int v) {
  return list.empty() || std::find(list.begin(), list.end(), v) != list.end();
}

}  // namespace

bool ScenarioRunner::build_options(const ConnectStep& s, ConnectOptions& options) {
  std::string url_text = expand_template(s.url, scope_);
  try {
    options.url = resolve_url(settings_.base_url, url_text);
  } catch (const std::invalid_argument& e) {
    fail(StepInvalid{e.what()});
    return false;
  }
  if (options.url.scheme != "ws" && options.url.scheme != "wss") {
    fail(NotWebSocketScheme{options.url.str()});
    return false;
  }
  for (const auto& [name, value] : s.headers) {
    std::string v = expand_template(value, scope_);
    if (is_secret_header(name)) redactor_.add(v);
    options.headers.emplace_back(name, v);
  }
  std::vector<std::string> subprotocols = s.subprotocols;
  if (s.auth) apply_auth(*s.auth, scope_, redactor_, options, subprotocols);
  for (const auto& p : subprotocols) options.subprotocols += (options.subprotocols.empty() ? "" : ", ") + p;
  options.insecure = s.tls.insecure.value_or(settings_.insecure);
  options.ca_file = s.tls.ca_file.empty() ? settings_.ca_file : expand_template(s.tls.ca_file, scope_);
  options.max_message_bytes = settings_.max_message_bytes;
  for (const auto& [name, pattern] : s.expect_headers) options.response_headers.push_back(name);
  return true;
}

/// The connection's background rules, their matchers expanded now; replies
/// are rendered per message with the variables of that moment.
MessageRules ScenarioRunner::build_rules(const ConnectStep& s) const {
  std::vector<MessageRule> rules = s.on_message;
  for (auto& rule : rules) rule.match = expand_matcher(rule.match);
  return MessageRules(std::move(rules), &scope_);
}

/// expect_subprotocol and expect_headers, once the upgrade succeeded.
bool ScenarioRunner::check_upgrade(const ConnectStep& s, const Connection& conn) {
  auto mismatch = [&](const std::string& header, const nlohmann::json& pattern, const std::optional<std::string>& got) {
    nlohmann::json want = expand_json(pattern, scope_);
    MatchResult r = header.empty() ? match_json(want, got ? nlohmann::json(*got) : nlohmann::json(nullptr))
                                   : match_json(nlohmann::json{{header, want}},
                                                got ? nlohmann::json{{header, *got}} : nlohmann::json::object());
    if (r.ok) return false;
    fail(UpgradeMismatch{header, want.dump(), got, r});
    return true;
  };
  try {
    if (s.expect_subprotocol) {
      const std::string& sub = conn.accepted_subprotocol();
      if (mismatch("", *s.expect_subprotocol, sub.empty() ? std::nullopt : std::optional<std::string>(sub))) return false;
    }
    for (const auto& [name, pattern] : s.expect_headers) {
      auto it = conn.response_headers().find(name);
      std::optional<std::string> got;
      if (it != conn.response_headers().end()) got = it->second;
      if (mismatch(name, pattern, got)) return false;
    }
  } catch (const TemplateError& e) {
    fail(TemplateFailed{e.what(), index_});
    return false;
  }
  return true;
}

ScenarioRunner::Outcome ScenarioRunner::begin(const ConnectStep& s) {
  if (Connection* existing = connection(s.as); existing && !existing->finished()) {
    fail(AlreadyOpen{s.as});
    return Outcome::kFailed;
  }
  ConnectOptions options;
  if (!build_options(s, options)) return Outcome::kFailed;
  auto conn = std::make_unique<Connection>(loop_, s.as, *this);
  if (trace_) conn->set_trace([this](const std::string& line) { trace_(redactor_.apply(line)); });
  if (!s.on_message.empty()) conn->set_rules(build_rules(s));
  Connection* raw = conn.get();
  auto it = connections_.find(s.as);
  if (it == connections_.end()) {
    connection_order_.push_back(s.as);
    connections_.emplace(s.as, std::move(conn));
  } else {
    retire(std::move(it->second));  // we may be inside the old connection's callback
    it->second = std::move(conn);
  }
  raw->open(std::move(options));
  return Outcome::kWaiting;
}

ScenarioRunner::Outcome ScenarioRunner::check_rejected(const ConnectStep& s, Connection& conn) {
  const RejectSpec& want = *s.expect_rejected;
  const auto& seen = conn.observation();
  if (conn.phase() == ConnPhase::kFailed) {
    if (seen.http_status >= 400 && listed(want.status, seen.http_status)) return Outcome::kPassed;
    if (seen.http_status >= 400) fail(RefusedWithOtherStatus{seen, conn.options().url, want.status});
    else fail(ConnectFailed{seen, conn.options().url, true});
    return Outcome::kFailed;
  }
  if (conn.phase() == ConnPhase::kClosed && conn.close_info()) {
    int code = conn.close_info()->code;
    if (code != 1006 && listed(want.close_code, code)) return Outcome::kPassed;
    fail(AcceptedThenClosed{conn.facts(), code, want});
    return Outcome::kFailed;
  }
  if (!deadline_passed_) return Outcome::kWaiting;
  if (!conn.is_open()) {
    conn.abort_connect(Micros(step_timeout_ms()) * 1000);
    return Outcome::kWaiting;
  }
  fail(NotRefused{step_timeout_ms()});
  return Outcome::kFailed;
}

ScenarioRunner::Outcome ScenarioRunner::check(const ConnectStep& s) {
  Connection* conn = connection(s.as);
  if (!conn) return Outcome::kFailed;
  if (s.expect_rejected) return check_rejected(s, *conn);
  const auto& seen = conn->observation();
  if (conn->is_open()) return check_upgrade(s, *conn) ? Outcome::kPassed : Outcome::kFailed;
  if (conn->phase() == ConnPhase::kFailed && (conn->finished() || seen.failed_in == ConnPhase::kResolving)) {
    fail(ConnectFailed{seen, conn->options().url, false});
    return Outcome::kFailed;
  }
  if (conn->phase() == ConnPhase::kClosed) return fail_closed(*conn, "opening");
  if (deadline_passed_) conn->abort_connect(Micros(step_timeout_ms()) * 1000);
  return Outcome::kWaiting;
}

}  // namespace wscheck
