// The kiosk role on the server: registration by the admin, sign-in with the device token,
// each press a new anonymous respondent on channel "kiosk", resent presses counted once,
// rebinding to another workshop, and everything kept across a restart.
#include "tests/support/test_server.hpp"

#include <boost/test/unit_test.hpp>

using cylch::test::admin_token;
using cylch::test::http;
using cylch::test::new_op;
using cylch::test::test_server;
using cylch::test::ws_client;
using nlohmann::json;

namespace {

std::int64_t wall_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

json kiosk_hello(std::string const& id, std::string const& token) {
    return json{{"type", "hello"}, {"v", 1}, {"role", "kiosk"}, {"kiosk", id}, {"token", token}};
}

json open_first_live(test_server& s, ws_client& fac, json const& welcome) {
    auto a = welcome["agenda"][2];
    auto op = new_op();
    fac.send(json{{"type", "activity.open"}, {"op", op}, {"activity", a["id"]}});
    BOOST_TEST_REQUIRE(fac.reply_to(op)["type"] == "ack");
    (void)s;
    return a;
}

} // namespace

BOOST_AUTO_TEST_SUITE(kiosk_role)

BOOST_AUTO_TEST_CASE(registration_needs_the_admin_token_and_a_real_workshop) {
    test_server s;
    auto body = json{{"name", "Foyer kiosk"}, {"workshop", s.demo.id}}.dump();
    BOOST_TEST(http(s.port(), "POST", "/api/kiosks", body).status == 401);
    BOOST_TEST(http(s.port(), "POST", "/api/kiosks", body, s.demo.facilitator_token).status == 401);
    auto unknown = http(s.port(), "POST", "/api/kiosks",
                        json{{"name", "x"}, {"workshop", "w_nosuchthing1"}}.dump(), admin_token);
    BOOST_TEST(unknown.status == 404);
    auto bad =
        http(s.port(), "POST", "/api/kiosks",
             json{{"name", "x"}, {"workshop", s.demo.id}, {"colour", "red"}}.dump(), admin_token);
    BOOST_TEST(bad.status == 400);
    BOOST_TEST(bad.json()["error"]["message"].get<std::string>().starts_with("$.colour"));
    auto no_name =
        http(s.port(), "POST", "/api/kiosks", json{{"workshop", s.demo.id}}.dump(), admin_token);
    BOOST_TEST(no_name.status == 400);
    BOOST_TEST(http(s.port(), "GET", "/api/kiosks", "", admin_token).status == 405);

    auto made = http(s.port(), "POST", "/api/kiosks", body, admin_token);
    BOOST_TEST_REQUIRE(made.status == 201);
    BOOST_TEST(made.json()["id"].get<std::string>().starts_with("k_"));
    BOOST_TEST(made.json()["token"].get<std::string>().size() == 43u);
    BOOST_TEST(made.json()["workshop"] == s.demo.id);

    // A wrong token or an unknown kiosk is refused and closed.
    ws_client wrong(s.port());
    wrong.send(kiosk_hello(made.json()["id"], s.demo.facilitator_token));
    BOOST_TEST(wrong.expect("error")["code"] == "not_allowed");
    BOOST_TEST(wrong.wait_closed() == 1008);
    ws_client nobody(s.port());
    nobody.send(kiosk_hello("k_nosuchkiosk1", made.json()["token"]));
    BOOST_TEST(nobody.expect("error")["code"] == "not_allowed");
    BOOST_TEST(nobody.wait_closed() == 1008);
}

