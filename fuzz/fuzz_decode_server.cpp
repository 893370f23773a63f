// decode_server(): what the kiosk reads from the server (or from whatever answers at the
// address it was given). Total, like decode_client().
#include "shared/protocol/client_codec.hpp"
#include "shared/protocol/types.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size) {
    std::string_view const frame(reinterpret_cast<char const*>(data), size);
    (void)cylch::protocol::decode_server(frame);
    (void)cylch::protocol::error_code_from_string(frame);
    return 0;
}
