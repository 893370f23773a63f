// Choice, ranking and open-text activities in the workshop state machine (docs/protocol.md,
// Choice, ranking and open text): their rules, bad requests that change nothing, summaries as
// each role sees them, comments, kiosks, restoring from a real store, and the CSV rows.
#include "server/domain/workshop.hpp"

#include <boost/test/unit_test.hpp>

#include "server/export/csv.hpp"
#include "server/store/store.hpp"
#include "tests/support/store_support.hpp"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace {

namespace tt = boost::test_tools;
namespace domain = cylch::domain;
namespace protocol = cylch::protocol;
namespace store = cylch::store;
using domain::actor;
using domain::effects;
using nlohmann::json;
using protocol::role;
using store::time_ms;
using strings = std::vector<std::string>;
using verb = protocol::activity_command::verb;

constexpr char const* kinds_file = R"json({
  "title": {"en": "Kinds", "cy": "Mathau"},
  "min_cell": 1,
  "languages": ["en", "cy"],
  "groups": [
    {"id": "innovator", "label": {"en": "Innovator"}},
    {"id": "enabler", "label": {"en": "Enabler"}}
  ],
  "consent": {"required": true, "text": {"en": "Voluntary."}},
  "activities": [
    {"kind": "choice", "question": {"en": "Which profile?", "cy": "Pa broffil?"},
     "options": [{"id": "visionary", "label": {"en": "Visionary", "cy": "Gweledydd"}},
                 {"id": "connector", "label": {"en": "Connector"}},
                 {"id": "builder", "label": {"en": "Builder"}}],
     "comment": {"prompt": {"en": "Why?", "cy": "Pam?"}},
     "card": {"title": {"en": "Alys"}, "body": {"en": "A service designer."}}},
    {"kind": "choice", "question": {"en": "Which two?"}, "max": 2, "results": "on_reveal",
     "options": [{"id": "a", "label": {"en": "A"}}, {"id": "b", "label": {"en": "B"}},
                 {"id": "c", "label": {"en": "C"}}]},
    {"kind": "ranking", "question": {"en": "What first?"},
     "items": [{"id": "convene", "label": {"en": "Convening people"}},
               {"id": "platform", "label": {"en": "A shared platform"}},
               {"id": "embed", "label": {"en": "Embedding innovation"}}]},
    {"kind": "open_text", "question": {"en": "What would help?"}, "max_length": 20},
    {"kind": "likert", "statement": {"en": "Useful"}, "comment": {"prompt": {"en": "Why?"}}}
  ]
})json";

constexpr time_ms t0 = 1'700'000'000'000;

std::string code_of(effects const& e) {
    return e.error ? std::string(protocol::to_string(e.error->code)) : "none";
}

struct room {
    room()
        : ws(make()) {}

    static domain::workshop make() {
        auto parsed = protocol::parse_workshop_file(kinds_file);
        if (auto const* err = std::get_if<protocol::workshop_file_error>(&parsed)) {
            BOOST_FAIL("the test's workshop file does not parse: " << err->what());
        }
        auto spec = std::get<protocol::workshop_spec>(std::move(parsed));
        domain::workshop_identity id{"w_1", "482913", "hash-f", "hash-p", {}};
        for (std::size_t i = 1; i <= spec.activities.size(); ++i) {
            id.activity_ids.push_back("a_" + std::to_string(i));
        }
        store::record creation;
        auto ws = domain::workshop(std::move(id), std::move(spec), kinds_file, t0, creation);
        return ws;
    }

    domain::workshop ws;
    std::vector<store::record> log;
    actor const facilitator{role::facilitator, "facilitator"};
    time_ms now = t0;
    int ops = 0;
    int fresh = 0;

    std::string next_op() { return "op-" + std::to_string(++ops); }

