// A whole Likert session over real WebSockets: 14 participants in three groups, a facilitator
// and a presenter, then a restart on the same database.
#include "tests/support/test_server.hpp"

#include <SQLiteCpp/Database.h>
#include <boost/test/unit_test.hpp>

#include <thread>

using cylch::test::new_op;
using cylch::test::test_server;
using cylch::test::ws_client;
using nlohmann::json;

namespace {

struct participant {
    ws_client conn;
    std::string id;
    std::string token;
};

participant join(test_server& s, std::string const& lang = "en",
                 std::optional<std::string> token = std::nullopt) {
    ws_client c(s.port());
    c.send(json{{"type", "hello"},
                {"v", 1},
                {"role", "participant"},
                {"code", s.demo.code},
                {"token", token ? json(*token) : json(nullptr)},
                {"lang", lang}});
    auto w = c.expect("welcome");
    auto token_out = w["you"].contains("token") ? w["you"]["token"].get<std::string>() : "";
    return {std::move(c), w["you"]["id"].get<std::string>(), token_out};
}

json request(ws_client& c, json body) {
    auto op = new_op();
    body["op"] = op;
    c.send(body);
    return c.reply_to(op);
}

void expect_ack(ws_client& c, json body) {
    auto reply = request(c, std::move(body));
    BOOST_TEST_REQUIRE(reply["type"] == "ack", reply.dump());
}

// Reads summaries until one for `activity` has n == `n`; returns it.
json summary_with_n(ws_client& c, std::string const& activity, int n) {
    for (int i = 0; i < 200; ++i) {
        auto s = c.expect("summary");
        if (s["activity"] == activity && s["n"] == n) {
            return s;
        }
    }
    throw std::runtime_error("no summary with n = " + std::to_string(n));
}

} // namespace

BOOST_AUTO_TEST_SUITE(likert_flow)

