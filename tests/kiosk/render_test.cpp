// Text layout on a terminal: widths of UTF-8 text and wrapping at a given width.
#include "kiosk/core/text_layout.hpp"

#include <boost/test/unit_test.hpp>

using namespace cylch::kiosk;

BOOST_AUTO_TEST_SUITE(kiosk_render)

BOOST_AUTO_TEST_CASE(widths_count_characters_not_bytes) {
    BOOST_TEST(display_width("") == 0);
    BOOST_TEST(display_width("Cytuno") == 6);
    BOOST_TEST(display_width("grŵp") == 4);                     // ŵ is two bytes, one column
    BOOST_TEST(display_width("w\xcc\x82") == 1);                // w + combining circumflex
    BOOST_TEST(display_width("\xe6\x97\xa5\xe6\x9c\xac") == 4); // two wide characters
    BOOST_TEST(display_width("a\xff") == 2);                    // an invalid byte counts one
}

BOOST_AUTO_TEST_CASE(a_statement_wraps_at_word_boundaries) {
    auto lines = wrap("I would like to use these personas in my work.", 20);
    std::vector<std::string> const expected{"I would like to use", "these personas in my", "work."};
    BOOST_TEST(lines == expected, boost::test_tools::per_element());
    for (auto const& l : lines) {
        BOOST_TEST(display_width(l) <= 20);
    }
}

BOOST_AUTO_TEST_CASE(welsh_text_wraps_by_columns_not_bytes) {
    // 20 columns but more bytes (ŵ, ŷ): byte counting would break these lines too early.
    auto lines = wrap("Mae'r grŵp yn cytuno â'r datganiad hwn yn fŷr", 20);
    std::vector<std::string> const expected{"Mae'r grŵp yn cytuno", "â'r datganiad hwn yn", "fŷr"};
    BOOST_TEST(lines == expected, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(a_long_welsh_word_is_cut_at_the_width_without_splitting_letters) {
    std::string const word =
        "Llanfairpwllgwyngyllgogerychwyrndrobwllllantysiliogogogoch"; // 58 letters
    auto lines = wrap("Croeso i " + word + "!", 20);
    BOOST_TEST_REQUIRE(lines.size() == 4u);
    BOOST_TEST(lines[0] == "Croeso i");
    BOOST_TEST(lines[1] == "Llanfairpwllgwyngyll");
    BOOST_TEST(lines[2] == "gogerychwyrndrobwlll");
    BOOST_TEST(lines[3] == "lantysiliogogogoch!");
}

BOOST_AUTO_TEST_CASE(a_cut_never_splits_a_multibyte_letter) {
    auto lines = wrap("ŵŵŵŵŵŵŵ", 3);
    std::vector<std::string> const expected{"ŵŵŵ", "ŵŵŵ", "ŵ"};
    BOOST_TEST(lines == expected, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(line_breaks_spaces_and_empty_text) {
    BOOST_TEST(wrap("", 10).empty());
    BOOST_TEST(wrap("   ", 10).empty());
    std::vector<std::string> const expected{"one", "", "two three"};
    BOOST_TEST(wrap("one\n\ntwo    three", 10) == expected, boost::test_tools::per_element());
    BOOST_TEST(wrap("abc", 0).size() == 3u); // a width below 1 is taken as 1
}

BOOST_AUTO_TEST_CASE(centring_pads_by_columns) {
    BOOST_TEST(centre("grŵp", 10) == "   grŵp");
    BOOST_TEST(centre("too long for it", 5) == "too long for it");
}

BOOST_AUTO_TEST_SUITE_END()
