#include "scenario/keys.h"

namespace wscheck::keys {

const KeySet kSchemaKey = {"$schema"};
const KeySet kSuiteFile = {"scenarios", "defaults", "server"};
const KeySet kDefaults = {"tags", "timeout_ms", "step_timeout_ms", "requires"};
const KeySet kServer = {"command", "ready", "ready_timeout_ms", "ready_log", "grace_ms", "log", "env", "cwd"};
const KeySet kScenario = {"name", "tags", "timeout_ms", "requires", "steps", "description"};
const KeySet kRequires = {"env", "commands", "files", "python_modules", "tcp", "http"};
const KeySet kStepActions = {"connect", "send",  "expect",       "expect_sequence", "expect_silence",
                             "ping",    "close", "expect_close", "sleep"};
const KeySet kStepModifiers = {"name", "timeout_ms", "conn", "strict", "capture", "count", "until"};
const KeySet kConnect = {"url", "headers", "subprotocols", "auth", "tls", "as", "expect_rejected",
                         "on_message", "expect_subprotocol", "expect_headers"};
const KeySet kRule = {"name", "match", "reply", "ignore"};
const KeySet kAuth = {"token", "jwt", "in", "param", "name"};
const KeySet kJwt = {"secret", "alg", "claims", "expires_in_s"};
const KeySet kTls = {"ca_file", "insecure"};
const KeySet kExpectRejected = {"status", "close_code"};
const KeySet kSend = {"text", "json", "binary_hex", "binary_base64", "prefix"};
const KeySet kMatcher = {"json", "text", "regex", "binary_hex", "prefix"};
const KeySet kExpectSequence = {"match", "ordered"};
const KeySet kExpectSilence = {"ms"};
const KeySet kPing = {"payload"};
const KeySet kClose = {"code", "reason"};
const KeySet kExpectClose = {"code", "reason"};
const KeySet kSleep = {"ms"};
const KeySet kAuthPlacements = {"header", "query", "subprotocol", "cookie"};
const KeySet kJwtAlgs = {"HS256", "HS384", "HS512"};

const std::vector<NamedKeySet>& all_key_sets() {
  static const std::vector<NamedKeySet> sets = {
      {"suite", &kSuiteFile},          {"defaults", &kDefaults},
      {"server", &kServer},            {"scenario", &kScenario},
      {"requires", &kRequires},        {"step actions", &kStepActions},
      {"step modifiers", &kStepModifiers}, {"connect", &kConnect},
      {"auth", &kAuth},                {"jwt", &kJwt},
      {"tls", &kTls},                  {"expect_rejected", &kExpectRejected},
      {"send", &kSend},                {"matcher", &kMatcher},
      {"expect_sequence", &kExpectSequence}, {"expect_silence", &kExpectSilence},
      {"ping", &kPing},                {"close", &kClose},
      {"expect_close", &kExpectClose}, {"sleep", &kSleep},
      {"on_message rule", &kRule},
  };
  return sets;
}

}  // namespace wscheck::keys
