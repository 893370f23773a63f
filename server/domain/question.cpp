// What the question kinds (Likert, choice, ranking, open text) share: when an answer may be
// given, kiosk respondents and their late presses, taking an answer back, and reading answers
// back from the store. Part of the workshop state machine (workshop.hpp).
#include "server/domain/workshop.hpp"

#include <functional>
#include <stdexcept>

namespace cylch::domain {
namespace {

using protocol::error_code;

// A list of ids as the store keeps it: joined with ' ' (ids have no spaces).
std::vector<std::string> split_ids(std::string_view body) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start <= body.size()) {
        auto const end = std::min(body.find(' ', start), body.size());
        if (end > start) {
            out.emplace_back(body.substr(start, end - start));
        }
        start = end + 1;
    }
    return out;
}

} // namespace

std::optional<effects> workshop::refuse_closed(activity const& a, std::string_view op) const {
    if (state_ == protocol::workshop_state::ended || a.state != activity_state::open) {
        return refusal(error_code::closed,
                       a.state == activity_state::pending ? "This activity is not open yet."
                                                          : "This activity is closed.",
                       op);
    }
    return std::nullopt;
}

bool workshop::late_press_counts(activity const& a, actor const& kiosk,
                                 std::optional<std::int64_t> pressed_at, time_ms now) const {
    if (!pressed_at || a.opened_at == 0 || a.closed_at == 0) {
        return false;
    }
    auto const pressed = *pressed_at + kiosk.clock_offset;
    return pressed >= a.opened_at && pressed <= a.closed_at + late_press_tolerance &&
           now - a.closed_at <= late_press_window;
}

participant const& workshop::add_kiosk_respondent(std::string const& fresh_id, time_ms now,
                                                  effects& e, std::string pass_key) {
    if (fresh_id.empty() || participants_.contains(fresh_id)) {
        throw std::logic_error("a kiosk press needs a fresh respondent id");
    }
    if (!pass_key.empty()) {
        by_token_hash_.emplace(pass_key, fresh_id);
    }
    participant p{fresh_id,     std::move(pass_key), protocol::channel::kiosk,
                  std::nullopt, std::nullopt,        true,
                  now};
    auto const& who = participants_.emplace(fresh_id, std::move(p)).first->second;
    e.to_persist.push_back(participant_record(who));
    return who;
}

effects workshop::on_clear(participant& p, protocol::vote_clear const& m, time_ms) {
    auto* a = find_activity_mut(m.activity);
    if (a == nullptr) {
        return refusal(error_code::not_found,
                       "there is no activity \"" + m.activity + "\" in this workshop", m.op);
    }
    if (a->as<board>() != nullptr) {
        return refusal(error_code::bad_request, "a board has notes, not an answer to take back",
                       m.op);
    }
    if (auto refused = refuse_closed(*a, m.op)) {
        return std::move(*refused);
    }
    effects e;
    struct take_back {
        workshop& ws;
        participant& p;
        bool operator()(likert& l) const {
            auto it = l.votes.find(p.id);
            if (it == l.votes.end()) {
                return false;
            }
            ws.tally(l, p, it->second.value, -1);
            l.votes.erase(it);
            return true;
        }
        bool operator()(board&) const { return false; }
        bool operator()(choice& c) const { return c.answers.erase(p.id) > 0; }
        bool operator()(ranking& k) const { return k.answers.erase(p.id) > 0; }
        bool operator()(open_text& o) const {
            auto it = o.answers.find(p.id);
            if (it == o.answers.end()) {
                return false;
            }
            o.by_id.erase(it->second.id);
            o.answers.erase(it);
            return true;
        }
    };
    if (!std::visit(take_back{*this, p}, a->body)) {
        return e; // nothing to take back
    }
    if (a->as<likert>() != nullptr) {
        e.to_persist.push_back(store::vote_cleared{id_, a->id, p.id});
    } else {
        e.to_persist.push_back(store::answer_cleared{id_, a->id, p.id});
    }
    e.summary_dirty = true;
    e.changed_activity = a->id;
    return e;
}

void workshop::restore_answers(store::workshop_snapshot const& s) {
    for (auto const& row : s.answers) {
        auto* a = find_activity_mut(row.activity);
        if (a == nullptr || !participants_.contains(row.participant)) {
            throw std::runtime_error("workshop " + id_ + " has an answer that fits no activity");
        }
        auto const misfit = [&] {
            throw std::runtime_error("workshop " + id_ + " has an answer to " + row.activity +
                                     " that does not fit its kind");
        };
        struct restore {
            store::answer_row const& row;
            std::function<void()> fail;
            void operator()(likert&) const { fail(); }
            void operator()(board&) const { fail(); }
            void operator()(choice& c) const {
                choice_entry entry{{}, row.comment, row.at};
                for (auto const& id : split_ids(row.body)) {
                    auto i = c.option_index(id);
                    if (!i) {
                        fail();
                    }
                    entry.picks.push_back(*i);
                }
                if (entry.picks.empty()) {
                    fail();
                }
                c.answers[row.participant] = std::move(entry);
            }
            void operator()(ranking& k) const {
                ranking_entry entry{{}, row.at};
                std::vector<bool> seen(k.spec.items.size(), false);
                for (auto const& id : split_ids(row.body)) {
                    std::size_t i = 0;
                    while (i < k.spec.items.size() && k.spec.items[i].id != id) {
                        ++i;
                    }
                    if (i == k.spec.items.size() || seen[i]) {
                        fail();
                    }
                    seen[i] = true;
                    entry.order.push_back(i);
                }
                if (entry.order.size() != k.spec.items.size()) {
                    fail();
                }
                k.answers[row.participant] = std::move(entry);
            }
            void operator()(open_text& o) const {
                if (row.id.empty() || row.body.empty()) {
                    fail();
                }
                o.by_id[row.id] = row.participant;
                o.answers[row.participant] =
                    open_text_entry{row.id, row.body, row.at, row.shown_at, row.hidden};
            }
        };
        std::visit(restore{row, misfit}, a->body);
    }
}

} // namespace cylch::domain
