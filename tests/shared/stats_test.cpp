#include "shared/stats/likert.hpp"

#include <boost/test/unit_test.hpp>

#include <optional>
#include <ostream>
#include <vector>

// Expected values are worked out by hand in the comments. Constants used throughout:
//   z  = 1.959964,  z^2 = 3.841459
//   log2(0.5) = -1,  log2(0.75) = -0.415037,  log2(0.25) = -2
// Wilson: centre = (p + z^2/(2n)) / (1 + z^2/n)
//         half   = z / (1 + z^2/n) * sqrt(p(1-p)/n + z^2/(4n^2))
// For k = 0 the interval is [0, z^2/(n + z^2)]; for k = n it is [n/(n + z^2), 1].
// Tastle-Wierman: Cns = 1 + sum_i p_i log2(1 - |X_i - mu| / d), d = points - 1.

namespace cylch::stats {

// Lets BOOST_TEST print a category_position when a comparison fails.
inline std::ostream& boost_test_print_type(std::ostream& os, category_position const& c) {
    return os << '{' << c.lower << ", " << c.upper << '}';
}

} // namespace cylch::stats

namespace {

namespace tt = boost::test_tools;
using cylch::stats::category_position;
using cylch::stats::likert_summary;

// The value of an optional that the test expects to be present.
template <typename T>
T value(std::optional<T> const& o) {
    BOOST_TEST_REQUIRE(o.has_value());
    return *o;
}

category_position at(int category) {
    return {category, category};
}
category_position between(int lower, int upper) {
    return {lower, upper};
}

bool all_optionals_empty(likert_summary const& s) {
    return !s.median && !s.q1 && !s.q3 && !s.mean && !s.agree_share && !s.disagree_share &&
           !s.net_agreement && !s.agree_ci95 && !s.consensus;
}

} // namespace

BOOST_AUTO_TEST_SUITE(stats_likert)

BOOST_AUTO_TEST_CASE(agree_boxes_are_half_the_points) {
    // points / 2 with integer division.
    BOOST_TEST(cylch::stats::agree_boxes(2) == 1);
    BOOST_TEST(cylch::stats::agree_boxes(4) == 2);
    BOOST_TEST(cylch::stats::agree_boxes(5) == 2);
    BOOST_TEST(cylch::stats::agree_boxes(7) == 3);
    BOOST_TEST(cylch::stats::agree_boxes(10) == 5);
}

BOOST_AUTO_TEST_CASE(no_answers_leaves_every_optional_empty) {
    std::vector<int> const counts{0, 0, 0, 0, 0};
    auto const s = cylch::stats::summarise(counts);
    BOOST_TEST(s.points == 5);
    BOOST_TEST(s.n == 0);
    BOOST_TEST(s.counts == counts, tt::per_element());
    BOOST_TEST(all_optionals_empty(s));

    BOOST_TEST(!cylch::stats::median_category(counts));
    BOOST_TEST(!cylch::stats::quantile_category(counts, 0.5));
    BOOST_TEST(!cylch::stats::consensus(counts));
    BOOST_TEST(!cylch::stats::wilson_interval(0, 0));
}

BOOST_AUTO_TEST_CASE(single_answer) {
    // One answer "3" on a 5-point scale: x(1) = 3.
    auto const s = cylch::stats::summarise(std::vector<int>{0, 0, 1, 0, 0});
    BOOST_TEST(s.n == 1);
    // n odd: median x((1+1)/2) = x(1) = 3.
    BOOST_TEST(value(s.median) == at(3));
    // q1 = x(ceil(0.25)) = x(1) = 3; q3 = x(ceil(0.75)) = x(1) = 3.
    BOOST_TEST(value(s.q1) == 3);
    BOOST_TEST(value(s.q3) == 3);
    BOOST_TEST(value(s.mean) == 3.0, tt::tolerance(1e-3));
    // Agree boxes 4,5 and disagree boxes 1,2 are empty: 0/1 each, net 0.
    BOOST_TEST(value(s.agree_share) == 0.0);
    BOOST_TEST(value(s.disagree_share) == 0.0);
    BOOST_TEST(value(s.net_agreement) == 0.0);
    // Wilson k = 0, n = 1: centre = (0 + 3.841459/2) / 4.841459 = 1.920729 / 4.841459 = 0.396725,
    // half = 1.959964/4.841459 * sqrt(0 + 3.841459/4) = 0.404829 * 0.979982 = 0.396725,
    // so [0, 0.793451] (= z^2/(1 + z^2) = 3.841459/4.841459).
    auto const ci = value(s.agree_ci95);
    BOOST_CHECK_SMALL(ci.low, 1e-9);
    BOOST_TEST(ci.high == 0.793451, tt::tolerance(1e-3));
    // All answers equal: mu = 3, the only term is 1 * log2(1 - 0/4) = 0, Cns = 1.
    BOOST_TEST(value(s.consensus) == 1.0, tt::tolerance(1e-3));
}

