// What one kiosk press answers: a point of a Likert scale, or the one option of a
// single-answer choice. The screens make it, the durable queue keeps it, and the program sends
// it as a `vote` or a `choose` (docs/kiosk.md).
#pragma once

#include <string>
#include <variant>

namespace cylch::kiosk {

// A Likert scale point, 1-based.
struct scale_point {
    int value = 0;
    bool operator==(scale_point const&) const = default;
};

// The id of the option chosen on a single-answer choice (sent as `choose` with one option).
struct chosen_option {
    std::string id;
    bool operator==(chosen_option const&) const = default;
};

using press_answer = std::variant<scale_point, chosen_option>;

// For logs: the scale point as a number, the option as its id.
inline std::string to_string(press_answer const& a) {
    if (auto const* p = std::get_if<scale_point>(&a)) {
        return std::to_string(p->value);
    }
    return std::get<chosen_option>(a).id;
}

} // namespace cylch::kiosk