BOOST_AUTO_TEST_CASE(fourteen_participants_vote_and_results_survive_a_restart) {
    test_server s;
    auto [fac, welcome] = s.facilitator();
    auto const agenda = welcome["agenda"];
    BOOST_TEST_REQUIRE(agenda.size() == 19u);
    std::string const a0 = agenda[0]["id"]; // results on_reveal
    std::string const a2 = agenda[2]["id"]; // results live (Rosie)
    BOOST_TEST(agenda[0]["results"] == "on_reveal");
    BOOST_TEST(agenda[2]["results"] == "live");
    BOOST_TEST(agenda[0]["state"] == "pending");
    // The facilitator can always be shown the presenter link.
    BOOST_TEST(welcome["you"]["presenter_token"] == s.demo.presenter_token);

    ws_client presenter(s.port());
    presenter.send(json{{"type", "hello"},
                        {"v", 1},
                        {"role", "presenter"},
                        {"workshop", s.demo.id},
                        {"token", s.demo.presenter_token}});
    BOOST_TEST(presenter.expect("welcome")["you"]["role"] == "presenter");

    // 14 people: 5 innovators, 5 enablers, 4 stakeholders; two answer in Welsh.
    std::vector<std::string> const groups{"innovator", "enabler", "stakeholder"};
    std::vector<participant> people;
    for (int i = 0; i < 14; ++i) {
        people.push_back(join(s, i % 7 == 0 ? "cy" : "en"));
        BOOST_TEST(people.back().token.size() == 43u);
    }
    std::vector<std::string> group_of(14);
    for (int i = 0; i < 14; ++i) {
        group_of[i] = i < 5 ? groups[0] : i < 10 ? groups[1] : groups[2];
        expect_ack(people[i].conn,
                   {{"type", "profile"}, {"consent", true}, {"group", group_of[i]}});
    }
    // The reach panel: everyone is online in their group.
    for (int tries = 0;; ++tries) {
        auto p = fac.expect("presence");
        if (p["online"] == 14 && p["by_group"]["innovator"] == 5 && p["by_group"]["enabler"] == 5 &&
            p["by_group"]["stakeholder"] == 4) {
            break;
        }
        BOOST_TEST_REQUIRE(tries < 100);
    }

    // Before opening, participants see no activity and cannot vote.
    auto early = request(people[0].conn, {{"type", "vote"}, {"activity", a0}, {"value", 4}});
    BOOST_TEST(early["code"] == "closed");

    expect_ack(fac, {{"type", "activity.open"}, {"activity", a0}});
    for (auto& p : people) {
        auto push = p.conn.expect("activity");
        BOOST_TEST(push["activity"]["id"] == a0);
        BOOST_TEST(push["activity"]["state"] == "open");
    }

    // Votes: 1 x "2", 2 x "3", 7 x "4", 4 x "5" -> n 14, counts [0,1,2,7,4].
    std::vector<int> const values{4, 5, 4, 3, 5, 4, 4, 2, 5, 4, 3, 4, 5, 4};
    for (int i = 0; i < 14; ++i) {
        expect_ack(people[i].conn, {{"type", "vote"}, {"activity", a0}, {"value", values[i]}});
    }
    auto full = summary_with_n(fac, a0, 14);
    BOOST_TEST(full["counts"] == json::array({0, 1, 2, 7, 4}));
    BOOST_TEST(full["median"] == 4);
    BOOST_TEST(full["agree_pct"].get<double>() == 78.6); // 11 of 14
    BOOST_TEST(full["by_group"]["innovator"]["n"] == 5);
    BOOST_TEST(full["by_group"]["innovator"]["counts"] == json::array({0, 0, 1, 2, 2}));
    BOOST_TEST(full["by_group"]["enabler"]["counts"] == json::array({0, 1, 0, 3, 1}));
    BOOST_TEST(full["by_group"]["stakeholder"]["counts"] == json::array({0, 0, 1, 2, 1}));
    BOOST_TEST(full["by_channel"]["web"]["n"] == 14);
    BOOST_TEST(full["by_channel"]["kiosk"]["n"] == 0);
    BOOST_TEST(summary_with_n(presenter, a0, 14)["counts"] == json::array({0, 1, 2, 7, 4}));

    // Results are on_reveal: participants get the count of answers only.
    auto restricted = summary_with_n(people[5].conn, a0, 14);
    BOOST_TEST(!restricted.contains("counts"));
    BOOST_TEST(!restricted.contains("agree_pct"));
    BOOST_TEST(!restricted.contains("by_group"));

    // A changed answer replaces the first: person 7 goes from 2 to 5.
    expect_ack(people[7].conn, {{"type", "vote"}, {"activity", a0}, {"value", 5}});
    for (int tries = 0;; ++tries) {
        auto sm = fac.expect("summary");
        if (sm["counts"] == json::array({0, 0, 2, 7, 5})) {
            BOOST_TEST(sm["n"] == 14);
            break;
        }
        BOOST_TEST_REQUIRE(tries < 100);
    }

    // Closed: no more votes.
    expect_ack(fac, {{"type", "activity.close"}, {"activity", a0}});
    auto late = request(people[1].conn, {{"type", "vote"}, {"activity", a0}, {"value", 1}});
    BOOST_TEST(late["type"] == "error");
    BOOST_TEST(late["code"] == "closed");

    // Revealed: participants now get the full summary.
    expect_ack(fac, {{"type", "activity.reveal"}, {"activity", a0}});
    for (int tries = 0;; ++tries) {
        auto sm = people[2].conn.expect("summary");
        if (sm.contains("counts")) {
            BOOST_TEST(sm["counts"] == json::array({0, 0, 2, 7, 5}));
            BOOST_TEST(sm["agree_pct"].get<double>() == 85.7); // 12 of 14
            // Breakdowns by group stay with the facilitator and presenter.
            BOOST_TEST(!sm.contains("by_group"));
            BOOST_TEST(!sm.contains("by_channel"));
            break;
        }
        BOOST_TEST_REQUIRE(tries < 100);
    }

    // A reconnect with the token keeps the identity and the answer.
    people[3].conn.close();
    auto back = join(s, "en", people[3].token);
    BOOST_TEST(back.id == people[3].id);
    BOOST_TEST(back.token.empty()); // a resumed participant is not sent its token again

    // Results "live": participants see counts while the activity is open. A resent op is
    // acknowledged again and applied once.
    expect_ack(fac, {{"type", "activity.open"}, {"activity", a2}});
    auto op = new_op();
    json vote{{"type", "vote"}, {"op", op}, {"activity", a2}, {"value", 2}};
    people[0].conn.send(vote);
    BOOST_TEST(people[0].conn.reply_to(op)["type"] == "ack");
    people[0].conn.send(vote);
    BOOST_TEST(people[0].conn.reply_to(op)["type"] == "ack");
    // One answer is fewer than the template's min_cell (3): phones get the number only.
    auto live = summary_with_n(people[9].conn, a2, 1);
    BOOST_TEST(live["suppressed"] == true);
    BOOST_TEST(!live.contains("counts"));
    // A resent op changes nothing even when its content differs (same op id, other value).
    vote["value"] = 5;
    people[0].conn.send(vote);
    BOOST_TEST(people[0].conn.reply_to(op)["type"] == "ack");
    expect_ack(back.conn, {{"type", "vote"}, {"activity", a2}, {"value", 3}});
    auto after = summary_with_n(fac, a2, 2);
    BOOST_TEST(after["counts"] == json::array({0, 1, 1, 0, 0}));

    // Restart on the same database: every acknowledged vote is still there.
    auto const token3 = people[3].token;
    auto const id3 = people[3].id;
    fac.close();
    presenter.close();
    people.clear();
    back.conn.close();
    s.restart();
    auto res = cylch::test::http(s.port(), "GET", "/api/workshops/" + s.demo.id + "/results", "",
                                 s.demo.facilitator_token);
    BOOST_TEST_REQUIRE(res.status == 200);
    auto results = res.json();
    BOOST_TEST(results["activities"][0]["activity"]["state"] == "revealed");
    BOOST_TEST(results["activities"][0]["summary"]["counts"] == json::array({0, 0, 2, 7, 5}));
    BOOST_TEST(results["activities"][0]["summary"]["by_group"]["enabler"]["counts"] ==
               json::array({0, 0, 0, 3, 2}));
    BOOST_TEST(results["activities"][2]["activity"]["state"] == "open");
    BOOST_TEST(results["activities"][2]["summary"]["counts"] == json::array({0, 1, 1, 0, 0}));

    // And the participant resumes after the restart with the answer it gave.
    ws_client again(s.port());
    again.send(json{{"type", "hello"},
                    {"v", 1},
                    {"role", "participant"},
                    {"code", s.demo.code},
                    {"token", token3}});
    auto w = again.expect("welcome");
    BOOST_TEST(w["you"]["id"] == id3);
    BOOST_TEST(w["you"]["group"] == "innovator");
    BOOST_TEST(w["activity"]["id"] == a2);
    BOOST_TEST(w["mine"]["value"] == 3);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(likert_flow_store_failure)

// When the database refuses a change, the request gets server_error, the workshop is reloaded
// from the database (memory never disagrees with disk), and its connections are closed so that
// clients resume from what is stored.
BOOST_AUTO_TEST_CASE(a_refused_write_is_reported_and_memory_follows_the_database) {
    test_server s;
    auto [fac, welcome] = s.facilitator();
    std::string const a2 = welcome["agenda"][2]["id"];
    expect_ack(fac, {{"type", "activity.open"}, {"activity", a2}});
    auto p = join(s);
    expect_ack(p.conn, {{"type", "profile"}, {"consent", true}});
    expect_ack(p.conn, {{"type", "vote"}, {"activity", a2}, {"value", 4}});

    // Another program makes every new vote fail (a trigger), as a full disk would.
    {
        SQLite::Database db(s.config.db_path, SQLite::OPEN_READWRITE);
        db.setBusyTimeout(5000);
        db.exec("CREATE TRIGGER refuse_votes BEFORE UPDATE ON votes "
                "BEGIN SELECT RAISE(ABORT, 'refused for the test'); END");
    }
    auto refused = request(p.conn, {{"type", "vote"}, {"activity", a2}, {"value", 1}});
    BOOST_TEST(refused["type"] == "error");
    BOOST_TEST(refused["code"] == "server_error");
    BOOST_TEST(p.conn.wait_closed() == 1001);
    BOOST_TEST(fac.wait_closed() == 1001);

    // After the reload the stored answer (4) is what everyone sees, and writing works again.
    {
        SQLite::Database db(s.config.db_path, SQLite::OPEN_READWRITE);
        db.setBusyTimeout(5000);
        db.exec("DROP TRIGGER refuse_votes");
    }
    for (int tries = 0;; ++tries) {
        BOOST_TEST_REQUIRE(tries < 50);
        ws_client c(s.port());
        c.send(json{{"type", "hello"},
                    {"v", 1},
                    {"role", "participant"},
                    {"code", s.demo.code},
                    {"token", p.token}});
        auto first = c.read();
        if (first && (*first)["type"] == "welcome") {
            BOOST_TEST((*first)["you"]["id"] == p.id);
            BOOST_TEST((*first)["mine"]["value"] == 4);
            expect_ack(c, {{"type", "vote"}, {"activity", a2}, {"value", 2}});
            break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(50)); // still reloading
    }
    auto res = cylch::test::http(s.port(), "GET", "/api/workshops/" + s.demo.id + "/results", "",
                                 s.demo.facilitator_token);
    BOOST_TEST(res.json()["activities"][2]["summary"]["counts"] == json::array({0, 1, 0, 0, 0}));
}

BOOST_AUTO_TEST_SUITE_END()
