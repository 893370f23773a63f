#include "server/live/registry.hpp"

#include <boost/test/unit_test.hpp>

#include "tests/support/store_support.hpp"

#include "server/auth/tokens.hpp"
#include "server/log.hpp"
#include "shared/protocol/codec.hpp"
#include "shared/protocol/workshop_file.hpp"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

#include <algorithm>
#include <condition_variable>
#include <future>
#include <mutex>
#include <thread>

// Ended workshops are not held in memory: loaded when asked for, dropped when idle, and at a
// restart only the live ones are read whole (docs/operations.md, Data).

namespace {

namespace asio = boost::asio;
namespace live = cylch::live;
namespace protocol = cylch::protocol;
namespace store = cylch::store;
using namespace std::chrono_literals;

constexpr char const* file = R"json({
  "title": {"en": "Pilot"},
  "activities": [{"kind": "likert", "statement": {"en": "Useful?"}}]
})json";

// A connection as the actor sees it: keeps the frames it is given.
struct recorder : live::subscriber {
    explicit recorder(std::uint64_t id)
        : id_(id) {}
    void deliver(live::shared_frame frame, live::frame_kind) override {
        std::lock_guard lock(mutex_);
        frames_.push_back(*frame);
        arrived_.notify_all();
    }
    void close(live::close_reason) override {}
    std::uint64_t subscriber_id() const override { return id_; }

    // How many frames so far contain `part`.
    std::size_t count_of(std::string const& part) {
        std::lock_guard lock(mutex_);
        return static_cast<std::size_t>(
            std::count_if(frames_.begin(), frames_.end(),
                          [&](std::string const& f) { return f.find(part) != std::string::npos; }));
    }

    // Where the first frame that contains `part` is among the frames so far (-1: none yet).
    int index_of(std::string const& part) {
        std::lock_guard lock(mutex_);
        for (std::size_t i = 0; i < frames_.size(); ++i) {
            if (frames_[i].find(part) != std::string::npos) {
                return static_cast<int>(i);
            }
        }
        return -1;
    }

    // Waits (up to 5 s) until `n` frames contain `part`.
    void wait_for_count(std::string const& part, std::size_t n) {
        for (int i = 0; i < 500 && count_of(part) < n; ++i) {
            std::this_thread::sleep_for(10ms);
        }
        BOOST_TEST_REQUIRE(count_of(part) >= n, "fewer than " << n << " frames with " << part);
    }

    // The first frame that contains `part`, waiting up to 5 s.
    std::string wait_for(std::string const& part) {
        std::unique_lock lock(mutex_);
        std::string found;
        arrived_.wait_for(lock, 5s, [&] {
            for (auto const& f : frames_) {
                if (f.find(part) != std::string::npos) {
                    found = f;
                    return true;
                }
            }
            return false;
        });
        BOOST_TEST_REQUIRE(!found.empty(), "no frame with " << part);
        return found;
    }

private:
    std::uint64_t id_;
    std::mutex mutex_;
    std::condition_variable arrived_;
    std::vector<std::string> frames_;
};

// A store and a registry on one database, with two I/O threads; stop() is a clean stop.
struct server_parts {
    explicit server_parts(std::string const& path, live::actor_options options = {})
        : db(store::store_options{path})
        , workshops(ioc.get_executor(), db, options, metrics, live::registry_options{100ms}) {
        workshops.restore(db.load_live(), db.load_ended());
        for (int i = 0; i < 2; ++i) {
            threads.emplace_back([this] { ioc.run(); });
        }
    }
    ~server_parts() { stop(); }
    void stop() {
        if (threads.empty()) {
            return;
        }
        workshops.halt();
        work.reset();
        for (auto& t : threads) {
            t.join();
        }
        threads.clear();
        db.stop();
    }

