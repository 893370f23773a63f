// Values that the store keeps as JSON text: a text object ({"en":"…","cy":"…"}), e.g. a
// cluster's label. The only JSON the store holds besides the workshop file itself.
#pragma once

#include "shared/protocol/types.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace cylch::protocol {

std::string encode_text_map(text_map const&);
// Nullopt when the text is not such an object.
std::optional<text_map> decode_text_map(std::string_view json);

} // namespace cylch::protocol
