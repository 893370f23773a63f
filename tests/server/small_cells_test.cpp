#include "server/domain/workshop.hpp"

#include <boost/test/unit_test.hpp>

#include <nlohmann/json.hpp>

#include <string>

// Small-cell suppression (docs/protocol.md, "Small cells") at the summary level: what the
// presenter, participants and the facilitator would read in their summary frames.

namespace {

namespace domain = cylch::domain;
namespace protocol = cylch::protocol;
using domain::actor;
using protocol::role;
using verb = protocol::activity_command::verb;
using json = nlohmann::json;

// Three groups, a live Likert statement, a choice and a ranking; `extra` adds top-level keys.
std::string file_with(std::string const& extra) {
    return R"json({
  "title": {"en": "Small groups"},
  "groups": [
    {"id": "innovator", "label": {"en": "Innovator"}},
    {"id": "enabler", "label": {"en": "Enabler"}},
    {"id": "stakeholder", "label": {"en": "Stakeholder"}}
  ],)json" +
           extra +
           R"json(
  "activities": [
    {"kind": "likert", "statement": {"en": "First"}, "scale": 5, "results": "live"},
    {"kind": "choice", "question": {"en": "Pick"},
     "options": [{"id": "x", "label": {"en": "X"}}, {"id": "y", "label": {"en": "Y"}}]},
    {"kind": "ranking", "question": {"en": "Order"},
     "items": [{"id": "x", "label": {"en": "X"}}, {"id": "y", "label": {"en": "Y"}},
               {"id": "z", "label": {"en": "Z"}}]}
  ]
})json";
}

struct room {
    explicit room(std::string const& extra = "")
        : ws(make(file_with(extra))) {}

    static domain::workshop make(std::string const& json) {
        auto parsed = protocol::parse_workshop_file(json);
        if (auto const* err = std::get_if<protocol::workshop_file_error>(&parsed)) {
            BOOST_FAIL("the test's workshop file does not parse: " << err->what());
        }
        auto spec = std::get<protocol::workshop_spec>(std::move(parsed));
        domain::workshop_identity identity{"w_1", "482913", "hf", "hp", {"a_1", "a_2", "a_3"}};
        cylch::store::record creation;
        return domain::workshop(std::move(identity), std::move(spec), json, 1'000, creation);
    }

    domain::workshop ws;
    actor const facilitator{role::facilitator, "facilitator"};
    cylch::store::time_ms now = 2'000;
    int ops = 0;
    int people = 0;

    std::string op() { return "op-" + std::to_string(++ops); }
    domain::effects send(actor const& who, protocol::client_message const& m) {
        now += 1000;
        auto e = ws.apply(who, m, now);
        BOOST_TEST_REQUIRE(!e.error, "refused: " << (e.error ? e.error->message : ""));
        return e;
    }
    void open(std::string const& a) {
        send(facilitator, protocol::activity_command{op(), verb::open, a});
    }
    // `count` new participants of the group vote `value` on a_1.
    void votes(int count, std::optional<std::string> group, int value,
               protocol::channel channel = protocol::channel::web) {
        for (int i = 0; i < count; ++i) {
            std::string id = "p_" + std::to_string(++people);
            ws.add_participant(id, "hash-" + id, std::nullopt, channel, now);
            actor const who{role::participant, id};
            send(who, protocol::profile{op(), group.has_value(), group, true, {}});
            send(who, protocol::vote{op(), "a_1", value});
        }
    }
    // The summary frame of an activity as this role receives it.
    json frame(role r, std::string const& a = "a_1") const {
        return json::parse(protocol::encode(*ws.summary_of(*ws.find_activity(a), r)));
    }
};

json suppressed() {
    return json{{"suppressed", true}};
}

} // namespace

BOOST_AUTO_TEST_SUITE(domain_small_cells)

