// Statistics of agreement for Likert answers: pure functions over category counts.
//
// Thread-safety: none needed; every function is pure. Categories are numbered 1..points,
// counts[i] holds how many answers chose category i+1.
#pragma once

#include <optional>
#include <span>
#include <vector>

namespace cylch::stats {

// A position on the scale. When lower == upper it is one category; otherwise the value lies
// "between lower and upper" (an even split, e.g. the median of 2,2,4,4 is between 2 and 4).
struct category_position {
    int lower = 0;
    int upper = 0;
    bool is_split() const { return lower != upper; }
    friend bool operator==(category_position const&, category_position const&) = default;
};

struct interval {
    double low = 0;  // fraction 0..1
    double high = 0; // fraction 0..1
};

// Everything the summary frame and the exports report about one set of answers.
// Shares are fractions 0..1 (the protocol encoder turns them into percentages).
// Fields that mean nothing without answers are empty when n == 0.
struct likert_summary {
    int points = 0;
    int n = 0;
    std::vector<int> counts;                 // size == points
    std::optional<category_position> median; // even n with differing middle answers -> split
    std::optional<int> q1;                   // Q(0.25) = x(ceil(n * 0.25)) on the sorted answers
    std::optional<int> q3;                   // Q(0.75) = x(ceil(n * 0.75))
    std::optional<double> mean;
    std::optional<double> agree_share;    // top boxes: points / 2 categories (5 -> 2, 7 -> 3)
    std::optional<double> disagree_share; // bottom boxes, same number of categories
    std::optional<double> net_agreement;  // agree_share - disagree_share, in -1..1
    std::optional<interval> agree_ci95;   // Wilson score interval, z = 1.959964
    std::optional<double> consensus;      // Tastle-Wierman, 0..1
};

// Number of top (agree) and bottom (disagree) categories for a scale: points / 2.
int agree_boxes(int points);

// The whole summary of a set of counts. counts.size() is the number of points (>= 2);
// negative counts are a programming error (asserted).
likert_summary summarise(std::span<int const> counts);

// The building blocks, exposed for tests and other reports.
// Quantile as a category: x(ceil(n * p)) of the sorted answers; empty when n == 0.
// p must lie in 0..1; n * p within rounding noise of a whole number counts as that number,
// and p == 0 gives the smallest answer x(1).
std::optional<int> quantile_category(std::span<int const> counts, double p);
// Median of the sorted answers, with the even-n rule described at category_position.
std::optional<category_position> median_category(std::span<int const> counts);
// 95% Wilson score interval for k successes out of n; empty when n == 0.
std::optional<interval> wilson_interval(int k, int n, double z = 1.959963984540054);
// Tastle-Wierman consensus: 1 + sum p_i log2(1 - |X_i - mu| / d), d = points - 1.
// 1 when every answer is the same, 0 when answers split evenly between the two extremes.
std::optional<double> consensus(std::span<int const> counts);

} // namespace cylch::stats
