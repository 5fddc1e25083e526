// Matchers built in one line, shared by the engine's unit tests.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "scenario/model.h"

namespace wscheck_test {

/// A JSON-subset matcher for `pattern`.
inline wscheck::Matcher json_is(nlohmann::json pattern) {
  wscheck::Matcher m;
  m.kind = wscheck::Matcher::Kind::Json;
  m.json = std::move(pattern);
  return m;
}

/// Matches {"type": type, ...}.
inline wscheck::Matcher type_is(const std::string& type) { return json_is(nlohmann::json{{"type", type}}); }

}  // namespace wscheck_test
