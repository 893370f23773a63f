// The kiosk's durable queue: what is enqueued survives a restart until acknowledged, op ids
// are unique, acknowledged and rejected presses leave the queue once; choice presses keep their
// option; a queue file of the first release is migrated with its presses.
#include "kiosk/core/queue.hpp"

#include "tests/support/temp_files.hpp"

#include <SQLiteCpp/Database.h>
#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <fstream>
#include <set>

using cylch::kiosk::chosen_option;
using cylch::kiosk::press_answer;
using cylch::kiosk::press_queue;
using cylch::kiosk::scale_point;
using cylch::test::temp_dir;

BOOST_AUTO_TEST_SUITE(kiosk_queue)

BOOST_AUTO_TEST_CASE(enqueued_presses_wait_in_order_with_unique_ops) {
    temp_dir dir;
    press_queue q(dir.file("q.db"));
    BOOST_TEST(q.pending_count() == 0u);
    auto a = q.enqueue("a_1", scale_point{4}, 1000);
    auto b = q.enqueue("a_1", scale_point{2}, 1001);
    auto c = q.enqueue("a_2", scale_point{5}, 1002);
    BOOST_TEST(q.pending_count() == 3u);
    auto p = q.pending();
    BOOST_TEST_REQUIRE(p.size() == 3u);
    BOOST_TEST(p[0].op == a.op);
    BOOST_TEST(p[1].op == b.op);
    BOOST_TEST(p[2].op == c.op);
    BOOST_TEST(p[0].activity == "a_1");
    BOOST_TEST((p[0].answer == press_answer{scale_point{4}}));
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
    auto a = q.enqueue("a_1", scale_point{3}, 1);
    auto b = q.enqueue("a_1", scale_point{1}, 2);
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
    auto a = q.enqueue("a_9", scale_point{2}, 5);
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
            ops.insert(q.enqueue("a_1", scale_point{1 + i % 5}, 100 + i).op);
        }
        q.acknowledge(*ops.begin(), 200);
        q.put_setting("last_activity", "{\"type\":\"activity\"}");
    } // closed without any shutdown step, as after a crash
    press_queue q(dir.file("q.db"));
    BOOST_TEST(q.pending_count() == 4u);
    BOOST_TEST(q.setting("last_activity").value_or("") == "{\"type\":\"activity\"}");
    BOOST_TEST(!q.setting("missing").has_value());
    for (int i = 0; i < 5; ++i) {
        BOOST_TEST(ops.insert(q.enqueue("a_1", scale_point{3}, 300 + i).op).second); // never reused
    }
    BOOST_TEST(q.pending_count() == 9u);
}