BOOST_AUTO_TEST_CASE(all_answers_equal) {
    // Seven answers, all "4": sorted 4,4,4,4,4,4,4.
    auto const s = cylch::stats::summarise(std::vector<int>{0, 0, 0, 7, 0});
    BOOST_TEST(s.n == 7);
    // median x(4) = 4; q1 = x(ceil(1.75)) = x(2) = 4; q3 = x(ceil(5.25)) = x(6) = 4.
    BOOST_TEST(value(s.median) == at(4));
    BOOST_TEST(value(s.q1) == 4);
    BOOST_TEST(value(s.q3) == 4);
    BOOST_TEST(value(s.mean) == 4.0, tt::tolerance(1e-3));
    // Agree = categories 4,5 = 7/7 = 1; disagree = categories 1,2 = 0; net = 1.
    BOOST_TEST(value(s.agree_share) == 1.0, tt::tolerance(1e-3));
    BOOST_TEST(value(s.disagree_share) == 0.0);
    BOOST_TEST(value(s.net_agreement) == 1.0, tt::tolerance(1e-3));
    // Wilson k = n = 7: z^2/n = 0.548780, centre = (1 + 0.274390) / 1.548780 = 0.822835,
    // half = 1.959964/1.548780 * sqrt(0 + 3.841459/196) = 1.265489 * 0.139997 = 0.177165,
    // low = 0.822835 - 0.177165 = 0.645670 (= 7/(7 + 3.841459) = 7/10.841459), high = 1.
    auto const ci = value(s.agree_ci95);
    BOOST_TEST(ci.low == 0.645670, tt::tolerance(1e-3));
    BOOST_TEST(ci.high == 1.0, tt::tolerance(1e-3));
    // Cns = 1 + 1 * log2(1 - 0/4) = 1.
    BOOST_TEST(value(s.consensus) == 1.0, tt::tolerance(1e-3));
}

BOOST_AUTO_TEST_CASE(uniform_over_five_points) {
    // Two answers per category: sorted 1,1,2,2,3,3,4,4,5,5 (n = 10).
    auto const s = cylch::stats::summarise(std::vector<int>{2, 2, 2, 2, 2});
    BOOST_TEST(s.n == 10);
    // n even: x(5) = 3, x(6) = 3 -> 3.
    BOOST_TEST(value(s.median) == at(3));
    // q1 = x(ceil(2.5)) = x(3) = 2; q3 = x(ceil(7.5)) = x(8) = 4.
    BOOST_TEST(value(s.q1) == 2);
    BOOST_TEST(value(s.q3) == 4);
    // mean = 2 * (1+2+3+4+5) / 10 = 30/10 = 3.
    BOOST_TEST(value(s.mean) == 3.0, tt::tolerance(1e-3));
    // agree = (2+2)/10 = 0.4, disagree = (2+2)/10 = 0.4, net = 0.
    BOOST_TEST(value(s.agree_share) == 0.4, tt::tolerance(1e-3));
    BOOST_TEST(value(s.disagree_share) == 0.4, tt::tolerance(1e-3));
    BOOST_TEST(value(s.net_agreement) == 0.0);
    // Wilson k = 4, n = 10, p = 0.4: z^2/n = 0.384146,
    // centre = (0.4 + 0.192073) / 1.384146 = 0.592073 / 1.384146 = 0.427753,
    // half = 1.959964/1.384146 * sqrt(0.24/10 + 3.841459/400)
    //      = 1.416010 * sqrt(0.024 + 0.009604) = 1.416010 * 0.183313 = 0.259573,
    // so [0.168180, 0.687326].
    auto const ci = value(s.agree_ci95);
    BOOST_TEST(ci.low == 0.168180, tt::tolerance(1e-3));
    BOOST_TEST(ci.high == 0.687326, tt::tolerance(1e-3));
    // mu = 3, d = 4; each category has p = 0.2:
    //   X=1: log2(1 - 2/4) = -1        X=2: log2(1 - 1/4) = -0.415037   X=3: log2(1) = 0
    //   X=4: -0.415037                 X=5: -1
    // Cns = 1 + 0.2 * (-1 - 0.415037 + 0 - 0.415037 - 1) = 1 - 0.2 * 2.830075 = 0.433985.
    BOOST_TEST(value(s.consensus) == 0.433985, tt::tolerance(1e-3));
}

