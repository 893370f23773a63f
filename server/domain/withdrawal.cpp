// Withdrawal and erasure (docs/protocol.md, "Withdrawal and erasure"): a respondent's data leaves
// every activity, and the participant stays only as a withdrawn, numbered row.
#include "server/domain/workshop.hpp"

#include <algorithm>

namespace cylch::domain {

using protocol::error_code;

std::vector<participant const*> workshop::respondents() const {
    std::vector<participant const*> people;
    for (auto const& [id, p] : participants_) {
        people.push_back(&p);
    }
    std::sort(people.begin(), people.end(), [](auto const* a, auto const* b) {
        return a->created_at != b->created_at ? a->created_at < b->created_at : a->id < b->id;
    });
    return people;
}

participant const* workshop::respondent(std::size_t number) const {
    auto const people = respondents();
    return number >= 1 && number <= people.size() ? people[number - 1] : nullptr;
}

effects workshop::withdraw(std::string const& participant_id, store::withdrawal_by by, time_ms now,
                           std::string_view op) {
    effects e;
    auto it = participants_.find(participant_id);
    if (it == participants_.end()) {
        // A participant who joined but never acted has nothing to erase; they are stored now,
        // withdrawn, so that their token is refused from here on.
        auto first = unstored_.find(participant_id);
        if (first == unstored_.end()) {
            return refusal(error_code::not_found, "there is no such participant", op);
        }
        it = participants_.emplace(participant_id, first->second.who).first;
        e.to_persist.push_back(participant_record(it->second));
        if (first->second.idle) {
            idle_unstored_.erase(*first->second.idle);
        }
        unstored_.erase(first);
    }
    auto& p = it->second;
    if (p.withdrawn()) {
        return refusal(error_code::not_found, "this participant has withdrawn already", op);
    }
    auto const* current_activity = current();
    auto changed = [&](activity const& a) {
        e.summary_dirty = e.summary_dirty || &a == current_activity;
    };
    for (auto& a : activities_) {
        if (auto* l = a.as<likert>()) {
            if (auto v = l->votes.find(p.id); v != l->votes.end()) {
                tally(*l, p, v->second.value, -1);
                l->votes.erase(v);
                changed(a);
            }
        } else if (auto* c = a.as<choice>()) {
            if (c->answers.erase(p.id) > 0) {
                changed(a);
            }
        } else if (auto* k = a.as<ranking>()) {
            if (k->answers.erase(p.id) > 0) {
                changed(a);
            }
        } else if (auto* o = a.as<open_text>()) {
            if (auto t = o->answers.find(p.id); t != o->answers.end()) {
                o->by_id.erase(t->second.id);
                o->answers.erase(t);
                changed(a);
            }
        } else if (auto* b = a.as<board>()) {
            bool touched = false;
            for (auto n = b->notes.begin(); n != b->notes.end();) {
                if (n->author == p.id) {
                    for (auto const& [giver, count] : n->dots_by) {
                        b->dots_used[giver] -= count; // the dots go back to their givers
                    }
                    n = b->notes.erase(n);
                    touched = true;
                    continue;
                }
                if (auto d = n->dots_by.find(p.id); d != n->dots_by.end()) {
                    n->dots -= d->second;
                    n->dots_by.erase(d);
                    touched = true;
                }
                ++n;
            }
            touched = b->dots_used.erase(p.id) > 0 || touched;
            if (touched) {
                e.board_changes.push_back({effects::board_change::kind::reset, a.id, {}});
            }
        }
    }
    // The person's own answers are gone; what stays is a numbered row without group, language
    // or consent, whose token is refused.
    if (p.group) {
        e.presence_changed = true;
    }
    p.group.reset();
    p.lang.reset();
    p.consent = false;
    p.withdrawn_at = now;
    std::size_t number = 0;
    auto const people = respondents();
    for (std::size_t i = 0; i < people.size(); ++i) {
        if (people[i] == &p) {
            number = i + 1;
        }
    }
    e.to_persist.push_back(store::participant_withdrawn{id_, p.id, by, now, number});
    return e;
}

} // namespace cylch::domain
