#include "server/store/store.hpp"

#include <boost/test/unit_test.hpp>

#include "tests/support/store_support.hpp"

#include "server/store/schema.hpp"

#include <SQLiteCpp/Database.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

// Every test works on its own database file under /tmp, removed afterwards. Where a test needs
// to know what the writer thread is doing, it holds the writer inside a completion (a "gate")
// while it queues more, so that the grouping of batches is decided by the test, not by timing.

namespace {

namespace tt = boost::test_tools;
namespace protocol = cylch::protocol;
using namespace std::chrono_literals;
using namespace std::string_literals;
using cylch::store::activity_state_saved;
using cylch::store::current_activity_saved;
using cylch::store::op_saved;
using cylch::store::participant_saved;
using cylch::store::record;
using cylch::store::schema_version;
using cylch::store::store_options;
using cylch::store::time_ms;
using cylch::store::vote_cleared;
using cylch::store::vote_saved;
using cylch::store::workshop_created;
using cylch::store::workshop_snapshot;
using cylch::store::workshop_state_saved;
using database = cylch::store::store; // the class under test (the suite is named "store")
using strings = std::vector<std::string>;

constexpr time_ms t0 = 1'700'000'000'000;
constexpr char const* definition = R"({"title": {"en": "Store test"}})";

using cylch::test::persist;
using cylch::test::temp_db;

// ---- records ----

workshop_created workshop_record(std::string const& id, strings activity_ids, time_ms at = t0) {
    return {id, "123456", definition, "fh-" + id, "ph-" + id, std::move(activity_ids), at};
}

participant_saved person(std::string const& id, std::optional<std::string> group = std::nullopt,
                         bool consent = true, time_ms at = t0 + 1,
                         std::string const& workshop = "w_1") {
    return {workshop,         id,           "hash-" + id, protocol::channel::web,
            std::move(group), std::nullopt, consent,      at};
}

vote_saved vote(std::string const& activity, std::string const& participant, int value,
                time_ms at = t0 + 10) {
    return {"w_1", activity, participant, value, at};
}

op_saved op(std::string const& id, std::string const& actor = "p_1") {
    return {"w_1", actor, id, t0 + 20};
}

// One of 20 actors, so that up to 20 × ops_remembered_per_actor ops all stay in the table.
std::string spread(int i) {
    return "p_" + std::to_string(i % 20);
}

// ---- reading back ----

workshop_snapshot only_snapshot(database& db) {
    auto all = db.load_all();
    BOOST_TEST_REQUIRE(all.size() == 1u);
    return all.front();
}

// "activity participant value", sorted.
strings votes_in(workshop_snapshot const& s) {
    strings out;
    for (auto const& v : s.votes) {
        out.push_back(v.activity + " " + v.participant + " " + std::to_string(v.value));
    }
    std::sort(out.begin(), out.end());
    return out;
}

// "actor op", sorted.
// One actor's ops, in the order loaded.
strings ops_of(workshop_snapshot const& s, std::string const& actor) {
    strings out;
    for (auto const& o : s.ops) {
        if (o.actor == actor) {
            out.push_back(o.op);
        }
    }
    return out;
}

strings ops_in(workshop_snapshot const& s) {
    strings out;
    for (auto const& o : s.ops) {
        out.push_back(o.actor + " " + o.op);
    }
    std::sort(out.begin(), out.end());
    return out;
}

int user_version(std::string const& path) {
    SQLite::Database check(path, SQLite::OPEN_READONLY);
    return check.execAndGet("PRAGMA user_version").getInt();
}

// ---- waiting for the writer ----

// Collects completions in the order the writer calls them. Declare it before the store, so
// that it outlives the writer thread.
struct completions {
    struct call {
        int tag;
        bool ok;
    };
    std::mutex mutex;
    std::condition_variable changed;
    std::vector<call> calls;
    std::set<std::thread::id> threads;