    actor join(std::string const& id, std::optional<std::string> group, bool consent = true) {
        now += 1000;
        auto joined =
            ws.add_participant(id, "hash-" + id, std::nullopt, protocol::channel::web, now);
        log.insert(log.end(), joined.to_persist.begin(), joined.to_persist.end());
        actor who{role::participant, id};
        if (consent) {
            BOOST_TEST_REQUIRE(
                code_of(send(who, protocol::profile{next_op(), true, group, true, {}})) == "none");
        }
        return who;
    }
    effects send(actor const& who, protocol::client_message const& m) {
        now += 1000;
        auto const id = (who.role == role::kiosk ? "p_k" : "t_") + std::to_string(++fresh);
        auto e = ws.apply(who, m, now, id);
        log.insert(log.end(), e.to_persist.begin(), e.to_persist.end());
        return e;
    }
    effects command(verb v, std::string const& a) {
        return send(facilitator, protocol::activity_command{next_op(), v, a});
    }
    effects choose(actor const& who, std::string const& a, strings options,
                   std::optional<std::string> comment = std::nullopt) {
        return send(who, protocol::choose{next_op(), a, std::move(options), std::move(comment)});
    }
    effects rank(actor const& who, std::string const& a, strings order) {
        return send(who, protocol::rank{next_op(), a, std::move(order)});
    }
    effects answer(actor const& who, std::string const& a, std::string text) {
        return send(who, protocol::answer{next_op(), a, std::move(text)});
    }
    domain::activity const& activity(std::string const& id) const {
        auto const* a = ws.find_activity(id);
        BOOST_TEST_REQUIRE(a != nullptr);
        return *a;
    }
    // The summary frame as this role receives it.
    json frame(std::string const& a, role r) const {
        auto s = ws.summary_of(activity(a), r);
        BOOST_TEST_REQUIRE(s.has_value());
        return json::parse(protocol::encode(*s));
    }
};

domain::workshop restore_through_store(room const& r) {
    cylch::test::temp_db file;
    store::store db(store::store_options{file.path});
    store::record creation;
    domain::workshop_identity id{"w_1", "482913", "hash-f", "hash-p", {}};
    for (std::size_t i = 1; i <= r.ws.activities().size(); ++i) {
        id.activity_ids.push_back("a_" + std::to_string(i));
    }
    domain::workshop(id, r.ws.spec(), kinds_file, t0, creation);
    std::vector<store::record> all{creation};
    all.insert(all.end(), r.log.begin(), r.log.end());
    BOOST_TEST_REQUIRE(cylch::test::persist(db, all));
    db.stop();
    auto snapshots = db.load_all();
    BOOST_TEST_REQUIRE(snapshots.size() == 1u);
    return domain::workshop(snapshots.front());
}

} // namespace

BOOST_AUTO_TEST_SUITE(domain_kinds)

BOOST_AUTO_TEST_CASE(a_choice_counts_respondents_with_shares_by_group_and_channel) {
    room r;
    auto p1 = r.join("p_1", "innovator");
    auto p2 = r.join("p_2", "enabler");
    auto p3 = r.join("p_3", std::nullopt);
    r.command(verb::open, "a_1");
    BOOST_TEST(code_of(r.choose(p1, "a_1", {"visionary"})) == "none");
    BOOST_TEST(code_of(r.choose(p2, "a_1", {"connector"})) == "none");
    BOOST_TEST(code_of(r.choose(p3, "a_1", {"connector"})) == "none");
    // A new choice replaces the previous one.
    BOOST_TEST(code_of(r.choose(p1, "a_1", {"connector"})) == "none");
    BOOST_TEST(code_of(r.choose(p1, "a_1", {"visionary"})) == "none");
    auto const j = r.frame("a_1", role::facilitator);
    BOOST_TEST(j.at("kind") == "choice");
    BOOST_TEST(j.at("n") == 3);
    BOOST_TEST(j.at("counts") == json::parse(R"({"visionary":1,"connector":2,"builder":0})"));
    BOOST_TEST(j.at("share_pct").at("connector").get<double>() == 66.7);
    // k = 2 of n = 3: [0.207655, 0.938510]
    BOOST_TEST(j.at("share_ci95").at("connector").dump() == "[20.8,93.9]");
    BOOST_TEST(j.at("by_group").at("innovator").at("counts").at("visionary") == 1);
    BOOST_TEST(j.at("by_group").at("enabler").at("n") == 1);
    BOOST_TEST(j.at("by_channel").at("web").at("n") == 3);
    BOOST_TEST(j.at("by_channel").at("kiosk").at("n") == 0);
    // Participants see the overall figures of a live choice, no breakdowns.
    auto const phone = r.frame("a_1", role::participant);
    BOOST_TEST(phone.at("counts").at("connector") == 2);
    BOOST_TEST(!phone.contains("by_group"));
    BOOST_TEST(!phone.contains("comments"));
}