    // What registry::find_by_id or find_by_code hands over, waiting up to 10 s.
    using finder = void (live::registry::*)(std::string const&, live::registry::found_handler);
    std::shared_ptr<live::workshop_actor> find(finder how, std::string const& key) {
        std::promise<std::shared_ptr<live::workshop_actor>> p;
        (workshops.*how)(key, [&p](auto actor) { p.set_value(std::move(actor)); });
        auto f = p.get_future();
        BOOST_TEST_REQUIRE((f.wait_for(10s) == std::future_status::ready));
        return f.get();
    }
    std::shared_ptr<live::workshop_actor> find_by_id(std::string const& id) {
        return find(&live::registry::find_by_id, id);
    }
    std::shared_ptr<live::workshop_actor> find_by_code(std::string const& code) {
        return find(&live::registry::find_by_code, code);
    }
    live::created_workshop create() {
        std::promise<std::optional<live::created_workshop>> made;
        workshops.create(std::get<protocol::workshop_spec>(protocol::parse_workshop_file(file)),
                         file, [&made](auto w) { made.set_value(std::move(w)); });
        auto w = made.get_future().get();
        BOOST_TEST_REQUIRE(w.has_value());
        return *w;
    }
    // Waits (up to 5 s) until `n` workshops are in memory.
    bool in_memory(std::size_t n) {
        for (int i = 0; i < 500 && workshops.all().size() != n; ++i) {
            std::this_thread::sleep_for(10ms);
        }
        return workshops.all().size() == n;
    }

    asio::io_context ioc;
    asio::executor_work_guard<asio::io_context::executor_type> work{ioc.get_executor()};
    cylch::metrics metrics;
    store::store db;
    live::registry workshops;
    std::vector<std::thread> threads;
};

// The hello of the workshop's facilitator, with the link token.
protocol::hello facilitator_hello(live::created_workshop const& w) {
    protocol::hello h;
    h.role = protocol::role::facilitator;
    h.workshop = w.id;
    h.token = w.facilitator_token;
    return h;
}

// The facilitator ends the workshop and leaves.
void end(live::workshop_actor& actor, live::created_workshop const& w) {
    auto fac = std::make_shared<recorder>(1);
    actor.join(fac, facilitator_hello(w));
    fac->wait_for("\"welcome\"");
    actor.request(1, protocol::workshop_end{"op-end-0123456789abcdef"});
    fac->wait_for("\"ack\"");
    actor.leave(1);
}

std::string state_of(live::workshop_actor& actor) {
    std::promise<std::string> state;
    actor.inspect([&state](cylch::domain::workshop const& ws) {
        state.set_value(std::string(protocol::to_string(ws.state())));
    });
    return state.get_future().get();
}

} // namespace

BOOST_AUTO_TEST_SUITE(registry_ended)

BOOST_AUTO_TEST_CASE(an_ended_workshop_is_dropped_when_idle_and_loaded_again_when_asked_for) {
    cylch::auth::init();
    cylch::log::set_level(cylch::log::level::warn);
    cylch::test::temp_db path;
    server_parts s(path.path);
    auto const w = s.create();
    auto const live = s.create();
    auto first = s.find_by_id(w.id);
    BOOST_TEST_REQUIRE(first != nullptr);
    end(*first, w);
    // Idle for 100 ms: dropped; the live one stays.
    BOOST_TEST(s.in_memory(1));
    BOOST_TEST(s.workshops.all().at(0)->id() == live.id);
    BOOST_TEST(s.metrics.workshops.load() == 1);
    BOOST_TEST(s.workshops.count() == 2u);
    BOOST_TEST(s.workshops.facilitator_token_hash(w.id).value_or("") ==
               cylch::auth::hash_token(w.facilitator_token));

    // Asked for again (twice at once: one load answers both): a new actor, as it was stored.
    std::promise<std::shared_ptr<live::workshop_actor>> a, b;
    s.workshops.find_by_id(w.id, [&a](auto x) { a.set_value(std::move(x)); });
    s.workshops.find_by_code(w.code, [&b](auto x) { b.set_value(std::move(x)); });
    auto again = a.get_future().get();
    BOOST_TEST_REQUIRE(again != nullptr);
    BOOST_TEST(again == b.get_future().get());
    BOOST_TEST(again != first);
    BOOST_TEST(again->ended());
    BOOST_TEST(state_of(*again) == "ended");

    // Someone connected keeps it in memory however long it is idle.
    auto watcher = std::make_shared<recorder>(2);
    again->join(watcher, facilitator_hello(w));
    watcher->wait_for("\"welcome\"");
    std::this_thread::sleep_for(400ms);
    BOOST_TEST(s.workshops.all().size() == 2u);
    again->leave(2);
    BOOST_TEST(s.in_memory(1));

    // Unknown ids and codes are reported at once.
    BOOST_TEST(s.find_by_id("w_nothing") == nullptr);
    BOOST_TEST(s.find_by_code("000000") == nullptr);
    BOOST_TEST(!s.workshops.facilitator_token_hash("w_nothing"));
}

