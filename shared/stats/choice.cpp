#include "shared/stats/choice.hpp"

#include <cassert>
#include <numeric>

namespace cylch::stats {

choice_summary summarise_choice(int n, std::vector<int> counts) {
    choice_summary s;
    s.n = n;
    s.counts = std::move(counts);
    s.shares.reserve(s.counts.size());
    s.ci95.reserve(s.counts.size());
    for (int c : s.counts) {
        assert(c >= 0 && c <= n);
        s.shares.push_back(n > 0 ? std::optional(static_cast<double>(c) / n) : std::nullopt);
        s.ci95.push_back(wilson_interval(c, n));
    }
    return s;
}

ranking_summary summarise_ranking(int n, std::vector<std::vector<int>> rank_counts) {
    ranking_summary s;
    s.n = n;
    s.rank_counts = std::move(rank_counts);
    auto const k = static_cast<int>(s.rank_counts.size());
    for (auto const& ranks : s.rank_counts) {
        assert(static_cast<int>(ranks.size()) == k);
        assert(std::accumulate(ranks.begin(), ranks.end(), 0) == n);
        int rank_sum = 0;
        int points = 0;
        for (int r = 0; r < k; ++r) {
            rank_sum += ranks[static_cast<std::size_t>(r)] * (r + 1);
            points += ranks[static_cast<std::size_t>(r)] * (k - (r + 1));
        }
        s.mean_rank.push_back(n > 0 ? std::optional(static_cast<double>(rank_sum) / n)
                                    : std::nullopt);
        s.borda.push_back(points);
    }
    return s;
}

} // namespace cylch::stats