BOOST_AUTO_TEST_CASE(bad_choices_are_refused_and_change_nothing) {
    room r;
    auto p1 = r.join("p_1", "innovator");
    auto late = r.join("p_2", "innovator", false);
    BOOST_TEST(code_of(r.choose(p1, "a_1", {"visionary"})) == "closed"); // pending
    r.command(verb::open, "a_1");
    r.command(verb::open, "a_2");
    BOOST_TEST(code_of(r.choose(late, "a_1", {"visionary"})) == "not_allowed"); // no consent
    BOOST_TEST(code_of(r.choose(p1, "a_1", {"visionary", "connector"})) == "bad_request");
    BOOST_TEST(code_of(r.choose(p1, "a_1", {"nobody"})) == "bad_request");
    BOOST_TEST(code_of(r.choose(p1, "a_2", {"a", "a"})) == "bad_request");
    BOOST_TEST(code_of(r.choose(p1, "a_2", {"a", "b", "c"})) == "bad_request"); // max 2
    BOOST_TEST(code_of(r.choose(p1, "a_2", {"a"}, "why")) == "bad_request");    // no comment asked
    BOOST_TEST(code_of(r.choose(p1, "a_3", {"convene"})) == "bad_request");     // a ranking
    BOOST_TEST(code_of(r.choose(p1, "a_9", {"a"})) == "not_found");
    BOOST_TEST(code_of(r.send(p1, protocol::vote{r.next_op(), "a_1", 3})) == "bad_request");
    BOOST_TEST(r.frame("a_1", role::facilitator).at("n") == 0);
    BOOST_TEST(r.frame("a_2", role::facilitator).at("n") == 0);
    // Two of three on the multiple choice: fine.
    BOOST_TEST(code_of(r.choose(p1, "a_2", {"c", "a"})) == "none");
    r.command(verb::go_to, "a_1");
    BOOST_TEST(!r.ws.mine("p_1").options); // nothing chosen on a_1
    r.command(verb::go_to, "a_2");
    BOOST_TEST(*r.ws.mine("p_1").options == (strings{"a", "c"}), tt::per_element());
}

BOOST_AUTO_TEST_CASE(on_reveal_choice_results_reach_participants_after_the_reveal) {
    room r;
    auto p1 = r.join("p_1", "innovator");
    r.command(verb::open, "a_2");
    r.choose(p1, "a_2", {"a", "b"});
    auto before = r.frame("a_2", role::participant);
    BOOST_TEST(before ==
               json::parse(R"({"type":"summary","activity":"a_2","kind":"choice","n":1})"));
    BOOST_TEST(code_of(r.command(verb::reveal, "a_2")) == "not_allowed"); // close first
    r.command(verb::close, "a_2");
    r.command(verb::reveal, "a_2");
    auto after = r.frame("a_2", role::participant);
    BOOST_TEST(after.at("counts") == json::parse(R"({"a":1,"b":1,"c":0})"));
    // Shares are of respondents: 100 % each.
    BOOST_TEST(after.at("share_pct").at("a").get<double>() == 100.0);
    BOOST_TEST(after.at("share_pct").at("b").get<double>() == 100.0);
}