    database::completion make(int tag) {
        return [this, tag](bool ok) {
            std::lock_guard lock(mutex);
            calls.push_back({tag, ok});
            threads.insert(std::this_thread::get_id());
            changed.notify_all();
        };
    }
    // True once n completions have arrived.
    bool wait_for(std::size_t n) {
        std::unique_lock lock(mutex);
        return changed.wait_for(lock, 60s, [&] { return calls.size() >= n; });
    }
    std::size_t count() {
        std::lock_guard lock(mutex);
        return calls.size();
    }
    std::vector<int> tags() {
        std::lock_guard lock(mutex);
        std::vector<int> out;
        for (auto const& c : calls) {
            out.push_back(c.tag);
        }
        return out;
    }
    std::vector<int> failed_tags() {
        std::lock_guard lock(mutex);
        std::vector<int> out;
        for (auto const& c : calls) {
            if (!c.ok) {
                out.push_back(c.tag);
            }
        }
        return out;
    }
};

// Holds the writer thread inside the completion of one batch until open(). Declare it after
// the store, so that it opens before the store stops.
struct writer_gate {
    std::shared_ptr<std::promise<void>> release = std::make_shared<std::promise<void>>();
    std::shared_future<void> released = release->get_future().share();
    bool opened = false;

    // Queues the batch and returns once the writer has committed it and waits in its completion.
    void hold(database& db, std::vector<record> batch = {}) {
        auto entered = std::make_shared<std::promise<void>>();
        auto inside = entered->get_future();
        BOOST_TEST_REQUIRE(db.try_persist(std::move(batch), [entered, released = released](bool) {
            entered->set_value();
            released.wait();
        }));
        BOOST_TEST_REQUIRE((inside.wait_for(30s) == std::future_status::ready));
    }
    void open() {
        if (!opened) {
            opened = true;
            release->set_value();
        }
    }
    ~writer_gate() { open(); }
    writer_gate() = default;
    writer_gate(writer_gate const&) = delete;
    writer_gate& operator=(writer_gate const&) = delete;
};

// A workshop w_1 with activities a_1..a_3 and participants p_1, p_2, already durable.
void seed(database& db) {
    BOOST_TEST_REQUIRE(persist(db, {workshop_record("w_1", {"a_1", "a_2", "a_3"}),
                                    person("p_1", "innovator", true, t0 + 1),
                                    person("p_2", "enabler", true, t0 + 2)}));
}

} // namespace

BOOST_AUTO_TEST_SUITE(store)

// ---- schema ------------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(a_new_file_is_migrated_to_the_current_schema) {
    temp_db file;
    database db(file.options());
    BOOST_TEST(schema_version() >= 1);
    // A second connection sees the migrated schema while the store is open.
    SQLite::Database check(file.path, SQLite::OPEN_READONLY);
    BOOST_TEST(check.execAndGet("PRAGMA user_version").getInt() == schema_version());
    for (auto const* table :
         {"settings", "workshops", "activities", "participants", "votes", "ops"}) {
        BOOST_TEST(check.tableExists(table), table);
    }
    BOOST_TEST(check.execAndGet("PRAGMA journal_mode").getString() == "wal");
    BOOST_TEST(db.path() == file.path);
    BOOST_TEST(db.load_all().empty());
}

