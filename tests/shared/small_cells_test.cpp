#include "shared/stats/small_cells.hpp"

#include <boost/test/unit_test.hpp>

#include <vector>

namespace {

using cylch::stats::small_cells;
using indices = std::vector<std::size_t>;

indices withheld(std::vector<int> const& ns, int min_cell = 3) {
    return small_cells(ns, min_cell);
}

} // namespace

BOOST_AUTO_TEST_SUITE(stats_small_cells)

BOOST_AUTO_TEST_CASE(a_group_of_one_is_withheld_with_the_next_smallest) {
    // 1 + 5 + 6 = 12: withholding the 1 alone, 12 - 5 - 6 would give it back.
    BOOST_TEST(withheld({1, 5, 6}) == (indices{0, 1}), boost::test_tools::per_element());
    BOOST_TEST(withheld({6, 1, 5}) == (indices{1, 2}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(two_small_groups_together_are_safe_and_the_large_one_shows) {
    // 2 + 2 + 10 with the total 14 shown: the 4 withheld can be told apart from no one.
    BOOST_TEST(withheld({2, 2, 10}) == (indices{0, 1}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(all_groups_small_are_all_withheld) {
    BOOST_TEST(withheld({1, 2, 2}) == (indices{0, 1, 2}), boost::test_tools::per_element());
    // 1 + 1 + 10: the two together are still fewer than 3, so the 10 goes too.
    BOOST_TEST(withheld({1, 1, 10}) == (indices{0, 1, 2}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(nothing_small_nothing_withheld_and_min_cell_1_shows_all) {
    BOOST_TEST(withheld({3, 4, 10}).empty());
    BOOST_TEST(withheld({1, 0, 2}, 1).empty());
    BOOST_TEST(withheld({}).empty());
}

BOOST_AUTO_TEST_CASE(empty_cells_are_withheld_but_reveal_no_one) {
    // Nobody answered in the first group: "fewer than 3", and 0 is nobody's answer.
    BOOST_TEST(withheld({0, 5, 6}) == (indices{0}), boost::test_tools::per_element());
    // An empty group and a group of one: 1 withheld respondent needs a partner cell.
    BOOST_TEST(withheld({0, 1, 5, 6}) == (indices{0, 1, 2}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(a_larger_min_cell_counts_the_pool_against_it) {
    // min_cell 5: 4 is small; alone it would be revealed; with the 5 the pool is 9.
    BOOST_TEST(withheld({4, 5, 20}, 5) == (indices{0, 1}), boost::test_tools::per_element());
    // 3 + 3: the pool of 6 reaches 5, the 20 shows.
    BOOST_TEST(withheld({3, 3, 20}, 5) == (indices{0, 1}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_SUITE_END()