BOOST_AUTO_TEST_CASE(comments_reach_the_facilitator_only) {
    room r;
    auto p1 = r.join("p_1", "innovator");
    auto p2 = r.join("p_2", "enabler");
    r.command(verb::open, "a_1");
    r.choose(p1, "a_1", {"builder"}, "I make things happen");
    r.choose(p2, "a_1", {"visionary"});
    auto const fac = r.frame("a_1", role::facilitator);
    BOOST_TEST_REQUIRE(fac.at("comments").size() == 1u);
    BOOST_TEST(fac.at("comments")[0].at("text") == "I make things happen");
    BOOST_TEST(fac.at("comments")[0].at("group") == "innovator");
    BOOST_TEST(fac.at("comments")[0].at("options") == json::parse(R"(["builder"])"));
    for (auto r2 : {role::presenter, role::participant}) {
        auto const other = r.frame("a_1", r2);
        BOOST_TEST(!other.contains("comments"));
        BOOST_TEST(other.dump().find("I make things happen") == std::string::npos);
    }
    // The participant sees their own comment back; a new choice without one removes it.
    BOOST_TEST(r.ws.mine("p_1").comment.value_or("-") == "I make things happen");
    r.choose(p1, "a_1", {"builder"});
    BOOST_TEST(!r.ws.mine("p_1").comment);
    BOOST_TEST(r.frame("a_1", role::facilitator).at("comments").empty());

    // Likert with a comment prompt.
    r.command(verb::open, "a_5");
    BOOST_TEST(code_of(r.send(p2, protocol::vote{r.next_op(), "a_5", 4, {}, "Saves time"})) ==
               "none");
    auto const likert = r.frame("a_5", role::facilitator);
    BOOST_TEST(likert.at("comments")[0].at("value") == 4);
    BOOST_TEST(likert.at("comments")[0].at("group") == "enabler");
    BOOST_TEST(!r.frame("a_5", role::presenter).contains("comments"));
}

BOOST_AUTO_TEST_CASE(a_ranking_needs_every_item_once) {
    room r;
    auto p1 = r.join("p_1", "innovator");
    r.command(verb::open, "a_3");
    for (auto const& bad : {strings{"convene", "platform"}, strings{"convene", "convene", "embed"},
                            strings{"convene", "platform", "nothing"},
                            strings{"convene", "platform", "embed", "embed"}}) {
        BOOST_TEST(code_of(r.rank(p1, "a_3", bad)) == "bad_request");
    }
    BOOST_TEST(r.frame("a_3", role::facilitator).at("n") == 0);
    BOOST_TEST(code_of(r.rank(p1, "a_3", {"embed", "convene", "platform"})) == "none");
    BOOST_TEST(*r.ws.mine("p_1").order == (strings{"embed", "convene", "platform"}),
               tt::per_element());
}

// Three respondents: (convene, platform, embed), (convene, embed, platform),
// (embed, convene, platform). convene: ranks 1,1,2 -> mean 1.33, Borda 2+2+1 = 5;
// platform: 2,3,3 -> 2.67, Borda 1; embed: 3,2,1 -> 2, Borda 0+1+2 = 3.
BOOST_AUTO_TEST_CASE(ranking_summary_by_hand) {
    room r;
    auto p1 = r.join("p_1", "innovator");
    auto p2 = r.join("p_2", "innovator");
    auto p3 = r.join("p_3", "enabler");
    r.command(verb::open, "a_3");
    r.rank(p1, "a_3", {"convene", "platform", "embed"});
    r.rank(p2, "a_3", {"convene", "embed", "platform"});
    r.rank(p3, "a_3", {"embed", "convene", "platform"});
    auto const j = r.frame("a_3", role::facilitator);
    BOOST_TEST(j.at("kind") == "ranking");
    BOOST_TEST(j.at("n") == 3);
    BOOST_TEST(j.at("mean_rank") == json::parse(R"({"convene":1.33,"platform":2.67,"embed":2.0})"));
    BOOST_TEST(j.at("borda") == json::parse(R"({"convene":5,"platform":1,"embed":3})"));
    BOOST_TEST(j.at("rank_counts") ==
               json::parse(R"({"convene":[2,1,0],"platform":[0,1,2],"embed":[1,1,1]})"));
    BOOST_TEST(j.at("by_group").at("enabler").at("borda") ==
               json::parse(R"({"convene":1,"platform":0,"embed":2})"));
    // A group change moves the respondent's ranking to the new group.
    r.send(p3, protocol::profile{r.next_op(), true, std::string("innovator"), {}, {}});
    auto const moved = r.frame("a_3", role::facilitator);
    BOOST_TEST(moved.at("by_group").at("enabler").at("n") == 0);
    BOOST_TEST(moved.at("by_group").at("innovator").at("n") == 3);
}

