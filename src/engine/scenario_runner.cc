#include "engine/scenario_runner.h"


#include "diagnose/classify.h"
#include "engine/auth.h"
#include "scenario/jwt.h"
#include "scenario/regex.h"
#include "scenario/utf8.h"

namespace wscheck {

namespace {

constexpr size_t kMaxSkippedListed = 10;
constexpr Micros kCleanupGraceUs = 1000 * 1000;

std::string quote_json_or_text(const Message& m) {
  if (m.binary) return "binary " + to_hex(m.data.substr(0, 32)) + (m.data.size() > 32 ? "…" : "") + " (" +
                       std::to_string(m.data.size()) + " bytes)";
  return truncate_utf8(m.data, 200);
}

}  // namespace

ScenarioRunner::ScenarioRunner(EventLoop& loop, const Scenario& scenario, const RunSettings& settings,
                               Redactor& redactor, std::function<void(const std::string&)> trace)
    : loop_(loop),
      scenario_(scenario),
      settings_(settings),
      redactor_(redactor),
      trace_(std::move(trace)),
      scope_(settings.vars),
      step_timer_(loop.context()),
      aux_timer_(loop.context()),
      scenario_timer_(loop.context()),
      cleanup_timer_(loop.context()) {
  result_.name = scenario.name;
  result_.where = scenario.where;
  result_.tags = scenario.tags;
}

ScenarioRunner::~ScenarioRunner() {
  step_timer_.cancel();
  aux_timer_.cancel();
  scenario_timer_.cancel();
  cleanup_timer_.cancel();
  connections_.clear();
}

void ScenarioRunner::start() {
  state_ = State::kRunning;
  scenario_started_ = now_us();
  for (size_t i = 0; i < scenario_.steps.size(); ++i) {
    StepResult r;
    r.index = i;
    r.kind = scenario_.steps[i].kind;
    r.label = redactor_.apply(scenario_.steps[i].label());
    r.conn = scenario_.steps[i].conn;
    r.where = scenario_.steps[i].where;
    result_.steps.push_back(r);
  }
  if (scenario_.timeout_ms) {
    scenario_timer_.start(Micros(*scenario_.timeout_ms) * 1000, [this] {
      if (state_ != State::kRunning) return;
      Diagnosis d;
      d.cls = DiagnosisClass::kScenarioTimeout;
      d.headline = "the scenario's budget of " + std::to_string(*scenario_.timeout_ms) + " ms ran out during step " +
                   std::to_string(index_ + 1) + " (" + result_.steps[index_].label + ")";
      d.hint = "raise \"timeout_ms\" on the scenario, or find the slow step in the per-step timings (-v)";
      fail(d);
    });
  }
  advance();
}

void ScenarioRunner::on_connection_changed(Connection& /*connection*/) {
  if (state_ == State::kRunning) advance();
  else if (state_ == State::kCleaning) maybe_done();
}

int ScenarioRunner::step_timeout_ms() const {
  return step().timeout_ms.value_or(settings_.default_step_timeout_ms);
}

Connection* ScenarioRunner::connection(const std::string& name) {
  auto it = connections_.find(name);
  return it == connections_.end() ? nullptr : it->second.get();
}

void ScenarioRunner::advance() {
  if (in_advance_) {
    advance_again_ = true;
    return;
  }
  in_advance_ = true;
  do {
    advance_again_ = false;
    while (state_ == State::kRunning && index_ < scenario_.steps.size()) {
      Outcome outcome;
      if (!step_begun_) {
        step_begun_ = true;
        deadline_passed_ = false;
        step_started_ = now_us();
        current_ = result_.steps[index_];
        if (trace_) trace_("step " + std::to_string(index_ + 1) + ": " + current_.label);
        outcome = begin_step();
        if (outcome == Outcome::kWaiting) {
          Micros budget = Micros(step_timeout_ms()) * 1000;
          if (step().kind == "expect_silence")
            budget = std::max<Micros>(budget, Micros(std::get<ExpectSilenceStep>(step().body).ms) * 1000 + 1000000);
          if (step().kind == "sleep")
            budget = std::max<Micros>(budget, Micros(std::get<SleepStep>(step().body).ms) * 1000 + 1000000);
          step_timer_.start(budget, [this] { on_step_deadline(); });
          outcome = check_step();
        }
      } else {
        outcome = check_step();
      }
      if (outcome == Outcome::kWaiting) break;
      end_step(outcome);
    }
    if (state_ == State::kRunning && index_ >= scenario_.steps.size()) finish();
  } while (advance_again_);
  in_advance_ = false;
}

ScenarioRunner::Outcome ScenarioRunner::begin_step() {
  expanded_.clear();
  matched_.clear();
  sequence_pos_ = 0;
  early_.clear();
  skipped_.clear();
  skipped_total_ = 0;
  closest_.reset();
  closest_message_.clear();
  liveness_pending_ = false;
  aux_fired_ = false;
  pending_diagnosis_.reset();
  const Step& s = step();
  try {
    if (auto* c = std::get_if<ConnectStep>(&s.body)) return begin_connect(*c);
    Connection* conn = nullptr;
    if (auto* send = std::get_if<SendStep>(&s.body)) {
      if (need_open(conn, "sending") == Outcome::kFailed) return Outcome::kFailed;
      switch (send->kind) {
        case SendStep::Kind::Text: conn->send_text(expand_template(send->text, scope_)); break;
        case SendStep::Kind::Json: conn->send_text(expand_json(send->json, scope_).dump()); break;
        case SendStep::Kind::BinaryHex: conn->send_binary(from_hex(send->text)); break;
        case SendStep::Kind::BinaryBase64: conn->send_binary(base64_decode(send->text)); break;
      }
      return Outcome::kPassed;
    }
    if (auto* e = std::get_if<ExpectStep>(&s.body)) {
      expanded_.push_back(expand_matcher(e->matcher));
      matched_.assign(1, false);
      return Outcome::kWaiting;
    }
    if (auto* e = std::get_if<ExpectSequenceStep>(&s.body)) {
      for (const auto& m : e->match) expanded_.push_back(expand_matcher(m));
      matched_.assign(expanded_.size(), false);
      return Outcome::kWaiting;
    }
    if (auto* e = std::get_if<ExpectSilenceStep>(&s.body)) {
      aux_timer_.start(Micros(e->ms) * 1000, [this] {
        aux_fired_ = true;
        advance();
      });
      return Outcome::kWaiting;
    }
    if (auto* p = std::get_if<PingStep>(&s.body)) {
      if (need_open(conn, "sending a ping") == Outcome::kFailed) return Outcome::kFailed;
      ping_payload_ = p->payload && !p->payload->empty() ? *p->payload
                                                         : "wscheck-ping-" + std::to_string(index_) + "-" + std::to_string(now_us() % 1000000);
      ping_sent_ = now_us();
      conn->send_ping(ping_payload_);
      return Outcome::kWaiting;
    }
    if (auto* c = std::get_if<CloseStep>(&s.body)) {
      if (need_open(conn, "closing") == Outcome::kFailed) return Outcome::kFailed;
      conn->close(c->code, c->reason);
      return Outcome::kWaiting;
    }
    if (std::get_if<ExpectCloseStep>(&s.body)) return Outcome::kWaiting;
    if (auto* sl = std::get_if<SleepStep>(&s.body)) {
      aux_timer_.start(Micros(sl->ms) * 1000, [this] {
        aux_fired_ = true;
        advance();
      });
      return Outcome::kWaiting;
    }
  } catch (const TemplateError& e) {
    Diagnosis d;
    d.cls = DiagnosisClass::kUsage;
    d.headline = std::string(e.what()) + " in step " + std::to_string(index_ + 1);
    d.hint = "pass --var NAME=VALUE, or capture it in an earlier step";
    fail(d);
    return Outcome::kFailed;
  } catch (const std::exception& e) {
    Diagnosis d;
    d.cls = DiagnosisClass::kUsage;
    d.headline = e.what();
    fail(d);
    return Outcome::kFailed;
  }
  return Outcome::kPassed;
}

ScenarioRunner::Outcome ScenarioRunner::need_open(Connection*& conn, const std::string& doing) {
  conn = connection(step().conn);
  if (conn && conn->is_open()) return Outcome::kPassed;
  Diagnosis d;
  if (!conn) {
    d.cls = DiagnosisClass::kUsage;
    d.headline = "connection \"" + step().conn + "\" was never opened";
  } else {
    d = describe_closed(*conn, doing);
  }
  fail(d);
  return Outcome::kFailed;
}

ScenarioRunner::Outcome ScenarioRunner::begin_connect(const ConnectStep& s) {
  if (Connection* existing = connection(s.as); existing && !existing->finished()) {
    Diagnosis d;
    d.cls = DiagnosisClass::kUsage;
    d.headline = "connection \"" + s.as + "\" is already open; give the second one another name with \"as\"";
    fail(d);
    return Outcome::kFailed;
  }
  ConnectOptions options;
  std::string url_text = expand_template(s.url, scope_);
  try {
    options.url = resolve_url(settings_.base_url, url_text);
  } catch (const std::invalid_argument& e) {
    Diagnosis d;
    d.cls = DiagnosisClass::kUsage;
    d.headline = e.what();
    fail(d);
    return Outcome::kFailed;
  }
  if (options.url.scheme != "ws" && options.url.scheme != "wss") {
    Diagnosis d;
    d.cls = DiagnosisClass::kUsage;
    d.headline = "cannot open a WebSocket to \"" + options.url.str() + "\": use ws:// or wss://";
    fail(d);
    return Outcome::kFailed;
  }
  for (const auto& [name, value] : s.headers) {
    std::string v = expand_template(value, scope_);
    std::string lower = name;
    for (auto& ch : lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    if (lower == "authorization" || lower == "cookie" || lower.find("token") != std::string::npos ||
        lower.find("secret") != std::string::npos || lower.find("api-key") != std::string::npos)
      redactor_.add(v);
    options.headers.emplace_back(name, v);
  }
  std::vector<std::string> subprotocols = s.subprotocols;
  if (s.auth) apply_auth(*s.auth, scope_, redactor_, options, subprotocols);
  for (const auto& p : subprotocols) options.subprotocols += (options.subprotocols.empty() ? "" : ", ") + p;
  options.insecure = s.tls.insecure.value_or(settings_.insecure);
  options.ca_file = s.tls.ca_file.empty() ? settings_.ca_file : expand_template(s.tls.ca_file, scope_);
  options.max_message_bytes = settings_.max_message_bytes;

  auto conn = std::make_unique<Connection>(loop_, s.as, *this);
  if (trace_) conn->set_trace([this](const std::string& line) { trace_(redactor_.apply(line)); });
  Connection* raw = conn.get();
  if (connections_.count(s.as) == 0) connection_order_.push_back(s.as);
  connections_[s.as] = std::move(conn);
  raw->open(std::move(options));
  return Outcome::kWaiting;
}

ScenarioRunner::Outcome ScenarioRunner::check_connect(const ConnectStep& s) {
  Connection* conn = connection(s.as);
  if (!conn) return Outcome::kFailed;
  const auto& seen = conn->observation();
  if (s.expect_rejected) {
    const RejectSpec& want = *s.expect_rejected;
    auto listed = [](const std::vector<int>& list, int v) {
      return list.empty() || std::find(list.begin(), list.end(), v) != list.end();
    };
    if (conn->phase() == ConnPhase::kFailed) {
      if (seen.http_status >= 400 && listed(want.status, seen.http_status)) return Outcome::kPassed;
      Diagnosis d = classify_connect_failure(seen, conn->options().url);
      if (seen.http_status >= 400) {
        d.cls = DiagnosisClass::kMismatch;
        d.headline = "the upgrade was refused as expected, but with HTTP " + http_status_text(seen.http_status) +
                     " instead of " + nlohmann::json(want.status).dump();
      } else {
        d.details.insert(d.details.begin(), "expected the server to refuse the upgrade with an HTTP status, but the connection failed differently");
      }
      fail(d);
      return Outcome::kFailed;
    }
    if (conn->phase() == ConnPhase::kClosed && conn->close_info()) {
      int code = conn->close_info()->code;
      if (code != 1006 && listed(want.close_code, code)) return Outcome::kPassed;
      Diagnosis d = describe_closed(*conn, "");
      d.cls = DiagnosisClass::kMismatch;
      d.headline = "the server accepted the upgrade and then closed with " + std::to_string(code) +
                   ", expected a refusal (HTTP " + (want.status.empty() ? std::string("4xx") : nlohmann::json(want.status).dump()) +
                   " or close code " + (want.close_code.empty() ? std::string("any") : nlohmann::json(want.close_code).dump()) + ")";
      fail(d);
      return Outcome::kFailed;
    }
    if (deadline_passed_) {
      Diagnosis d;
      if (conn->is_open()) {
        d.cls = DiagnosisClass::kMismatch;
        d.headline = "the server accepted the connection (101) and kept it open for " + format_ms(step_timeout_ms()) +
                     ", but the scenario expects it to be refused: authentication is not enforced";
      } else {
        conn->abort_connect(Micros(step_timeout_ms()) * 1000);
        return Outcome::kWaiting;
      }
      fail(d);
      return Outcome::kFailed;
    }
    return Outcome::kWaiting;
  }
  if (conn->is_open()) return Outcome::kPassed;
  if (conn->phase() == ConnPhase::kFailed && conn->finished()) {
    fail(classify_connect_failure(seen, conn->options().url));
    return Outcome::kFailed;
  }
  if (conn->phase() == ConnPhase::kFailed && seen.failed_in == ConnPhase::kResolving) {
    fail(classify_connect_failure(seen, conn->options().url));
    return Outcome::kFailed;
  }
  if (conn->phase() == ConnPhase::kClosed) {
    fail(describe_closed(*conn, "opening"));
    return Outcome::kFailed;
  }
  if (deadline_passed_) conn->abort_connect(Micros(step_timeout_ms()) * 1000);
  return Outcome::kWaiting;
}

size_t ScenarioRunner::first_unmatched() const {
  for (size_t i = 0; i < matched_.size(); ++i)
    if (!matched_[i]) return i;
  return 0;
}

Matcher ScenarioRunner::expand_matcher(const Matcher& m) const {
  Matcher out = m;
  if (m.kind == Matcher::Kind::Json) out.json = expand_json(m.json, scope_);
  else if (m.kind == Matcher::Kind::Text) out.text = expand_template(m.text, scope_);
  return out;
}

std::string ScenarioRunner::describe_message(const Message& m) const { return redactor_.apply(quote_json_or_text(m)); }

bool ScenarioRunner::capture_from(const Message& message) {
  if (step().capture.empty()) return true;
  nlohmann::json doc = message.binary || json_nesting_depth(message.data, kMaxMessageDepth) > kMaxMessageDepth
                           ? nlohmann::json()
                           : nlohmann::json::parse(message.data, nullptr, false);
  for (const auto& [var, pointer] : step().capture) {
    nlohmann::json::json_pointer ptr(pointer);
    if (doc.is_discarded() || doc.is_null() || !doc.contains(ptr)) {
      Diagnosis d;
      d.cls = DiagnosisClass::kMismatch;
      d.headline = "capture \"" + var + "\": the matched message has nothing at " + pointer;
      d.details.push_back("message: " + describe_message(message));
      fail(d);
      return false;
    }
    scope_.set_capture(var, doc.at(ptr));
    if (trace_) trace_("captured " + var + " = " + redactor_.apply(truncate_utf8(doc.at(ptr).dump(), 200)));
  }
  return true;
}

ScenarioRunner::Outcome ScenarioRunner::check_expect(const std::vector<Matcher>& matchers, bool ordered) {
  Connection* conn = connection(step().conn);
  if (!conn) return Outcome::kFailed;
  auto& inbox = conn->inbox();
  while (!inbox.empty()) {
    ReceivedMessage rm = std::move(inbox.front());
    inbox.pop_front();
    const Message& m = rm.message;
    std::optional<size_t> hit;
    MatchResult best;
    if (ordered) {
      size_t i = sequence_pos_;
      MatchResult r = match_message(matchers[i], m);
      if (r.ok) hit = i;
      else best = r;
    } else {
      for (size_t i = 0; i < matchers.size() && !hit; ++i) {
        if (matched_[i]) continue;
        MatchResult r = match_message(matchers[i], m);
        if (r.ok) hit = i;
        else if (!best.reason.size() || r.agreed > best.agreed) best = r;
      }
    }
    if (hit) {
      if (ordered) {
        // A later entry seen before this one means the order was wrong.
        for (const auto& [j, desc] : early_) {
          if (j <= *hit) continue;
          Diagnosis d;
          d.cls = DiagnosisClass::kMismatch;
          d.headline = "message #" + std::to_string(j + 1) + " of the sequence arrived before #" + std::to_string(*hit + 1) +
                       ": wrong order";
          d.details.push_back("#" + std::to_string(j + 1) + " arrived first: " + desc);
          d.details.push_back("#" + std::to_string(*hit + 1) + " arrived later: " + describe_message(m));
          fail(d);
          return Outcome::kFailed;
        }
      }
      matched_[*hit] = true;
      if (ordered) ++sequence_pos_;
      closest_.reset();  // the next "closest" is measured against the next entry
      bool all = std::all_of(matched_.begin(), matched_.end(), [](bool b) { return b; });
      if (all) return capture_from(m) ? Outcome::kPassed : Outcome::kFailed;
      continue;
    }
    if (ordered && matchers.size() > 1) {
      bool is_early = false;
      for (size_t j = sequence_pos_ + 1; j < matchers.size() && !is_early; ++j) {
        if (!early_.count(j) && match_message(matchers[j], m).ok) {
          early_[j] = describe_message(m);
          is_early = true;
        }
      }
      if (is_early && !step().strict) continue;
    }
    if (step().strict) {
      Diagnosis d;
      d.cls = DiagnosisClass::kMismatch;
      size_t want = first_unmatched();
      d.headline = "the next message does not match (strict): " + redactor_.apply(best.reason.empty() ? "no match" : best.reason);
      if (!best.path.empty()) d.details.push_back("at " + best.path);
      d.details.push_back("expected: " + redactor_.apply(matchers[want].describe()));
      d.details.push_back("received: " + describe_message(m));
      fail(d);
      return Outcome::kFailed;
    }
    ++skipped_total_;
    if (skipped_.size() < kMaxSkippedListed) skipped_.push_back(describe_message(m));
    if (!closest_ || best.agreed > closest_->agreed) {
      closest_ = best;
      closest_message_ = describe_message(m);
    }
  }
  if (conn->phase() == ConnPhase::kClosed || conn->phase() == ConnPhase::kFailed || !conn->protocol_error().empty()) {
    Diagnosis d = describe_closed(*conn, "waiting for " + redactor_.apply(matchers[first_unmatched()].describe()));
    if (skipped_total_) d.details.push_back("received " + std::to_string(skipped_total_) + " other message(s) first");
    if (conn->phase() == ConnPhase::kClosed || conn->phase() == ConnPhase::kFailed) {
      fail(d);
      return Outcome::kFailed;
    }
    if (!conn->protocol_error().empty() && conn->finished()) {
      fail(d);
      return Outcome::kFailed;
    }
  }
  if (deadline_passed_ && !liveness_pending_) start_liveness_ping();
  return Outcome::kWaiting;
}

void ScenarioRunner::start_liveness_ping() {
  Connection* conn = connection(step().conn);
  if (!conn || !conn->is_open()) {
    finish_message_timeout(std::nullopt);
    return;
  }
  liveness_pending_ = true;
  ping_payload_ = "wscheck-liveness-" + std::to_string(index_) + "-" + std::to_string(now_us() % 1000000);
  ping_sent_ = now_us();
  conn->send_ping(ping_payload_);
  aux_timer_.start(Micros(settings_.liveness_ping_ms) * 1000, [this] {
    aux_fired_ = true;
    advance();
  });
}

void ScenarioRunner::finish_message_timeout(std::optional<double> rtt) {
  Diagnosis d;
  d.cls = DiagnosisClass::kMessageTimeout;
  size_t want = first_unmatched();
  std::string what = expanded_.empty() ? "message" : redactor_.apply(expanded_[want].describe());
  if (expanded_.size() > 1) {
    size_t got = static_cast<size_t>(std::count(matched_.begin(), matched_.end(), true));
    what += " (" + std::to_string(got) + " of " + std::to_string(expanded_.size()) + " in the sequence arrived)";
  }
  d.headline = "no message matching " + what + " within " + std::to_string(step_timeout_ms()) + " ms; received " +
               std::to_string(skipped_total_) + " other" + (skipped_total_ == 1 ? "" : "s");
  if (rtt)
    d.headline += "; the server answered a liveness ping in " + format_ms(*rtt) +
                  ": the connection is alive, the application did not send it";
  else
    d.headline += "; the server did not answer a liveness ping within " + std::to_string(settings_.liveness_ping_ms) +
                  " ms: its WebSocket layer is stuck or the connection is dead";
  if (closest_ && !closest_->reason.empty()) {
    d.details.push_back("closest: " + closest_message_);
    d.details.push_back("  " + (closest_->path.empty() ? std::string("") : closest_->path + ": ") + redactor_.apply(closest_->reason));
  }
  for (const auto& [j, desc] : early_)
    d.details.push_back("#" + std::to_string(j + 1) + " of the sequence arrived meanwhile: " + desc);
  for (const auto& s : skipped_) d.details.push_back("received: " + s);
  if (skipped_total_ > skipped_.size())
    d.details.push_back("… and " + std::to_string(skipped_total_ - skipped_.size()) + " more");
  d.hint = rtt ? "check the server's handler for this message type, or raise the step's timeout_ms if it is just slow"
               : "the server process may be blocked (CPU-bound handler, deadlock) or the network path is broken";
  fail(d);
}

ScenarioRunner::Outcome ScenarioRunner::check_expect_close(const ExpectCloseStep& s) {
  Connection* conn = connection(step().conn);
  if (!conn) return Outcome::kFailed;
  while (!conn->inbox().empty()) {
    ++skipped_total_;
    if (skipped_.size() < kMaxSkippedListed) skipped_.push_back(describe_message(conn->inbox().front().message));
    conn->inbox().pop_front();
  }
  if (conn->phase() == ConnPhase::kClosed || conn->finished()) {
    const auto& close = conn->close_info();
    int code = close ? close->code : 1006;
    std::string reason = close ? close->reason : "";
    bool code_ok = s.codes.empty() || std::find(s.codes.begin(), s.codes.end(), code) != s.codes.end();
    bool reason_ok = true;
    if (s.reason_regex) {
      std::string error;
      auto re = Regex::compile(*s.reason_regex, error);
      reason_ok = re && re->search(reason);
    }
    if (code_ok && reason_ok) return Outcome::kPassed;
    Diagnosis d;
    d.cls = DiagnosisClass::kMismatch;
    d.headline = "server closed with " + std::to_string(code) + (reason.empty() ? "" : " \"" + reason + "\"") + ", expected " +
                 (code_ok ? "a reason matching /" + s.reason_regex.value_or("") + "/" : "code " + nlohmann::json(s.codes).dump());
    if (!conn->protocol_error().empty()) d.details.push_back(conn->protocol_error());
    fail(d);
    return Outcome::kFailed;
  }
  if (deadline_passed_) {
    Diagnosis d;
    d.cls = DiagnosisClass::kMessageTimeout;
    d.headline = "the server did not close the connection within " + std::to_string(step_timeout_ms()) + " ms";
    for (const auto& m : skipped_) d.details.push_back("received: " + m);
    fail(d);
    return Outcome::kFailed;
  }
  return Outcome::kWaiting;
}

ScenarioRunner::Outcome ScenarioRunner::check_step() {
  if (state_ != State::kRunning) return Outcome::kFailed;
  const Step& s = step();
  if (auto* c = std::get_if<ConnectStep>(&s.body)) return check_connect(*c);
  if (s.kind == "expect" || s.kind == "expect_sequence") {
    if (liveness_pending_) {
      Connection* conn = connection(s.conn);
      std::optional<Micros> pong = conn ? conn->pong_time(ping_payload_) : std::nullopt;
      if (pong) {
        finish_message_timeout(to_ms(*pong - ping_sent_));
        return Outcome::kFailed;
      }
      if (aux_fired_ || !conn || conn->finished()) {
        finish_message_timeout(std::nullopt);
        return Outcome::kFailed;
      }
      // messages that arrive while the liveness ping is out still count
    }
    bool ordered = s.kind == "expect" || std::get<ExpectSequenceStep>(s.body).ordered;
    return check_expect(expanded_, ordered);
  }
  if (s.kind == "expect_silence") {
    Connection* conn = connection(s.conn);
    if (conn && !conn->inbox().empty()) {
      Diagnosis d;
      d.cls = DiagnosisClass::kMismatch;
      d.headline = "expected silence for " + std::to_string(std::get<ExpectSilenceStep>(s.body).ms) + " ms, but a message arrived after " +
                   format_ms(to_ms(conn->inbox().front().at - step_started_));
      d.details.push_back("received: " + describe_message(conn->inbox().front().message));
      conn->inbox().pop_front();
      fail(d);
      return Outcome::kFailed;
    }
    if (conn && (conn->phase() == ConnPhase::kClosed || conn->finished())) {
      fail(describe_closed(*conn, "expecting silence"));
      return Outcome::kFailed;
    }
    return aux_fired_ ? Outcome::kPassed : Outcome::kWaiting;
  }
  if (s.kind == "ping") {
    Connection* conn = connection(s.conn);
    if (auto pong = conn ? conn->pong_time(ping_payload_) : std::nullopt) {
      current_.rtt_ms = to_ms(*pong - ping_sent_);
      return Outcome::kPassed;
    }
    if (conn && (conn->phase() == ConnPhase::kClosed || conn->finished())) {
      fail(describe_closed(*conn, "waiting for a pong"));
      return Outcome::kFailed;
    }
    if (deadline_passed_) {
      Diagnosis d;
      d.cls = DiagnosisClass::kMessageTimeout;
      d.headline = "no pong within " + std::to_string(step_timeout_ms()) +
                   " ms: the connection is open but the server's WebSocket layer does not answer ping frames";
      d.hint = "RFC 6455 requires a pong for every ping; a blocked event loop also looks like this";
      fail(d);
      return Outcome::kFailed;
    }
    return Outcome::kWaiting;
  }
  if (s.kind == "close") {
    Connection* conn = connection(s.conn);
    if (conn && conn->finished()) return Outcome::kPassed;
    if (deadline_passed_) {
      Diagnosis d;
      d.cls = DiagnosisClass::kMessageTimeout;
      d.headline = "the server did not answer our close frame within " + std::to_string(step_timeout_ms()) + " ms";
      fail(d);
      return Outcome::kFailed;
    }
    return Outcome::kWaiting;
  }
  if (auto* ec = std::get_if<ExpectCloseStep>(&s.body)) return check_expect_close(*ec);
  if (s.kind == "sleep") return aux_fired_ ? Outcome::kPassed : Outcome::kWaiting;
  return Outcome::kPassed;
}

void ScenarioRunner::on_step_deadline() {
  if (state_ != State::kRunning) return;
  deadline_passed_ = true;
  advance();
}

void ScenarioRunner::end_step(Outcome outcome) {
  step_timer_.cancel();
  aux_timer_.cancel();
  step_begun_ = false;
  if (state_ != State::kRunning && outcome != Outcome::kFailed) return;
  current_.duration_ms = to_ms(now_us() - step_started_);
  if (outcome == Outcome::kPassed) {
    current_.status = Status::kPassed;
    result_.steps[index_] = current_;
    ++index_;
    return;
  }
  // kFailed: fail() has already recorded the diagnosis and changed state.
}

void ScenarioRunner::fail(Diagnosis diagnosis) {
  if (state_ != State::kRunning) return;
  if (settings_.environment_failure && diagnosis.cls != DiagnosisClass::kServerExited &&
      diagnosis.cls != DiagnosisClass::kUsage && diagnosis.cls != DiagnosisClass::kMismatch &&
      diagnosis.cls != DiagnosisClass::kInterrupted) {
    if (auto cause = settings_.environment_failure()) {
      cause->details.insert(cause->details.begin(), "symptom: " + std::string(class_name(diagnosis.cls)) + ": " + diagnosis.headline);
      diagnosis = *cause;
    }
  }
  if (diagnosis.cls == DiagnosisClass::kMessageTimeout || diagnosis.cls == DiagnosisClass::kScenarioTimeout)
    for (const auto& [name, conn] : connections_)
      if (std::string note = conn ? conn->partial_frame_note() : ""; !note.empty()) diagnosis.headline += "; " + note;
  step_timer_.cancel();
  aux_timer_.cancel();
  diagnosis.headline = redactor_.apply(diagnosis.headline);
  for (auto& line : diagnosis.details) line = redactor_.apply(line);
  current_.duration_ms = to_ms(now_us() - step_started_);
  current_.status = Status::kFailed;
  current_.diagnosis = diagnosis;
  result_.steps[index_] = current_;
  result_.failed_step = index_;
  result_.diagnosis = diagnosis;
  result_.status = Status::kFailed;
  if (trace_) trace_("step " + std::to_string(index_ + 1) + " failed: " + std::string(class_name(diagnosis.cls)));
  cleanup();
}

void ScenarioRunner::finish() {
  result_.status = Status::kPassed;
  cleanup();
}

void ScenarioRunner::interrupt() {
  Diagnosis d;
  d.cls = DiagnosisClass::kInterrupted;
  d.headline = "interrupted during step " + std::to_string(index_ + 1) + "; open connections were closed with 1001";
  closing_code_ = 1001;  // "going away", not a normal end
  closing_reason_ = "going away";
  abort(d);
}

void ScenarioRunner::abort(const Diagnosis& diagnosis) {
  if (state_ == State::kRunning) fail(diagnosis);
  for (auto& [name, conn] : connections_)
    if (conn->is_open()) conn->close(closing_code_, closing_reason_);
}

void ScenarioRunner::cleanup() {
  if (state_ == State::kCleaning || state_ == State::kDone) return;
  state_ = State::kCleaning;
  scenario_timer_.cancel();
  result_.duration_ms = to_ms(now_us() - scenario_started_);
  for (const auto& name : connection_order_) {
    Connection* c = connections_[name].get();
    ConnectionReport report;
    report.name = name;
    report.url = redactor_.apply(c->options().url.str());
    report.timings = c->timings();
    report.close = c->close_info();
    report.subprotocol = redactor_.apply(c->accepted_subprotocol());
    report.messages_received = c->messages_received();
    report.http_status = c->observation().http_status;
    for (const auto& frame : c->recent_frames()) report.last_frames.push_back(redactor_.apply(frame));
    result_.connections.push_back(report);
    if (c->is_open()) c->close(closing_code_, closing_reason_);
    else if (!c->finished() && c->phase() != ConnPhase::kClosing) c->drop();
  }
  cleanup_timer_.start(kCleanupGraceUs, [this] {
    for (auto& [name, conn] : connections_) conn->drop();
    connections_.clear();  // kills synchronously whatever is left
    mark_done();
  });
  maybe_done();
}

void ScenarioRunner::maybe_done() {
  if (state_ != State::kCleaning) return;
  for (auto& [name, conn] : connections_)
    if (!conn->finished() && conn->phase() != ConnPhase::kIdle) return;
  cleanup_timer_.cancel();
  mark_done();
}

void ScenarioRunner::mark_done() {
  state_ = State::kDone;
  // The suite checks done() between lws_service() calls; a state change made
  // from a timer callback would otherwise wait for lws' idle poll (up to 30 s).
  lws_cancel_service(loop_.context());
}

}  // namespace wscheck
