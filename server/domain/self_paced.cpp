// Self-paced workshops (docs/protocol.md, "Self-paced workshops"): every activity open between
// the file's two dates, the participant's whole questionnaire at once, and kiosk passes (one
// respondent per person going through the activities). Part of the workshop state machine
// (workshop.hpp).
#include "server/domain/workshop.hpp"

#include <algorithm>

namespace cylch::domain {
namespace {

using protocol::error_code;

} // namespace

bool workshop::self_paced() const {
    return spec_.mode == protocol::workshop_mode::self_paced;
}

activity_state workshop::window_state(time_ms now) const {
    if (now < spec_.opens_at.value_or(0)) {
        return activity_state::pending;
    }
    if (now < spec_.closes_at.value_or(0) && state_ == protocol::workshop_state::live) {
        return activity_state::open;
    }
    return activity_state::closed;
}

effects workshop::apply_window(time_ms now) {
    effects e;
    if (!self_paced()) {
        return e;
    }
    auto const wanted = window_state(now);
    for (auto& a : activities_) {
        switch (wanted) {
        case activity_state::open:
            if (a.state != activity_state::open) {
                a.state = activity_state::open;
                a.opened_at = *spec_.opens_at;
                a.closed_at = 0;
                announce(a, now, e);
            }
            break;
        case activity_state::pending:
            if (a.state == activity_state::open) { // the opening moved later (an edit)
                close(a, now, e);
            }
            break;
        case activity_state::closed:
        case activity_state::revealed:
            if (a.state == activity_state::open) {
                close(a, std::min(now, *spec_.closes_at), e);
            } else if (a.state == activity_state::pending && now >= *spec_.closes_at) {
                // Never opened while the server ran (it was down for the whole window): it is
                // closed, with the window as its times.
                a.state = activity_state::closed;
                a.opened_at = *spec_.opens_at;
                a.closed_at = *spec_.closes_at;
                announce(a, now, e);
            }
            break;
        }
    }
    return e;
}

std::optional<time_ms> workshop::next_window_change(time_ms now) const {
    if (!self_paced() || state_ != protocol::workshop_state::live) {
        return std::nullopt;
    }
    if (now < *spec_.opens_at) {
        return *spec_.opens_at;
    }
    if (now < *spec_.closes_at) {
        return *spec_.closes_at;
    }
    return std::nullopt;
}

std::vector<protocol::activity_view> workshop::questionnaire() const {
    std::vector<protocol::activity_view> out;
    bool const opened = std::none_of(activities_.begin(), activities_.end(), [](auto const& a) {
        return a.state == activity_state::pending;
    });
    if (opened) {
        out.reserve(activities_.size());
        for (auto const& a : activities_) {
            out.push_back(view_of(a));
        }
    }
    return out;
}

std::vector<std::pair<std::string, protocol::mine_view>>
workshop::answers_of(std::string const& participant_id) const {
    std::vector<std::pair<std::string, protocol::mine_view>> out;
    for (auto const& a : activities_) {
        auto m = mine_in(a, participant_id);
        if (m.value || m.options || m.order || m.text) {
            out.emplace_back(a.id, std::move(m));
        }
    }
    return out;
}

std::variant<effects, participant const*>
workshop::kiosk_respondent(actor const& kiosk, std::optional<std::string> const& pass,
                           std::string const& fresh_id, time_ms now, std::string_view op,
                           effects& e) {
    if (!pass) {
        return &add_kiosk_respondent(fresh_id, now, e, {});
    }
    // Not a token hash (those are hex): no participant's token can ever name a pass.
    auto key = "pass " + kiosk.id + " " + *pass;
    if (auto const* p = find_by_token_hash(key)) {
        if (p->withdrawn()) {
            return refusal(error_code::not_found,
                           "the answers of this pass were erased; start a new pass", op);
        }
        return p;
    }
    return &add_kiosk_respondent(fresh_id, now, e, std::move(key));
}

} // namespace cylch::domain
