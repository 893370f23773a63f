// Texts in several languages as the store keeps them (store_codec.hpp).
#include "shared/protocol/store_codec.hpp"

#include "shared/protocol/json_reader.hpp"
#include "shared/protocol/json_writer.hpp"

namespace cylch::protocol {

std::string encode_text_map(text_map const& t) {
    return detail::to_text(detail::to_json(t));
}

std::optional<text_map> decode_text_map(std::string_view json) {
    try {
        auto const j = detail::parse_json(json);
        if (!j.is_object()) {
            return std::nullopt;
        }
        text_map t;
        for (auto const& [lang, text] : j.items()) {
            if (!text.is_string()) {
                return std::nullopt;
            }
            t.emplace(lang, text.get<std::string>());
        }
        return t;
    } catch (detail::read_error const&) {
        return std::nullopt;
    } catch (nlohmann::json::exception const&) {
        return std::nullopt;
    }
}

} // namespace cylch::protocol
