// Reads a browser DevTools HAR export into a Conversation.
#pragma once

#include <string>

#include "author/conversation.h"

namespace wscheck {

struct HarOptions {
  std::string url_filter;  // PCRE2; only WebSocket entries whose URL matches ("" = all)
};

/// Chromium records a WebSocket as an entry with "_resourceType":
/// "websocket" (or a 101 response to a ws(s):// URL) and its frames in
/// "_webSocketMessages": [{"type": "send"|"receive", "time": epoch seconds,
/// "opcode": 1 (text) | 2 (binary, base64 "data"), "data"}]. Every entry
/// becomes a connection (request headers, offered subprotocols), every
/// frame an event on the clock of the first entry.
/// Throws AuthoringError: not JSON / not a HAR (with the place), no
/// WebSocket entry, entries without frames (Firefox's export), nothing left
/// after --url-filter, an invalid frame.
Conversation read_har(const std::string& text, const std::string& file, const HarOptions& options);

}  // namespace wscheck
