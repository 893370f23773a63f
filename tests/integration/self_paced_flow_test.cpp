// Self-paced workshops over real WebSockets (docs/protocol.md, "Self-paced workshops"): the
// questionnaire in the welcome, answers in any order, resuming with the token, the staff's
// summaries, the window closing and opening by itself (waiting for the push, not sleeping), a
// kiosk pass as one respondent, timings in the results, and a restart that keeps it all.
#include "tests/support/test_server.hpp"

#include <boost/test/unit_test.hpp>

#include "shared/protocol/times.hpp"

#include <chrono>
#include <set>

using cylch::test::admin_token;
using cylch::test::http;
using cylch::test::new_op;
using cylch::test::test_server;
using cylch::test::ws_client;
using nlohmann::json;
using namespace std::chrono_literals;

namespace {

std::int64_t wall_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

// A self-paced questionnaire open from `opens_in` to `closes_in` ms from now.
std::string questionnaire(std::int64_t opens_in, std::int64_t closes_in) {
    auto j = json::parse(R"json({
      "title": {"en": "Libraries survey", "cy": "Arolwg llyfrgelloedd"},
      "languages": ["en", "cy"],
      "mode": "self_paced",
      "min_cell": 1,
      "groups": [{"id": "staff", "label": {"en": "Library staff"}}],
      "activities": [
        {"kind": "likert", "statement": {"en": "The library is easy to reach."}, "scale": 5},
        {"kind": "choice", "question": {"en": "How do you come?"},
         "options": [{"id": "walk", "label": {"en": "On foot"}},
                     {"id": "bus", "label": {"en": "By bus"}}]},
        {"kind": "open_text", "question": {"en": "What would help?"}}
      ]
    })json");
    j["opens_at"] = cylch::protocol::format_rfc3339(wall_ms() + opens_in);
    j["closes_at"] = cylch::protocol::format_rfc3339(wall_ms() + closes_in);
    return j.dump();
}

struct rig {
    test_server s{false};
    std::string id, code, fac_token, pres_token;

    explicit rig(std::string const& file) {
        auto made = http(s.port(), "POST", "/api/workshops", file, admin_token);
        BOOST_TEST_REQUIRE(made.status == 201, made.body);
        id = made.json()["id"];
        code = made.json()["code"];
        fac_token = made.json()["facilitator_token"];
        pres_token = made.json()["presenter_token"];
    }

    std::pair<ws_client, json> facilitator() {
        ws_client c(s.port());
        c.send(json{{"type", "hello"},
                    {"v", 1},
                    {"role", "facilitator"},
                    {"workshop", id},
                    {"token", fac_token}});
        auto w = c.expect("welcome");
        return {std::move(c), w};
    }

    std::pair<ws_client, json> phone(std::optional<std::string> token = std::nullopt) {
        ws_client c(s.port());
        c.send(json{{"type", "hello"},
                    {"v", 1},
                    {"role", "participant"},
                    {"code", code},
                    {"token", token ? json(*token) : json(nullptr)}});
        auto w = c.expect("welcome");
        return {std::move(c), w};
    }

    static json send(ws_client& c, json body) {
        auto op = new_op();
        body["op"] = op;
        c.send(body);
        return c.reply_to(op);
    }

    json results(bool publishable = false) {
        auto r = http(s.port(), "GET",
                      "/api/workshops/" + id + "/results" + (publishable ? "?publishable=1" : ""),
                      "", admin_token);
        BOOST_TEST_REQUIRE(r.status == 200, r.body);
        return r.json();
    }
};

std::vector<std::string> states(json const& activities) {
    std::vector<std::string> out;
    for (auto const& a : activities) {
        out.push_back(a["state"]);
    }
    return out;
}

// The next summary of `activity` on a staff connection with `n` answers.
json summary_of(ws_client& c, std::string const& activity, int n) {
    for (int i = 0; i < 50; ++i) {
        auto s = c.expect("summary");
        if (s["activity"] == activity && s["n"] == n) {
            return s;
        }
    }
    BOOST_FAIL("no summary of " + activity);
    return {};
}

using strings = std::vector<std::string>;

} // namespace

BOOST_AUTO_TEST_SUITE(self_paced_flow)