BOOST_AUTO_TEST_CASE(each_press_is_a_new_respondent_counted_once) {
    test_server s;
    auto made = http(s.port(), "POST", "/api/kiosks",
                     json{{"name", "Hall"}, {"workshop", s.demo.id}}.dump(), admin_token)
                    .json();
    std::string const kiosk_id = made["id"];
    std::string const kiosk_token = made["token"];

    ws_client kiosk(s.port());
    kiosk.send(kiosk_hello(kiosk_id, kiosk_token));
    auto w = kiosk.expect("welcome");
    BOOST_TEST(w["you"]["role"] == "kiosk");
    BOOST_TEST(w["you"]["id"] == kiosk_id);
    BOOST_TEST(w["activity"].is_null()); // nothing open yet: the waiting screen
    BOOST_TEST(!w.contains("agenda"));

    auto [fac, welcome] = s.facilitator();
    auto a = open_first_live(s, fac, welcome);
    auto const open_acked = wall_ms(); // the server opened it at or before this time
    auto push = kiosk.expect("activity");
    BOOST_TEST(push["activity"]["id"] == a["id"]);
    BOOST_TEST(push["activity"]["state"] == "open");

    // Three people press 5, 4, 5; the second press is resent (power cut before the ack).
    std::vector<std::string> ops{new_op(), new_op(), new_op()};
    std::vector<int> values{5, 4, 5};
    for (int i = 0; i < 3; ++i) {
        kiosk.send(
            json{{"type", "vote"}, {"op", ops[i]}, {"activity", a["id"]}, {"value", values[i]}});
        BOOST_TEST(kiosk.reply_to(ops[i])["type"] == "ack");
    }
    kiosk.send(json{{"type", "vote"}, {"op", ops[1]}, {"activity", a["id"]}, {"value", 4}});
    BOOST_TEST(kiosk.reply_to(ops[1])["type"] == "ack");

    // A kiosk may only vote.
    auto op = new_op();
    kiosk.send(json{{"type", "profile"}, {"op", op}, {"group", "innovator"}});
    BOOST_TEST(kiosk.reply_to(op)["code"] == "not_allowed");
    op = new_op();
    kiosk.send(json{{"type", "activity.close"}, {"op", op}, {"activity", a["id"]}});
    BOOST_TEST(kiosk.reply_to(op)["code"] == "not_allowed");

    for (int i = 0;; ++i) {
        BOOST_TEST_REQUIRE(i < 100);
        auto sm = fac.expect("summary");
        if (sm["n"] == 3) {
            BOOST_TEST(sm["counts"] == json::array({0, 0, 0, 1, 2}));
            BOOST_TEST(sm["by_channel"]["kiosk"]["n"] == 3);
            BOOST_TEST(sm["by_channel"]["web"]["n"] == 0);
            break;
        }
    }
    // Results are live: the kiosk's screen can show them.
    for (int i = 0;; ++i) {
        BOOST_TEST_REQUIRE(i < 100);
        auto sm = kiosk.expect("summary");
        if (sm["n"] == 3) {
            BOOST_TEST(sm["counts"] == json::array({0, 0, 0, 1, 2}));
            break;
        }
    }

    // After close, a press is refused.
    op = new_op();
    fac.send(json{{"type", "activity.close"}, {"op", op}, {"activity", a["id"]}});
    BOOST_TEST(fac.reply_to(op)["type"] == "ack");
    op = new_op();
    kiosk.send(json{{"type", "vote"}, {"op", op}, {"activity", a["id"]}, {"value", 3}});
    BOOST_TEST(kiosk.reply_to(op)["code"] == "closed");

    // A press made while the activity was open but delivered after the close still counts
    // (the kiosk reports its clock at hello and the time of the press).
    {
        std::int64_t const behind = 3'600'000; // this kiosk's clock is an hour behind
        ws_client late(s.port());
        json hello = kiosk_hello(kiosk_id, kiosk_token);
        hello["clock"] = wall_ms() - behind;
        late.send(hello);
        late.expect("welcome");
        op = new_op();
        late.send(json{{"type", "vote"},
                       {"op", op},
                       {"activity", a["id"]},
                       {"value", 5},
                       {"pressed_at", open_acked - behind + 1}}); // while it was open
        BOOST_TEST(late.reply_to(op)["type"] == "ack");
        op = new_op();
        late.send(json{{"type", "vote"},
                       {"op", op},
                       {"activity", a["id"]},
                       {"value", 5},
                       {"pressed_at", open_acked - behind - 60'000}}); // before it opened
        BOOST_TEST(late.reply_to(op)["code"] == "closed");
        late.close();
    }
    // The CSV shows the kiosk respondents.
    auto csv = http(s.port(), "GET", "/api/workshops/" + s.demo.id + "/export.csv", "",
                    s.demo.facilitator_token);
    std::size_t rows = 0;
    for (std::size_t at = csv.body.find(",kiosk,"); at != std::string::npos;
         at = csv.body.find(",kiosk,", at + 1)) {
        ++rows;
    }
    BOOST_TEST(rows == 4u);

    // Restart: the kiosk still signs in, its presses are still counted, a resent op still
    // counts once.
    kiosk.close();
    fac.close();
    s.restart();
    ws_client again(s.port());
    again.send(kiosk_hello(kiosk_id, kiosk_token));
    BOOST_TEST(again.expect("welcome")["you"]["id"] == kiosk_id);
    auto res = http(s.port(), "GET", "/api/workshops/" + s.demo.id + "/results", "",
                    s.demo.facilitator_token);
    BOOST_TEST(res.json()["activities"][2]["summary"]["by_channel"]["kiosk"]["n"] == 4);
}

BOOST_AUTO_TEST_CASE(a_kiosk_can_be_rebound_to_another_workshop) {
    test_server s;
    auto made = http(s.port(), "POST", "/api/kiosks",
                     json{{"name", "Library"}, {"workshop", s.demo.id}}.dump(), admin_token)
                    .json();
    auto other = http(s.port(), "POST", "/api/workshops",
                      cylch::test::read_text_file(cylch::test::template_path()), admin_token)
                     .json();
    auto path = "/api/kiosks/" + made["id"].get<std::string>();
    BOOST_TEST(http(s.port(), "PUT", path, json{{"workshop", other["id"]}}.dump()).status == 401);
    BOOST_TEST(http(s.port(), "PUT", "/api/kiosks/k_nosuchkiosk1",
                    json{{"workshop", other["id"]}}.dump(), admin_token)
                   .status == 404);
    auto rebound = http(s.port(), "PUT", path, json{{"workshop", other["id"]}}.dump(), admin_token);
    BOOST_TEST_REQUIRE(rebound.status == 200);
    BOOST_TEST(rebound.json()["workshop"] == other["id"]);
    BOOST_TEST(rebound.json()["name"] == "Library");

    ws_client kiosk(s.port());
    kiosk.send(kiosk_hello(made["id"], made["token"]));
    BOOST_TEST(kiosk.expect("welcome")["workshop"]["id"] == other["id"]);
    kiosk.close();
    s.restart();
    ws_client after(s.port());
    after.send(kiosk_hello(made["id"], made["token"]));
    BOOST_TEST(after.expect("welcome")["workshop"]["id"] == other["id"]);
}

BOOST_AUTO_TEST_SUITE_END()