BOOST_AUTO_TEST_CASE(split_between_the_extremes) {
    // Three "1" and three "5": sorted 1,1,1,5,5,5 (n = 6).
    auto const s = cylch::stats::summarise(std::vector<int>{3, 0, 0, 0, 3});
    BOOST_TEST(s.n == 6);
    // x(3) = 1, x(4) = 5 differ -> between 1 and 5.
    BOOST_TEST(value(s.median) == between(1, 5));
    BOOST_TEST(value(s.median).is_split());
    // q1 = x(ceil(1.5)) = x(2) = 1; q3 = x(ceil(4.5)) = x(5) = 5.
    BOOST_TEST(value(s.q1) == 1);
    BOOST_TEST(value(s.q3) == 5);
    // mean = (3*1 + 3*5) / 6 = 18/6 = 3.
    BOOST_TEST(value(s.mean) == 3.0, tt::tolerance(1e-3));
    // agree = 3/6 = 0.5, disagree = 3/6 = 0.5, net = 0.
    BOOST_TEST(value(s.agree_share) == 0.5, tt::tolerance(1e-3));
    BOOST_TEST(value(s.disagree_share) == 0.5, tt::tolerance(1e-3));
    BOOST_TEST(value(s.net_agreement) == 0.0);
    // Wilson k = 3, n = 6, p = 0.5: the centre stays at 0.5 because
    // (0.5 + z^2/12) / (1 + z^2/6) = 0.5 * (1 + z^2/6) / (1 + z^2/6).
    // half = 1.959964/1.640243 * sqrt(0.25/6 + 3.841459/144)
    //      = 1.194923 * sqrt(0.041667 + 0.026677) = 1.194923 * 0.261426 = 0.312384,
    // so [0.187616, 0.812384].
    auto const ci = value(s.agree_ci95);
    BOOST_TEST(ci.low == 0.187616, tt::tolerance(1e-3));
    BOOST_TEST(ci.high == 0.812384, tt::tolerance(1e-3));
    // mu = 3, d = 4: Cns = 1 + 0.5 * log2(1 - 2/4) + 0.5 * log2(1 - 2/4) = 1 - 0.5 - 0.5 = 0.
    BOOST_CHECK_SMALL(value(s.consensus), 1e-9);
}

BOOST_AUTO_TEST_CASE(even_n_with_split_median) {
    // The header's example 2,2,4,4 (n = 4).
    auto const s = cylch::stats::summarise(std::vector<int>{0, 2, 0, 2, 0});
    // x(2) = 2, x(3) = 4 -> between 2 and 4.
    BOOST_TEST(value(s.median) == between(2, 4));
    // q1 = x(ceil(1)) = x(1) = 2; q3 = x(ceil(3)) = x(3) = 4.
    BOOST_TEST(value(s.q1) == 2);
    BOOST_TEST(value(s.q3) == 4);
    // mean = (2+2+4+4)/4 = 3.
    BOOST_TEST(value(s.mean) == 3.0, tt::tolerance(1e-3));
    // Category 2 is a disagree box, 4 an agree box: 2/4 each, net 0.
    BOOST_TEST(value(s.agree_share) == 0.5, tt::tolerance(1e-3));
    BOOST_TEST(value(s.disagree_share) == 0.5, tt::tolerance(1e-3));
    BOOST_TEST(value(s.net_agreement) == 0.0);
    // mu = 3, d = 4: Cns = 1 + 0.5 * log2(0.75) + 0.5 * log2(0.75) = 1 - 0.415037 = 0.584963.
    BOOST_TEST(value(s.consensus) == 0.584963, tt::tolerance(1e-3));
}