BOOST_AUTO_TEST_CASE(open_text_answers_are_private_until_shown) {
    room r;
    auto p1 = r.join("p_1", "innovator");
    auto p2 = r.join("p_2", "enabler");
    r.command(verb::open, "a_4");
    BOOST_TEST(code_of(r.answer(p1, "a_4", "More examples")) == "none");
    BOOST_TEST(code_of(r.answer(p2, "a_4", "Welsh versions")) == "none");
    BOOST_TEST(code_of(r.answer(p2, "a_4", std::string(21, 'x'))) == "bad_request"); // max 20
    auto fac = r.frame("a_4", role::facilitator);
    BOOST_TEST(fac.at("n") == 2);
    BOOST_TEST_REQUIRE(fac.at("answers").size() == 2u);
    BOOST_TEST(fac.at("answers")[0].at("text") == "More examples");
    BOOST_TEST(fac.at("answers")[0].at("group") == "innovator");
    BOOST_TEST(fac.at("answers")[1].at("text") == "Welsh versions");
    BOOST_TEST(fac.at("shown").empty());
    for (auto who : {role::presenter, role::participant}) {
        auto const j = r.frame("a_4", who);
        BOOST_TEST(j.at("n") == 2);
        BOOST_TEST(j.at("shown").empty());
        BOOST_TEST(!j.contains("answers"));
    }
    std::string const first = fac.at("answers")[0].at("id");
    std::string const second = fac.at("answers")[1].at("id");
    // Participants cannot show answers.
    BOOST_TEST(code_of(r.send(p1, protocol::answer_show{r.next_op(), first, true})) ==
               "not_allowed");
    BOOST_TEST(code_of(r.send(r.facilitator, protocol::answer_show{r.next_op(), first, true})) ==
               "none");
    BOOST_TEST(code_of(r.send(r.facilitator, protocol::answer_hide{r.next_op(), second, true})) ==
               "none");
    BOOST_TEST(code_of(r.send(r.facilitator, protocol::answer_show{r.next_op(), second, true})) ==
               "not_allowed"); // hidden
    BOOST_TEST(code_of(r.send(r.facilitator, protocol::answer_show{r.next_op(), "t_none", true})) ==
               "not_found");
    auto const screen = r.frame("a_4", role::presenter);
    BOOST_TEST(screen.at("shown") == (json::array({{{"id", first}, {"text", "More examples"}}})));
    auto const staff = r.frame("a_4", role::facilitator);
    BOOST_TEST(staff.at("answers")[1].at("hidden") == true);
    BOOST_TEST(staff.at("answers")[0].at("shown") == true);

    // An edit keeps the id and takes the answer off the screens until shown again.
    BOOST_TEST(code_of(r.answer(p1, "a_4", "Fewer words")) == "none");
    BOOST_TEST(r.frame("a_4", role::presenter).at("shown").empty());
    BOOST_TEST(r.frame("a_4", role::facilitator).at("answers")[1].at("id") == first);
    BOOST_TEST(r.ws.mine("p_1").text.value_or("-") == "Fewer words");

    // vote.clear takes an answer back.
    BOOST_TEST(code_of(r.send(p1, protocol::vote_clear{r.next_op(), "a_4"})) == "none");
    BOOST_TEST(r.frame("a_4", role::facilitator).at("n") == 1);
}

BOOST_AUTO_TEST_CASE(a_kiosk_answers_single_choices_with_one_option) {
    room r;
    actor kiosk{role::kiosk, "k_1"};
    r.command(verb::open, "a_1");
    BOOST_TEST(code_of(r.send(kiosk, protocol::choose{r.next_op(), "a_1", {"builder"}})) == "none");
    BOOST_TEST(code_of(r.send(kiosk, protocol::choose{r.next_op(), "a_1", {"builder"}})) == "none");
    r.command(verb::open, "a_2");
    BOOST_TEST(code_of(r.send(kiosk, protocol::choose{r.next_op(), "a_2", {"a"}})) ==
               "bad_request"); // a multiple choice
    r.command(verb::open, "a_3");
    BOOST_TEST(code_of(r.send(
                   kiosk, protocol::rank{r.next_op(), "a_3", {"convene", "platform", "embed"}})) ==
               "not_allowed");
    auto const j = r.frame("a_1", role::facilitator);
    BOOST_TEST(j.at("n") == 2);
    BOOST_TEST(j.at("by_channel").at("kiosk").at("counts").at("builder") == 2);
    // A press made while it was open counts after the close; one made after does not.
    auto const opened = r.activity("a_1").opened_at;
    r.command(verb::close, "a_1");
    protocol::choose late{r.next_op(), "a_1", {"visionary"}};
    late.pressed_at = opened + 10;
    BOOST_TEST(code_of(r.send(kiosk, late)) == "none");
    protocol::choose after{r.next_op(), "a_1", {"visionary"}};
    after.pressed_at = r.now + 60'000;
    BOOST_TEST(code_of(r.send(kiosk, after)) == "closed");
    BOOST_TEST(r.frame("a_1", role::facilitator).at("counts").at("visionary") == 1);
}