BOOST_AUTO_TEST_CASE(people_answer_in_their_own_order_resume_and_the_window_closes_by_itself) {
    // Open since a minute ago, closing in 10 seconds (whole seconds on the wire: 9–10 s; room
    // for a slow sanitizer build to do everything below first).
    rig r(questionnaire(-60'000, 10'000));
    auto [fac, staff_welcome] = r.facilitator();
    BOOST_TEST(staff_welcome["workshop"]["mode"] == "self_paced");
    BOOST_TEST(states(staff_welcome["agenda"]) == (strings{"open", "open", "open"}));
    BOOST_TEST(staff_welcome["activity"].is_null());
    auto const a1 = staff_welcome["agenda"][0]["id"].get<std::string>();
    auto const a2 = staff_welcome["agenda"][1]["id"].get<std::string>();
    auto const a3 = staff_welcome["agenda"][2]["id"].get<std::string>();

    auto [alys, welcome] = r.phone();
    std::string const token = welcome["you"]["token"];
    BOOST_TEST(welcome["activity"].is_null());
    BOOST_TEST(states(welcome["activities"]) == (strings{"open", "open", "open"}));
    BOOST_TEST(welcome["activities"][1]["options"][1]["id"] == "bus");
    BOOST_TEST(welcome["answers"] == json::object());
    BOOST_TEST(welcome["workshop"]["opens_at"].get<std::string>().ends_with("Z"));

    // The last question first, then the first; no summary reaches the phone.
    BOOST_TEST_REQUIRE(
        r.send(alys, {{"type", "answer"}, {"activity", a3}, {"text", "Longer hours"}})["type"] ==
        "ack");
    BOOST_TEST_REQUIRE(r.send(alys, {{"type", "vote"}, {"activity", a1}, {"value", 4}})["type"] ==
                       "ack");
    // The facilitator sees each activity's answers as they come.
    BOOST_TEST(summary_of(fac, a1, 1)["counts"] == json::parse("[0,0,0,1,0]"));
    // A projector that comes later gets every activity's answers so far, not only the last.
    {
        ws_client screen(r.s.port());
        screen.send(json{{"type", "hello"},
                         {"v", 1},
                         {"role", "presenter"},
                         {"workshop", r.id},
                         {"token", r.pres_token}});
        screen.expect("welcome");
        std::set<std::string> summarised;
        for (int i = 0; i < 3; ++i) { // one per activity, all answered or not
            summarised.insert(screen.expect("summary")["activity"].get<std::string>());
        }
        BOOST_TEST(summarised.size() == 3u);
        BOOST_TEST(summarised.contains(a1));
        BOOST_TEST(summarised.contains(a3));
    }
    // Closing by hand is not how a questionnaire closes.
    auto refused = r.send(fac, {{"type", "activity.close"}, {"activity", a1}});
    BOOST_TEST(refused["type"] == "error");
    BOOST_TEST(refused["code"] == "not_allowed");

    // Back on the same phone later: the answers given are there.
    auto [again, resumed] = r.phone(token);
    BOOST_TEST(resumed["you"]["id"] == welcome["you"]["id"]);
    BOOST_TEST(resumed["answers"][a1]["value"] == 4);
    BOOST_TEST(resumed["answers"][a3]["text"] == "Longer hours");
    BOOST_TEST(!resumed["answers"].contains(a2));

    // A kiosk: one person's pass (with a change of mind) is one respondent, the next another.
    auto kiosk_made = http(r.s.port(), "POST", "/api/kiosks",
                           json{{"name", "Foyer"}, {"workshop", r.id}}.dump(), admin_token)
                          .json();
    ws_client kiosk(r.s.port());
    kiosk.send(json{{"type", "hello"},
                    {"v", 1},
                    {"role", "kiosk"},
                    {"kiosk", kiosk_made["id"]},
                    {"token", kiosk_made["token"]}});
    auto kiosk_welcome = kiosk.expect("welcome");
    BOOST_TEST(kiosk_welcome["activities"].size() == 3u);
    BOOST_TEST(!kiosk_welcome.contains("answers"));
    for (auto const& [value, pass] : std::vector<std::pair<int, std::string>>{
             {2, "first-person"}, {5, "first-person"}, {1, "second-person"}}) {
        auto ack =
            r.send(kiosk, {{"type", "vote"}, {"activity", a1}, {"value", value}, {"pass", pass}});
        BOOST_TEST_REQUIRE(ack["type"] == "ack", ack.dump());
    }
    BOOST_TEST_REQUIRE(r.send(kiosk, {{"type", "choose"},
                                      {"activity", a2},
                                      {"options", {"bus"}},
                                      {"pass", "first-person"}})["type"] == "ack");
    auto const results = r.results();
    BOOST_TEST(results["activities"][0]["summary"]["n"] == 3); // Alys, two kiosk passes
    BOOST_TEST(results["activities"][0]["summary"]["counts"] == json::parse("[1,0,0,1,1]"));
    BOOST_TEST(results["activities"][1]["summary"]["n"] == 1);
    // Timings, for staff: who answered what when, and how long people took.
    auto const& timings = results["timings"];
    BOOST_TEST(timings["activities"][0]["answers"] == 3);
    BOOST_TEST(timings["activities"][1]["answers"] == 1);
    BOOST_TEST(timings["activities"][0]["opened_at"].is_number());
    BOOST_TEST(timings["activities"][0]["first_answer_at"].get<std::int64_t>() <=
               timings["activities"][0]["last_answer_at"].get<std::int64_t>());
    BOOST_TEST(timings["respondents"]["n"] == 3);
    BOOST_TEST(timings["respondents"]["span_ms"]["median"].is_number());
    BOOST_TEST(!r.results(true).contains("timings")); // not in the publication view

    // The close arrives as a push to every phone and kiosk (waited for, not slept for).
    auto closed = alys.expect("activities", 30s);
    BOOST_TEST(states(closed["activities"]) == (strings{"closed", "closed", "closed"}));
    // Summaries would have come long before the close: none did (participants get none).
    for (auto const& frame : alys.mailbox()) {
        BOOST_TEST(frame["type"] != "summary", frame.dump());
    }
    BOOST_TEST(states(kiosk.expect("activities", 5s)["activities"]) ==
               (strings{"closed", "closed", "closed"}));
    auto push = fac.expect("activity", 5s);
    BOOST_TEST(push["activity"]["state"] == "closed");
    BOOST_TEST(push["current"].is_null());
    // After the close nothing more is taken.
    auto late = r.send(alys, {{"type", "vote"}, {"activity", a1}, {"value", 1}});
    BOOST_TEST(late["code"] == "closed");

    // A restart keeps the window shut and every answer.
    r.s.restart();
    auto [after, back] = r.phone(token);
    BOOST_TEST(states(back["activities"]) == (strings{"closed", "closed", "closed"}));
    BOOST_TEST(back["answers"][a1]["value"] == 4);
    BOOST_TEST(r.results()["activities"][0]["summary"]["counts"] == json::parse("[1,0,0,1,1]"));
}