BOOST_AUTO_TEST_CASE(even_n_with_equal_middle_pair) {
    // Sorted 1,3,3,4 (n = 4); also the n = 4 quartiles, where n * p is a whole number.
    auto const s = cylch::stats::summarise(std::vector<int>{1, 0, 2, 1, 0});
    // x(2) = 3, x(3) = 3 -> 3, not a split.
    BOOST_TEST(value(s.median) == at(3));
    BOOST_TEST(!value(s.median).is_split());
    // q1 = x(ceil(4 * 0.25)) = x(1) = 1 (x(2) would be 3);
    // q3 = x(ceil(4 * 0.75)) = x(3) = 3 (x(4) would be 4).
    BOOST_TEST(value(s.q1) == 1);
    BOOST_TEST(value(s.q3) == 3);
    // mean = (1+3+3+4)/4 = 11/4 = 2.75.
    BOOST_TEST(value(s.mean) == 2.75, tt::tolerance(1e-3));
    // agree = category 4 -> 1/4; disagree = category 1 -> 1/4; net 0.
    BOOST_TEST(value(s.agree_share) == 0.25, tt::tolerance(1e-3));
    BOOST_TEST(value(s.disagree_share) == 0.25, tt::tolerance(1e-3));
    BOOST_TEST(value(s.net_agreement) == 0.0);
    // mu = 2.75, d = 4:
    //   X=1, p=1/4: 1 - 1.75/4 = 9/16,  log2(9/16) = 2*1.584963 - 4 = -0.830075
    //   X=3, p=2/4: 1 - 0.25/4 = 15/16, log2(15/16) = 3.906891 - 4 = -0.093109
    //   X=4, p=1/4: 1 - 1.25/4 = 11/16, log2(11/16) = 3.459432 - 4 = -0.540568
    // sum = -0.207519 - 0.046555 - 0.135142 = -0.389216, Cns = 0.610784.
    BOOST_TEST(value(s.consensus) == 0.610784, tt::tolerance(1e-3));
}

BOOST_AUTO_TEST_CASE(nine_answers) {
    // Sorted 2,3,4,4,4,4,5,5,5 (n = 9).
    auto const s = cylch::stats::summarise(std::vector<int>{0, 1, 1, 4, 3});
    BOOST_TEST(s.n == 9);
    // n odd: median x(5) = 4.
    BOOST_TEST(value(s.median) == at(4));
    // q1 = x(ceil(2.25)) = x(3) = 4; q3 = x(ceil(6.75)) = x(7) = 5.
    BOOST_TEST(value(s.q1) == 4);
    BOOST_TEST(value(s.q3) == 5);
    // mean = (2 + 3 + 4*4 + 3*5) / 9 = 36/9 = 4.
    BOOST_TEST(value(s.mean) == 4.0, tt::tolerance(1e-3));
    // agree = (4+3)/9 = 0.777778; disagree = 1/9 = 0.111111; net = 6/9 = 0.666667.
    BOOST_TEST(value(s.agree_share) == 0.777778, tt::tolerance(1e-3));
    BOOST_TEST(value(s.disagree_share) == 0.111111, tt::tolerance(1e-3));
    BOOST_TEST(value(s.net_agreement) == 0.666667, tt::tolerance(1e-3));
    // Wilson k = 7, n = 9, p = 0.777778: z^2/n = 0.426829,
    // centre = (0.777778 + 0.213415) / 1.426829 = 0.991192 / 1.426829 = 0.694682,
    // half = 1.959964/1.426829 * sqrt(0.777778*0.222222/9 + 3.841459/324)
    //      = 1.373650 * sqrt(0.019204 + 0.011856) = 1.373650 * 0.176241 = 0.242093,
    // so [0.452589, 0.936775].
    auto const ci = value(s.agree_ci95);
    BOOST_TEST(ci.low == 0.452589, tt::tolerance(1e-3));
    BOOST_TEST(ci.high == 0.936775, tt::tolerance(1e-3));
    // mu = 4, d = 4:
    //   X=2, p=1/9: log2(1 - 2/4) = -1
    //   X=3, p=1/9: log2(1 - 1/4) = -0.415037
    //   X=4, p=4/9: log2(1) = 0
    //   X=5, p=3/9: log2(1 - 1/4) = -0.415037
    // sum = -1/9 - (4/9) * 0.415037 = -0.111111 - 0.184461 = -0.295572, Cns = 0.704428.
    BOOST_TEST(value(s.consensus) == 0.704428, tt::tolerance(1e-3));
}

