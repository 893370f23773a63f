// The HTTP side: health, metrics, the workshop API with its tokens, exports, QR codes and
// static pages.
#include "tests/support/test_server.hpp"

#include <boost/test/unit_test.hpp>

using cylch::test::admin_token;
using cylch::test::http;
using cylch::test::new_op;
using cylch::test::test_server;
using cylch::test::ws_client;
using nlohmann::json;

BOOST_AUTO_TEST_SUITE(http_api)

BOOST_AUTO_TEST_CASE(health_metrics_and_pages) {
    test_server s;
    auto h = http(s.port(), "GET", "/healthz");
    BOOST_TEST(h.status == 200);
    BOOST_TEST(h.json()["status"] == "ok");

    auto m = http(s.port(), "GET", "/metrics");
    BOOST_TEST(m.status == 200);
    BOOST_TEST(m.content_type.starts_with("text/plain"));
    BOOST_TEST(m.body.find("cylch_connections ") != std::string::npos);
    BOOST_TEST(m.body.find("cylch_store_commit_seconds_sum") != std::string::npos);
    BOOST_TEST(m.body.find("cylch_workshops 1") != std::string::npos);

    // No web client built in this test: a plain page for / and for app routes.
    for (auto path : {"/", "/j/123456", "/f/w_x", "/p/w_x"}) {
        auto page = http(s.port(), "GET", path);
        BOOST_TEST(page.status == 200);
        BOOST_TEST(page.content_type.starts_with("text/html"));
        BOOST_TEST(page.body.find("Cylch") != std::string::npos);
    }
    BOOST_TEST(http(s.port(), "GET", "/no/such/file.js").status == 404);
    BOOST_TEST(http(s.port(), "GET", "/api/nothing").status == 404);

    auto qr = http(s.port(), "GET", "/qr.svg?data=http%3A%2F%2F127.0.0.1%2Fj%2F123456");
    BOOST_TEST(qr.status == 200);
    BOOST_TEST(qr.content_type == "image/svg+xml");
    BOOST_TEST(qr.body.starts_with("<svg"));
    BOOST_TEST(http(s.port(), "GET", "/qr.svg").status == 400);
    BOOST_TEST(http(s.port(), "GET", "/qr.svg?data=%zz").status == 400);
}

BOOST_AUTO_TEST_CASE(create_workshop_needs_the_admin_token_and_a_valid_file) {
    test_server s(false);
    auto file = cylch::test::read_text_file(cylch::test::template_path());

    auto no_token = http(s.port(), "POST", "/api/workshops", file);
    BOOST_TEST(no_token.status == 401);
    BOOST_TEST(no_token.json()["error"]["code"] == "not_allowed");
    BOOST_TEST(http(s.port(), "POST", "/api/workshops", file, "wrong-token-0123456789").status ==
               401);

    auto bad = http(
        s.port(), "POST", "/api/workshops",
        R"({"title":{"en":"x"},"activities":[{"kind":"likert","statement":{"en":"s"},"scale":6}]})",
        admin_token);
    BOOST_TEST(bad.status == 400);
    BOOST_TEST(bad.json()["error"]["code"] == "bad_request");
    BOOST_TEST(
        bad.json()["error"]["message"].get<std::string>().starts_with("$.activities[0].scale"));
    BOOST_TEST(bad.json()["error"]["path"] == "$.activities[0].scale"); // for the editor's field
    auto unknown = http(s.port(), "POST", "/api/workshops",
                        R"({"title":{"en":"x"},"colour":"red","activities":[]})", admin_token);
    BOOST_TEST(unknown.status == 400);
    BOOST_TEST(unknown.json()["error"]["message"].get<std::string>().find("$.colour") !=
               std::string::npos);
    auto huge =
        http(s.port(), "POST", "/api/workshops", std::string(2 * 1024 * 1024, ' '), admin_token);
    BOOST_TEST(huge.status == 413);

    auto made = http(s.port(), "POST", "/api/workshops", file, admin_token);
    BOOST_TEST_REQUIRE(made.status == 201);
    auto w = made.json();
    BOOST_TEST(w["code"].get<std::string>().size() == 6u);
    BOOST_TEST(w["id"].get<std::string>().starts_with("w_"));

    std::string const id = w["id"];
    auto detail = http(s.port(), "GET", "/api/workshops/" + id, "", w["facilitator_token"]);
    BOOST_TEST_REQUIRE(detail.status == 200);
    BOOST_TEST(detail.json()["agenda"].size() == 19u);
    BOOST_TEST(detail.json()["workshop"]["title"]["cy"] == "Dilysu personas");
    BOOST_TEST(http(s.port(), "GET", "/api/workshops/" + id, "", admin_token).status == 200);
    BOOST_TEST(http(s.port(), "GET", "/api/workshops/" + id, "", w["presenter_token"]).status ==
               403);
    BOOST_TEST(http(s.port(), "GET", "/api/workshops/" + id).status == 403);
    BOOST_TEST(http(s.port(), "GET", "/api/workshops/w_nonexistent1", "", admin_token).status ==
               404);
    // The workshop file, exported and imported again (here; another server the same): a new
    // workshop with the same agenda, and nothing of the first one's links or answers.
    auto exported = http(s.port(), "GET", "/api/workshops/" + id + "/workshop.json", "",
                         w["facilitator_token"]);
    BOOST_TEST_REQUIRE(exported.status == 200, exported.body);
    BOOST_TEST(exported.header("Content-Disposition").find(id + "-workshop.json") !=
               std::string::npos);
    BOOST_TEST(exported.body.find("token") == std::string::npos);
    BOOST_TEST(http(s.port(), "GET", "/api/workshops/" + id + "/workshop.json").status == 403);
    auto imported = http(s.port(), "POST", "/api/workshops", exported.body, admin_token);
    BOOST_TEST_REQUIRE(imported.status == 201, imported.body);
    auto copy = http(s.port(), "GET", "/api/workshops/" + imported.json()["id"].get<std::string>(),
                     "", admin_token)
                    .json();
    BOOST_TEST(copy["agenda"].size() == 19u);
    BOOST_TEST(copy["workshop"]["title"] == detail.json()["workshop"]["title"]);
    BOOST_TEST(copy["agenda"][0]["statement"] == detail.json()["agenda"][0]["statement"]);
    // Still running: not deleted (retention/deleting_… has the rest).
    BOOST_TEST(http(s.port(), "DELETE", "/api/workshops/" + id, "", admin_token).status == 409);
    BOOST_TEST(http(s.port(), "GET", "/api/workshops/" + id, "", admin_token).status == 200);
}

