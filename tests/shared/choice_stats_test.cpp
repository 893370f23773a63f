#include "shared/stats/choice.hpp"

#include <boost/test/unit_test.hpp>

#include <vector>

// Worked by hand (the constants are those of stats_test.cpp: z^2 = 3.841459).

namespace {

namespace tt = boost::test_tools;
using cylch::stats::summarise_choice;
using cylch::stats::summarise_ranking;

} // namespace

BOOST_AUTO_TEST_SUITE(stats_choice)

// The protocol's example: 14 respondents, 5 chose visionary and 9 connector.
// visionary: p = 5/14 = 0.357143; 1 + z^2/n = 1.274390;
//   centre = (0.357143 + 0.137195) / 1.274390 = 0.387903
//   half = 1.959964 / 1.274390 * sqrt(0.357143 * 0.642857 / 14 + 3.841459 / 784)
//        = 1.537963 * sqrt(0.016399 + 0.004900) = 1.537963 * 0.145941 = 0.224454
//   -> [0.163449, 0.612357]; connector is its mirror: [0.387643, 0.836551].
BOOST_AUTO_TEST_CASE(shares_and_wilson_intervals_of_the_protocol_example) {
    auto const s = summarise_choice(14, {5, 9});
    BOOST_TEST(s.n == 14);
    BOOST_TEST(s.shares.at(0).value() == 5.0 / 14.0, tt::tolerance(1e-12));
    BOOST_TEST(s.shares.at(1).value() == 9.0 / 14.0, tt::tolerance(1e-12));
    BOOST_TEST(s.ci95.at(0)->low == 0.163449, tt::tolerance(1e-4));
    BOOST_TEST(s.ci95.at(0)->high == 0.612357, tt::tolerance(1e-4));
    BOOST_TEST(s.ci95.at(1)->low == 0.387643, tt::tolerance(1e-4));
    BOOST_TEST(s.ci95.at(1)->high == 0.836551, tt::tolerance(1e-4));
}

// With several answers each, shares are of respondents and may sum past 1.
BOOST_AUTO_TEST_CASE(multiple_answers_are_shares_of_respondents) {
    auto const s = summarise_choice(4, {4, 3, 0});
    BOOST_TEST(s.shares.at(0).value() == 1.0);
    BOOST_TEST(s.shares.at(1).value() == 0.75);
    BOOST_TEST(s.shares.at(2).value() == 0.0);
    // k = n: [n / (n + z^2), 1] = [4 / 7.841459, 1] = [0.510109, 1]
    BOOST_TEST(s.ci95.at(0)->low == 0.510109, tt::tolerance(1e-4));
    BOOST_TEST(s.ci95.at(0)->high == 1.0, tt::tolerance(1e-9));
    // k = 0: [0, z^2 / (n + z^2)] = [0, 0.489891]
    BOOST_TEST(s.ci95.at(2)->high == 0.489891, tt::tolerance(1e-4));
}

BOOST_AUTO_TEST_CASE(no_respondents_no_shares) {
    auto const s = summarise_choice(0, {0, 0, 0});
    BOOST_TEST(s.counts == (std::vector<int>{0, 0, 0}), tt::per_element());
    for (std::size_t i = 0; i < 3; ++i) {
        BOOST_TEST(!s.shares.at(i));
        BOOST_TEST(!s.ci95.at(i));
    }
}

// The protocol's example: 14 respondents rank convene, platform and embed (k = 3).
// convene  [8,4,2]: mean (8*1 + 4*2 + 2*3) / 14 = 22/14 = 1.5714; Borda 8*2 + 4*1 = 20
// platform [2,5,7]: mean (2 + 10 + 21) / 14 = 33/14 = 2.3571;    Borda 2*2 + 5*1 = 9
// embed    [4,5,5]: mean (4 + 10 + 15) / 14 = 29/14 = 2.0714;    Borda 4*2 + 5*1 = 13
BOOST_AUTO_TEST_CASE(mean_rank_and_borda_of_the_protocol_example) {
    auto const s = summarise_ranking(14, {{8, 4, 2}, {2, 5, 7}, {4, 5, 5}});
    BOOST_TEST(s.mean_rank.at(0).value() == 22.0 / 14.0, tt::tolerance(1e-12));
    BOOST_TEST(s.mean_rank.at(1).value() == 33.0 / 14.0, tt::tolerance(1e-12));
    BOOST_TEST(s.mean_rank.at(2).value() == 29.0 / 14.0, tt::tolerance(1e-12));
    BOOST_TEST(s.borda == (std::vector<int>{20, 9, 13}), tt::per_element());
}

// A small worked example: three people order A, B, C, D (k = 4).
//   1: A B C D   2: B A D C   3: A C B D
// A: ranks 1,2,1 -> mean 4/3, Borda 3+2+3 = 8;  B: 2,1,3 -> mean 2, Borda 2+3+1 = 6
// C: 3,4,2 -> mean 3, Borda 1+0+2 = 3;          D: 4,3,4 -> mean 11/3, Borda 0+1+0 = 1
// The Borda scores add up to n * k(k-1)/2 = 3 * 6 = 18.
BOOST_AUTO_TEST_CASE(mean_rank_and_borda_of_a_small_worked_example) {
    auto const s = summarise_ranking(3, {{2, 1, 0, 0}, {1, 1, 1, 0}, {0, 1, 1, 1}, {0, 0, 1, 2}});
    BOOST_TEST(s.mean_rank.at(0).value() == 4.0 / 3.0, tt::tolerance(1e-12));
    BOOST_TEST(s.mean_rank.at(1).value() == 2.0, tt::tolerance(1e-12));
    BOOST_TEST(s.mean_rank.at(2).value() == 3.0, tt::tolerance(1e-12));
    BOOST_TEST(s.mean_rank.at(3).value() == 11.0 / 3.0, tt::tolerance(1e-12));
    BOOST_TEST(s.borda == (std::vector<int>{8, 6, 3, 1}), tt::per_element());
}

BOOST_AUTO_TEST_CASE(no_rankings_no_means) {
    auto const s = summarise_ranking(0, {{0, 0, 0}, {0, 0, 0}, {0, 0, 0}});
    BOOST_TEST(!s.mean_rank.at(0));
    BOOST_TEST(s.borda == (std::vector<int>{0, 0, 0}), tt::per_element());
}

BOOST_AUTO_TEST_SUITE_END()