BOOST_AUTO_TEST_CASE(ten_answers) {
    // Sorted 1,2,3,3,4,4,4,5,5,5 (n = 10).
    auto const s = cylch::stats::summarise(std::vector<int>{1, 1, 2, 3, 3});
    BOOST_TEST(s.n == 10);
    // x(5) = 4, x(6) = 4 -> 4.
    BOOST_TEST(value(s.median) == at(4));
    // q1 = x(ceil(2.5)) = x(3) = 3; q3 = x(ceil(7.5)) = x(8) = 5.
    BOOST_TEST(value(s.q1) == 3);
    BOOST_TEST(value(s.q3) == 5);
    // mean = (1 + 2 + 2*3 + 3*4 + 3*5) / 10 = 36/10 = 3.6.
    BOOST_TEST(value(s.mean) == 3.6, tt::tolerance(1e-3));
    // agree = (3+3)/10 = 0.6; disagree = (1+1)/10 = 0.2; net = 0.4.
    BOOST_TEST(value(s.agree_share) == 0.6, tt::tolerance(1e-3));
    BOOST_TEST(value(s.disagree_share) == 0.2, tt::tolerance(1e-3));
    BOOST_TEST(value(s.net_agreement) == 0.4, tt::tolerance(1e-3));
    // Wilson k = 6, n = 10, p = 0.6: centre = (0.6 + 0.192073) / 1.384146 = 0.572247,
    // half = 1.416010 * sqrt(0.24/10 + 0.009604) = 1.416010 * 0.183313 = 0.259573,
    // so [0.312674, 0.831820] (the mirror image of 4/10).
    auto const ci = value(s.agree_ci95);
    BOOST_TEST(ci.low == 0.312674, tt::tolerance(1e-3));
    BOOST_TEST(ci.high == 0.831820, tt::tolerance(1e-3));
    // mu = 3.6, d = 4:
    //   X=1, p=0.1: log2(1 - 2.6/4) = log2(0.35) = -1.514573 -> -0.151457
    //   X=2, p=0.1: log2(1 - 1.6/4) = log2(0.60) = -0.736966 -> -0.073697
    //   X=3, p=0.2: log2(1 - 0.6/4) = log2(0.85) = -0.234465 -> -0.046893
    //   X=4, p=0.3: log2(1 - 0.4/4) = log2(0.90) = -0.152003 -> -0.045601
    //   X=5, p=0.3: log2(1 - 1.4/4) = log2(0.65) = -0.621488 -> -0.186446
    // sum = -0.504094, Cns = 0.495906.
    BOOST_TEST(value(s.consensus) == 0.495906, tt::tolerance(1e-3));
}