BOOST_AUTO_TEST_CASE(applied_ops_survive_the_move_to_an_append_only_log) {
    // A database written by schema 3 (ops keyed by workshop, actor and op), upgraded by this
    // build: the ops are still there, in the order they were applied, so a request resent
    // after the upgrade is still recognised as done.
    temp_db file;
    {
        SQLite::Database old(file.path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
        cylch::store::migrate(old, 3);
        old.exec("INSERT INTO ops (workshop_id, actor_id, op, at) VALUES "
                 "('w_1', 'p_2', 'op-b', 20), ('w_1', 'p_1', 'op-a', 10), "
                 "('w_2', 'p_9', 'op-c', 30)");
    }
    BOOST_TEST(user_version(file.path) == 3);
    { database db(file.options()); }
    BOOST_TEST(user_version(file.path) == schema_version());
    SQLite::Database check(file.path, SQLite::OPEN_READONLY);
    SQLite::Statement rows(check, "SELECT workshop_id, actor_id, op, at FROM ops ORDER BY rowid");
    strings seen;
    while (rows.executeStep()) {
        seen.push_back(rows.getColumn(0).getString() + " " + rows.getColumn(1).getString() + " " +
                       rows.getColumn(2).getString() + " " + rows.getColumn(3).getString());
    }
    BOOST_TEST(seen == (strings{"w_1 p_1 op-a 10", "w_1 p_2 op-b 20", "w_2 p_9 op-c 30"}),
               boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(reopening_keeps_the_data) {
    temp_db file;
    {
        database db(file.options());
        seed(db);
        BOOST_TEST(persist(db, {vote("a_1", "p_1", 4), op("op-1")}));
        db.set_setting("admin_token_hash", "abc");
    }
    database db(file.options());
    BOOST_TEST(user_version(file.path) == schema_version());
    auto const s = only_snapshot(db);
    BOOST_TEST(s.id == "w_1");
    BOOST_TEST(s.participants.size() == 2u);
    BOOST_TEST(votes_in(s) == (strings{"a_1 p_1 4"}), tt::per_element());
    BOOST_TEST(ops_in(s) == (strings{"p_1 op-1"}), tt::per_element());
    BOOST_TEST(db.setting("admin_token_hash").value_or("-") == "abc");
    // And it takes new writes.
    BOOST_TEST(persist(db, {vote("a_2", "p_2", 1)}));
    BOOST_TEST(only_snapshot(db).votes.size() == 2u);
}

BOOST_AUTO_TEST_CASE(a_database_newer_than_this_build_is_refused) {
    temp_db file;
    int const newer = schema_version() + 1;
    {
        SQLite::Database db(file.path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
        db.exec("PRAGMA user_version = " + std::to_string(newer));
    }
    BOOST_CHECK_THROW(database{file.options()}, std::exception);
    // The file is left as it was: not migrated, not downgraded.
    BOOST_TEST(user_version(file.path) == newer);
    SQLite::Database check(file.path, SQLite::OPEN_READONLY);
    BOOST_TEST(!check.tableExists("workshops"));
}

// ---- completions -------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(completions_arrive_in_queue_order_on_the_writer_thread) {
    completions done;
    temp_db file;
    database db(file.options());
    seed(db);
    int const n = 200;
    for (int i = 0; i < n; ++i) {
        std::vector<record> batch;
        if (i % 50 != 49) { // every 50th batch is empty
            batch.push_back(op("op-" + std::to_string(i), spread(i)));
        }
        BOOST_TEST_REQUIRE(db.try_persist(std::move(batch), done.make(i)));
    }
    BOOST_TEST_REQUIRE(done.wait_for(n));
    std::vector<int> expected(n);
    for (int i = 0; i < n; ++i) {
        expected[static_cast<std::size_t>(i)] = i;
    }
    BOOST_TEST(done.tags() == expected, tt::per_element());
    BOOST_TEST(done.failed_tags().empty());
    BOOST_TEST(done.threads.size() == 1u);
    BOOST_TEST(!done.threads.contains(std::this_thread::get_id()));
    BOOST_TEST(only_snapshot(db).ops.size() == static_cast<std::size_t>(n - n / 50));
}

// ---- every record round-trips ------------------------------------------------------------

BOOST_AUTO_TEST_CASE(a_created_workshop_round_trips_with_its_activities) {
    temp_db file;
    database db(file.options());
    BOOST_TEST(persist(db, {workshop_record("w_1", {"a_1", "a_2", "a_3"}, t0 + 7)}));
    auto const s = only_snapshot(db);
    BOOST_TEST(s.id == "w_1");
    BOOST_TEST(s.code == "123456");
    BOOST_TEST(s.definition == definition);
    BOOST_TEST(s.facilitator_token_hash == "fh-w_1");
    BOOST_TEST(s.presenter_token_hash == "ph-w_1");
    BOOST_TEST(protocol::to_string(s.state) == "live");
    BOOST_TEST(!s.current_activity.has_value());
    BOOST_TEST(s.created_at == t0 + 7);
    BOOST_TEST_REQUIRE(s.activities.size() == 3u);
    for (std::size_t i = 0; i < 3; ++i) {
        BOOST_TEST(s.activities[i].id == "a_" + std::to_string(i + 1));
        BOOST_TEST(s.activities[i].position == static_cast<int>(i));
        BOOST_TEST(protocol::to_string(s.activities[i].state) == "pending");
    }
    BOOST_TEST(s.participants.empty());
    BOOST_TEST(s.votes.empty());
    BOOST_TEST(s.ops.empty());
}

BOOST_AUTO_TEST_CASE(workshops_are_kept_apart_and_listed_by_creation) {
    temp_db file;
    database db(file.options());
    BOOST_TEST(persist(db, {workshop_record("w_2", {"b_1"}, t0 + 100),
                            workshop_record("w_1", {"a_1", "a_2"}, t0)}));
    BOOST_TEST(persist(db, {person("p_1"), person("q_1", std::nullopt, true, t0 + 101, "w_2"),
                            vote("a_1", "p_1", 2), vote_saved{"w_2", "b_1", "q_1", 5, t0 + 102}}));
    auto const all = db.load_all();
    BOOST_TEST_REQUIRE(all.size() == 2u);
    BOOST_TEST(all[0].id == "w_1");
    BOOST_TEST(all[1].id == "w_2");
    BOOST_TEST(all[0].activities.size() == 2u);
    BOOST_TEST(all[1].activities.size() == 1u);
    BOOST_TEST(votes_in(all[0]) == (strings{"a_1 p_1 2"}), tt::per_element());
    BOOST_TEST(votes_in(all[1]) == (strings{"b_1 q_1 5"}), tt::per_element());
    BOOST_TEST_REQUIRE(all[1].participants.size() == 1u);
    BOOST_TEST(all[1].participants[0].id == "q_1");
}

BOOST_AUTO_TEST_CASE(a_saved_participant_is_inserted_then_updated) {
    temp_db file;
    database db(file.options());
    BOOST_TEST(persist(db, {workshop_record("w_1", {"a_1"})}));
    participant_saved kiosk{"w_1",        "k_1",        "",    protocol::channel::kiosk,
                            std::nullopt, std::nullopt, false, t0 + 2};
    BOOST_TEST(persist(db, {person("p_1", std::nullopt, false, t0 + 1), kiosk}));
    auto s = only_snapshot(db);
    BOOST_TEST_REQUIRE(s.participants.size() == 2u);
    auto const& p = s.participants[0]; // ordered by creation
    BOOST_TEST(p.id == "p_1");
    BOOST_TEST(p.token_hash == "hash-p_1");
    BOOST_TEST(protocol::to_string(p.channel) == "web");
    BOOST_TEST(!p.group.has_value());
    BOOST_TEST(!p.lang.has_value());
    BOOST_TEST(!p.consent);
    BOOST_TEST(p.created_at == t0 + 1);
    auto const& k = s.participants[1];
    BOOST_TEST(k.id == "k_1");
    BOOST_TEST(k.token_hash.empty()); // no token: none stored, none read back
    BOOST_TEST(protocol::to_string(k.channel) == "kiosk");

    // The same participant again: group, language and consent change, the rest stays.
    auto changed = person("p_1", "enabler", true, t0 + 1);
    changed.lang = "cy";
    BOOST_TEST(persist(db, {changed}));
    s = only_snapshot(db);
    BOOST_TEST_REQUIRE(s.participants.size() == 2u);
    BOOST_TEST(s.participants[0].id == "p_1");
    BOOST_TEST(s.participants[0].group.value_or("-") == "enabler");
    BOOST_TEST(s.participants[0].lang.value_or("-") == "cy");
    BOOST_TEST(s.participants[0].consent);
    BOOST_TEST(s.participants[0].token_hash == "hash-p_1");
    BOOST_TEST(s.participants[0].created_at == t0 + 1);

    // And back to no group ("prefer not to say").
    BOOST_TEST(persist(db, {person("p_1", std::nullopt, true, t0 + 1)}));
    BOOST_TEST(!only_snapshot(db).participants[0].group.has_value());
}

BOOST_AUTO_TEST_CASE(a_saved_vote_replaces_the_earlier_value) {
    temp_db file;
    database db(file.options());
    seed(db);
    BOOST_TEST(persist(db, {vote("a_1", "p_1", 2, t0 + 10), vote("a_1", "p_2", 3, t0 + 11)}));
    BOOST_TEST(persist(db, {vote("a_1", "p_1", 5, t0 + 12)}));
    auto const s = only_snapshot(db);
    BOOST_TEST(votes_in(s) == (strings{"a_1 p_1 5", "a_1 p_2 3"}), tt::per_element());
    for (auto const& v : s.votes) {
        if (v.participant == "p_1") {
            BOOST_TEST(v.at == t0 + 12);
        }
    }
}

BOOST_AUTO_TEST_CASE(a_cleared_vote_is_deleted) {
    temp_db file;
    database db(file.options());
    seed(db);
    BOOST_TEST(persist(db, {vote("a_1", "p_1", 2), vote("a_1", "p_2", 3), vote("a_2", "p_1", 4)}));
    BOOST_TEST(persist(db, {vote_cleared{"w_1", "a_1", "p_1"}}));
    BOOST_TEST(votes_in(only_snapshot(db)) == (strings{"a_1 p_2 3", "a_2 p_1 4"}),
               tt::per_element());
    // Clearing what is not there is no error.
    BOOST_TEST(persist(db, {vote_cleared{"w_1", "a_1", "p_1"}}));
    BOOST_TEST(only_snapshot(db).votes.size() == 2u);
}

BOOST_AUTO_TEST_CASE(activity_and_workshop_states_and_the_current_activity_round_trip) {
    temp_db file;
    database db(file.options());
    seed(db);
    using protocol::activity_state;
    BOOST_TEST(persist(db, {activity_state_saved{"w_1", "a_1", activity_state::open, t0},
                            current_activity_saved{"w_1", "a_1"}}));
    auto s = only_snapshot(db);
    BOOST_TEST(protocol::to_string(s.activities[0].state) == "open");
    BOOST_TEST(protocol::to_string(s.activities[1].state) == "pending");
    BOOST_TEST(s.current_activity.value_or("-") == "a_1");

    BOOST_TEST(persist(db, {activity_state_saved{"w_1", "a_1", activity_state::closed, t0},
                            activity_state_saved{"w_1", "a_3", activity_state::open, t0},
                            current_activity_saved{"w_1", "a_3"}}));
    BOOST_TEST(
        persist(db, {activity_state_saved{"w_1", "a_1", activity_state::revealed, t0},
                     activity_state_saved{"w_1", "a_3", activity_state::closed, t0},
                     workshop_state_saved{"w_1", protocol::workshop_state::ended, t0 + 50}}));
    s = only_snapshot(db);
    BOOST_TEST(protocol::to_string(s.activities[0].state) == "revealed");
    BOOST_TEST(protocol::to_string(s.activities[1].state) == "pending");
    BOOST_TEST(protocol::to_string(s.activities[2].state) == "closed");
    BOOST_TEST(s.current_activity.value_or("-") == "a_3");
    BOOST_TEST(protocol::to_string(s.state) == "ended");

    // No current activity is stored as none.
    BOOST_TEST(persist(db, {current_activity_saved{"w_1", std::nullopt}}));
    BOOST_TEST(!only_snapshot(db).current_activity.has_value());
}

BOOST_AUTO_TEST_CASE(applied_ops_round_trip_once_each) {
    temp_db file;
    database db(file.options());
    seed(db);
    BOOST_TEST(persist(db, {op("op-1", "p_1"), op("op-1", "p_2"), op("op-2", "facilitator")}));
    // An op stored again (a resend that raced its first commit) is not an error, and it is
    // loaded once.
    BOOST_TEST(persist(db, {op("op-1", "p_1")}));
    BOOST_TEST(ops_in(only_snapshot(db)) == (strings{"facilitator op-2", "p_1 op-1", "p_2 op-1"}),
               tt::per_element());
}

// ---- group commit ------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(group_commit_writes_many_batches_in_few_transactions) {
    completions done;
    temp_db file;
    database db(file.options());
    writer_gate gate;
    seed(db);
    auto const commits = db.counters().commits.load();
    auto const batches = db.counters().batches.load();
    auto const records = db.counters().records.load();

    // 1000 batches: the first one holds the writer while the other 999 queue up.
    gate.hold(db, {op("op-0")});
    for (int i = 1; i < 1000; ++i) {
        BOOST_TEST_REQUIRE(
            db.try_persist({op("op-" + std::to_string(i), spread(i))}, done.make(i)));
    }
    BOOST_TEST(db.counters().queued.load() == 999u);
    gate.open();
    BOOST_TEST_REQUIRE(done.wait_for(999));
    BOOST_TEST(done.failed_tags().empty());

    BOOST_TEST(db.counters().batches.load() - batches == 1000u);
    BOOST_TEST(db.counters().records.load() - records == 1000u);
    // One transaction for the first batch, one for the 999 that waited.
    BOOST_TEST(db.counters().commits.load() - commits == 2u);
    BOOST_TEST(db.counters().failures.load() == 0u);
    BOOST_TEST(db.counters().queued.load() == 0u);
    BOOST_TEST(only_snapshot(db).ops.size() == 1000u);
}

BOOST_AUTO_TEST_CASE(max_group_bounds_the_batches_of_one_transaction) {
    completions done;
    temp_db file;
    auto options = file.options();
    options.max_group = 100;
    database db(options);
    writer_gate gate;
    seed(db);
    auto const commits = db.counters().commits.load();
    gate.hold(db, {op("op-0")});
    for (int i = 1; i < 1000; ++i) {
        BOOST_TEST_REQUIRE(
            db.try_persist({op("op-" + std::to_string(i), spread(i))}, done.make(i)));
    }
    gate.open();
    BOOST_TEST_REQUIRE(done.wait_for(999));
    // 1 (the gate) + 999 in groups of at most 100: 10.
    BOOST_TEST(db.counters().commits.load() - commits == 11u);
    BOOST_TEST(only_snapshot(db).ops.size() == 1000u);
}

BOOST_AUTO_TEST_CASE(a_failing_batch_fails_alone_and_its_group_lands) {
    completions done;
    temp_db file;
    database db(file.options());
    writer_gate gate;
    seed(db);
    gate.hold(db);
    auto const batches = db.counters().batches.load();
    auto const failures = db.counters().failures.load();

    // Three batches in one group; the middle one saves a participant of a workshop that does
    // not exist (foreign key). The others do not use that statement.
    BOOST_TEST_REQUIRE(db.try_persist({vote("a_1", "p_1", 4), op("op-a")}, done.make(1)));
    BOOST_TEST_REQUIRE(db.try_persist(
        {op("op-b", "p_9"), person("p_9", std::nullopt, true, t0, "w_404")}, done.make(2)));
    BOOST_TEST_REQUIRE(db.try_persist({vote("a_1", "p_2", 1), op("op-c", "p_2")}, done.make(3)));
    gate.open();
    BOOST_TEST_REQUIRE(done.wait_for(3));

    BOOST_TEST(done.tags() == (std::vector<int>{1, 2, 3}), tt::per_element());
    BOOST_TEST(done.failed_tags() == (std::vector<int>{2}), tt::per_element());
    BOOST_TEST(db.counters().failures.load() - failures == 1u);
    BOOST_TEST(db.counters().batches.load() - batches == 2u);
    auto const s = only_snapshot(db);
    BOOST_TEST(votes_in(s) == (strings{"a_1 p_1 4", "a_1 p_2 1"}), tt::per_element());
    // Nothing of the failed batch landed, not even its first record.
    BOOST_TEST(ops_in(s) == (strings{"p_1 op-a", "p_2 op-c"}), tt::per_element());
    BOOST_TEST(s.participants.size() == 2u);

    // The store goes on working.
    BOOST_TEST(persist(db, {vote("a_2", "p_1", 3), op("op-d")}));
    BOOST_TEST(only_snapshot(db).votes.size() == 3u);
}

BOOST_AUTO_TEST_CASE(a_batch_for_an_unknown_workshop_or_activity_fails) {
    temp_db file;
    database db(file.options());
    seed(db);
    auto const failures = db.counters().failures.load();
    BOOST_TEST(!persist(db, {person("p_3", std::nullopt, true, t0, "w_404")}));
    BOOST_TEST(!persist(db, {vote("a_404", "p_1", 3)}));
    BOOST_TEST(db.counters().failures.load() - failures == 2u);
    auto const s = only_snapshot(db);
    BOOST_TEST(s.participants.size() == 2u);
    BOOST_TEST(s.votes.empty());
}

// ---- the bounded queue -------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(a_full_queue_refuses_batches) {
    completions done;
    temp_db file;
    auto options = file.options();
    options.max_queued = 1;
    database db(options);
    writer_gate gate;
    seed(db);

    gate.hold(db); // the writer is busy; its queue is empty
    BOOST_TEST(db.has_room());
    BOOST_TEST(db.try_persist({op("op-kept")}, done.make(1)));
    BOOST_TEST(db.counters().queued.load() == 1u);
    BOOST_TEST(!db.has_room());
    BOOST_TEST(!db.try_persist({op("op-refused")}, done.make(2)));
    BOOST_TEST(db.counters().queued.load() == 1u);

    gate.open();
    BOOST_TEST_REQUIRE(done.wait_for(1));
    BOOST_TEST(persist(db, {})); // everything queued before it is done, too
    BOOST_TEST(db.has_room());
    BOOST_TEST(done.tags() == (std::vector<int>{1}), tt::per_element()); // the refused one: never
    BOOST_TEST(ops_in(only_snapshot(db)) == (strings{"p_1 op-kept"}), tt::per_element());
}

BOOST_AUTO_TEST_CASE(load_async_reads_after_the_batches_queued_before_it) {
    completions done;
    temp_db file;
    database db(file.options());
    writer_gate gate;
    seed(db);

    gate.hold(db);
    BOOST_TEST_REQUIRE(db.try_persist({vote("a_1", "p_1", 5), op("op-1")}, done.make(1)));
    auto loaded = std::make_shared<std::promise<std::optional<workshop_snapshot>>>();
    auto snapshot = loaded->get_future();
    auto completions_before_load = std::make_shared<std::size_t>(0);
    db.load_async("w_1", [loaded, completions_before_load, &done](auto s) {
        *completions_before_load = done.count();
        loaded->set_value(std::move(s));
    });
    auto missing = std::make_shared<std::promise<bool>>();
    auto missing_found = missing->get_future();
    db.load_async("w_404", [missing](auto s) { missing->set_value(s.has_value()); });
    gate.open();

    BOOST_TEST_REQUIRE((snapshot.wait_for(30s) == std::future_status::ready));
    auto const s = snapshot.get();
    BOOST_TEST_REQUIRE(s.has_value());
    BOOST_TEST(s->id == "w_1");
    BOOST_TEST(votes_in(*s) == (strings{"a_1 p_1 5"}), tt::per_element());
    BOOST_TEST(ops_in(*s) == (strings{"p_1 op-1"}), tt::per_element());
    BOOST_TEST(*completions_before_load == 1u);
    BOOST_TEST_REQUIRE((missing_found.wait_for(30s) == std::future_status::ready));
    BOOST_TEST(!missing_found.get());
}

// ---- settings and stopping ---------------------------------------------------------------

BOOST_AUTO_TEST_CASE(settings_are_read_and_written) {
    temp_db file;
    {
        database db(file.options());
        BOOST_TEST(!db.setting("admin_token_hash").has_value());
        db.set_setting("admin_token_hash", "first");
        db.set_setting("other", "x");
        BOOST_TEST(db.setting("admin_token_hash").value_or("-") == "first");
        db.set_setting("admin_token_hash", "second");
        BOOST_TEST(db.setting("admin_token_hash").value_or("-") == "second");
        BOOST_TEST(db.setting("other").value_or("-") == "x");
    }
    database db(file.options());
    BOOST_TEST(db.setting("admin_token_hash").value_or("-") == "second");
}

BOOST_AUTO_TEST_CASE(stop_finishes_every_queued_batch) {
    completions done;
    temp_db file;
    database db(file.options());
    writer_gate gate;
    seed(db);

    gate.hold(db);
    int const n = 300;
    for (int i = 0; i < n; ++i) {
        BOOST_TEST_REQUIRE(
            db.try_persist({op("op-" + std::to_string(i), spread(i))}, done.make(i)));
    }
    std::thread stopper([&db] { db.stop(); });
    // Wait until stop() has begun: from then on the store takes no new batches.
    auto const deadline = std::chrono::steady_clock::now() + 30s;
    while (db.has_room() && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(1ms);
    }
    bool const refused_while_stopping = !db.try_persist({op("op-late")}, done.make(-1));
    std::size_t const done_before_release = done.count();
    gate.open();
    stopper.join();

    BOOST_TEST(refused_while_stopping);
    BOOST_TEST(done_before_release == 0u);
    BOOST_TEST(done.count() == static_cast<std::size_t>(n)); // all of them, when stop() returned
    BOOST_TEST(done.failed_tags().empty());
    db.stop(); // idempotent
    BOOST_TEST(!db.try_persist({}, done.make(-2)));
    BOOST_TEST(!db.has_room());
    auto const ops = ops_in(only_snapshot(db));
    BOOST_TEST(ops.size() == static_cast<std::size_t>(n));
    BOOST_TEST(std::count(ops.begin(), ops.end(), "p_1 op-late") == 0);
}

// A failed statement must not spoil the statements that come after it.
BOOST_AUTO_TEST_CASE(a_failed_vote_spoils_neither_its_group_nor_later_votes) {
    completions done;
    temp_db file;
    database db(file.options());
    writer_gate gate;
    seed(db);
    auto const failures = db.counters().failures.load();

    gate.hold(db);
    // The middle batch votes for a participant that does not exist.
    BOOST_TEST_REQUIRE(db.try_persist({vote("a_1", "p_1", 4), op("op-a")}, done.make(1)));
    BOOST_TEST_REQUIRE(db.try_persist({op("op-b", "p_9"), vote("a_1", "p_9", 2)}, done.make(2)));
    BOOST_TEST_REQUIRE(db.try_persist({vote("a_1", "p_2", 1), op("op-c", "p_2")}, done.make(3)));
    gate.open();
    BOOST_TEST_REQUIRE(done.wait_for(3));

    BOOST_TEST(done.failed_tags() == (std::vector<int>{2}), tt::per_element());
    BOOST_TEST(db.counters().failures.load() - failures == 1u);
    auto const s = only_snapshot(db);
    BOOST_TEST(votes_in(s) == (strings{"a_1 p_1 4", "a_1 p_2 1"}), tt::per_element());
    BOOST_TEST(ops_in(s) == (strings{"p_1 op-a", "p_2 op-c"}), tt::per_element());

    // Later votes are written as before.
    BOOST_TEST(persist(db, {vote("a_2", "p_1", 3)}));
    BOOST_TEST(only_snapshot(db).votes.size() == 3u);
}

BOOST_AUTO_TEST_CASE(applied_ops_are_pruned_to_each_actor_s_last_ones) {
    // The ops table stays bounded: an actor's op beyond its last ops_remembered_per_actor
    // deletes its oldest. What is loaded back is, per actor, in the order applied, and ends
    // with the actor's latest ops.
    temp_db file;
    auto options = file.options();
    constexpr auto window = cylch::store::ops_remembered_per_actor;
    {
        database db(options);
        BOOST_TEST_REQUIRE(
            persist(db, {workshop_created{"w_1", "123456", definition, "hf", "hp", {}, t0}}));
        for (int i = 0; i < 1000; ++i) {
            BOOST_TEST_REQUIRE(
                persist(db, {op_saved{"w_1", "p_busy", "op-" + std::to_string(i), t0 + i}}));
            if (i % 100 == 0) {
                BOOST_TEST_REQUIRE(persist(
                    db, {op_saved{"w_1", "p_quiet", "quiet-" + std::to_string(i), t0 + i}}));
            }
        }
    }
    SQLite::Database check(file.path, SQLite::OPEN_READONLY);
    BOOST_TEST(check.execAndGet("SELECT count(*) FROM ops WHERE actor_id = 'p_busy'").getInt() ==
               static_cast<int>(window));
    BOOST_TEST(check.execAndGet("SELECT count(*) FROM ops WHERE actor_id = 'p_quiet'").getInt() ==
               10);

    database db(options);
    auto const s = only_snapshot(db);
    auto const busy = ops_of(s, "p_busy");
    BOOST_TEST_REQUIRE(busy.size() == window);
    BOOST_TEST(busy.back() == "op-999");
    BOOST_TEST(busy.front() == "op-" + std::to_string(1000 - window));
}

BOOST_AUTO_TEST_CASE(a_restart_keeps_the_window_and_trims_rows_an_older_server_left) {
    // After a restart the writer reads each actor's rows again: the window goes on where it
    // was, and rows beyond it (an older server pruned only now and then) go at the first op.
    temp_db file;
    constexpr auto window = cylch::store::ops_remembered_per_actor;
    {
        database db(file.options());
        BOOST_TEST_REQUIRE(
            persist(db, {workshop_created{"w_1", "123456", definition, "hf", "hp", {}, t0}}));
        BOOST_TEST_REQUIRE(persist(db, {op_saved{"w_1", "p_ann", "first", t0}}));
    }
    {
        SQLite::Database raw(file.path, SQLite::OPEN_READWRITE);
        for (int i = 0; i < 200; ++i) {
            raw.exec("INSERT INTO ops (workshop_id, actor_id, op, at) VALUES ('w_1', 'p_old', "
                     "'old-" +
                     std::to_string(i) + "', 1)");
        }
    }
    {
        database db(file.options());
        BOOST_TEST_REQUIRE(persist(db, {op_saved{"w_1", "p_ann", "second", t0 + 1}}));
    }
    SQLite::Database check(file.path, SQLite::OPEN_READONLY);
    BOOST_TEST(check.execAndGet("SELECT count(*) FROM ops WHERE actor_id = 'p_old'").getInt() ==
               static_cast<int>(window));
    BOOST_TEST(check.execAndGet("SELECT min(op) FROM ops WHERE actor_id = 'p_old'").getString() ==
               "old-136"); // the last 64 of old-0 … old-199 (by text, old-136 sorts first)
    BOOST_TEST(check.execAndGet("SELECT count(*) FROM ops WHERE actor_id = 'p_ann'").getInt() == 2);

    database db(file.options());
    auto const s = only_snapshot(db);
    auto const old = ops_of(s, "p_old");
    BOOST_TEST_REQUIRE(old.size() == window);
    BOOST_TEST(old.front() == "old-136");
    BOOST_TEST(old.back() == "old-199");
}

BOOST_AUTO_TEST_SUITE_END()