BOOST_AUTO_TEST_CASE(old_acknowledged_presses_are_pruned_but_pending_ones_never) {
    temp_dir dir;
    press_queue q(dir.file("q.db"));
    auto a = q.enqueue("a_1", scale_point{1}, 1);
    auto b = q.enqueue("a_1", scale_point{2}, 2);
    q.enqueue("a_1", scale_point{3}, 3);
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

BOOST_AUTO_TEST_CASE(choice_presses_keep_their_option_through_a_restart_and_a_rejection) {
    temp_dir dir;
    std::string rejected_op;
    {
        press_queue q(dir.file("q.db"));
        q.enqueue("a_1", scale_point{4}, 1);
        auto const c = q.enqueue("a_2", chosen_option{"connector"}, 2);
        BOOST_TEST((c.answer == press_answer{chosen_option{"connector"}}));
        rejected_op = q.enqueue("a_2", chosen_option{"visionary"}, 3).op;
    } // a power cut
    press_queue q(dir.file("q.db"));
    auto const p = q.pending();
    BOOST_TEST_REQUIRE(p.size() == 3u);
    BOOST_TEST((p[0].answer == press_answer{scale_point{4}}));
    BOOST_TEST((p[1].answer == press_answer{chosen_option{"connector"}}));
    BOOST_TEST(p[1].activity == "a_2");
    BOOST_TEST(p[1].pressed_at == 2);
    BOOST_TEST(q.reject(rejected_op, "closed", "This activity is closed.", 9));
    auto const r = q.rejected();
    BOOST_TEST_REQUIRE(r.size() == 1u);
    BOOST_TEST((r[0].what.answer == press_answer{chosen_option{"visionary"}}));
    BOOST_TEST(r[0].code == "closed");
}

// Self-paced: the presses of one person's pass keep its name through a power cut, so that
// they are sent (and counted) as one respondent; a press without a pass stays without.
BOOST_AUTO_TEST_CASE(a_pass_is_kept_with_its_presses_through_a_restart) {
    temp_dir dir;
    {
        press_queue q(dir.file("q.db"));
        q.enqueue("a_1", scale_point{4}, 1, "p0123abcd-1");
        q.enqueue("a_2", chosen_option{"bus"}, 2, "p0123abcd-1");
        q.enqueue("a_1", scale_point{2}, 3);
    }
    press_queue q(dir.file("q.db"));
    auto const p = q.pending();
    BOOST_TEST_REQUIRE(p.size() == 3u);
    BOOST_TEST(p[0].pass.value_or("") == "p0123abcd-1");
    BOOST_TEST(p[1].pass.value_or("") == "p0123abcd-1");
    BOOST_TEST(!p[2].pass.has_value());
    BOOST_TEST(q.reject(p[1].op, "closed", "closed", 9));
    BOOST_TEST(q.rejected().at(0).what.pass.value_or("") == "p0123abcd-1");
    BOOST_TEST(q.rejected().at(0).code == "closed");
}

// A queue file written by the first kiosk release (no option column, user_version 0): made by
// that release's press_queue (commit 6842ec3) with two presses waiting, one rejected, one
// acknowledged and the last activity frame, as a kiosk updated with presses waiting has it.
// Its presses are kept and still sent as Likert votes.
BOOST_AUTO_TEST_CASE(a_queue_of_the_first_release_is_migrated_and_keeps_its_presses) {
    temp_dir dir;
    auto const file = dir.file("q.db");
    std::filesystem::copy_file(
        std::string(CYLCH_SOURCE_DIR) + "/tests/kiosk/data/queue_first_release.sqlite", file);
    {
        SQLite::Database old(file, SQLite::OPEN_READONLY);
        BOOST_TEST(old.execAndGet("PRAGMA user_version").getInt() == 0);
    }
    std::string first_op;
    {
        press_queue q(file);
        BOOST_TEST(q.schema_version() == 2);
        auto const p = q.pending();
        BOOST_TEST_REQUIRE(p.size() == 2u);
        first_op = p[0].op;
        BOOST_TEST(p[0].activity == "a_1");
        BOOST_TEST((p[0].answer == press_answer{scale_point{5}}));
        BOOST_TEST(p[0].pressed_at == 1795000000100);
        BOOST_TEST((p[1].answer == press_answer{scale_point{2}}));
        BOOST_TEST(!p[1].pass.has_value()); // a press of its own, as every press was then
        BOOST_TEST(q.rejected_count() == 1u);
        BOOST_TEST((q.rejected().at(0).what.answer == press_answer{scale_point{3}}));
        BOOST_TEST(q.rejected().at(0).code == "closed");
        BOOST_TEST(q.setting("last_activity").value_or("") == R"({"type":"activity"})");
        BOOST_TEST(q.prune_acknowledged(1795000000300) == 1); // its acknowledged press
        q.enqueue("a_2", chosen_option{"builder"}, 200);
        BOOST_TEST(q.acknowledge(first_op, 300));
    }
    // Opened again: already migrated, nothing lost or repeated.
    press_queue q(file);
    BOOST_TEST(q.schema_version() == 2);
    auto const p = q.pending();
    BOOST_TEST_REQUIRE(p.size() == 2u);
    BOOST_TEST((p[0].answer == press_answer{scale_point{2}}));
    BOOST_TEST((p[1].answer == press_answer{chosen_option{"builder"}}));
    BOOST_TEST(!q.acknowledge(first_op, 400));
}

// A queue written by a newer kiosk may hold presses this one cannot send: it is refused with
// a reason rather than read wrongly, and left as it was.
BOOST_AUTO_TEST_CASE(a_queue_of_a_newer_kiosk_is_refused_and_left_alone) {
    temp_dir dir;
    {
        press_queue q(dir.file("q.db"));
        q.enqueue("a_1", scale_point{1}, 1);
    }
    {
        SQLite::Database db(dir.file("q.db"), SQLite::OPEN_READWRITE);
        db.exec("PRAGMA user_version = 7");
    }
    try {
        press_queue q(dir.file("q.db"));
        BOOST_FAIL("a newer queue was opened");
    } catch (std::runtime_error const& e) {
        BOOST_TEST(std::string(e.what()).find("newer cylch-kiosk (schema 7") != std::string::npos,
                   e.what());
    }
    SQLite::Database db(dir.file("q.db"), SQLite::OPEN_READONLY);
    BOOST_TEST(db.execAndGet("SELECT count(*) FROM presses").getInt() == 1);
}

BOOST_AUTO_TEST_SUITE_END()