BOOST_AUTO_TEST_CASE(protocol_example_fourteen_answers) {
    // Counts [0,1,2,6,5]: sorted 2,3,3,4,4,4,4,4,4,5,5,5,5,5 (n = 14).
    auto const s = cylch::stats::summarise(std::vector<int>{0, 1, 2, 6, 5});
    BOOST_TEST(s.points == 5);
    BOOST_TEST(s.n == 14);
    // x(7) = 4, x(8) = 4 -> 4.
    BOOST_TEST(value(s.median) == at(4));
    // q1 = x(ceil(3.5)) = x(4) = 4; q3 = x(ceil(10.5)) = x(11) = 5.
    BOOST_TEST(value(s.q1) == 4);
    BOOST_TEST(value(s.q3) == 5);
    // mean = (2 + 2*3 + 6*4 + 5*5) / 14 = 57/14 = 4.071429.
    BOOST_TEST(value(s.mean) == 4.071429, tt::tolerance(1e-3));
    // agree = (6+5)/14 = 0.785714; disagree = 1/14 = 0.071429; net = 10/14 = 0.714286.
    BOOST_TEST(value(s.agree_share) == 0.785714, tt::tolerance(1e-3));
    BOOST_TEST(value(s.disagree_share) == 0.071429, tt::tolerance(1e-3));
    BOOST_TEST(value(s.net_agreement) == 0.714286, tt::tolerance(1e-3));
    // Wilson k = 11, n = 14, p = 0.785714: z^2/n = 0.274390,
    // centre = (0.785714 + 0.137195) / 1.274390 = 0.922909 / 1.274390 = 0.724197,
    // half = 1.959964/1.274390 * sqrt(0.785714*0.214286/14 + 3.841459/784)
    //      = 1.537963 * sqrt(0.012026 + 0.004900) = 1.537963 * 0.130100 = 0.200089,
    // so [0.524108, 0.924286], the protocol's [52.4%, 92.4%].
    auto const ci = value(s.agree_ci95);
    BOOST_TEST(ci.low == 0.524108, tt::tolerance(1e-3));
    BOOST_TEST(ci.high == 0.924286, tt::tolerance(1e-3));
    // mu = 57/14, d = 4; |X - mu| / 4 over 14ths gives 56ths:
    //   X=2, p=1/14: 1 - 29/56 = 27/56 = 0.482143, log2 = -1.052467 -> -0.075176
    //   X=3, p=2/14: 1 - 15/56 = 41/56 = 0.732143, log2 = -0.449803 -> -0.064258
    //   X=4, p=6/14: 1 -  1/56 = 55/56 = 0.982143, log2 = -0.025995 -> -0.011141
    //   X=5, p=5/14: 1 - 13/56 = 43/56 = 0.767857, log2 = -0.381090 -> -0.136104
    // sum = -0.286679, Cns = 0.713321.
    BOOST_TEST(value(s.consensus) == 0.713321, tt::tolerance(1e-3));
}

BOOST_AUTO_TEST_CASE(seven_point_scale) {
    // Sorted 1,2,4,4,5,6,6,7,7,7 (n = 10) on a 7-point scale.
    auto const s = cylch::stats::summarise(std::vector<int>{1, 1, 0, 2, 1, 2, 3});
    BOOST_TEST(s.points == 7);
    BOOST_TEST(s.n == 10);
    // x(5) = 5, x(6) = 6 -> between 5 and 6.
    BOOST_TEST(value(s.median) == between(5, 6));
    // q1 = x(ceil(2.5)) = x(3) = 4; q3 = x(ceil(7.5)) = x(8) = 7.
    BOOST_TEST(value(s.q1) == 4);
    BOOST_TEST(value(s.q3) == 7);
    // mean = (1 + 2 + 2*4 + 5 + 2*6 + 3*7) / 10 = 49/10 = 4.9.
    BOOST_TEST(value(s.mean) == 4.9, tt::tolerance(1e-3));
    // Three boxes each side: agree = categories 5,6,7 = (1+2+3)/10 = 0.6;
    // disagree = categories 1,2,3 = (1+1+0)/10 = 0.2; net = 0.4.
    BOOST_TEST(value(s.agree_share) == 0.6, tt::tolerance(1e-3));
    BOOST_TEST(value(s.disagree_share) == 0.2, tt::tolerance(1e-3));
    BOOST_TEST(value(s.net_agreement) == 0.4, tt::tolerance(1e-3));
    // Wilson k = 6, n = 10: as in ten_answers, [0.312674, 0.831820].
    auto const ci = value(s.agree_ci95);
    BOOST_TEST(ci.low == 0.312674, tt::tolerance(1e-3));
    BOOST_TEST(ci.high == 0.831820, tt::tolerance(1e-3));
    // mu = 4.9, d = 6:
    //   X=1, p=0.1: log2(1 - 3.9/6) = log2(0.35)     = -1.514573 -> -0.151457
    //   X=2, p=0.1: log2(1 - 2.9/6) = log2(0.516667) = -0.952694 -> -0.095269
    //   X=4, p=0.2: log2(1 - 0.9/6) = log2(0.85)     = -0.234465 -> -0.046893
    //   X=5, p=0.1: log2(1 - 0.1/6) = log2(0.983333) = -0.024248 -> -0.002425
    //   X=6, p=0.2: log2(1 - 1.1/6) = log2(0.816667) = -0.292181 -> -0.058436
    //   X=7, p=0.3: log2(1 - 2.1/6) = log2(0.65)     = -0.621488 -> -0.186446
    // sum = -0.540927, Cns = 0.459073.
    BOOST_TEST(value(s.consensus) == 0.459073, tt::tolerance(1e-3));
}

