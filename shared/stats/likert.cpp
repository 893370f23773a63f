#include "shared/stats/likert.hpp"

#include <algorithm>
#include <cassert>
#include <climits>
#include <cmath>
#include <cstddef>

namespace cylch::stats {

namespace {

// Number of answers; asserts every count is non-negative and the total fits an int.
int total_answers(std::span<int const> counts) {
    long long total = 0;
    for (int const c : counts) {
        assert(c >= 0 && "negative Likert count");
        total += c;
    }
    assert(total <= INT_MAX && "too many Likert answers");
    return static_cast<int>(total);
}

// Sum of the category numbers of all answers (category i+1 for counts[i]).
long long category_sum(std::span<int const> counts) {
    long long sum = 0;
    for (std::size_t i = 0; i < counts.size(); ++i) {
        sum += static_cast<long long>(i + 1) * counts[i];
    }
    return sum;
}

// x(rank): the category of the rank-th smallest answer, 1 <= rank <= n.
int category_at(std::span<int const> counts, long long rank) {
    assert(rank >= 1);
    long long seen = 0;
    for (std::size_t i = 0; i < counts.size(); ++i) {
        seen += counts[i];
        if (seen >= rank) {
            return static_cast<int>(i + 1);
        }
    }
    assert(false && "rank beyond the number of answers");
    return static_cast<int>(counts.size());
}

// ceil(x) for x >= 0, treating values within rounding noise of an integer as that integer
// (n * p for p = 0.1 * 3 and n = 10 is 3.0000000000000004 and must give 3).
long long robust_ceil(double x) {
    double const nearest = std::round(x);
    double const tolerance = 1e-9 * std::max(1.0, std::abs(x));
    if (std::abs(x - nearest) <= tolerance) {
        return static_cast<long long>(nearest);
    }
    return static_cast<long long>(std::ceil(x));
}

// Answers in the categories [first, last) (0-based indices into counts).
int answers_in(std::span<int const> counts, std::size_t first, std::size_t last) {
    int sum = 0;
    for (std::size_t i = first; i < last; ++i) {
        sum += counts[i];
    }
    return sum;
}

} // namespace

int agree_boxes(int points) {
    assert(points >= 2 && "a Likert scale has at least two points");
    return points / 2;
}

std::optional<int> quantile_category(std::span<int const> counts, double p) {
    assert(p >= 0.0 && p <= 1.0 && "quantile probability outside 0..1");
    int const n = total_answers(counts);
    if (n == 0) {
        return std::nullopt;
    }
    // p == 0 would name x(0); the smallest answer is the natural reading.
    long long const rank = std::clamp(robust_ceil(n * p), 1LL, static_cast<long long>(n));
    return category_at(counts, rank);
}

std::optional<category_position> median_category(std::span<int const> counts) {
    int const n = total_answers(counts);
    if (n == 0) {
        return std::nullopt;
    }
    if (n % 2 == 1) {
        int const middle = category_at(counts, (n + 1) / 2);
        return category_position{middle, middle};
    }
    return category_position{category_at(counts, n / 2), category_at(counts, n / 2 + 1)};
}

std::optional<interval> wilson_interval(int k, int n, double z) {
    assert(n >= 0 && k >= 0 && k <= n && "successes must lie in 0..n");
    assert(z > 0.0);
    if (n == 0) {
        return std::nullopt;
    }
    double const nd = n;
    double const p = k / nd;
    double const z2 = z * z;
    double const denominator = 1.0 + z2 / nd;
    double const centre = (p + z2 / (2.0 * nd)) / denominator;
    double const half = z / denominator * std::sqrt(p * (1.0 - p) / nd + z2 / (4.0 * nd * nd));
    return interval{std::clamp(centre - half, 0.0, 1.0), std::clamp(centre + half, 0.0, 1.0)};
}

std::optional<double> consensus(std::span<int const> counts) {
    assert(counts.size() >= 2 && "a Likert scale has at least two points");
    int const n = total_answers(counts);
    if (n == 0) {
        return std::nullopt;
    }
    double const nd = n;
    double const mu = static_cast<double>(category_sum(counts)) / nd;
    double const width = static_cast<double>(counts.size() - 1);
    double sum = 0.0;
    for (std::size_t i = 0; i < counts.size(); ++i) {
        if (counts[i] == 0) {
            continue;
        }
        double const x = static_cast<double>(i + 1);
        // An occupied category is never a full width away from the mean, so the
        // argument is positive; the guard only absorbs rounding.
        double const closeness = std::max(1.0 - std::abs(x - mu) / width, 0.0);
        if (closeness == 0.0) {
            return 0.0;
        }
        sum += counts[i] / nd * std::log2(closeness);
    }
    return std::clamp(1.0 + sum, 0.0, 1.0);
}

likert_summary summarise(std::span<int const> counts) {
    assert(counts.size() >= 2 && "a Likert scale has at least two points");
    likert_summary s;
    s.points = static_cast<int>(counts.size());
    s.n = total_answers(counts);
    s.counts.assign(counts.begin(), counts.end());
    if (s.n == 0) {
        return s;
    }

    double const nd = s.n;
    auto const boxes = static_cast<std::size_t>(agree_boxes(s.points));
    int const agree = answers_in(counts, counts.size() - boxes, counts.size());
    int const disagree = answers_in(counts, 0, boxes);

    s.median = median_category(counts);
    s.q1 = quantile_category(counts, 0.25);
    s.q3 = quantile_category(counts, 0.75);
    s.mean = static_cast<double>(category_sum(counts)) / nd;
    s.agree_share = agree / nd;
    s.disagree_share = disagree / nd;
    s.net_agreement = (agree - disagree) / nd;
    s.agree_ci95 = wilson_interval(agree, s.n);
    s.consensus = consensus(counts);
    return s;
}

} // namespace cylch::stats
