// The client side of the wire protocol, for C++ clients (the kiosk): client frames encoded from
// the typed messages, and server frames decoded into them.
//
// decode_server() is lenient where a client should be (keys it does not know are ignored, so
// that a newer server can add fields) and strict where it matters (a known field of the wrong
// type is an error, never a guess). Like decode_client(), it is total: it never throws.
#pragma once

#include "shared/protocol/messages.hpp"

#include <string>
#include <string_view>
#include <variant>

namespace cylch::protocol {

std::string encode(hello const&);
std::string encode(vote const&);
std::string encode(choose const&);

// The few fields of a summary a kiosk reads.
struct summary_brief {
    std::string activity;
    int n = 0;
};

// A well-formed frame of a type this client does not use (presence, or a future type).
struct other_frame {
    std::string type;
};

struct server_decode_failure {
    std::string message;
};

using server_message = std::variant<welcome, activity_push, workshop_push, activities_push,
                                    summary_brief, ack, error, other_frame, server_decode_failure>;

server_message decode_server(std::string_view frame);

} // namespace cylch::protocol
