// Input filters: key mapping, button debounce and the misuse interval.
#include "kiosk/core/input.hpp"

#include <boost/test/unit_test.hpp>

using namespace cylch::kiosk;
using kind = input_event::kind;

BOOST_AUTO_TEST_SUITE(kiosk_input)

BOOST_AUTO_TEST_CASE(keys_map_to_choices_moves_and_confirm) {
    key_codes const codes{260, 261, 343};
    auto e = map_key('4', codes, false, 7);
    BOOST_TEST_REQUIRE(e.has_value());
    BOOST_TEST((e->what == kind::choose));
    BOOST_TEST(e->value == 4);
    BOOST_TEST(e->at_ms == 7);
    BOOST_TEST((map_key(260, codes, false, 0)->what == kind::move_left));
    BOOST_TEST((map_key(261, codes, false, 0)->what == kind::move_right));
    for (int k : {343, int{'\n'}, int{'\r'}, int{' '}}) {
        BOOST_TEST((map_key(k, codes, false, 0)->what == kind::confirm));
    }
    BOOST_TEST(!map_key('0', codes, false, 0).has_value());
    BOOST_TEST(!map_key('x', codes, false, 0).has_value());
    BOOST_TEST(!map_key('q', codes, false, 0).has_value()); // a kiosk is not quit by visitors
    BOOST_TEST((map_key('q', codes, true, 0)->what == kind::quit));
}

BOOST_AUTO_TEST_CASE(a_bouncing_button_counts_once) {
    debouncer d(30);
    // Press with contact bounce: down, up, down, up, down within 6 ms, held, then released
    // with bounce.
    BOOST_TEST(d.edge(0, true, 1000));
    BOOST_TEST(!d.edge(0, false, 1002));
    BOOST_TEST(!d.edge(0, true, 1003));
    BOOST_TEST(!d.edge(0, false, 1005));
    BOOST_TEST(!d.edge(0, true, 1006));
    BOOST_TEST(!d.edge(0, false, 1200)); // release
    BOOST_TEST(!d.edge(0, true, 1203));  // bounce on release
    BOOST_TEST(!d.edge(0, false, 1204));
    // The next real press.
    BOOST_TEST(d.edge(0, true, 1600));
}

BOOST_AUTO_TEST_CASE(lines_are_debounced_independently) {
    debouncer d(30);
    BOOST_TEST(d.edge(0, true, 100));
    BOOST_TEST(d.edge(1, true, 105)); // another button, 5 ms later
    BOOST_TEST(!d.edge(0, true, 110));
}

BOOST_AUTO_TEST_CASE(a_quick_tap_does_not_swallow_the_next_press) {
    debouncer d(30);
    BOOST_TEST(d.edge(2, true, 0));
    BOOST_TEST(!d.edge(2, false, 10)); // released within the window: seen as bounce
    BOOST_TEST(d.edge(2, true, 500));  // still a new press
}

BOOST_AUTO_TEST_CASE(the_misuse_guard_counts_one_press_per_interval) {
    press_guard g(3000);
    BOOST_TEST(g.wait_ms(0) == 0);
    BOOST_TEST(g.allow(10'000));
    BOOST_TEST(!g.allow(10'500));
    BOOST_TEST(g.wait_ms(11'000) == 2000);
    BOOST_TEST(!g.allow(12'999));
    BOOST_TEST(g.allow(13'000)); // refused presses do not extend the interval
    press_guard none(0);
    BOOST_TEST(none.allow(1));
    BOOST_TEST(none.allow(1));
}

BOOST_AUTO_TEST_SUITE_END()
