// parse_workshop_file(): the body of POST /api/workshops and --import files (admin input, but
// the admin token may be all an attacker needs; and files are shared as templates).
#include "shared/protocol/workshop_file.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size) {
    std::string_view const text(reinterpret_cast<char const*>(data), size);
    auto const parsed = cylch::protocol::parse_workshop_file(text);
    if (auto const* err = std::get_if<cylch::protocol::workshop_file_error>(&parsed)) {
        volatile auto n = std::string_view(err->what()).size(); // the message is well-formed
        (void)n;
    }
    return 0;
}
