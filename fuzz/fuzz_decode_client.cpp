// decode_client(): every WebSocket frame a client sends. It is total: whatever the bytes, a
// message or a decode_failure, never an exception, a crash or undefined behaviour.
#include "shared/protocol/codec.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size) {
    std::string_view const frame(reinterpret_cast<char const*>(data), size);
    auto const result = cylch::protocol::decode_client(frame);
    if (auto const* m = std::get_if<cylch::protocol::client_message>(&result)) {
        // What the server does next with a decoded message: name its op.
        volatile auto op = cylch::protocol::op_of(*m).size();
        (void)op;
    }
    // The size limit is checked before anything else.
    (void)cylch::protocol::decode_client(frame, size / 2);
    return 0;
}
