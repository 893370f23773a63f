// Strict decoding of client frames. The only place where a client's JSON is read.
//
// decode_client() is total: every input, however hostile, yields either a typed message or a
// decode_failure naming the protocol error code and, where it could be read, the op.
#pragma once

#include "shared/protocol/messages.hpp"

#include <string>
#include <string_view>
#include <variant>

namespace cylch::protocol {

struct decode_failure {
    error_code code = error_code::bad_request;
    std::string message;
    std::optional<std::string> op;
};

using decode_result = std::variant<client_message, decode_failure>;

// Decodes one client text frame. Checks, in order: size (too_large above max_frame bytes),
// JSON syntax and UTF-8 (bad_json), nesting depth (bad_request), "type" (unknown_type), then
// the message's fields: required fields present, no unknown fields, types and ranges
// (bad_request). A hello with another protocol version yields `version`.
decode_result decode_client(std::string_view frame, std::size_t max_frame = 16 * 1024);

// True when the text is a well-formed op id: min_op_length..max_op_length visible ASCII.
bool valid_op(std::string_view op);
// True when the text is a well-formed server-issued id or token (letters, digits, '_', '-').
bool valid_id(std::string_view id);

} // namespace cylch::protocol
