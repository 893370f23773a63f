// Statistics of choice and ranking answers: pure functions over tallies.
//
// Thread-safety: none needed; every function is pure.
#pragma once

#include "shared/stats/likert.hpp"

#include <optional>
#include <vector>

namespace cylch::stats {

// A choice question's answers: `n` respondents, counts[i] chose option i (a respondent may
// choose several options, so the counts may sum past n).
struct choice_summary {
    int n = 0;
    std::vector<int> counts;
    std::vector<std::optional<double>> shares; // counts[i] / n; empty when n == 0
    std::vector<std::optional<interval>> ci95; // Wilson score interval of each share
};

// Counts must not be negative nor exceed n (asserted).
choice_summary summarise_choice(int n, std::vector<int> counts);

// A ranking question's answers: `n` respondents ordered the same k items;
// rank_counts[i][r] respondents put item i at rank r + 1 (rank 1 is first).
struct ranking_summary {
    int n = 0;
    std::vector<std::vector<int>> rank_counts;    // k × k
    std::vector<std::optional<double>> mean_rank; // per item, 1..k; empty when n == 0
    std::vector<int> borda;                       // per item: Σ (k − rank) over respondents
};

// rank_counts must be square (k × k) with every row summing to n (asserted).
ranking_summary summarise_ranking(int n, std::vector<std::vector<int>> rank_counts);

} // namespace cylch::stats