BOOST_AUTO_TEST_CASE(two_point_scale) {
    // Sorted 1,1,1,2 (n = 4) on a 2-point scale: one box each side.
    auto const s = cylch::stats::summarise(std::vector<int>{3, 1});
    BOOST_TEST(s.points == 2);
    // x(2) = 1, x(3) = 1 -> 1; q1 = x(1) = 1; q3 = x(3) = 1.
    BOOST_TEST(value(s.median) == at(1));
    BOOST_TEST(value(s.q1) == 1);
    BOOST_TEST(value(s.q3) == 1);
    // mean = (3 + 2) / 4 = 1.25; agree = 1/4; disagree = 3/4; net = -0.5.
    BOOST_TEST(value(s.mean) == 1.25, tt::tolerance(1e-3));
    BOOST_TEST(value(s.agree_share) == 0.25, tt::tolerance(1e-3));
    BOOST_TEST(value(s.disagree_share) == 0.75, tt::tolerance(1e-3));
    BOOST_TEST(value(s.net_agreement) == -0.5, tt::tolerance(1e-3));
    // Wilson k = 1, n = 4, p = 0.25: z^2/n = 0.960365,
    // centre = (0.25 + 0.480182) / 1.960365 = 0.730182 / 1.960365 = 0.372473,
    // half = 1.959964/1.960365 * sqrt(0.1875/4 + 3.841459/64)
    //      = 0.999796 * sqrt(0.046875 + 0.060023) = 0.999796 * 0.326952 = 0.326885,
    // so [0.045588, 0.699358].
    auto const ci = value(s.agree_ci95);
    BOOST_TEST(ci.low == 0.045588, tt::tolerance(1e-3));
    BOOST_TEST(ci.high == 0.699358, tt::tolerance(1e-3));
    // mu = 1.25, d = 1: 0.75 * log2(1 - 0.25) + 0.25 * log2(1 - 0.75)
    //   = 0.75 * -0.415037 + 0.25 * -2 = -0.311278 - 0.5 = -0.811278,
    // Cns = 0.188722 (one minus the binary entropy of 1/4).
    BOOST_TEST(value(s.consensus) == 0.188722, tt::tolerance(1e-3));
}

BOOST_AUTO_TEST_CASE(quartiles_of_eight_answers) {
    // Sorted 1,1,2,2,3,3,4,4 (n = 8): n * p is a whole number for the quartiles.
    std::vector<int> const counts{2, 2, 2, 2, 0};
    auto const s = cylch::stats::summarise(counts);
    // q1 = x(ceil(8 * 0.25)) = x(2) = 1 (x(3) would be 2);
    // q3 = x(ceil(8 * 0.75)) = x(6) = 3 (x(7) would be 4).
    BOOST_TEST(value(s.q1) == 1);
    BOOST_TEST(value(s.q3) == 3);
    // x(4) = 2, x(5) = 3 -> between 2 and 3.
    BOOST_TEST(value(s.median) == between(2, 3));
    // Other ranks: x(ceil(1)) = x(1) = 1, x(ceil(3)) = x(3) = 2, x(ceil(4)) = x(4) = 2,
    // x(ceil(8)) = x(8) = 4, and p = 0 is read as the smallest answer x(1) = 1.
    BOOST_TEST(value(cylch::stats::quantile_category(counts, 0.125)) == 1);
    BOOST_TEST(value(cylch::stats::quantile_category(counts, 0.375)) == 2);
    BOOST_TEST(value(cylch::stats::quantile_category(counts, 0.5)) == 2);
    BOOST_TEST(value(cylch::stats::quantile_category(counts, 1.0)) == 4);
    BOOST_TEST(value(cylch::stats::quantile_category(counts, 0.0)) == 1);
}

