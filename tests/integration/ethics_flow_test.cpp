// Research ethics over the wire (docs/protocol.md, "Small cells", "Withdrawal and erasure";
// docs/operations.md, "Backups"): what a presenter's screen receives, a withdrawal and a staff
// erasure seen by the others, and a backup taken while votes keep coming.
#include "tests/support/child_process.hpp"
#include "tests/support/test_server.hpp"

#include <boost/test/unit_test.hpp>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <filesystem>
#include <mutex>
#include <regex>
#include <set>
#include <thread>

using cylch::test::http;
using cylch::test::new_op;
using cylch::test::ws_client;
using nlohmann::json;

namespace {

constexpr char const* three_groups = R"json({
  "title": {"en": "Ethics"},
  "groups": [
    {"id": "a", "label": {"en": "A"}},
    {"id": "b", "label": {"en": "B"}},
    {"id": "c", "label": {"en": "C"}}
  ],
  "activities": [{"kind": "likert", "statement": {"en": "First"}, "scale": 5},
                 {"kind": "board", "prompt": {"en": "Ideas"}, "dots_per_person": 2}]
})json";

struct created {
    std::string id, code, facilitator, presenter;
    std::string a1; // the first activity's id
};

created create(std::uint16_t port) {
    auto r = http(port, "POST", "/api/workshops", three_groups, cylch::test::admin_token);
    BOOST_TEST_REQUIRE(r.status == 201, r.body);
    auto j = r.json();
    created w{j["id"], j["code"], j["facilitator_token"], j["presenter_token"], {}};
    w.a1 = http(port, "GET", "/api/workshops/" + w.id, "", w.facilitator).json()["agenda"][0]["id"];
    return w;
}

ws_client staff(std::uint16_t port, created const& w, std::string const& role) {
    ws_client c(port);
    c.send(json{{"type", "hello"},
                {"v", 1},
                {"role", role},
                {"workshop", w.id},
                {"token", role == "facilitator" ? w.facilitator : w.presenter}});
    c.expect("welcome");
    return c;
}

// A participant who joined, chose a group and answered; `token` to come back with.
struct participant {
    ws_client ws;
    std::string token;
};

// Joins as a new participant. Respondent numbers follow joining times in ms, and two joins in
// the same millisecond are numbered by their random ids: the join waits for the next
// millisecond first, so that people joining one after another are r1, r2, … in that order.
participant join(std::uint16_t port, created const& w, std::string const& group) {
    auto const ms = [] {
        return std::chrono::duration_cast<std::chrono::milliseconds>(
                   std::chrono::system_clock::now().time_since_epoch())
            .count();
    };
    for (auto const start = ms(); ms() == start;) {
        std::this_thread::yield();
    }
    participant p{ws_client(port), {}};
    p.ws.send(json{{"type", "hello"}, {"v", 1}, {"role", "participant"}, {"code", w.code}});
    p.token = p.ws.expect("welcome")["you"]["token"];
    auto op = new_op();
    p.ws.send(json{{"type", "profile"}, {"op", op}, {"group", group}});
    BOOST_TEST_REQUIRE(p.ws.reply_to(op)["type"] == "ack");
    return p;
}

// The next summary frame whose n is `n` (earlier ones are skipped).
json summary_with(ws_client& c, int n) {
    for (int i = 0; i < 200; ++i) {
        auto f = c.expect("summary");
        if (f["n"] == n) {
            return f;
        }
    }
    BOOST_FAIL("no summary with n = " << n);
    return {};
}

} // namespace

BOOST_AUTO_TEST_SUITE(ethics_flow)

