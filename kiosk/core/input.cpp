#include "kiosk/core/input.hpp"

namespace cylch::kiosk {

std::optional<input_event> map_key(int key, key_codes const& codes, bool allow_quit,
                                   std::int64_t at_ms) {
    using kind = input_event::kind;
    if (key >= '1' && key <= '9') {
        return input_event{kind::choose, key - '0', at_ms};
    }
    if (key == codes.left) {
        return input_event{kind::move_left, 0, at_ms};
    }
    if (key == codes.right) {
        return input_event{kind::move_right, 0, at_ms};
    }
    if (key == codes.enter || key == '\n' || key == '\r' || key == ' ') {
        return input_event{kind::confirm, 0, at_ms};
    }
    if (allow_quit && (key == 'q' || key == 'Q')) {
        return input_event{kind::quit, 0, at_ms};
    }
    return std::nullopt;
}

bool debouncer::edge(unsigned line, bool pressed, std::int64_t at_ms) {
    line_state& s = lines_[line];
    bool const quiet = !s.seen || at_ms - s.last_edge >= window_ms_;
    s.seen = true;
    s.last_edge = at_ms;
    // A bounce (the level is not settled yet) is never a press; a settled edge to "pressed"
    // is, even when the release before it was too quick to be seen.
    return quiet && pressed;
}

bool press_guard::allow(std::int64_t at_ms) {
    if (wait_ms(at_ms) > 0) {
        return false;
    }
    last_ = at_ms;
    return true;
}

std::int64_t press_guard::wait_ms(std::int64_t at_ms) const {
    if (!last_) {
        return 0;
    }
    std::int64_t const left = *last_ + min_interval_ms_ - at_ms;
    return left > 0 ? left : 0;
}

} // namespace cylch::kiosk
