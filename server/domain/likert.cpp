// Likert statements: the workshop's rules for votes (participants and kiosks), their tallies and
// summaries. Part of the workshop state machine (workshop.hpp).
#include "server/domain/workshop.hpp"

#include <stdexcept>

namespace cylch::domain {
namespace {

using protocol::error_code;

std::vector<int> zeros(int points) {
    return std::vector<int>(static_cast<std::size_t>(points), 0);
}

constexpr std::string_view not_a_statement = "this activity is a board: add notes, not votes";

} // namespace

likert::likert(protocol::likert_spec s, std::size_t groups)
    : spec(std::move(s))
    , counts(zeros(spec.points))
    , group_counts(groups, zeros(spec.points))
    , channel_counts{zeros(spec.points), zeros(spec.points)} {}

void workshop::restore_votes(store::workshop_snapshot const& s) {
    for (auto const& v : s.votes) {
        auto* a = find_activity_mut(v.activity);
        auto* l = a != nullptr ? a->as<likert>() : nullptr;
        auto it = participants_.find(v.participant);
        if (l == nullptr || it == participants_.end() || v.value < 1 || v.value > l->spec.points) {
            throw std::runtime_error("workshop " + id_ + " has a vote that fits no activity");
        }
        l->votes[v.participant] = vote_entry{v.value, v.at};
        tally(*l, it->second, v.value, +1);
    }
}

std::optional<effects> workshop::refuse_vote(activity const& a, likert const& l,
                                             protocol::vote const& m) const {
    if (state_ == protocol::workshop_state::ended || a.state != activity_state::open) {
        return refusal(error_code::closed,
                       a.state == activity_state::pending ? "This activity is not open yet."
                                                          : "This activity is closed.",
                       m.op);
    }
    if (m.value < 1 || m.value > l.spec.points) {
        return refusal(error_code::bad_request,
                       "value must be between 1 and " + std::to_string(l.spec.points), m.op);
    }
    return std::nullopt;
}

effects workshop::on_vote(participant& p, protocol::vote const& m, time_ms now) {
    if (spec_.consent.required && !p.consent && find_activity(m.activity) != nullptr) {
        return refusal(error_code::not_allowed, "please agree to take part before answering", m.op);
    }
    auto found = activity_of_kind<likert>(m.activity, m.op, not_a_statement);
    if (auto* refused = std::get_if<effects>(&found)) {
        return std::move(*refused);
    }
    auto [a, l] = std::get<1>(found);
    if (auto refused = refuse_vote(*a, *l, m)) {
        return std::move(*refused);
    }
    effects e;
    auto it = l->votes.find(p.id);
    if (it != l->votes.end()) {
        if (it->second.value == m.value) {
            return e; // the same answer again: nothing to change but the op
        }
        tally(*l, p, it->second.value, -1);
        it->second = vote_entry{m.value, now};
    } else {
        l->votes.emplace(p.id, vote_entry{m.value, now});
    }
    tally(*l, p, m.value, +1);
    e.to_persist.push_back(store::vote_saved{id_, a->id, p.id, m.value, now});
    e.summary_dirty = true;
    e.changed_activity = a->id;
    return e;
}

// A kiosk press: always a new anonymous respondent on channel kiosk. Taking part at a kiosk is
// the consent (the kiosk shows the workshop's information before the scale).
effects workshop::on_kiosk_vote(actor const& kiosk, protocol::vote const& m, time_ms now,
                                std::string const& fresh_id) {
    auto found = activity_of_kind<likert>(m.activity, m.op, not_a_statement);
    if (auto* refused = std::get_if<effects>(&found)) {
        return std::move(*refused);
    }
    auto [a, l] = std::get<1>(found);
    auto refused = refuse_vote(*a, *l, m);
    if (refused && refused->error->code == error_code::closed && m.pressed_at && a->opened_at > 0 &&
        a->closed_at > 0 && m.value >= 1 && m.value <= l->spec.points) {
        // A late arrival: pressed while open, delivered after the close.
        auto const pressed = *m.pressed_at + kiosk.clock_offset;
        if (pressed >= a->opened_at && pressed <= a->closed_at + late_press_tolerance &&
            now - a->closed_at <= late_press_window) {
            refused.reset();
        } else {
            refused->error->message = "This press was not made while the activity was open.";
        }
    }
    if (refused) {
        return std::move(*refused);
    }
    if (fresh_id.empty() || participants_.contains(fresh_id)) {
        throw std::logic_error("a kiosk vote needs a fresh respondent id");
    }
    participant p{fresh_id, {}, protocol::channel::kiosk, std::nullopt, std::nullopt, true, now};
    auto const& who = participants_.emplace(fresh_id, std::move(p)).first->second;
    l->votes.emplace(fresh_id, vote_entry{m.value, now});
    tally(*l, who, m.value, +1);
    effects e;
    e.to_persist.push_back(participant_record(who));
    e.to_persist.push_back(store::vote_saved{id_, a->id, fresh_id, m.value, now});
    e.summary_dirty = true;
    e.changed_activity = a->id;
    return e;
}

effects workshop::on_vote_clear(participant& p, protocol::vote_clear const& m, time_ms) {
    auto found = activity_of_kind<likert>(m.activity, m.op, not_a_statement);
    if (auto* refused = std::get_if<effects>(&found)) {
        return std::move(*refused);
    }
    auto [a, l] = std::get<1>(found);
    if (state_ == protocol::workshop_state::ended || a->state != activity_state::open) {
        return refusal(error_code::closed, "This activity is closed.", m.op);
    }
    effects e;
    auto it = l->votes.find(p.id);
    if (it == l->votes.end()) {
        return e;
    }
    tally(*l, p, it->second.value, -1);
    l->votes.erase(it);
    e.to_persist.push_back(store::vote_cleared{id_, a->id, p.id});
    e.summary_dirty = true;
    e.changed_activity = a->id;
    return e;
}

void workshop::tally(likert& l, participant const& p, int value, int delta) {
    auto const i = static_cast<std::size_t>(value - 1);
    l.counts[i] += delta;
    if (auto g = group_index(p.group)) {
        l.group_counts[*g][i] += delta;
    }
    l.channel_counts[static_cast<std::size_t>(p.channel)][i] += delta;
}

void workshop::retally_group(participant& p, std::optional<std::string> const& group) {
    auto each_vote = [&](int delta) {
        for (auto& a : activities_) {
            if (auto* l = a.as<likert>()) {
                if (auto v = l->votes.find(p.id); v != l->votes.end()) {
                    tally(*l, p, v->second.value, delta);
                }
            }
        }
    };
    each_vote(-1);
    p.group = group;
    each_vote(+1);
}

protocol::summary workshop::likert_summary(activity const& a, likert const& l, bool full,
                                           bool breakdowns) const {
    protocol::summary s;
    s.activity = a.id;
    s.full = full;
    s.breakdowns = breakdowns;
    s.overall = stats::summarise(l.counts);
    if (!full || !breakdowns) {
        return s;
    }
    for (std::size_t g = 0; g < spec_.groups.size(); ++g) {
        s.by_group.emplace_back(spec_.groups[g].id, stats::summarise(l.group_counts[g]));
    }
    for (auto ch : {protocol::channel::web, protocol::channel::kiosk}) {
        s.by_channel.emplace_back(std::string(protocol::to_string(ch)),
                                  stats::summarise(l.channel_counts[static_cast<std::size_t>(ch)]));
    }
    return s;
}

} // namespace cylch::domain
