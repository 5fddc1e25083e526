#include "author/scenario_writer.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>
#include <optional>

#include "author/authoring_error.h"
#include "author/connect_step.h"
#include "author/secret_book.h"
#include "author/secret_rules.h"
#include "author/step_text.h"
#include "author/volatile_fields.h"
#include "scenario/jwt.h"
#include "scenario/regex.h"

namespace wscheck {

namespace {

using ojson = nlohmann::ordered_json;

constexpr double kDefaultStepTimeoutMs = 5000;

/// One line of the steps array and its trailing comment.
struct StepLine {
  ojson step;
  std::string comment;
};

std::string to_hex(const std::string& bytes) {
  static const char* const kDigits = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) {
    out.push_back(kDigits[c >> 4]);
    out.push_back(kDigits[c & 15]);
  }
  return out;
}

std::string seconds(double ms) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f s", ms / 1000.0);
  return buf;
}

std::optional<ojson> parse_structured(const std::string& text) {
  ojson v = ojson::parse(text, nullptr, false);
  if (v.is_discarded() || !(v.is_object() || v.is_array())) return std::nullopt;
  return v;
}

/// Turns a conversation into step lines; see write_scenario().
class Writer {
 public:
  Writer(const Conversation& c, const WriterOptions& o) : c_(c), o_(o) {
    for (const std::string& p : o_.drop_patterns) {
      std::string error;
      auto re = Regex::compile(p, error);
      if (!re) throw AuthoringError("--drop \"" + p + "\": " + error);
      drops_.push_back(std::move(*re));
    }
  }

  WrittenScenario run() {
    if (c_.connections.empty()) throw AuthoringError("there is no WebSocket connection to write");
    out_.base_origin = o_.absolute_urls ? "" : url_origin(c_.connections.front().url);
    for (size_t i = 0; i < c_.connections.size(); ++i)
      drafts_.push_back(build_connect_step(c_.connections[i], conn_name(i), out_.base_origin, secrets_));
    for (const RecordedEvent& e : c_.events) register_sent_secrets(e);
    emit_in_time_order();
    out_.variables = secrets_.variables();
    out_.text = render();
    if (secrets_.leaks_into(out_.text))
      throw AuthoringError("a credential would have been written to the scenario; nothing was written (please report this)");
    return std::move(out_);
  }

 private:
  static std::string conn_name(size_t i) { return i == 0 ? "default" : "conn" + std::to_string(i + 1); }

  bool dropped(const RecordedEvent& e) const {
    if (e.binary || (e.kind != RecordedEvent::Kind::kSend && e.kind != RecordedEvent::Kind::kReceive)) return false;
    return std::any_of(drops_.begin(), drops_.end(), [&](const Regex& re) { return re.search(e.data); });
  }

  bool secret_leaf(const std::string& key, const ojson& v) const {
    if (v.is_string()) return !v.get_ref<const std::string&>().empty() && (is_secret_name(key) || looks_like_token(v.get<std::string>()));
    return v.is_number_integer() && is_secret_name(key);
  }

  /// Walks a sent message; `on_leaf(key, value)` returns the replacement.
  ojson walk(const ojson& v, const std::string& key, const std::function<ojson(const std::string&, const ojson&)>& on_leaf) {
    if (v.is_object()) {
      ojson out = ojson::object();
      for (auto it = v.begin(); it != v.end(); ++it) out[it.key()] = walk(it.value(), it.key(), on_leaf);
      return out;
    }
    if (v.is_array()) {
      ojson out = ojson::array();
      for (const auto& item : v) out.push_back(walk(item, key, on_leaf));
      return out;
    }
    return on_leaf(key, v);
  }

  std::string leaf_text(const ojson& v) const { return v.is_string() ? v.get<std::string>() : v.dump(); }

