// One WebSocket connection (/ws): strict frames in, a bounded queue of frames out.
//
// Reading: every frame is decoded by the shared codec; the first must be hello within the
// hello timeout; frames above the size limit close the connection (1009); a token bucket
// bounds requests per second (excess gets `rate_limited`). Writing: acks, errors and other
// events are queued in order; summary and presence frames are latest-wins slots, so a slow
// client gets the newest state rather than a backlog. A client whose event queue passes its
// bound is disconnected.
//
// Included only by http_session.cpp: it carries Beast types.
#pragma once

#include "server/net/context.hpp"
#include "server/net/stream.hpp"

#include <boost/beast/core/basic_stream.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

namespace cylch::net {

// `slot` is the connection's place under the connection caps, held for the session's life;
// `client` is the address that failed hellos are counted against (failure_throttle).
void serve_websocket(session_stream stream,
                     boost::beast::http::request<boost::beast::http::string_body> upgrade,
                     net_context& ctx, connection_limiter::slot slot, std::string client);

} // namespace cylch::net
