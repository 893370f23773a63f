// Open-text questions: the workshop's rules for written answers, and what the facilitator
// shows on the shared screens or hides. Part of the workshop state machine (workshop.hpp).
#include "server/domain/workshop.hpp"

#include <algorithm>
#include <stdexcept>

namespace cylch::domain {
namespace {

using protocol::error_code;

constexpr std::string_view not_open_text =
    "this activity is not an open question: send answers only to open questions";

// Code points of text the codec has checked to be valid UTF-8.
std::size_t code_points(std::string_view s) {
    return static_cast<std::size_t>(std::count_if(
        s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

} // namespace

store::answer_saved workshop::open_text_record(activity const& a, std::string const& participant,
                                               open_text_entry const& entry) const {
    return store::answer_saved{id_,          a.id,           participant,  entry.id, entry.text,
                               std::nullopt, entry.shown_at, entry.hidden, entry.at};
}

effects workshop::on_answer(participant& p, protocol::answer const& m, time_ms now,
                            std::string const& fresh_id) {
    auto found = answerable<open_text>(p, m.activity, m.op, not_open_text);
    if (auto* refused = std::get_if<effects>(&found)) {
        return std::move(*refused);
    }
    auto [a, o] = std::get<1>(found);
    if (code_points(m.text) > static_cast<std::size_t>(o->spec.max_length)) {
        return refusal(error_code::bad_request,
                       "the answer is longer than " + std::to_string(o->spec.max_length) +
                           " characters",
                       m.op);
    }
    effects e;
    auto it = o->answers.find(p.id);
    if (it == o->answers.end()) {
        if (fresh_id.empty() || o->by_id.contains(fresh_id)) {
            throw std::logic_error("a new answer needs a fresh id");
        }
        it = o->answers.emplace(p.id, open_text_entry{fresh_id, m.text, now, 0, false}).first;
        o->by_id.emplace(fresh_id, p.id);
    } else if (it->second.text == m.text) {
        return e; // the same answer again
    } else {
        // An edited answer leaves the shared screens until the facilitator shows it again:
        // what the room sees is always what the facilitator chose.
        it->second.text = m.text;
        it->second.at = now;
        it->second.shown_at = 0;
    }
    e.to_persist.push_back(open_text_record(*a, p.id, it->second));
    e.summary_dirty = true;
    e.changed_activity = a->id;
    return e;
}

namespace {

// The activity and entry of an answer id, for the facilitator's requests.
struct answer_place {
    activity* a = nullptr;
    open_text* o = nullptr;
    std::string const* participant = nullptr;
    open_text_entry* entry = nullptr;
};

answer_place find_answer(std::vector<activity>& activities, std::string const& id) {
    for (auto& a : activities) {
        if (auto* o = a.as<open_text>()) {
            if (auto it = o->by_id.find(id); it != o->by_id.end()) {
                return {&a, o, &it->second, &o->answers.at(it->second)};
            }
        }
    }
    return {};
}

} // namespace

effects workshop::on_answer_show(protocol::answer_show const& m, time_ms now) {
    auto at = find_answer(activities_, m.answer);
    if (at.entry == nullptr) {
        return refusal(error_code::not_found, "there is no answer \"" + m.answer + "\"", m.op);
    }
    effects e;
    auto& entry = *at.entry;
    if (m.shown == (entry.shown_at != 0)) {
        return e; // already so
    }
    if (m.shown) {
        if (entry.hidden) {
            return refusal(error_code::not_allowed, "a hidden answer cannot be shown; unhide it",
                           m.op);
        }
        auto const shown = std::count_if(at.o->answers.begin(), at.o->answers.end(),
                                         [](auto const& kv) { return kv.second.shown_at != 0; });
        if (static_cast<std::size_t>(shown) >= max_shown_answers) {
            return refusal(error_code::not_allowed,
                           "at most " + std::to_string(max_shown_answers) +
                               " answers can be shown at once",
                           m.op);
        }
    }
    entry.shown_at = m.shown ? now : 0;
    e.to_persist.push_back(open_text_record(*at.a, *at.participant, entry));
    e.summary_dirty = true;
    e.changed_activity = at.a->id;
    return e;
}

effects workshop::on_answer_hide(protocol::answer_hide const& m, time_ms) {
    auto at = find_answer(activities_, m.answer);
    if (at.entry == nullptr) {
        return refusal(error_code::not_found, "there is no answer \"" + m.answer + "\"", m.op);
    }
    effects e;
    auto& entry = *at.entry;
    if (entry.hidden == m.hidden) {
        return e;
    }
    entry.hidden = m.hidden;
    entry.shown_at = 0; // hiding takes it off the screens; unhiding does not put it back
    e.to_persist.push_back(open_text_record(*at.a, *at.participant, entry));
    e.summary_dirty = true;
    e.changed_activity = at.a->id;
    return e;
}

protocol::open_text_results workshop::open_text_summary(open_text const& o,
                                                        bool private_texts) const {
    protocol::open_text_results r;
    r.n = static_cast<int>(o.answers.size());
    for (auto const& [pid, entry] : o.answers) {
        protocol::open_text_answer_view v{
            entry.id, entry.text, std::nullopt, entry.shown_at != 0, entry.hidden, entry.at};
        if (v.shown) {
            r.shown.push_back(v);
            r.shown.back().at = entry.shown_at;
        }
        if (private_texts) {
            auto const* p = find_participant(pid);
            v.group = p ? p->group : std::nullopt;
            r.answers.push_back(std::move(v));
        }
    }
    auto by_time = [](auto const& x, auto const& y) {
        return x.at != y.at ? x.at < y.at : x.id < y.id;
    };
    std::sort(r.shown.begin(), r.shown.end(), by_time);
    std::sort(r.answers.begin(), r.answers.end(), by_time);
    return r;
}

} // namespace cylch::domain
