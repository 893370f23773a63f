// Comparing workshops (GET /api/compare) and programme tags: the same statement side by side
// and pooled, reach against the groups' targets across workshops, and who may compare what.
#include "tests/support/staff_session.hpp"
#include "tests/support/test_server.hpp"

#include <boost/test/unit_test.hpp>

using cylch::test::add_user;
using cylch::test::admin_token;
using cylch::test::http;
using cylch::test::http_with;
using cylch::test::login;
using cylch::test::new_op;
using cylch::test::test_server;
using cylch::test::ws_client;
using nlohmann::json;

namespace {

// A focus group of the programme: the shared statement (worded with different spacing in the
// second), one statement of its own, and groups with targets.
std::string focus_group(std::string const& title, std::string const& shared_wording,
                        std::string const& own, int target) {
    return json{
        {"title", {{"en", title}, {"cy", title + " (cy)"}}},
        {"languages", {"en", "cy"}},
        {"programme", "Libraries 2026"},
        {"min_cell", 1},
        {"groups",
         {{{"id", "staff"}, {"label", {{"en", "Staff"}, {"cy", "Staff"}}}, {"target", target}},
          {{"id", "public"}, {"label", {{"en", "Public"}, {"cy", "Cyhoedd"}}}}}},
        {"activities",
         {{{"kind", "likert"},
           {"statement", {{"en", shared_wording}, {"cy", "Mae'n hawdd cyrraedd."}}}},
          {{"kind", "likert"}, {"statement", {{"en", own}}}}}}}
        .dump();
}

struct made {
    std::string id, code, fac;
};

made create(test_server& s, cylch::test::signed_in const& who, std::string const& file) {
    auto r = http_with(s.port(), "POST", "/api/workshops", file, who.write());
    BOOST_TEST_REQUIRE(r.status == 201, r.body);
    auto j = r.json();
    return {j["id"], j["code"], j["facilitator_token"]};
}

json send(ws_client& c, json body) {
    auto op = new_op();
    body["op"] = op;
    c.send(body);
    return c.reply_to(op);
}

// Votes on the first statement of the workshop, one phone per (group, value).
void run(test_server& s, made const& w, std::vector<std::pair<std::string, int>> const& votes) {
    ws_client fac(s.port());
    fac.send(json{{"type", "hello"},
                  {"v", 1},
                  {"role", "facilitator"},
                  {"workshop", w.id},
                  {"token", w.fac}});
    auto const first = fac.expect("welcome")["agenda"][0]["id"].get<std::string>();
    BOOST_TEST_REQUIRE(send(fac, {{"type", "activity.open"}, {"activity", first}})["type"] ==
                       "ack");
    for (auto const& [group, value] : votes) {
        ws_client phone(s.port());
        phone.send(json{{"type", "hello"},
                        {"v", 1},
                        {"role", "participant"},
                        {"code", w.code},
                        {"token", nullptr}});
        phone.expect("welcome");
        BOOST_TEST_REQUIRE(send(phone, {{"type", "profile"}, {"group", group}})["type"] == "ack");
        BOOST_TEST_REQUIRE(
            send(phone, {{"type", "vote"}, {"activity", first}, {"value", value}})["type"] ==
            "ack");
    }
}

} // namespace

BOOST_AUTO_TEST_SUITE(compare)

