// One HTTP connection: reads requests (bounded), answers them through http_api, and hands a
// WebSocket upgrade of /ws to a websocket_session.
#pragma once

#include "server/net/context.hpp"
#include "server/net/stream.hpp"

namespace cylch::net {

// Starts serving an accepted socket; the session keeps itself alive while it has work.
void serve_http(session_socket socket, net_context& ctx);

} // namespace cylch::net