BOOST_AUTO_TEST_CASE(a_questionnaire_that_opens_later_opens_by_itself) {
    rig r(questionnaire(2'000, 3'600'000));
    auto [bryn, welcome] = r.phone();
    BOOST_TEST(welcome["activities"] == json::array()); // nothing shown before the opening
    BOOST_TEST(welcome["workshop"]["mode"] == "self_paced");
    auto [fac, staff_welcome] = r.facilitator();
    auto const a1 = staff_welcome["agenda"][0]["id"].get<std::string>();
    BOOST_TEST(states(staff_welcome["agenda"]) == (strings{"pending", "pending", "pending"}));
    auto early = r.send(bryn, {{"type", "vote"}, {"activity", a1}, {"value", 3}});
    BOOST_TEST(early["code"] == "closed");

    auto opened = bryn.expect("activities", 15s);
    BOOST_TEST(states(opened["activities"]) == (strings{"open", "open", "open"}));
    auto ack = r.send(bryn, {{"type", "vote"}, {"activity", a1}, {"value", 3}});
    BOOST_TEST(ack["type"] == "ack", ack.dump());
}

BOOST_AUTO_TEST_CASE(editing_the_dates_closes_and_reopens_the_questionnaire) {
    rig r(questionnaire(-60'000, 3'600'000));
    auto file = http(r.s.port(), "GET", "/api/workshops/" + r.id + "/file", "", admin_token);
    BOOST_TEST_REQUIRE(file.status == 200, file.body);
    auto edited = file.json();
    edited.erase("answered");
    auto put = [&](std::int64_t closes_in) {
        edited["closes_at"] = cylch::protocol::format_rfc3339(wall_ms() + closes_in);
        auto res = http(r.s.port(), "PUT", "/api/workshops/" + r.id, edited.dump(), admin_token);
        BOOST_TEST_REQUIRE(res.status == 200, res.body);
    };
    // Closed early by moving the close into the past...
    put(-1'000);
    auto [first, closed] = r.phone();
    BOOST_TEST(states(closed["activities"]) == (strings{"closed", "closed", "closed"}));
    // ...and opened again by moving it later.
    put(3'600'000);
    auto [second, open] = r.phone();
    BOOST_TEST(states(open["activities"]) == (strings{"open", "open", "open"}));
    // A live workshop has no dates: an edit that says so is refused with its path.
    auto live = edited;
    live["mode"] = "live";
    auto refused = http(r.s.port(), "PUT", "/api/workshops/" + r.id, live.dump(), admin_token);
    BOOST_TEST(refused.status == 400);
    BOOST_TEST(refused.json()["error"]["path"] == "$.opens_at");
}

BOOST_AUTO_TEST_CASE(a_pass_from_a_phone_and_a_bad_pass_change_nothing) {
    rig r(questionnaire(-1'000, 3'600'000));
    auto [carys, welcome] = r.phone();
    auto const a1 = welcome["activities"][0]["id"].get<std::string>();
    auto refused =
        r.send(carys, {{"type", "vote"}, {"activity", a1}, {"value", 3}, {"pass", "mine"}});
    BOOST_TEST(refused["code"] == "bad_request");
    auto bad = r.send(carys, {{"type", "vote"}, {"activity", a1}, {"value", 3}, {"pass", "a b"}});
    BOOST_TEST(bad["code"] == "bad_request");
    BOOST_TEST(r.results()["activities"][0]["summary"]["n"] == 0);
}

BOOST_AUTO_TEST_SUITE_END()
