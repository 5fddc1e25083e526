// Every key the scenario parser accepts, by where it may appear.
//
/// One list per kind of object. The parser checks keys against these lists,
/// and a unit test checks them against docs/scenario.schema.json, so the
/// parser, the schema and the docs cannot drift apart.
#pragma once

#include <set>
#include <string>
#include <vector>

namespace wscheck::keys {

using KeySet = std::set<std::string>;

extern const KeySet kSchemaKey;       // "$schema", accepted and ignored at the top of a file
extern const KeySet kSuiteFile;       // scenarios, defaults, server
extern const KeySet kDefaults;
extern const KeySet kServer;
extern const KeySet kScenario;
extern const KeySet kRequires;
extern const KeySet kStepActions;     // connect, send, expect, ...
extern const KeySet kStepModifiers;   // name, timeout_ms, conn, strict, capture
extern const KeySet kConnect;
extern const KeySet kRule;            // one entry of connect "on_message"
extern const KeySet kAuth;
extern const KeySet kJwt;
extern const KeySet kTls;
extern const KeySet kExpectRejected;
extern const KeySet kSend;
extern const KeySet kMatcher;
extern const KeySet kExpectSequence;
extern const KeySet kExpectSilence;
extern const KeySet kPing;
extern const KeySet kClose;
extern const KeySet kExpectClose;
extern const KeySet kSleep;
extern const KeySet kAuthPlacements;  // values of auth "in"
extern const KeySet kJwtAlgs;         // values of jwt "alg"

/// Each list with a name (for tests and docs).
struct NamedKeySet {
  std::string name;
  const KeySet* keys;
};
const std::vector<NamedKeySet>& all_key_sets();

}  // namespace wscheck::keys