BOOST_AUTO_TEST_CASE(quantile_ignores_rounding_noise) {
    // 0.1 * 3 is 0.30000000000000004 in binary; n = 10 gives 3.0000000000000004, meant as 3.
    // Sorted 1,1,1,2,2,2,2,2,2,2: x(3) = 1, whereas x(4) = 2.
    std::vector<int> const ten{3, 7};
    BOOST_TEST(value(cylch::stats::quantile_category(ten, 0.1 * 3)) == 1);
    // n = 100, p = 0.07: 100 * 0.07 is 7.000000000000001, meant as 7.
    // Seven "1" then 93 "2": x(7) = 1, whereas x(8) = 2.
    std::vector<int> const hundred{7, 93};
    BOOST_TEST(value(cylch::stats::quantile_category(hundred, 0.07)) == 1);
    // A real fraction still rounds up: ceil(100 * 0.071) = ceil(7.1) = 8 -> x(8) = 2.
    BOOST_TEST(value(cylch::stats::quantile_category(hundred, 0.071)) == 2);
}

BOOST_AUTO_TEST_CASE(median_of_few_answers) {
    // n = 1: x(1).
    BOOST_TEST(value(cylch::stats::median_category(std::vector<int>{0, 1, 0})) == at(2));
    // n = 2 at the extremes: x(1) = 1, x(2) = 3 -> between 1 and 3.
    BOOST_TEST(value(cylch::stats::median_category(std::vector<int>{1, 0, 1})) == between(1, 3));
    // n = 2 in one category: x(1) = x(2) = 3.
    BOOST_TEST(value(cylch::stats::median_category(std::vector<int>{0, 0, 2})) == at(3));
    // n = 3: 1,2,3 -> x(2) = 2.
    BOOST_TEST(value(cylch::stats::median_category(std::vector<int>{1, 1, 1})) == at(2));
}

BOOST_AUTO_TEST_CASE(wilson_interval_directly) {
    BOOST_TEST(!cylch::stats::wilson_interval(0, 0));
    // k = 0, n = 5: [0, z^2/(5 + z^2)] = [0, 3.841459/8.841459] = [0, 0.434482].
    auto const none = value(cylch::stats::wilson_interval(0, 5));
    BOOST_CHECK_SMALL(none.low, 1e-9);
    BOOST_TEST(none.high == 0.434482, tt::tolerance(1e-3));
    // k = n = 1: [1/(1 + z^2), 1] = [1/4.841459, 1] = [0.206549, 1].
    auto const all = value(cylch::stats::wilson_interval(1, 1));
    BOOST_TEST(all.low == 0.206549, tt::tolerance(1e-3));
    BOOST_TEST(all.high == 1.0, tt::tolerance(1e-3));
    // k = 1, n = 2, p = 0.5: centre 0.5, z^2/n = 1.920729,
    // half = 1.959964/2.920729 * sqrt(0.25/2 + 3.841459/16)
    //      = 0.671053 * sqrt(0.125 + 0.240091) = 0.671053 * 0.604228 = 0.405469,
    // so [0.094531, 0.905469].
    auto const half = value(cylch::stats::wilson_interval(1, 2));
    BOOST_TEST(half.low == 0.094531, tt::tolerance(1e-3));
    BOOST_TEST(half.high == 0.905469, tt::tolerance(1e-3));
    // The protocol example through the building block: 11 of 14 -> [0.524108, 0.924286].
    auto const example = value(cylch::stats::wilson_interval(11, 14));
    BOOST_TEST(example.low == 0.524108, tt::tolerance(1e-3));
    BOOST_TEST(example.high == 0.924286, tt::tolerance(1e-3));
}

BOOST_AUTO_TEST_SUITE_END()
