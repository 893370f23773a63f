// The kiosk's durable queue: what is enqueued survives a restart until acknowledged, op ids
// are unique, acknowledged and rejected presses leave the queue once.
#include "kiosk/core/queue.hpp"

#include "tests/support/temp_files.hpp"

#include <boost/test/unit_test.hpp>

#include <fstream>
#include <set>

using cylch::kiosk::press_queue;
using cylch::test::temp_dir;

BOOST_AUTO_TEST_SUITE(kiosk_queue)

BOOST_AUTO_TEST_CASE(enqueued_presses_wait_in_order_with_unique_ops) {
    temp_dir dir;
    press_queue q(dir.file("q.db"));
    BOOST_TEST(q.pending_count() == 0u);
    auto a = q.enqueue("a_1", 4, 1000);
    auto b = q.enqueue("a_1", 2, 1001);
    auto c = q.enqueue("a_2", 5, 1002);
    BOOST_TEST(q.pending_count() == 3u);
    auto p = q.pending();
    BOOST_TEST_REQUIRE(p.size() == 3u);
    BOOST_TEST(p[0].op == a.op);
    BOOST_TEST(p[1].op == b.op);
    BOOST_TEST(p[2].op == c.op);
    BOOST_TEST(p[0].activity == "a_1");
    BOOST_TEST(p[0].value == 4);
    BOOST_TEST(p[0].pressed_at == 1000);
    BOOST_TEST(p[2].activity == "a_2");
    std::set<std::string> ops{a.op, b.op, c.op};
    BOOST_TEST(ops.size() == 3u);
    for (auto const& op : ops) {
        BOOST_TEST(op.size() >= 16u); // the protocol's shortest op
    }
    BOOST_TEST(q.pending(2).size() == 2u);
}

BOOST_AUTO_TEST_CASE(ack_removes_once_and_unknown_ops_change_nothing) {
    temp_dir dir;
    press_queue q(dir.file("q.db"));
    auto a = q.enqueue("a_1", 3, 1);
    auto b = q.enqueue("a_1", 1, 2);
    BOOST_TEST(q.acknowledge(a.op, 10));
    BOOST_TEST(!q.acknowledge(a.op, 11)); // a duplicate ack
    BOOST_TEST(!q.acknowledge("kq-never-enqueued-1", 12));
    BOOST_TEST(q.pending_count() == 1u);
    BOOST_TEST(q.pending().at(0).op == b.op);
    BOOST_TEST(!q.reject(a.op, "closed", "late", 13)); // already delivered
    BOOST_TEST(q.rejected_count() == 0u);
}

BOOST_AUTO_TEST_CASE(rejected_presses_leave_the_queue_and_are_reported) {
    temp_dir dir;
    press_queue q(dir.file("q.db"));
    auto a = q.enqueue("a_9", 2, 5);
    BOOST_TEST(q.reject(a.op, "closed", "This activity is closed.", 6));
    BOOST_TEST(q.pending_count() == 0u);
    BOOST_TEST(q.rejected_count() == 1u);
    auto r = q.rejected();
    BOOST_TEST_REQUIRE(r.size() == 1u);
    BOOST_TEST(r[0].what.op == a.op);
    BOOST_TEST(r[0].what.activity == "a_9");
    BOOST_TEST(r[0].code == "closed");
    BOOST_TEST(!q.acknowledge(a.op, 7));
}

BOOST_AUTO_TEST_CASE(pending_presses_survive_a_restart_and_new_ops_stay_unique) {
    temp_dir dir;
    std::set<std::string> ops;
    {
        press_queue q(dir.file("q.db"));
        for (int i = 0; i < 5; ++i) {
            ops.insert(q.enqueue("a_1", 1 + i % 5, 100 + i).op);
        }
        q.acknowledge(*ops.begin(), 200);
        q.put_setting("last_activity", "{\"type\":\"activity\"}");
    } // closed without any shutdown step, as after a crash
    press_queue q(dir.file("q.db"));
    BOOST_TEST(q.pending_count() == 4u);
    BOOST_TEST(q.setting("last_activity").value_or("") == "{\"type\":\"activity\"}");
    BOOST_TEST(!q.setting("missing").has_value());
    for (int i = 0; i < 5; ++i) {
        BOOST_TEST(ops.insert(q.enqueue("a_1", 3, 300 + i).op).second); // never reused
    }
    BOOST_TEST(q.pending_count() == 9u);
}

BOOST_AUTO_TEST_CASE(old_acknowledged_presses_are_pruned_but_pending_ones_never) {
    temp_dir dir;
    press_queue q(dir.file("q.db"));
    auto a = q.enqueue("a_1", 1, 1);
    auto b = q.enqueue("a_1", 2, 2);
    q.enqueue("a_1", 3, 3);
    q.acknowledge(a.op, 100);
    q.acknowledge(b.op, 500);
    BOOST_TEST(q.prune_acknowledged(200) == 1);
    BOOST_TEST(q.prune_acknowledged(10'000) == 1);
    BOOST_TEST(q.pending_count() == 1u);
}

BOOST_AUTO_TEST_CASE(a_file_that_is_not_a_database_is_refused) {
    temp_dir dir;
    {
        std::ofstream f(dir.file("junk.db"));
        f << "this is not an SQLite database, just some text that is long enough to matter\n";
    }
    BOOST_CHECK_THROW(press_queue(dir.file("junk.db")), std::exception);
}

BOOST_AUTO_TEST_SUITE_END()
