// The HTTP API's JSON request bodies (shared/protocol/api.hpp): kiosk registration and rebind,
// sign-in, account creation and change, sharing; and text objects read back from the store
// (store_codec.hpp). The first byte picks the decoder.
#include "shared/protocol/api.hpp"
#include "shared/protocol/store_codec.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size) {
    if (size == 0) {
        return 0;
    }
    std::string_view const body(reinterpret_cast<char const*>(data) + 1, size - 1);
    switch (data[0] % 7) {
    case 0:
        (void)cylch::protocol::parse_kiosk_request(body, true); // POST /api/kiosks
        break;
    case 1:
        (void)cylch::protocol::parse_kiosk_request(body, false); // PUT /api/kiosks/{id}
        break;
    case 2:
        (void)cylch::protocol::parse_login(body); // POST /api/login
        break;
    case 3:
        (void)cylch::protocol::parse_user_request(body, true); // POST /api/users
        break;
    case 4:
        (void)cylch::protocol::parse_user_request(body, false); // PUT /api/users/{id}
        break;
    case 5:
        (void)cylch::protocol::parse_share_request(body); // POST /api/workshops/{id}/share
        break;
    default:
        (void)cylch::protocol::decode_text_map(body);
        break;
    }
    return 0;
}