  void register_sent_secrets(const RecordedEvent& e) {
    if (e.kind != RecordedEvent::Kind::kSend || e.binary) return;
    auto json = parse_structured(e.data);
    if (!json) return;
    walk(*json, "", [&](const std::string& key, const ojson& v) {
      if (secret_leaf(key, v)) secrets_.variable_for(leaf_text(v), key.empty() ? "token" : key, "\"" + key + "\" field of a sent message");
      return v;
    });
  }

  ojson clean_strings(const ojson& v) {
    return walk(v, "", [&](const std::string&, const ojson& leaf) {
      return leaf.is_string() ? ojson(secrets_.scrub(escape_template(leaf.get<std::string>()))) : leaf;
    });
  }

  ojson send_body(const RecordedEvent& e) {
    if (e.binary) return ojson{{"binary_base64", base64_encode(e.data)}};
    if (auto json = parse_structured(e.data)) {
      ojson cleaned = walk(*json, "", [&](const std::string& key, const ojson& v) {
        if (secret_leaf(key, v))
          return ojson("${" + secrets_.variable_for(leaf_text(v), key.empty() ? "token" : key, "") + "}");
        return v.is_string() ? ojson(secrets_.scrub(escape_template(v.get<std::string>()))) : v;
      });
      return ojson{{"json", cleaned}};
    }
    return ojson{{"text", secrets_.scrub(escape_template(e.data))}};
  }

  ojson expect_body(const RecordedEvent& e) {
    if (e.binary) return ojson{{"binary_hex", to_hex(e.data)}};
    if (auto json = parse_structured(e.data)) return ojson{{"json", clean_strings(stable_matcher(*json))}};
    return ojson{{"text", secrets_.scrub(escape_template(e.data))}};
  }

  void add(ojson step, size_t conn, std::string comment = "") {
    if (conn != 0) step["conn"] = conn_name(conn);
    lines_.push_back({std::move(step), std::move(comment)});
  }

  void emit_event(const RecordedEvent& e, double gap_ms) {
    using Kind = RecordedEvent::Kind;
    if (c_.connections[e.conn].rejected_status > 0) return;
    if (dropped(e)) {
      ++out_.dropped;
      return;
    }
    if (e.kind == Kind::kSend) {
      ++out_.sends;
      add(ojson{{"send", send_body(e)}}, e.conn, gap_ms >= 1000 ? "the client paused " + seconds(gap_ms) + " before this" : "");
    } else if (e.kind == Kind::kReceive) {
      ++out_.expects;
      ojson step{{"expect", expect_body(e)}};
      std::string comment;
      if (gap_ms * 2 + 1000 > kDefaultStepTimeoutMs) step["timeout_ms"] = static_cast<int>(std::ceil((gap_ms * 2 + 1000) / 1000) * 1000);
      if (gap_ms >= 1000) comment = "arrived " + seconds(gap_ms) + " after the previous step";
      add(std::move(step), e.conn, comment);
    } else if (e.kind == Kind::kClientClose) {
      ojson close{{"code", e.close_code == 1005 || e.close_code == 1006 ? 1000 : e.close_code}};
      if (!e.close_reason.empty()) close["reason"] = secrets_.scrub(e.close_reason);
      add(ojson{{"close", close}}, e.conn);
    } else {
      ojson expect = e.close_code == 1006 ? ojson::object() : ojson{{"code", ojson::array({e.close_code})}};
      add(ojson{{"expect_close", expect}}, e.conn, e.close_code == 1006 ? "the server dropped the connection without a close frame" : "");
    }
    if (e.kind == Kind::kClientClose || e.kind == Kind::kServerClose) closed_[e.conn] = true;
  }

