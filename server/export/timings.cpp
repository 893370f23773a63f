#include "server/export/timings.hpp"

#include <algorithm>
#include <unordered_map>

namespace cylch::export_ {
namespace {

// The q-quantile of sorted values, interpolated between the two nearest ranks.
std::int64_t quantile(std::vector<std::int64_t> const& sorted, double q) {
    auto const pos = q * static_cast<double>(sorted.size() - 1);
    auto const lo = static_cast<std::size_t>(pos);
    auto const hi = std::min(lo + 1, sorted.size() - 1);
    auto const frac = pos - static_cast<double>(lo);
    return sorted[lo] +
           static_cast<std::int64_t>(frac * static_cast<double>(sorted[hi] - sorted[lo]) + 0.5);
}

// Calls `each(participant, time)` for every answer (or note) of the activity, at the time it
// was last given or changed.
template <class Each>
void each_answer(domain::activity const& a, Each each) {
    struct visit {
        Each& each;
        void operator()(domain::likert const& l) const {
            for (auto const& [pid, v] : l.votes) {
                each(pid, v.at);
            }
        }
        void operator()(domain::choice const& c) const {
            for (auto const& [pid, v] : c.answers) {
                each(pid, v.at);
            }
        }
        void operator()(domain::ranking const& k) const {
            for (auto const& [pid, v] : k.answers) {
                each(pid, v.at);
            }
        }
        void operator()(domain::open_text const& o) const {
            for (auto const& [pid, v] : o.answers) {
                each(pid, v.at);
            }
        }
        void operator()(domain::board const& b) const {
            for (auto const& n : b.notes) {
                each(n.author, n.created_at);
            }
        }
    };
    std::visit(visit{each}, a.body);
}

} // namespace

protocol::results_timings timings_of(domain::workshop const& ws) {
    protocol::results_timings out;
    struct span {
        std::int64_t first = 0;
        std::int64_t last = 0;
    };
    std::unordered_map<std::string, span> by_respondent;
    for (auto const& a : ws.activities()) {
        protocol::activity_timing t;
        t.activity = a.id;
        t.opened_at = a.opened_at;
        t.closed_at = a.closed_at;
        std::unordered_map<std::string, bool> who; // a board counts each author once
        each_answer(a, [&](std::string const& pid, std::int64_t at) {
            who.emplace(pid, true);
            t.first_answer_at = t.first_answer_at == 0 ? at : std::min(t.first_answer_at, at);
            t.last_answer_at = std::max(t.last_answer_at, at);
            auto [it, fresh] = by_respondent.try_emplace(pid, span{at, at});
            if (!fresh) {
                it->second.first = std::min(it->second.first, at);
                it->second.last = std::max(it->second.last, at);
            }
        });
        t.answers = static_cast<std::int64_t>(who.size());
        out.activities.push_back(std::move(t));
    }
    std::vector<std::int64_t> spans;
    spans.reserve(by_respondent.size());
    for (auto const& [pid, s] : by_respondent) {
        spans.push_back(s.last - s.first);
    }
    std::sort(spans.begin(), spans.end());
    out.respondents = static_cast<std::int64_t>(spans.size());
    if (!spans.empty()) {
        out.span_ms = protocol::results_timings::quartiles{
            quantile(spans, 0.5), quantile(spans, 0.25), quantile(spans, 0.75)};
    }
    return out;
}

} // namespace cylch::export_
