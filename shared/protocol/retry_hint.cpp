#include "shared/protocol/retry_hint.hpp"

#include "shared/protocol/types.hpp"

#include <nlohmann/json.hpp>

namespace cylch::protocol {

std::string encode_rate_limited(std::optional<std::string> const& op, std::string const& message,
                                std::chrono::milliseconds retry_after) {
    nlohmann::ordered_json j{{"type", "error"}};
    if (op) {
        j["op"] = *op;
    }
    j["code"] = to_string(error_code::rate_limited);
    j["message"] = message;
    j["retry_after_ms"] = retry_after.count();
    return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string encode_api_rate_limited(std::string const& message,
                                    std::chrono::milliseconds retry_after) {
    nlohmann::ordered_json j{{"error",
                              {{"code", to_string(error_code::rate_limited)},
                               {"message", message},
                               {"retry_after_ms", retry_after.count()}}}};
    return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

} // namespace cylch::protocol