BOOST_AUTO_TEST_CASE(a_restart_reads_only_the_live_workshops_whole) {
    cylch::auth::init();
    cylch::log::set_level(cylch::log::level::warn);
    cylch::test::temp_db path;
    live::created_workshop ended, running;
    {
        server_parts s(path.path);
        ended = s.create();
        running = s.create();
        end(*s.find_by_id(ended.id), ended);
    }
    store::store db(store::store_options{path.path});
    BOOST_TEST(db.load_live().size() == 1u);
    BOOST_TEST_REQUIRE(db.load_ended().size() == 1u);
    BOOST_TEST(db.load_ended().at(0).id == ended.id);
    BOOST_TEST(db.load_ended().at(0).code == ended.code);
    db.stop();

    server_parts s(path.path);
    BOOST_TEST(s.workshops.all().size() == 1u);
    BOOST_TEST(s.workshops.all().at(0)->id() == running.id);
    BOOST_TEST(s.workshops.count() == 2u);
    auto loaded = s.find_by_code(ended.code);
    BOOST_TEST_REQUIRE(loaded != nullptr);
    BOOST_TEST(loaded->id() == ended.id);
    BOOST_TEST(state_of(*loaded) == "ended");
    BOOST_TEST(s.workshops.all().size() == 2u);
}

BOOST_AUTO_TEST_SUITE_END()

// A flush that comes due while answers are still being committed waits for them (so a burst
// is summed up once it has landed), but never more than one more interval.
BOOST_AUTO_TEST_SUITE(flush_settling)

// Holds the store's writer thread until released: every write queued meanwhile waits.
struct writer_hold {
    explicit writer_hold(store::store& db) {
        db.load_image_async("i_none", [this](auto) {
            held.set_value();
            release.get_future().wait();
        });
        held.get_future().wait();
    }
    ~writer_hold() { let_go(); }
    void let_go() {
        if (!released) {
            released = true;
            release.set_value();
        }
    }
    std::promise<void> held;
    std::promise<void> release;
    bool released = false;
};

live::actor_options flushing(std::chrono::milliseconds interval,
                             std::chrono::microseconds per_member) {
    live::actor_options o;
    o.flush_interval = interval;
    o.flush_per_member = per_member;
    return o;
}

// A workshop with a facilitator (subscriber 1) and a participant who consented (2).
struct room {
    explicit room(live::actor_options options)
        : s(path.path, options) {
        cylch::log::set_level(cylch::log::level::warn);
        w = s.create();
        actor = s.find_by_id(w.id);
        BOOST_TEST_REQUIRE(actor != nullptr);
        std::promise<std::string> first;
        actor->inspect([&first](cylch::domain::workshop const& ws) {
            first.set_value(ws.activities().at(0).id);
        });
        a = first.get_future().get();
        actor->join(fac, facilitator_hello(w));
        fac->wait_for("\"welcome\"");
        ann = participant(2);
    }
    // A participant who joins as subscriber `id` and consents.
    std::shared_ptr<recorder> participant(std::uint64_t id) {
        auto who = std::make_shared<recorder>(id);
        protocol::hello p;
        p.code = w.code;
        actor->join(who, p);
        who->wait_for("\"welcome\"");
        auto const op = "op-profile-" + std::to_string(id) + "-0123456789";
        actor->request(id, protocol::profile{op, true, std::nullopt, true, {}});
        who->wait_for(op);
        return who;
    }
    // Opens the activity and waits for the tally that follows (one more summary frame to the
    // facilitator); the next flush is due one interval after it.
    void open_and_wait_for_its_tally() {
        auto const tallies = fac->count_of("\"type\":\"summary\"");
        open();
        fac->wait_for_count("\"type\":\"summary\"", tallies + 1);
    }
    void open() {
        actor->request(1, protocol::activity_command{"op-open-0123456789ab",
                                                     protocol::activity_command::verb::open, a});
        fac->wait_for("op-open-0123456789ab");
    }
    ~room() {
        actor->leave(1);
        actor->leave(2);
    }

    cylch::test::temp_db path;
    server_parts s;
    live::created_workshop w;
    std::shared_ptr<live::workshop_actor> actor;
    std::string a; // the activity
    std::shared_ptr<recorder> fac = std::make_shared<recorder>(1);
    std::shared_ptr<recorder> ann;
};

struct settling_fixture : room {
    settling_fixture()
        : room(flushing(500ms, 25us)) {
        open(); // its summary went out with the ack: the next flush is due 500 ms from now
    }
};

