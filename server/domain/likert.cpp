// Likert statements: the workshop's rules for votes (participants and kiosks), their tallies and
// summaries. Part of the workshop state machine (workshop.hpp).
#include "server/domain/workshop.hpp"

#include <algorithm>
#include <stdexcept>

namespace cylch::domain {
namespace {

using protocol::error_code;

std::vector<int> zeros(int points) {
    return std::vector<int>(static_cast<std::size_t>(points), 0);
}

constexpr std::string_view not_a_statement =
    "this activity is not a statement: votes go to statements";

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
        l->votes[v.participant] = vote_entry{v.value, v.at, v.comment};
        tally(*l, it->second, v.value, +1);
    }
}

std::optional<effects> workshop::refuse_vote(activity const& a, likert const& l,
                                             protocol::vote const& m) const {
    if (auto refused = refuse_closed(a, m.op)) {
        return refused;
    }
    if (m.value < 1 || m.value > l.spec.points) {
        return refusal(error_code::bad_request,
                       "value must be between 1 and " + std::to_string(l.spec.points), m.op);
    }
    if (m.comment && !l.spec.comment) {
        return refusal(error_code::bad_request, "this statement does not ask for a comment", m.op);
    }
    return std::nullopt;
}

effects workshop::on_vote(participant& p, protocol::vote const& m, time_ms now) {
    auto found = answerable<likert>(p, m.activity, m.op, not_a_statement);
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
        if (it->second.value == m.value && it->second.comment == m.comment) {
            return e; // the same answer again: nothing to change but the op
        }
        tally(*l, p, it->second.value, -1);
        it->second = vote_entry{m.value, now, m.comment};
    } else {
        l->votes.emplace(p.id, vote_entry{m.value, now, m.comment});
    }
    tally(*l, p, m.value, +1);
    e.to_persist.push_back(store::vote_saved{id_, a->id, p.id, m.value, now, m.comment});
    e.summary_dirty = true;
    e.changed_activity = a->id;
    return e;
}

// A kiosk press: a new anonymous respondent on channel kiosk, or its pass's (whose earlier
// press on this statement it replaces). Taking part at a kiosk is the consent (the kiosk shows
// the workshop's information before the scale).
effects workshop::on_kiosk_vote(actor const& kiosk, protocol::vote const& m, time_ms now,
                                std::string const& fresh_id) {
    auto found = activity_of_kind<likert>(m.activity, m.op, not_a_statement);
    if (auto* refused = std::get_if<effects>(&found)) {
        return std::move(*refused);
    }
    auto [a, l] = std::get<1>(found);
    auto refused = refuse_vote(*a, *l, m);
    if (refused && refused->error->code == error_code::closed && m.value >= 1 &&
        m.value <= l->spec.points && !m.comment) {
        if (late_press_counts(*a, kiosk, m.pressed_at, now)) {
            refused.reset();
        } else {
            refused->error->message = "This press was not made while the activity was open.";
        }
    }
    if (refused) {
        return std::move(*refused);
    }
    effects e;
    auto found_who = kiosk_respondent(kiosk, m.pass, fresh_id, now, m.op, e);
    if (auto* refused_pass = std::get_if<effects>(&found_who)) {
        return std::move(*refused_pass);
    }
    auto const& who = *std::get<participant const*>(found_who);
    if (auto it = l->votes.find(who.id); it != l->votes.end()) { // the pass went back
        if (it->second.value == m.value) {
            return e;
        }
        tally(*l, who, it->second.value, -1);
        l->votes.erase(it);
    }
    l->votes.emplace(who.id, vote_entry{m.value, now});
    tally(*l, who, m.value, +1);
    e.to_persist.push_back(store::vote_saved{id_, a->id, who.id, m.value, now});
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

protocol::likert_results workshop::likert_summary(likert const& l, bool breakdowns) const {
    protocol::likert_results r;
    r.overall = stats::summarise(l.counts);
    if (!breakdowns) {
        return r;
    }
    for (std::size_t g = 0; g < spec_.groups.size(); ++g) {
        r.by_group.emplace_back(spec_.groups[g].id, stats::summarise(l.group_counts[g]));
    }
    for (auto ch : {protocol::channel::web, protocol::channel::kiosk}) {
        r.by_channel.emplace_back(std::string(protocol::to_string(ch)),
                                  stats::summarise(l.channel_counts[static_cast<std::size_t>(ch)]));
    }
    return r;
}

std::vector<protocol::comment_view> workshop::likert_comments(likert const& l) const {
    std::vector<protocol::comment_view> out;
    for (auto const& [pid, v] : l.votes) {
        if (v.comment) {
            auto const* p = find_participant(pid);
            out.push_back({*v.comment, p ? p->group : std::nullopt, v.value, v.at});
        }
    }
    std::sort(out.begin(), out.end(), [](auto const& x, auto const& y) { return x.at < y.at; });
    return out;
}

} // namespace cylch::domain