BOOST_AUTO_TEST_CASE(one_respondent_in_a_group_is_not_shown_on_the_projector) {
    room r;
    r.open("a_1");
    r.votes(1, "enabler", 5);
    r.votes(5, "innovator", 2);
    r.votes(6, "stakeholder", 3);

    auto const p = r.frame(role::presenter);
    BOOST_TEST(p["n"] == 12);
    BOOST_TEST(p["counts"] == json({0, 5, 6, 0, 1}));
    // The one enabler is withheld, and so is the innovators' 5 (else 12 − 5 − 6 = 1 gives it).
    BOOST_TEST(p["by_group"]["enabler"] == suppressed());
    BOOST_TEST(p["by_group"]["innovator"] == suppressed());
    BOOST_TEST(p["by_group"]["stakeholder"]["n"] == 6);
    BOOST_TEST(p["by_group"]["stakeholder"]["counts"] == json({0, 0, 6, 0, 0}));
    BOOST_TEST(p["min_cell"] == 3);
    BOOST_TEST(!p.contains("suppressed"));
    // No enabler's answer anywhere in the frame's breakdowns.
    BOOST_TEST(p["by_group"].dump().find("\"n\":1") == std::string::npos);

    // The facilitator sees everything, marked as withheld on shared screens.
    auto const f = r.frame(role::facilitator);
    BOOST_TEST(f["by_group"]["enabler"]["n"] == 1);
    BOOST_TEST(f["by_group"]["enabler"]["counts"] == json({0, 0, 0, 0, 1}));
    BOOST_TEST(f["by_group"]["enabler"]["suppressed"] == true);
    BOOST_TEST(f["by_group"]["innovator"]["suppressed"] == true);
    BOOST_TEST(!f["by_group"]["stakeholder"].contains("suppressed"));

    // All 12 came by web: the kiosk cell (0) is withheld, web's 12 is the total anyway.
    BOOST_TEST(p["by_channel"]["kiosk"] == suppressed());
    BOOST_TEST(p["by_channel"]["web"]["n"] == 12);
}

BOOST_AUTO_TEST_CASE(groups_of_two_two_and_ten_show_the_ten_and_the_total) {
    room r;
    r.open("a_1");
    r.votes(2, "innovator", 1);
    r.votes(2, "enabler", 5);
    r.votes(10, "stakeholder", 3);
    auto const p = r.frame(role::presenter);
    BOOST_TEST(p["n"] == 14);
    BOOST_TEST(p["by_group"]["innovator"] == suppressed());
    BOOST_TEST(p["by_group"]["enabler"] == suppressed());
    BOOST_TEST(p["by_group"]["stakeholder"]["n"] == 10);
    BOOST_TEST(p["by_group"]["stakeholder"]["counts"] == json({0, 0, 10, 0, 0}));
}

BOOST_AUTO_TEST_CASE(all_groups_small_are_all_withheld_and_the_overall_stays) {
    room r;
    r.open("a_1");
    r.votes(1, "innovator", 1);
    r.votes(2, "enabler", 5);
    r.votes(2, "stakeholder", 3);
    auto const p = r.frame(role::presenter);
    BOOST_TEST(p["n"] == 5);
    BOOST_TEST(p["counts"] == json({1, 0, 2, 0, 2}));
    for (auto const* g : {"innovator", "enabler", "stakeholder"}) {
        BOOST_TEST(p["by_group"][g] == suppressed());
    }
}

BOOST_AUTO_TEST_CASE(fewer_answers_than_min_cell_show_the_number_only) {
    room r;
    r.open("a_1");
    r.votes(2, "innovator", 5);
    for (auto who : {role::presenter, role::participant, role::kiosk}) {
        auto const p = r.frame(who);
        BOOST_TEST(p["n"] == 2);
        BOOST_TEST(p["suppressed"] == true);
        BOOST_TEST(p["min_cell"] == 3);
        for (auto const* key : {"counts", "median", "mean", "agree_pct", "agree_ci95", "by_group",
                                "quartiles", "consensus"}) {
            BOOST_TEST(!p.contains(key), key << " on a shared screen");
        }
    }
    auto const f = r.frame(role::facilitator);
    BOOST_TEST(f["suppressed"] == true);
    BOOST_TEST(f["counts"] == json({0, 0, 0, 0, 2}));
    BOOST_TEST(f["by_group"]["innovator"]["n"] == 2);

    // The third answer lifts it.
    r.votes(1, "innovator", 4);
    auto const three = r.frame(role::participant);
    BOOST_TEST(!three.contains("suppressed"));
    BOOST_TEST(three["counts"] == json({0, 0, 0, 1, 2}));
}