BOOST_FIXTURE_TEST_CASE(a_tally_due_while_an_answer_is_committed_waits_for_the_commit,
                        settling_fixture) {
    {
        writer_hold hold(s.db);
        actor->request(2, protocol::vote{"op-vote-0123456789ab", a, 4});
        // Past the flush's due time (500 ms after the opening's), within its one extra
        // interval: the tally waits for the vote's commit.
        std::this_thread::sleep_for(700ms);
        BOOST_TEST(fac->index_of("\"n\":1") == -1);
    }
    // Committed: the ack, then the tally that counts the vote.
    ann->wait_for("op-vote-0123456789ab");
    fac->wait_for("\"n\":1");
    ann->wait_for("\"n\":1");
    BOOST_TEST(ann->index_of("op-vote-0123456789ab") < ann->index_of("\"n\":1"));
}

BOOST_FIXTURE_TEST_CASE(a_tally_waits_at_most_one_more_interval_for_commits, settling_fixture) {
    writer_hold hold(s.db);
    actor->request(2, protocol::vote{"op-vote-0123456789ab", a, 4});
    // The commit is held for as long as it takes: the tally goes without it.
    fac->wait_for("\"n\":1");
    ann->wait_for("\"n\":1");
    BOOST_TEST(ann->index_of("op-vote-0123456789ab") == -1);
    hold.let_go();
    ann->wait_for("op-vote-0123456789ab");
}

BOOST_AUTO_TEST_CASE(a_large_audience_s_first_tally_after_a_quiet_spell_counts_what_follows) {
    // 150 ms per member: the two members' interval is stretched to 300 ms, as 10,000 members'
    // is to 250 ms by the server's 25 µs.
    room r(flushing(50ms, 150us * 1000));
    r.fac->wait_for("\"online\":1");    // the last flush: the participant's arrival
    std::this_thread::sleep_for(400ms); // a quiet spell, longer than the interval
    r.open();
    r.actor->request(2, protocol::vote{"op-vote-0123456789ab", r.a, 4});
    // The opening's tally waits one interval and counts the vote that followed it; no tally of
    // none went to the participant before.
    r.ann->wait_for("\"n\":1");
    BOOST_TEST(r.ann->index_of("\"n\":0") == -1);
    BOOST_TEST(r.ann->index_of("\"type\":\"activity\"") < r.ann->index_of("\"n\":1"));
}

BOOST_AUTO_TEST_CASE(a_due_tally_waits_for_the_answers_to_pause) {
    auto options = flushing(500ms, 25us);
    options.settle_quiet = 400ms; // the server's 5 ms, stretched to be measurable here
    room r(options);
    auto bob = r.participant(3);
    r.open_and_wait_for_its_tally();
    auto const t0 = std::chrono::steady_clock::now(); // the next flush is due at t0 + 500 ms
    std::this_thread::sleep_until(t0 + 300ms);
    r.actor->request(2, protocol::vote{"op-vote-ann-01234567", r.a, 4});
    r.ann->wait_for("op-vote-ann-01234567");
    // Past the due time, less than 400 ms after Ann's answer: the tally still waits.
    std::this_thread::sleep_until(t0 + 600ms);
    r.actor->request(3, protocol::vote{"op-vote-bob-01234567", r.a, 2});
    bob->wait_for("op-vote-bob-01234567");
    // Once they paused: one tally that counts both, none that counted one.
    r.fac->wait_for("\"n\":2");
    BOOST_TEST(r.fac->index_of("\"n\":1") == -1);
    r.actor->leave(3);
}

BOOST_AUTO_TEST_CASE(after_a_tally_sent_at_its_limit_the_next_waits_only_for_a_pause) {
    room r(flushing(1000ms, 25us)); // a pause: a tenth of the interval, 100 ms
    auto bob = r.participant(3);
    r.open_and_wait_for_its_tally();
    writer_hold hold(r.s.db);
    r.actor->request(2, protocol::vote{"op-vote-ann-01234567", r.a, 4});
    // Due 1 s after the opening's tally, it waits for Ann's commit, which is held: at its
    // limit, another second on, it goes without it.
    r.fac->wait_for("\"n\":1");
    auto const first = std::chrono::steady_clock::now();
    r.actor->request(3, protocol::vote{"op-vote-bob-01234567", r.a, 2});
    hold.let_go();
    // The next waits only for the commits and a pause, not for another interval.
    r.fac->wait_for("\"n\":2");
    BOOST_TEST((std::chrono::steady_clock::now() - first < 700ms));
    r.actor->leave(3);
}

BOOST_AUTO_TEST_SUITE_END()
