// Choice questions: the workshop's rules for picks (participants and kiosks), and their
// summaries with Wilson intervals by group and channel. Part of the workshop state machine
// (workshop.hpp).
#include "server/domain/workshop.hpp"

#include <algorithm>

namespace cylch::domain {
namespace {

using protocol::error_code;

constexpr std::string_view not_a_choice = "this activity is not a choice: choose only options";

std::string joined_ids(std::vector<protocol::option_spec> const& options,
                       std::vector<std::size_t> const& indices) {
    std::string out;
    for (auto i : indices) {
        if (!out.empty()) {
            out += ' ';
        }
        out += options[i].id;
    }
    return out;
}

// Tallies for one set of respondents (all, a group, a channel).
struct choice_tally {
    int n = 0;
    std::vector<int> counts;
    void add(std::vector<std::size_t> const& picks) {
        ++n;
        for (auto i : picks) {
            ++counts[i];
        }
    }
};

} // namespace

std::optional<std::size_t> choice::option_index(std::string_view id) const {
    for (std::size_t i = 0; i < spec.options.size(); ++i) {
        if (spec.options[i].id == id) {
            return i;
        }
    }
    return std::nullopt;
}

std::variant<effects, std::vector<std::size_t>>
workshop::picks_of(choice const& c, protocol::choose const& m) const {
    if (m.options.size() > static_cast<std::size_t>(c.spec.max)) {
        return refusal(error_code::bad_request,
                       c.spec.max == 1
                           ? "choose one option"
                           : "choose at most " + std::to_string(c.spec.max) + " options",
                       m.op);
    }
    if (m.comment && !c.spec.comment) {
        return refusal(error_code::bad_request, "this question does not ask for a comment", m.op);
    }
    std::vector<bool> chosen(c.spec.options.size(), false);
    for (auto const& id : m.options) {
        auto i = c.option_index(id);
        if (!i) {
            return refusal(error_code::bad_request,
                           "there is no option \"" + id + "\" in this question", m.op);
        }
        if (chosen[*i]) {
            return refusal(error_code::bad_request, "option \"" + id + "\" is chosen twice", m.op);
        }
        chosen[*i] = true;
    }
    std::vector<std::size_t> picks;
    for (std::size_t i = 0; i < chosen.size(); ++i) {
        if (chosen[i]) {
            picks.push_back(i);
        }
    }
    return picks;
}

store::answer_saved workshop::choice_record(activity const& a, std::string const& participant,
                                            choice_entry const& entry) const {
    auto const& c = std::get<choice>(a.body);
    return store::answer_saved{
        id_,           a.id, participant, {},      joined_ids(c.spec.options, entry.picks),
        entry.comment, 0,    false,       entry.at};
}

effects workshop::on_choose(participant& p, protocol::choose const& m, time_ms now) {
    auto found = answerable<choice>(p, m.activity, m.op, not_a_choice);
    if (auto* refused = std::get_if<effects>(&found)) {
        return std::move(*refused);
    }
    auto [a, c] = std::get<1>(found);
    auto picked = picks_of(*c, m);
    if (auto* refused = std::get_if<effects>(&picked)) {
        return std::move(*refused);
    }
    auto& picks = std::get<1>(picked);
    effects e;
    auto& entry = c->answers[p.id];
    if (entry.at != 0 && entry.picks == picks && entry.comment == m.comment) {
        return e; // the same answer again
    }
    entry = choice_entry{std::move(picks), m.comment, now};
    e.to_persist.push_back(choice_record(*a, p.id, entry));
    e.summary_dirty = true;
    e.changed_activity = a->id;
    return e;
}

// A kiosk press on a single-answer choice: a new anonymous respondent, as a kiosk vote.
effects workshop::on_kiosk_choose(actor const& kiosk, protocol::choose const& m, time_ms now,
                                  std::string const& fresh_id) {
    auto found = activity_of_kind<choice>(m.activity, m.op, not_a_choice);
    if (auto* refused = std::get_if<effects>(&found)) {
        return std::move(*refused);
    }
    auto [a, c] = std::get<1>(found);
    if (c->spec.max != 1 || m.options.size() != 1 || m.comment) {
        return refusal(error_code::bad_request, "a kiosk answers single choices with one option",
                       m.op);
    }
    auto picked = picks_of(*c, m);
    if (auto* refused = std::get_if<effects>(&picked)) {
        return std::move(*refused);
    }
    if (auto refused = refuse_closed(*a, m.op)) {
        if (!late_press_counts(*a, kiosk, m.pressed_at, now)) {
            refused->error->message = "This press was not made while the activity was open.";
            return std::move(*refused);
        }
    }
    effects e;
    auto found_who = kiosk_respondent(kiosk, m.pass, fresh_id, now, m.op, e);
    if (auto* refused_pass = std::get_if<effects>(&found_who)) {
        return std::move(*refused_pass);
    }
    auto const& who = *std::get<participant const*>(found_who);
    auto& entry = c->answers[who.id]; // a pass that went back replaces its answer
    entry = choice_entry{std::move(std::get<1>(picked)), std::nullopt, now};
    e.to_persist.push_back(choice_record(*a, who.id, entry));
    e.summary_dirty = true;
    e.changed_activity = a->id;
    return e;
}

protocol::choice_results workshop::choice_summary(choice const& c, bool breakdowns) const {
    auto const options = c.spec.options.size();
    choice_tally all{0, std::vector<int>(options, 0)};
    std::vector<choice_tally> groups(spec_.groups.size(), all);
    std::array<choice_tally, 2> channels{all, all};
    for (auto const& [pid, entry] : c.answers) {
        all.add(entry.picks);
        if (!breakdowns) {
            continue;
        }
        if (auto const* p = find_participant(pid)) {
            if (auto g = group_index(p->group)) {
                groups[*g].add(entry.picks);
            }
            channels[static_cast<std::size_t>(p->channel)].add(entry.picks);
        }
    }
    protocol::choice_results r;
    for (auto const& o : c.spec.options) {
        r.options.push_back(o.id);
    }
    r.overall = stats::summarise_choice(all.n, std::move(all.counts));
    if (breakdowns) {
        for (std::size_t g = 0; g < groups.size(); ++g) {
            r.by_group.emplace_back(spec_.groups[g].id,
                                    stats::summarise_choice(groups[g].n, groups[g].counts));
        }
        for (auto ch : {protocol::channel::web, protocol::channel::kiosk}) {
            auto& t = channels[static_cast<std::size_t>(ch)];
            r.by_channel.emplace_back(std::string(protocol::to_string(ch)),
                                      stats::summarise_choice(t.n, t.counts));
        }
    }
    return r;
}

std::vector<protocol::comment_view> workshop::choice_comments(choice const& c) const {
    std::vector<protocol::comment_view> out;
    for (auto const& [pid, entry] : c.answers) {
        if (!entry.comment) {
            continue;
        }
        std::vector<std::string> ids;
        for (auto i : entry.picks) {
            ids.push_back(c.spec.options[i].id);
        }
        auto const* p = find_participant(pid);
        out.push_back({*entry.comment, p ? p->group : std::nullopt, std::move(ids), entry.at});
    }
    std::sort(out.begin(), out.end(), [](auto const& x, auto const& y) { return x.at < y.at; });
    return out;
}

} // namespace cylch::domain