BOOST_AUTO_TEST_CASE(the_same_statement_side_by_side_and_pooled_with_reach_against_targets) {
    test_server s(false);
    add_user(s, "Ceri", "facilitator");
    add_user(s, "Rhian", "reviewer");
    add_user(s, "Dafydd", "facilitator");
    auto ceri = login(s, "Ceri");
    auto const a = create(
        s, ceri,
        focus_group("Cardiff", "The library is easy to reach.", "Cardiff has enough branches.", 4));
    auto const b = create(
        s, ceri,
        focus_group("Bangor", "The  library is easy to reach. ", "Bangor opens late enough.", 6));
    run(s, a, {{"staff", 5}, {"staff", 4}, {"public", 2}});
    run(s, b, {{"staff", 4}, {"public", 4}});

    // Tagged with the programme in the list.
    auto const list = http_with(s.port(), "GET", "/api/workshops", "", ceri.read()).json();
    BOOST_TEST_REQUIRE(list["workshops"].size() == 2u);
    BOOST_TEST(list["workshops"][0]["programme"] == "Libraries 2026");
    // …with each group's reach against its target. (Found by id: the two were made within the
    // same millisecond at times, and then their order in the list is not by age.)
    json reach;
    for (auto const& w : list["workshops"]) {
        if (w["id"] == a.id) {
            reach = w["reach"];
        }
    }
    BOOST_TEST_REQUIRE(reach.size() == 2u);
    BOOST_TEST(reach[0]["group"] == "staff");
    BOOST_TEST(reach[0]["reached"] == 2);
    BOOST_TEST(reach[0]["target"] == 4);
    BOOST_TEST(reach[1]["reached"] == 1);
    BOOST_TEST(reach[1]["target"].is_null());

    auto const path = "/api/compare?workshops=" + a.id + "%2C" + b.id;
    auto const res = http_with(s.port(), "GET", path, "", login(s, "Rhian").read());
    BOOST_TEST_REQUIRE(res.status == 200, res.body);
    auto const c = res.json();
    BOOST_TEST(c["workshops"][0]["id"] == a.id);
    BOOST_TEST(c["workshops"][1]["participants"] == 2);
    // Three statements: the shared one (matched despite its spacing) and one of each.
    BOOST_TEST_REQUIRE(c["statements"].size() == 3u);
    auto const shared = c["statements"][0];
    BOOST_TEST(shared["statement"]["en"] == "The library is easy to reach.");
    BOOST_TEST_REQUIRE(shared["rows"].size() == 2u);
    BOOST_TEST(shared["rows"][0]["workshop"] == a.id);
    BOOST_TEST(shared["rows"][0]["n"] == 3);
    BOOST_TEST(shared["rows"][1]["n"] == 2);
    BOOST_TEST(shared["pooled"]["n"] == 5);
    BOOST_TEST(shared["pooled"]["counts"] == json::array({0, 1, 0, 3, 1}));
    BOOST_TEST(shared["pooled"]["median"] == 4);
    auto const ci = shared["pooled"]["agree_ci95"];
    BOOST_TEST(ci[0].get<double>() < 80.0); // 4 of 5 agree: the interval is wide and honest
    BOOST_TEST(ci[1].get<double>() > 80.0);
    BOOST_TEST(c["statements"][1]["rows"].size() == 1u);
    BOOST_TEST(c["statements"][1]["pooled"]["n"] == 0); // Cardiff's own: not asked yet
    // Reach: staff 3 of 4 + 6 targets; public has no target.
    BOOST_TEST_REQUIRE(c["reach"].size() == 2u);
    BOOST_TEST(c["reach"][0]["group"] == "staff");
    BOOST_TEST(c["reach"][0]["reached"] == 3);
    BOOST_TEST(c["reach"][0]["target"] == 10);
    BOOST_TEST(c["reach"][0]["by_workshop"][1]["reached"] == 1);
    BOOST_TEST(c["reach"][1]["target"].is_null());
    BOOST_TEST(c["reach"][1]["reached"] == 2);

    // Who may: the owner and reviewers, not another facilitator, not without a sign-in.
    BOOST_TEST(http_with(s.port(), "GET", path, "", ceri.read()).status == 200);
    BOOST_TEST(http_with(s.port(), "GET", path, "", login(s, "Dafydd").read()).status == 403);
    BOOST_TEST(http(s.port(), "GET", path).status == 401);
    BOOST_TEST(http(s.port(), "GET", "/api/compare?workshops=w_nothing", "", admin_token).status ==
               404);
    BOOST_TEST(http(s.port(), "GET", "/api/compare", "", admin_token).status == 400);
    // Reading results across workshops is recorded like an export.
    auto const audit =
        http(s.port(), "GET", "/api/audit?action=exported&workshop=" + b.id, "", admin_token)
            .json();
    BOOST_TEST(audit["entries"][0]["detail"] == "comparison");
}

BOOST_AUTO_TEST_SUITE_END()