BOOST_AUTO_TEST_CASE(min_cell_1_shows_everything) {
    room r(R"("min_cell": 1,)");
    r.open("a_1");
    r.votes(1, "enabler", 5);
    r.votes(1, "innovator", 2);
    auto const p = r.frame(role::presenter);
    BOOST_TEST(p["n"] == 2);
    BOOST_TEST(p["by_group"]["enabler"]["counts"] == json({0, 0, 0, 0, 1}));
    BOOST_TEST(p["by_group"]["stakeholder"]["n"] == 0);
    BOOST_TEST(!p.contains("min_cell"));
    BOOST_TEST(!p.contains("suppressed"));
    BOOST_TEST(r.frame(role::facilitator).dump().find("suppressed") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(choice_and_ranking_breakdowns_are_withheld_too) {
    room r(R"("min_cell": 2,)");
    std::vector<actor> who;
    for (auto const* g : {"innovator", "enabler", "enabler", "stakeholder", "stakeholder"}) {
        std::string id = "p_" + std::to_string(++r.people);
        r.ws.add_participant(id, "hash-" + id, std::nullopt, protocol::channel::web, r.now);
        who.push_back({role::participant, id});
        r.send(who.back(), protocol::profile{r.op(), true, std::string(g), true, {}});
    }
    r.open("a_2");
    for (auto const& p : who) {
        r.send(p, protocol::choose{r.op(), "a_2", {"x"}});
    }
    auto const c = r.frame(role::presenter, "a_2");
    BOOST_TEST(c["by_group"]["innovator"] == suppressed());
    BOOST_TEST(c["by_group"]["enabler"] == suppressed()); // the innovator's partner cell
    BOOST_TEST(c["by_group"]["stakeholder"]["counts"]["x"] == 2);
    BOOST_TEST(c["min_cell"] == 2);

    r.open("a_3");
    for (auto const& p : who) {
        r.send(p, protocol::rank{r.op(), "a_3", {"y", "x", "z"}});
    }
    auto const k = r.frame(role::presenter, "a_3");
    BOOST_TEST(k["by_group"]["innovator"] == suppressed());
    BOOST_TEST(k["by_group"]["enabler"] == suppressed());
    BOOST_TEST(k["by_group"]["stakeholder"]["n"] == 2);
    BOOST_TEST(r.frame(role::facilitator, "a_3")["by_group"]["innovator"]["n"] == 1);
}

BOOST_AUTO_TEST_CASE(min_cell_is_read_strictly_from_the_workshop_file) {
    for (auto const* bad : {R"("min_cell": 0,)", R"("min_cell": "3",)", R"("min_cell": 2.5,)",
                            R"("min_cell": 101,)"}) {
        auto parsed = protocol::parse_workshop_file(file_with(bad));
        auto const* err = std::get_if<protocol::workshop_file_error>(&parsed);
        BOOST_TEST_REQUIRE(err != nullptr, bad);
        BOOST_TEST(err->path == "$.min_cell");
    }
    auto parsed = protocol::parse_workshop_file(file_with(""));
    BOOST_TEST(std::get<protocol::workshop_spec>(parsed).min_cell == 3);
    room r(R"("min_cell": 5,)");
    BOOST_TEST(r.ws.view().min_cell == 5);
}

BOOST_AUTO_TEST_SUITE_END()