BOOST_AUTO_TEST_CASE(every_answer_comes_back_after_a_restart) {
    room r;
    auto p1 = r.join("p_1", "innovator");
    auto p2 = r.join("p_2", "enabler");
    r.command(verb::open, "a_1");
    r.choose(p1, "a_1", {"visionary"}, "Big picture");
    r.command(verb::open, "a_2");
    r.choose(p2, "a_2", {"c", "a"});
    r.command(verb::open, "a_3");
    r.rank(p1, "a_3", {"platform", "embed", "convene"});
    r.command(verb::open, "a_4");
    r.answer(p1, "a_4", "Shown one");
    r.answer(p2, "a_4", "Hidden one");
    auto const staff = r.frame("a_4", role::facilitator);
    r.send(r.facilitator,
           protocol::answer_show{r.next_op(), staff.at("answers")[0].at("id"), true});
    r.send(r.facilitator,
           protocol::answer_hide{r.next_op(), staff.at("answers")[1].at("id"), true});
    r.command(verb::open, "a_5");
    r.send(p2, protocol::vote{r.next_op(), "a_5", 2, {}, "Too long"});
    r.answer(p1, "a_4", "Shown one"); // the same again: nothing changes

    auto restored = restore_through_store(r);
    for (auto const* a : {"a_1", "a_2", "a_3", "a_4", "a_5"}) {
        BOOST_TEST_CONTEXT(a) {
            auto const before = json::parse(
                protocol::encode(*r.ws.summary_of(*r.ws.find_activity(a), role::facilitator)));
            auto const after = json::parse(protocol::encode(
                *restored.summary_of(*restored.find_activity(a), role::facilitator)));
            BOOST_TEST(after.dump() == before.dump());
        }
    }
    auto const shown = json::parse(
        protocol::encode(*restored.summary_of(*restored.find_activity("a_4"), role::presenter)));
    BOOST_TEST(shown.at("shown").size() == 1u);
    BOOST_TEST(shown.at("shown")[0].at("text") == "Shown one");
}

BOOST_AUTO_TEST_CASE(csv_rows_for_every_question_kind) {
    room r;
    auto p1 = r.join("p_1", "innovator");
    auto p2 = r.join("p_2", "enabler");
    r.command(verb::open, "a_1");
    r.choose(p1, "a_1", {"connector"}, "People, not things");
    r.command(verb::open, "a_2");
    r.choose(p2, "a_2", {"c", "a"});
    r.command(verb::open, "a_3");
    r.rank(p1, "a_3", {"platform", "embed", "convene"});
    r.command(verb::open, "a_4");
    r.answer(p2, "a_4", "=1+1, really");
    auto const id = r.frame("a_4", role::facilitator).at("answers")[0].at("id");
    r.send(r.facilitator, protocol::answer_hide{r.next_op(), id, true});
    auto const csv = cylch::export_::results_csv(r.ws);
    auto const has = [&csv](std::string const& row) {
        BOOST_TEST(csv.find(row) != std::string::npos, row);
    };
    has(",1,a_1,Which profile?,r1,innovator,web,en,connector,Connector,");
    has(",\"People, not things\",\r\n");
    has(",2,a_2,Which two?,r2,enabler,web,en,a|c,A|C,");
    has(",3,a_3,What first?,r1,innovator,web,en,platform|embed|convene,"
        "A shared platform|Embedding innovation|Convening people,");
    // Formula-looking text is defused; a hidden answer is marked.
    has(",4,a_4,What would help?,r2,enabler,web,en,\"'=1+1, really\",,");
    BOOST_TEST(csv.find(",1\r\n") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