BOOST_AUTO_TEST_CASE(the_presenter_never_receives_a_small_group) {
    cylch::test::test_server server(false);
    auto const w = create(server.port());
    auto fac = staff(server.port(), w, "facilitator");
    auto pres = staff(server.port(), w, "presenter");
    auto op = new_op();
    fac.send(json{{"type", "activity.open"}, {"op", op}, {"activity", w.a1}});
    BOOST_TEST_REQUIRE(fac.reply_to(op)["type"] == "ack");
    std::vector<participant> people;
    for (auto const* g : {"a", "b", "b", "b", "c", "c", "c", "c", "c"}) {
        people.push_back(join(server.port(), w, g));
        auto& p = people.back();
        auto const vop = new_op();
        p.ws.send(json{{"type", "vote"}, {"op", vop}, {"activity", w.a1}, {"value", 4}});
        BOOST_TEST_REQUIRE(p.ws.reply_to(vop)["type"] == "ack");
    }
    auto const shown = summary_with(pres, 9);
    BOOST_TEST(shown["by_group"]["a"] == json({{"suppressed", true}}));
    BOOST_TEST(shown["by_group"]["b"] == json({{"suppressed", true}})); // else 9 − 5 − b = a
    BOOST_TEST(shown["by_group"]["c"]["n"] == 5);
    BOOST_TEST(shown["min_cell"] == 3);
    auto const marked = summary_with(fac, 9);
    BOOST_TEST(marked["by_group"]["a"]["n"] == 1);
    BOOST_TEST(marked["by_group"]["a"]["suppressed"] == true);

    // The results API: everything for staff by default, the shared screens' form on request.
    auto const full =
        http(server.port(), "GET", "/api/workshops/" + w.id + "/results", "", w.facilitator).json();
    BOOST_TEST(full["activities"][0]["summary"]["by_group"]["a"]["n"] == 1);
    auto const published =
        http(server.port(), "GET", "/api/workshops/" + w.id + "/results?publishable=1", "",
             w.facilitator)
            .json();
    BOOST_TEST(published["activities"][0]["summary"]["by_group"]["a"] ==
               json({{"suppressed", true}}));
    auto const csv = http(server.port(), "GET",
                          "/api/workshops/" + w.id + "/export.csv?publishable=1", "", w.facilitator)
                         .body;
    BOOST_TEST(csv.find(",a,") == std::string::npos);
    BOOST_TEST(csv.find(",suppressed,") != std::string::npos);
    BOOST_TEST(csv.find(",c,") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_withdrawal_and_a_staff_erasure_reach_every_screen) {
    cylch::test::test_server server(false);
    auto const w = create(server.port());
    auto fac = staff(server.port(), w, "facilitator");
    auto pres = staff(server.port(), w, "presenter");
    auto op = new_op();
    fac.send(json{{"type", "activity.open"}, {"op", op}, {"activity", w.a1}});
    BOOST_TEST_REQUIRE(fac.reply_to(op)["type"] == "ack");
    std::vector<participant> people;
    for (auto const* g : {"a", "b", "c", "c"}) {
        people.push_back(join(server.port(), w, g));
        auto const vop = new_op();
        people.back().ws.send(
            json{{"type", "vote"}, {"op", vop}, {"activity", w.a1}, {"value", 2}});
        BOOST_TEST_REQUIRE(people.back().ws.reply_to(vop)["type"] == "ack");
    }
    summary_with(pres, 4);

    // The first withdraws: acknowledged, their connection closed, the presenter drops to 3.
    auto& first = people[0];
    op = new_op();
    first.ws.send(json{{"type", "withdraw"}, {"op", op}});
    BOOST_TEST(first.ws.reply_to(op)["type"] == "ack");
    BOOST_TEST(first.ws.wait_closed() != 0);
    summary_with(pres, 3);
    // Their token no longer joins.
    ws_client again(server.port());
    again.send(json{{"type", "hello"},
                    {"v", 1},
                    {"role", "participant"},
                    {"code", w.code},
                    {"token", first.token}});
    BOOST_TEST(again.expect("error")["code"] == "not_found");

    // Staff erase r2 (the second to join) by respondent number.
    auto const base = "/api/workshops/" + w.id + "/respondents/";
    BOOST_TEST(http(server.port(), "DELETE", base + "r2").status == 403); // no token
    BOOST_TEST(http(server.port(), "DELETE", base + "r2", "", "wrong-token-000000").status == 403);
    BOOST_TEST(http(server.port(), "GET", base + "r2", "", w.facilitator).status == 405);
    BOOST_TEST(http(server.port(), "DELETE", base + "r2", "", w.facilitator).status == 204);
    summary_with(pres, 2);
    BOOST_TEST(people[1].ws.wait_closed() != 0);
    BOOST_TEST(http(server.port(), "DELETE", base + "r2", "", w.facilitator).status == 404);
    BOOST_TEST(http(server.port(), "DELETE", base + "r1", "", w.facilitator).status == 404);
    BOOST_TEST(http(server.port(), "DELETE", base + "r99", "", w.facilitator).status == 404);
    BOOST_TEST(http(server.port(), "DELETE", base + "x7", "", w.facilitator).status == 404);
    BOOST_TEST(http(server.port(), "DELETE", base + "r3", "", cylch::test::admin_token).status ==
               204);
    summary_with(pres, 1);
    // Numbers do not shift: r4 is still the fourth to join, and its vote is the one left.
    auto const csv =
        http(server.port(), "GET", "/api/workshops/" + w.id + "/export.csv", "", w.facilitator)
            .body;
    BOOST_TEST(csv.find(",r4,") != std::string::npos);
    BOOST_TEST(csv.find(",r1,") == std::string::npos);
    BOOST_TEST(csv.find(",r2,") == std::string::npos);
    // The staff list counts the one participant left, not the three who withdrew or were erased.
    auto const list = http(server.port(), "GET", "/api/workshops", "", cylch::test::admin_token);
    BOOST_TEST_REQUIRE(list.status == 200, list.body);
    auto const listed = list.json();
    BOOST_TEST_REQUIRE(listed["workshops"].size() == 1u, list.body);
    BOOST_TEST(listed["workshops"][0]["participants"] == 1);
}

// `cylch-server backup` while a real server takes votes: every vote acknowledged before the
// backup started is in the copy, and the copy passes PRAGMA integrity_check.
BOOST_AUTO_TEST_CASE(a_backup_taken_while_votes_arrive_holds_every_acknowledged_vote) {
    cylch::test::temp_dir dir;
    auto const db = dir.file("cylch.db");
    auto const copy = dir.file("backup.db");
    cylch::test::child_process server({CYLCH_SERVER_BINARY, "--bind", "127.0.0.1", "--port", "0",
                                       "--db", db, "--import", cylch::test::template_path(),
                                       "--log-level", "warn"});
    std::string head;
    std::smatch m;
    auto line =
        server.line_matching(std::regex("listening on http://127\\.0\\.0\\.1:(\\d+)"), &head);
    BOOST_TEST_REQUIRE(std::regex_search(line, m, std::regex(":(\\d+)")), head);
    auto const port = static_cast<std::uint16_t>(std::stoi(m[1].str()));
    line = server.line_matching(std::regex("workshop: (w_\\w+)"), &head);
    BOOST_TEST_REQUIRE(std::regex_search(line, m, std::regex("workshop: (w_\\w+)")), head);
    auto const workshop = m[1].str();
    line = server.line_matching(std::regex("code: (\\d+)"), &head);
    BOOST_TEST_REQUIRE(std::regex_search(line, m, std::regex("code: (\\d+)")), head);
    auto const code = m[1].str();
    line = server.line_matching(std::regex("facilitator token: (\\S+)"), &head);
    BOOST_TEST_REQUIRE(std::regex_search(line, m, std::regex("facilitator token: (\\S+)")), head);
    auto const fac_token = m[1].str();
    ws_client fac(port);
    fac.send(json{{"type", "hello"},
                  {"v", 1},
                  {"role", "facilitator"},
                  {"workshop", workshop},
                  {"token", fac_token}});
    std::string const a0 = fac.expect("welcome")["agenda"][0]["id"];
    auto op = new_op();
    fac.send(json{{"type", "activity.open"}, {"op", op}, {"activity", a0}});
    BOOST_TEST_REQUIRE(fac.reply_to(op)["type"] == "ack");

    // One participant after another joins and votes; the ops of acknowledged votes are kept.
    std::mutex mutex;
    std::vector<std::string> acked;
    std::atomic<bool> stop{false};
    std::thread voter([&] {
        while (!stop.load()) {
            ws_client p(port);
            p.send(json{{"type", "hello"}, {"v", 1}, {"role", "participant"}, {"code", code}});
            p.expect("welcome");
            auto const consent = new_op();
            p.send(json{{"type", "profile"}, {"op", consent}, {"consent", true}});
            p.reply_to(consent);
            auto const v = new_op();
            p.send(json{{"type", "vote"}, {"op", v}, {"activity", a0}, {"value", 3}});
            if (p.reply_to(v)["type"] == "ack") {
                std::lock_guard lock(mutex);
                acked.push_back(v);
            }
        }
    });
    auto acked_so_far = [&] {
        std::lock_guard lock(mutex);
        return acked;
    };
    while (acked_so_far().size() < 30) {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    auto const before = acked_so_far();
    cylch::test::child_process backup({CYLCH_SERVER_BINARY, "backup", "--db", db, copy});
    auto const said = backup.rest();
    auto const status = backup.wait_exit();
    auto const after = acked_so_far().size();
    stop = true;
    voter.join();
    BOOST_TEST_REQUIRE(status == 0, said);
    BOOST_TEST(after > before.size()); // votes went on while the copy was made

    SQLite::Database copied(copy, SQLite::OPEN_READONLY);
    BOOST_TEST(copied.execAndGet("PRAGMA integrity_check").getString() == "ok");
    std::set<std::string> ops;
    SQLite::Statement q(copied, "SELECT op FROM ops");
    while (q.executeStep()) {
        ops.insert(q.getColumn(0).getString());
    }
    for (auto const& v : before) {
        BOOST_TEST(ops.contains(v), v << " was acknowledged before the backup");
    }
    BOOST_TEST(copied.execAndGet("SELECT count(*) FROM votes").getInt() >=
               static_cast<int>(before.size()));
    server.signal(SIGTERM);
    BOOST_TEST(server.wait_exit() == 0);

    // The restore steps of docs/operations.md: the server stopped, its files kept aside, the
    // copy put in their place; started on it, the workshop and every vote acknowledged before
    // the backup are back.
    for (auto const* suffix : {"", "-wal", "-shm"}) {
        std::error_code ec;
        std::filesystem::rename(db + suffix, db + suffix + ".before-restore", ec);
    }
    std::filesystem::copy_file(copy, db);
    cylch::test::child_process restored({CYLCH_SERVER_BINARY, "--bind", "127.0.0.1", "--port", "0",
                                         "--db", db, "--log-level", "warn"});
    line = restored.line_matching(std::regex("listening on http://127\\.0\\.0\\.1:(\\d+)"), &head);
    BOOST_TEST_REQUIRE(std::regex_search(line, m, std::regex(":(\\d+)")), head);
    auto const restored_port = static_cast<std::uint16_t>(std::stoi(m[1].str()));
    auto const results =
        http(restored_port, "GET", "/api/workshops/" + workshop + "/results", "", fac_token);
    BOOST_TEST_REQUIRE(results.status == 200, results.body);
    auto const n = results.json()["activities"][0]["summary"]["n"].get<std::size_t>();
    BOOST_TEST(n >= before.size());
    restored.signal(SIGTERM);
    BOOST_TEST(restored.wait_exit() == 0);
}

BOOST_AUTO_TEST_SUITE_END()
