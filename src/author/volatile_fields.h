// Heuristics that tell the stable fields of a received JSON message from
// the volatile ones (ids, timestamps, uuids, nonces) that differ per run.
#pragma once

#include <nlohmann/json.hpp>
#include <string_view>

namespace wscheck {

/// A key whose value changes from run to run: its last word is one of id,
/// uuid, guid, timestamp, time, ts, at, date, nonce, seq, etag, exp, iat,
/// ... ("run_id", "createdAt", "server_time"), or it names a credential.
bool is_volatile_key(std::string_view key);

/// A value that is volatile whatever its key: a UUID, an ISO-8601 date-time,
/// a long hex string, a JWT, or a number in the range of Unix epoch seconds
/// or milliseconds (2001-2286).
bool is_volatile_value(const nlohmann::ordered_json& value);

/// The subset matcher for a received message: volatile values become
/// {"$type": ...} (the field must be there, its value is not pinned), keys
/// starting with '$' are left out (the matcher would read them as
/// operators), strings longer than 1024 bytes match by type, and every other
/// value is kept exactly. Strings are not escaped for templates here.
nlohmann::ordered_json stable_matcher(const nlohmann::ordered_json& message);

/// The matcher type name of a JSON value: "string", "number", "boolean",
/// "null", "object" or "array".
const char* json_type_name(const nlohmann::ordered_json& value);

}  // namespace wscheck
