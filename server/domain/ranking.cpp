// Ranking questions: the workshop's rules for orders, and their summaries (mean rank, Borda
// score, distribution of ranks) by group. Part of the workshop state machine (workshop.hpp).
#include "server/domain/workshop.hpp"

namespace cylch::domain {
namespace {

using protocol::error_code;

constexpr std::string_view not_a_ranking = "this activity is not a ranking: rank only items";

// rank_counts[item][rank - 1] for one set of respondents.
struct rank_tally {
    int n = 0;
    std::vector<std::vector<int>> counts;
    void add(std::vector<std::size_t> const& order) {
        ++n;
        for (std::size_t r = 0; r < order.size(); ++r) {
            ++counts[order[r]][r];
        }
    }
};

} // namespace

effects workshop::on_rank(participant& p, protocol::rank const& m, time_ms now) {
    auto found = answerable<ranking>(p, m.activity, m.op, not_a_ranking);
    if (auto* refused = std::get_if<effects>(&found)) {
        return std::move(*refused);
    }
    auto [a, k] = std::get<1>(found);
    auto const& items = k->spec.items;
    // Every item exactly once: a partial ranking is refused (docs/protocol.md says why).
    if (m.order.size() != items.size()) {
        return refusal(error_code::bad_request,
                       "put all " + std::to_string(items.size()) + " items in order", m.op);
    }
    std::vector<std::size_t> order;
    std::vector<bool> seen(items.size(), false);
    for (auto const& id : m.order) {
        std::size_t i = 0;
        while (i < items.size() && items[i].id != id) {
            ++i;
        }
        if (i == items.size()) {
            return refusal(error_code::bad_request,
                           "there is no item \"" + id + "\" in this ranking", m.op);
        }
        if (seen[i]) {
            return refusal(error_code::bad_request, "item \"" + id + "\" is ranked twice", m.op);
        }
        seen[i] = true;
        order.push_back(i);
    }
    effects e;
    auto& entry = k->answers[p.id];
    if (entry.at != 0 && entry.order == order) {
        return e; // the same order again
    }
    entry = ranking_entry{std::move(order), now};
    std::string body;
    for (auto const& id : m.order) {
        body += body.empty() ? "" : " ";
        body += id;
    }
    e.to_persist.push_back(
        store::answer_saved{id_, a->id, p.id, {}, std::move(body), std::nullopt, 0, false, now});
    e.summary_dirty = true;
    e.changed_activity = a->id;
    return e;
}

protocol::ranking_results workshop::ranking_summary(ranking const& k, bool breakdowns) const {
    auto const size = k.spec.items.size();
    rank_tally all{0, std::vector<std::vector<int>>(size, std::vector<int>(size, 0))};
    std::vector<rank_tally> groups(spec_.groups.size(), all);
    for (auto const& [pid, entry] : k.answers) {
        all.add(entry.order);
        if (breakdowns) {
            auto const* p = find_participant(pid);
            if (auto g = p ? group_index(p->group) : std::nullopt) {
                groups[*g].add(entry.order);
            }
        }
    }
    protocol::ranking_results r;
    for (auto const& item : k.spec.items) {
        r.items.push_back(item.id);
    }
    r.overall = stats::summarise_ranking(all.n, std::move(all.counts));
    if (breakdowns) {
        for (std::size_t g = 0; g < groups.size(); ++g) {
            r.by_group.emplace_back(spec_.groups[g].id,
                                    stats::summarise_ranking(groups[g].n, groups[g].counts));
        }
    }
    return r;
}

} // namespace cylch::domain