BOOST_AUTO_TEST_CASE(hidden_results_reach_only_staff_and_the_csv_is_de_identified) {
    test_server s(false);
    auto made = http(s.port(), "POST", "/api/workshops",
                     R"({"title":{"en":"Hidden"},"groups":[{"id":"g1","label":{"en":"One"}}],
                         "activities":[{"kind":"likert","statement":{"en":"=1+1, \"quoted\""},
                                        "results":"hidden"}]})",
                     admin_token);
    BOOST_TEST_REQUIRE(made.status == 201);
    auto w = made.json();
    std::string const id = w["id"];
    std::string const code = w["code"];
    std::string const fac_token = w["facilitator_token"];

    ws_client fac(s.port());
    fac.send(json{{"type", "hello"},
                  {"v", 1},
                  {"role", "facilitator"},
                  {"workshop", id},
                  {"token", fac_token}});
    auto welcome = fac.expect("welcome");
    std::string const a = welcome["agenda"][0]["id"];
    auto op = new_op();
    fac.send(json{{"type", "activity.open"}, {"op", op}, {"activity", a}});
    BOOST_TEST_REQUIRE(fac.reply_to(op)["type"] == "ack");

    ws_client p(s.port());
    p.send(json{{"type", "hello"}, {"v", 1}, {"role", "participant"}, {"code", code}});
    auto pw = p.expect("welcome");
    BOOST_TEST(pw["workshop"]["consent"]["required"] == false);
    std::string const token = pw["you"]["token"];
    op = new_op();
    p.send(json{{"type", "profile"}, {"op", op}, {"group", "g1"}});
    BOOST_TEST(p.reply_to(op)["type"] == "ack");
    op = new_op();
    p.send(json{{"type", "vote"}, {"op", op}, {"activity", a}, {"value", 5}});
    BOOST_TEST(p.reply_to(op)["type"] == "ack");

    // Staff see the numbers; the participant sees only that one answer came in.
    for (int i = 0;; ++i) {
        auto sm = fac.expect("summary");
        if (sm["n"] == 1) {
            BOOST_TEST(sm["counts"] == json::array({0, 0, 0, 0, 1}));
            break;
        }
        BOOST_TEST_REQUIRE(i < 50);
    }
    for (int i = 0;; ++i) {
        auto sm = p.expect("summary");
        BOOST_TEST(!sm.contains("counts"));
        if (sm["n"] == 1) {
            break;
        }
        BOOST_TEST_REQUIRE(i < 50);
    }

    auto csv = http(s.port(), "GET", "/api/workshops/" + id + "/export.csv", "", fac_token);
    BOOST_TEST_REQUIRE(csv.status == 200);
    BOOST_TEST(csv.content_type.starts_with("text/csv"));
    BOOST_TEST(csv.body.find("r1,g1,web,en,5,Strongly agree,") != std::string::npos);
    BOOST_TEST(csv.body.find("\"'=1+1, \"\"quoted\"\"\"") != std::string::npos);
    BOOST_TEST(csv.body.find(pw["you"]["id"].get<std::string>()) == std::string::npos);
    BOOST_TEST(csv.body.find(token) == std::string::npos);

    auto res = http(s.port(), "GET", "/api/workshops/" + id + "/results", "", fac_token);
    BOOST_TEST(res.json()["activities"][0]["summary"]["agree_pct"].get<double>() == 100.0);
}

BOOST_AUTO_TEST_SUITE_END()