  void emit_in_time_order() {
    // Moments: connection opens (index < 0 encodes connection -1 - i) and events, by time.
    std::vector<std::pair<double, long>> moments;
    for (size_t i = 0; i < c_.connections.size(); ++i) moments.emplace_back(c_.connections[i].opened_ms, -1 - static_cast<long>(i));
    for (size_t j = 0; j < c_.events.size(); ++j) moments.emplace_back(c_.events[j].at_ms, static_cast<long>(j));
    std::stable_sort(moments.begin(), moments.end(), [](const auto& a, const auto& b) {
      return a.first < b.first || (a.first == b.first && a.second < 0 && b.second >= 0);
    });
    closed_.assign(c_.connections.size(), false);
    double prev = moments.empty() ? 0 : moments.front().first;
    first_ms_ = prev;
    for (const auto& [at, index] : moments) {
      if (index < 0) {
        size_t i = static_cast<size_t>(-1 - index);
        const ConnectStepDraft& d = drafts_[i];
        std::string comment;
        for (const std::string& n : d.notes) comment += (comment.empty() ? "" : "; ") + n;
        if (c_.connections[i].rejected_status > 0) comment = "the server refused this upgrade with HTTP " + std::to_string(c_.connections[i].rejected_status);
        lines_.push_back({d.step, comment});
        if (c_.connections[i].rejected_status > 0) closed_[i] = true;
      } else {
        emit_event(c_.events[static_cast<size_t>(index)], at - prev);
      }
      prev = at;
      last_ms_ = at;
    }
    for (size_t i = 0; i < c_.connections.size(); ++i)
      if (!closed_[i]) add(ojson{{"close", ojson{{"code", 1000}}}}, i, "still open when the capture ended");
  }

  std::string render() const {
    std::string t = "// Written by `wscheck " + o_.command + "` from " + c_.source + ".\n";
    t += "// " + std::to_string(c_.connections.size()) + " connection(s), " + std::to_string(out_.sends) + " send(s), " +
         std::to_string(out_.expects) + " expect(s)";
    t += out_.dropped ? "; " + std::to_string(out_.dropped) + " frame(s) left out by --drop.\n" : ".\n";
    if (!out_.base_origin.empty())
      t += "// Relative URLs are joined to --url: wscheck run --url " + secrets_.scrub(out_.base_origin) + " FILE\n";
    if (!out_.variables.empty()) {
      t += "// Credentials were replaced by variables; give them with --var NAME=VALUE or the environment:\n";
      for (const auto& [name, origin] : out_.variables) t += "//   " + name + (origin.empty() ? "" : ": " + origin) + "\n";
    }
    t += "// JSON messages are expected as subset matchers; volatile fields (ids, timestamps, uuids, tokens,\n";
    t += "// long strings) match by type only ({\"$type\": ...}). Edit freely.\n";
    ojson head{{"name", o_.name}, {"timeout_ms", scenario_budget_ms()}};
    t += "{\n  \"name\": " + one_line_json(head["name"]) + ",\n";
    t += "  \"timeout_ms\": " + head["timeout_ms"].dump() + ",\n  \"steps\": [\n";
    for (size_t i = 0; i < lines_.size(); ++i) {
      t += "    " + one_line_json(lines_[i].step) + (i + 1 < lines_.size() ? "," : "");
      if (!lines_[i].comment.empty()) t += "  // " + lines_[i].comment;
      t += "\n";
    }
    return t + "  ]\n}\n";
  }

  int scenario_budget_ms() const {
    double span = std::max(0.0, last_ms_ - first_ms_);
    return static_cast<int>(std::max(10000.0, std::ceil((span * 2 + 10000) / 1000) * 1000));
  }

  const Conversation& c_;
  const WriterOptions& o_;
  std::vector<Regex> drops_;
  SecretBook secrets_;
  std::vector<ConnectStepDraft> drafts_;
  std::vector<StepLine> lines_;
  std::vector<bool> closed_;
  double first_ms_ = 0, last_ms_ = 0;
  WrittenScenario out_;
};

}  // namespace

void check_drop_patterns(const std::vector<std::string>& patterns) {
  WriterOptions options;
  options.drop_patterns = patterns;
  const Conversation nothing;
  Writer compile_only(nothing, options);
  (void)compile_only;
}

WrittenScenario write_scenario(const Conversation& conversation, const WriterOptions& options) {
  return Writer(conversation, options).run();
}

}  // namespace wscheck
