// The `connect` step for one captured connection, credentials replaced.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "author/conversation.h"
#include "author/secret_book.h"

namespace wscheck {

/// A connect step and what the writer should say about it.
struct ConnectStepDraft {
  nlohmann::ordered_json step;     // {"connect": {...}}
  std::string origin;              // "ws://host:port" of the captured URL
  std::vector<std::string> notes;  // comments ("subprotocol ... left out: ...")
};

/// Builds {"connect": {"url", "headers", "subprotocols", "auth", "as",
/// "expect_rejected"}}. The URL is made relative (path and query) when its
/// origin equals `base_origin`. The first credential (a secret query
/// parameter, a Bearer Authorization header or a jwt.<token> subprotocol)
/// becomes "auth" so that wscheck redacts it in every output; the others
/// become ${VARIABLES} in the URL or headers. Handshake and browser headers
/// are dropped (see classify_header).
ConnectStepDraft build_connect_step(const RecordedConnection& conn, const std::string& as,
                                    const std::string& base_origin, SecretBook& secrets);

/// "ws://host:port" of an absolute URL ("" if it has no "://").
std::string url_origin(const std::string& url);

std::string percent_decode(const std::string& text);

}  // namespace wscheck
