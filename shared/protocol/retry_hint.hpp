// Refusals that say when to try again: `rate_limited` errors with a `retry_after_ms` hint, for
// the WebSocket (an error frame) and for the HTTP API (an error body; the HTTP response also
// carries Retry-After in whole seconds). Same shapes as encode(error) and encode_api_error(),
// plus the one field.
#pragma once

#include <chrono>
#include <optional>
#include <string>

namespace cylch::protocol {

// {"type":"error","op":…,"code":"rate_limited","message":"…","retry_after_ms":N}
std::string encode_rate_limited(std::optional<std::string> const& op, std::string const& message,
                                std::chrono::milliseconds retry_after);

// {"error":{"code":"rate_limited","message":"…","retry_after_ms":N}}
std::string encode_api_rate_limited(std::string const& message,
                                    std::chrono::milliseconds retry_after);

} // namespace cylch::protocol
