// Text written by people (shared/protocol/user_text.hpp): clean_user_text must never crash,
// and what it accepts must be accepted again unchanged (trimmed, checked, NFC, within the
// limit). The first byte picks the limit and whether lines are allowed; the rest is the text.
#include "shared/protocol/user_text.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size) {
    if (size == 0) {
        return 0;
    }
    namespace cp = cylch::protocol;
    auto const breaks = (data[0] & 1) != 0 ? cp::line_breaks::allowed : cp::line_breaks::refused;
    std::size_t const max = (data[0] & 2) != 0 ? 280 : 1 + (data[0] >> 2); // 280, or 1..64
    std::string_view const text(reinterpret_cast<char const*>(data) + 1, size - 1);
    auto const clean = cp::clean_user_text(text, max, breaks);
    if (clean) {
        auto const again = cp::clean_user_text(*clean, max, breaks);
        if (!again || *again != *clean) {
            std::abort(); // cleaning is not idempotent: stored text would not pass its own check
        }
    }
    return 0;
}
