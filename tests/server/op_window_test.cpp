#include "server/domain/op_window.hpp"

#include <boost/test/unit_test.hpp>

#include <string>

// The window of applied ops: each actor's last N are remembered, older ones forgotten, and no
// actor's requests push out another's.

namespace {

using cylch::domain::op_window;

std::string key(std::string const& actor, int op) {
    return actor + '\n' + "op-" + std::to_string(op);
}

} // namespace

BOOST_AUTO_TEST_SUITE(domain_op_window)

BOOST_AUTO_TEST_CASE(an_actor_s_last_ops_are_remembered_and_older_ones_forgotten) {
    op_window w(3);
    for (int i = 1; i <= 3; ++i) {
        w.insert(key("p_1", i));
    }
    BOOST_TEST(w.contains(key("p_1", 1)));
    w.insert(key("p_1", 4)); // the fourth pushes out the first
    BOOST_TEST(!w.contains(key("p_1", 1)));
    for (int i = 2; i <= 4; ++i) {
        BOOST_TEST(w.contains(key("p_1", i)));
    }
    BOOST_TEST(w.size() == 3u);
}

BOOST_AUTO_TEST_CASE(actors_have_windows_of_their_own) {
    op_window w(2);
    w.insert(key("p_1", 1));
    for (int i = 1; i <= 10; ++i) {
        w.insert(key("p_2", i));
    }
    BOOST_TEST(w.contains(key("p_1", 1)));
    BOOST_TEST(!w.contains(key("p_2", 8)));
    BOOST_TEST(w.contains(key("p_2", 10)));
    BOOST_TEST(w.actors() == 2u);
}

BOOST_AUTO_TEST_CASE(remembering_an_op_twice_keeps_one_entry) {
    op_window w(2);
    w.insert(key("p_1", 1));
    w.insert(key("p_1", 1));
    w.insert(key("p_1", 2));
    BOOST_TEST(w.contains(key("p_1", 1)));
    BOOST_TEST(w.size() == 2u);
}

BOOST_AUTO_TEST_CASE(memory_is_bounded_by_actors_whatever_the_number_of_requests) {
    op_window w; // the server's window: 64 per actor
    for (int i = 0; i < 200'000; ++i) {
        w.insert(key("p_" + std::to_string(i % 100), i));
    }
    BOOST_TEST(w.size() == 100u * 64u);
    BOOST_TEST(w.contains(key("p_7", 199'907)));
    BOOST_TEST(!w.contains(key("p_7", 7)));
}

BOOST_AUTO_TEST_SUITE_END()
