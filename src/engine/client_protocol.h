// The lws protocol list of the client vhosts (protocols[0] serves every
// client connection). Declared apart so event_loop.cc does not include
// connection.h: the loop knows the list, not the connection behind it.
#pragma once

#include <libwebsockets.h>

namespace wscheck {

/// Defined in connection.cc, where the callback lives.
const lws_protocols* client_protocols();

}  // namespace wscheck
