// The parsed scenario model: what a scenario file says, with source positions.
//
/// Produced by the parser, consumed by the engine and the preflight. Strings
/// that may hold `${VAR}` references are kept as templates and expanded when
/// the step runs, because captures only exist at run time.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "scenario/json_source.h"
#include "scenario/dependency_requirements.h"

namespace wscheck {

/// A place in a scenario file.
struct SourceRef {
  std::string file;
  SourcePos pos;
  std::string str() const;  // "file:line:col"
};

struct JwtSpec {
  std::string secret;  // template
  std::string alg = "HS256";
  nlohmann::json claims = nlohmann::json::object();  // string values are templates
  std::optional<long long> expires_in_s;
};

struct AuthSpec {
  enum class Placement { Header, Query, Subprotocol, Cookie };
  std::optional<std::string> token;  // template; exactly one of token / jwt
  std::optional<JwtSpec> jwt;
  Placement in = Placement::Header;
  std::string param = "token";  // query parameter name
  std::string cookie_name = "token";
};

struct TlsSpec {
  std::string ca_file;  // template; empty = use --ca-file / system store
  std::optional<bool> insecure;
};

struct RejectSpec {
  std::vector<int> status;      // empty = any HTTP status >= 400
  std::vector<int> close_code;  // empty = any close code
};

struct MessageRule;

struct ConnectStep {
  std::string url;  // template; absolute ws(s):// or relative to --url
  std::vector<std::pair<std::string, std::string>> headers;  // values are templates
  std::vector<std::string> subprotocols;
  std::optional<AuthSpec> auth;
  TlsSpec tls;
  std::string as = "default";
  std::optional<RejectSpec> expect_rejected;
  std::vector<MessageRule> on_message;  // background rules, first match wins
  std::optional<nlohmann::json> expect_subprotocol;  // JSON pattern; null = no subprotocol
  std::vector<std::pair<std::string, nlohmann::json>> expect_headers;  // lower-case name -> JSON pattern
};

struct SendStep {
  enum class Kind { Text, Json, BinaryHex, BinaryBase64 };
  Kind kind = Kind::Text;
  std::string text;     // Text, BinaryHex, BinaryBase64 (template for Text)
  nlohmann::json json;  // Json (string values are templates)
  std::string prefix;   // Json: literal text sent before the JSON (template)
};

/// What an expected message must look like.
struct Matcher {
  enum class Kind { Json, Text, Regex, BinaryHex };
  Kind kind = Kind::Json;
  nlohmann::json json;  // Json: subset pattern with $operators
  std::string text;     // Text / Regex pattern / hex bytes
  std::string prefix;   // Json: a regex the text must start with ("" = none); the rest is the JSON
  std::string describe() const;  // compact one-line form for messages
};

/// A background rule of a connection: a message matching `match` is
/// answered with `reply` (or ignored, when there is none) on arrival and
/// never reaches the inbox.
struct MessageRule {
  std::string name;               // "" = the matcher's describe()
  Matcher match;
  std::optional<SendStep> reply;  // nullopt: "ignore": true
  SourceRef where;
  std::string label() const { return name.empty() ? match.describe() : name; }
};

struct ExpectStep {
  Matcher matcher;
  int count = 0;                 // "count": exactly this many matching messages (0 = one, or any with until)
  std::optional<Matcher> until;  // "until": take matching messages until one matches this
};

struct ExpectSequenceStep {
  std::vector<Matcher> match;
  bool ordered = true;
};

struct ExpectSilenceStep {
  int ms = 0;
};

struct PingStep {
  std::optional<std::string> payload;
};

struct CloseStep {
  int code = 1000;
  std::string reason;
};

struct ExpectCloseStep {
  std::vector<int> codes;  // empty = any
  std::optional<std::string> reason_regex;
};

struct SleepStep {
  int ms = 0;
};

using StepBody = std::variant<ConnectStep, SendStep, ExpectStep, ExpectSequenceStep, ExpectSilenceStep,
                              PingStep, CloseStep, ExpectCloseStep, SleepStep>;

struct Step {
  std::string kind;  // the step key as written ("connect", "expect", ...)
  std::string name;  // optional label
  std::optional<int> timeout_ms;  // nullopt = --step-timeout / 5000
  std::string conn = "default";
  bool strict = false;
  std::vector<std::pair<std::string, std::string>> capture;  // var -> JSON pointer
  StepBody body;
  SourceRef where;
  std::string label() const;  // "expect {"type":"pong"}" style, for reports
};

struct Requirements {
  std::vector<std::string> env;
  std::vector<std::string> commands;
  std::vector<std::string> files;
  std::vector<std::string> python_modules;
  std::vector<std::string> tcp;   // host:port
  std::vector<std::string> http;  // URL
  DependencyRequirements deps;    // manifests, interpreter, app imports
  bool empty() const {
    return env.empty() && commands.empty() && files.empty() && python_modules.empty() && tcp.empty() &&
           http.empty() && deps.empty();
  }
};

/// A template string found in a scenario, with where it was written; used to
/// check that every ${VAR} resolves before anything runs.
struct TemplateRef {
  std::string text;
  SourceRef where;
};

/// A suite file's "server" block: the system under test that wscheck starts.
/// Strings are templates (expanded with --var, then the environment); a
/// relative `cwd` and `log` are relative to `base_dir`, the suite file's folder.
struct ServerSpec {
  std::string command;  // run through /bin/sh -c, in cwd (default: base_dir)
  std::string ready;
  std::string ready_log;
  std::optional<int> ready_timeout_ms;
  std::optional<int> grace_ms;
  std::string log;
  std::vector<std::pair<std::string, std::string>> env;
  std::string cwd;
  std::string base_dir;  // folder of the suite file that declared the block
  SourceRef where;
  std::vector<TemplateRef> templates;  // for the undefined-variable check
};

struct Scenario {
  std::string name;
  std::vector<std::string> tags;
  std::optional<int> timeout_ms;  // whole scenario budget
  Requirements requires_;
  std::vector<Step> steps;
  SourceRef where;
  std::vector<TemplateRef> templates;  // every templated string, for variable checks
  std::vector<std::string> captured_vars;  // names set by capture anywhere in the scenario
};

}  // namespace wscheck
