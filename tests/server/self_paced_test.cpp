// Self-paced workshops in the workshop state machine (docs/protocol.md, "Self-paced
// workshops"): the file's mode and dates, the window opening and closing every activity,
// answers in any order only inside it, the facilitator's commands that do not apply, ending
// early, kiosk passes (one respondent per person), and a restore from a real store.
#include "server/domain/workshop.hpp"

#include <boost/test/unit_test.hpp>

#include "server/store/store.hpp"
#include "shared/protocol/times.hpp"
#include "tests/support/store_support.hpp"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace {

namespace domain = cylch::domain;
namespace protocol = cylch::protocol;
namespace store = cylch::store;
using domain::actor;
using domain::effects;
using nlohmann::json;
using protocol::activity_state;
using protocol::role;
using store::time_ms;
using verb = protocol::activity_command::verb;

constexpr char const* questionnaire_file = R"json({
  "title": {"en": "Libraries survey", "cy": "Arolwg llyfrgelloedd"},
  "languages": ["en", "cy"],
  "mode": "self_paced",
  "opens_at": "2026-12-01T09:00:00Z",
  "closes_at": "2026-12-14T17:00:00+01:00",
  "min_cell": 1,
  "groups": [{"id": "staff", "label": {"en": "Library staff"}}],
  "consent": {"required": true, "text": {"en": "Voluntary."}},
  "activities": [
    {"kind": "likert", "statement": {"en": "The library is easy to reach."}, "scale": 5},
    {"kind": "choice", "question": {"en": "How do you come?"},
     "options": [{"id": "walk", "label": {"en": "On foot"}}, {"id": "bus", "label": {"en": "By bus"}}]},
    {"kind": "open_text", "question": {"en": "What would help?"}}
  ]
})json";

time_ms at(char const* text) {
    auto t = protocol::parse_rfc3339(text);
    BOOST_TEST_REQUIRE(t.has_value());
    return *t;
}

std::string code_of(effects const& e) {
    return e.error ? std::string(protocol::to_string(e.error->code)) : "none";
}

std::string file_error(std::string const& text) {
    auto parsed = protocol::parse_workshop_file(text);
    auto const* err = std::get_if<protocol::workshop_file_error>(&parsed);
    return err == nullptr ? "none" : err->what();
}

// The test file with one top-level key replaced (or removed when `value` is null).
std::string with(std::string const& key, json value) {
    auto j = json::parse(questionnaire_file);
    if (value.is_null()) {
        j.erase(key);
    } else {
        j[key] = std::move(value);
    }
    return j.dump();
}

struct survey {
    explicit survey(std::string file = questionnaire_file)
        : text(std::move(file))
        , ws(make(text)) {}

    static domain::workshop make(std::string const& text) {
        auto parsed = protocol::parse_workshop_file(text);
        if (auto const* err = std::get_if<protocol::workshop_file_error>(&parsed)) {
            BOOST_FAIL("the test's workshop file does not parse: " << err->what());
        }
        auto spec = std::get<protocol::workshop_spec>(std::move(parsed));
        domain::workshop_identity id{"w_1", "482913", "hash-f", "hash-p", {"a_1", "a_2", "a_3"}};
        store::record creation;
        return domain::workshop(std::move(id), std::move(spec), text, at("2026-11-20T10:00:00Z"),
                                creation);
    }

    std::string text;
    domain::workshop ws;
    std::vector<store::record> log;
    actor const facilitator{role::facilitator, "facilitator"};
    time_ms now = at("2026-11-30T12:00:00Z");
    int ops = 0;
    int fresh = 0;

    std::string next_op() { return "op-" + std::to_string(++ops); }

    effects window(time_ms when) {
        now = when;
        auto e = ws.apply_window(now);
        log.insert(log.end(), e.to_persist.begin(), e.to_persist.end());
        return e;
    }
    actor join(std::string const& id) {
        auto joined =
            ws.add_participant(id, "hash-" + id, std::nullopt, protocol::channel::web, now);
        log.insert(log.end(), joined.to_persist.begin(), joined.to_persist.end());
        actor who{role::participant, id};
        BOOST_TEST_REQUIRE(
            code_of(send(who, protocol::profile{next_op(), true, "staff", true, {}})) == "none");
        return who;
    }
    effects send(actor const& who, protocol::client_message const& m) {
        now += 1000;
        auto e = ws.apply(who, m, now, "p_k" + std::to_string(++fresh));
        log.insert(log.end(), e.to_persist.begin(), e.to_persist.end());
        return e;
    }
    effects vote(actor const& who, std::string const& a, int value,
                 std::optional<std::string> pass = std::nullopt) {
        protocol::vote v{next_op(), a, value};
        v.pass = std::move(pass);
        return send(who, v);
    }
    std::vector<activity_state> states() const {
        std::vector<activity_state> out;
        for (auto const& a : ws.activities()) {
            out.push_back(a.state);
        }
        return out;
    }
    json summary(std::string const& a) const {
        return json::parse(
            protocol::encode(*ws.summary_of(*ws.find_activity(a), role::facilitator)));
    }
};

std::vector<activity_state> all(activity_state s) {
    return {s, s, s};
}

} // namespace

BOOST_TEST_DONT_PRINT_LOG_VALUE(activity_state)
BOOST_TEST_DONT_PRINT_LOG_VALUE(std::vector<activity_state>)

BOOST_AUTO_TEST_SUITE(domain_self_paced)

BOOST_AUTO_TEST_CASE(the_file_says_when_and_is_checked_field_by_field) {
    auto parsed = protocol::parse_workshop_file(questionnaire_file);
    auto const& spec = std::get<protocol::workshop_spec>(parsed);
    BOOST_TEST((spec.mode == protocol::workshop_mode::self_paced));
    BOOST_TEST(*spec.opens_at == at("2026-12-01T09:00:00Z"));
    BOOST_TEST(*spec.closes_at == at("2026-12-14T16:00:00Z")); // +01:00 read as its UTC time

    BOOST_TEST(file_error(with("mode", "paced")) == "$.mode: must be live or self_paced");
    BOOST_TEST(file_error(with("opens_at", nullptr)) ==
               "$.opens_at: a self-paced workshop needs it");
    BOOST_TEST(file_error(with("closes_at", "2026-12-01T09:00:00Z")) ==
               "$.closes_at: must be after opens_at");
    BOOST_TEST(file_error(with("opens_at", "1 December"))
                   .starts_with("$.opens_at: must be a date and time with its time zone"));
    BOOST_TEST(file_error(with("opens_at", "2026-12-01T09:00:00"))
                   .starts_with("$.opens_at: must be a date and time")); // no zone
    BOOST_TEST(file_error(with("mode", "live")) ==
               "$.opens_at: only a self-paced workshop has dates");
    auto live = json::parse(with("mode", nullptr));
    live.erase("opens_at");
    live.erase("closes_at");
    BOOST_TEST(file_error(live.dump()) == "none"); // a live workshop without dates
    auto board = json::parse(questionnaire_file);
    board["activities"].push_back(json::parse(R"({"kind": "board", "prompt": {"en": "Ideas"}})"));
    BOOST_TEST(file_error(board.dump()) == "$.activities[3].kind: a board needs a live workshop");
}

BOOST_AUTO_TEST_CASE(every_activity_opens_and_closes_with_the_window) {
    survey s;
    auto alys = s.join("p_alys");
    // Before the opening: nothing to answer, nothing shown.
    BOOST_TEST(s.window(s.now).to_persist.empty());
    BOOST_TEST(s.states() == all(activity_state::pending));
    BOOST_TEST(s.ws.questionnaire().empty());
    BOOST_TEST(code_of(s.vote(alys, "a_1", 4)) == "closed");
    BOOST_TEST(*s.ws.next_window_change(s.now) == at("2026-12-01T09:00:00Z"));

    // At the opening every activity is open at once, stored, and there is no current one.
    auto opened = s.window(at("2026-12-01T09:00:00Z"));
    BOOST_TEST(opened.to_persist.size() == 3u);
    BOOST_TEST(opened.activity_changed);
    BOOST_TEST(s.states() == all(activity_state::open));
    BOOST_TEST(s.ws.current() == nullptr);
    BOOST_TEST(s.ws.questionnaire().size() == 3u);
    BOOST_TEST(s.window(s.now + 5000).to_persist.empty()); // nothing more to do
    BOOST_TEST(*s.ws.next_window_change(s.now) == at("2026-12-14T16:00:00Z"));

    // Answers in any order; a second answer replaces the first.
    BOOST_TEST(code_of(s.send(alys, protocol::choose{s.next_op(), "a_2", {"bus"}})) == "none");
    BOOST_TEST(code_of(s.vote(alys, "a_1", 2)) == "none");
    BOOST_TEST(code_of(s.vote(alys, "a_1", 5)) == "none");
    BOOST_TEST(s.summary("a_1").at("counts") == json::parse("[0,0,0,0,1]"));
    auto answers = s.ws.answers_of("p_alys");
    BOOST_TEST_REQUIRE(answers.size() == 2u);
    BOOST_TEST(answers[0].first == "a_1"); // in agenda order
    BOOST_TEST(*answers[0].second.value == 5);
    BOOST_TEST(answers[1].second.options->front() == "bus");

    // The facilitator does not open, close or move between them; reveal waits for the close.
    BOOST_TEST(code_of(s.send(s.facilitator, protocol::activity_command{s.next_op(), verb::close,
                                                                        "a_1"})) == "not_allowed");
    BOOST_TEST(code_of(s.send(s.facilitator, protocol::activity_command{s.next_op(), verb::go_to,
                                                                        "a_2"})) == "not_allowed");
    BOOST_TEST(code_of(s.send(s.facilitator, protocol::activity_command{s.next_op(), verb::reveal,
                                                                        "a_1"})) == "not_allowed");
    BOOST_TEST(s.states() == all(activity_state::open));

    // At the close every activity closes; answers are refused and nothing changes.
    auto closed = s.window(at("2026-12-14T16:00:00Z"));
    BOOST_TEST(closed.to_persist.size() == 3u);
    BOOST_TEST(s.states() == all(activity_state::closed));
    BOOST_TEST(s.ws.find_activity("a_1")->closed_at == at("2026-12-14T16:00:00Z"));
    BOOST_TEST(code_of(s.vote(alys, "a_1", 1)) == "closed");
    BOOST_TEST(s.summary("a_1").at("counts") == json::parse("[0,0,0,0,1]"));
    BOOST_TEST(!s.ws.next_window_change(s.now).has_value());
    // Participants still see the questions (closed) with their answers.
    BOOST_TEST(s.ws.questionnaire().size() == 3u);
    BOOST_TEST(s.ws.questionnaire()[0].state == activity_state::closed);
    // Revealing a closed activity works as in a live workshop.
    BOOST_TEST(code_of(s.send(s.facilitator, protocol::activity_command{s.next_op(), verb::reveal,
                                                                        "a_1"})) == "none");
}

BOOST_AUTO_TEST_CASE(ending_early_closes_the_questionnaire_for_good) {
    survey s;
    auto alys = s.join("p_alys");
    s.window(at("2026-12-02T09:00:00Z"));
    BOOST_TEST(code_of(s.vote(alys, "a_1", 3)) == "none");
    BOOST_TEST(code_of(s.send(s.facilitator, protocol::workshop_end{s.next_op()})) == "none");
    BOOST_TEST(s.states() == all(activity_state::closed));
    BOOST_TEST(code_of(s.vote(alys, "a_1", 4)) == "closed");
    // The window does not reopen an ended workshop.
    BOOST_TEST(s.window(s.now + 1000).to_persist.empty());
    BOOST_TEST(s.states() == all(activity_state::closed));
    BOOST_TEST(!s.ws.next_window_change(s.now).has_value());
}

BOOST_AUTO_TEST_CASE(a_server_down_for_the_whole_window_finds_it_closed) {
    survey s;
    auto e = s.window(at("2027-01-01T00:00:00Z"));
    BOOST_TEST(e.to_persist.size() == 3u);
    BOOST_TEST(s.states() == all(activity_state::closed));
    BOOST_TEST(s.ws.find_activity("a_2")->opened_at == at("2026-12-01T09:00:00Z"));
}

BOOST_AUTO_TEST_CASE(a_kiosk_pass_is_one_respondent_who_may_go_back) {
    survey s;
    s.window(at("2026-12-03T10:00:00Z"));
    actor const kiosk{role::kiosk, "k_1"};
    auto const before = s.ws.participants().size();
    // First person: two answers and a change of mind on the first.
    BOOST_TEST(code_of(s.vote(kiosk, "a_1", 2, "pass-one")) == "none");
    protocol::choose bus{s.next_op(), "a_2", {"bus"}};
    bus.pass = "pass-one";
    BOOST_TEST(code_of(s.send(kiosk, bus)) == "none");
    BOOST_TEST(code_of(s.vote(kiosk, "a_1", 4, "pass-one")) == "none");
    BOOST_TEST(s.ws.participants().size() == before + 1);
    BOOST_TEST(s.summary("a_1").at("n") == 1);
    BOOST_TEST(s.summary("a_1").at("counts") == json::parse("[0,0,0,1,0]"));
    BOOST_TEST(s.summary("a_2").at("n") == 1);
    // Second person, and a press without a pass: one respondent each.
    BOOST_TEST(code_of(s.vote(kiosk, "a_1", 5, "pass-two")) == "none");
    BOOST_TEST(code_of(s.vote(kiosk, "a_1", 5)) == "none");
    BOOST_TEST(s.ws.participants().size() == before + 3);
    BOOST_TEST(s.summary("a_1").at("counts") == json::parse("[0,0,0,1,2]"));
    BOOST_TEST(s.summary("a_1").at("by_channel").at("kiosk").at("n") == 3);
    // The same pass name on another kiosk is another person.
    BOOST_TEST(code_of(s.vote(actor{role::kiosk, "k_2"}, "a_1", 1, "pass-one")) == "none");
    BOOST_TEST(s.ws.participants().size() == before + 4);
    // A pass is for kiosks: a participant who sends one is refused and nothing changes.
    auto alys = s.join("p_alys");
    BOOST_TEST(code_of(s.vote(alys, "a_1", 3, "pass-one")) == "bad_request");
    BOOST_TEST(s.summary("a_1").at("n") == 4);
}

BOOST_AUTO_TEST_CASE(a_restore_keeps_the_window_the_answers_and_the_passes) {
    survey s;
    auto alys = s.join("p_alys");
    s.window(at("2026-12-01T09:00:00Z"));
    BOOST_TEST(code_of(s.vote(alys, "a_1", 4)) == "none");
    BOOST_TEST(code_of(s.send(alys, protocol::answer{s.next_op(), "a_3", "Longer hours"})) ==
               "none");
    actor const kiosk{role::kiosk, "k_1"};
    BOOST_TEST(code_of(s.vote(kiosk, "a_1", 2, "pass-one")) == "none");

    cylch::test::temp_db file;
    store::store db(store::store_options{file.path});
    store::record creation;
    domain::workshop(
        domain::workshop_identity{"w_1", "482913", "hash-f", "hash-p", {"a_1", "a_2", "a_3"}},
        s.ws.spec(), s.text, at("2026-11-20T10:00:00Z"), creation);
    std::vector<store::record> records{creation};
    records.insert(records.end(), s.log.begin(), s.log.end());
    BOOST_TEST_REQUIRE(cylch::test::persist(db, records));
    db.stop();
    auto snapshots = db.load_all();
    BOOST_TEST_REQUIRE(snapshots.size() == 1u);
    domain::workshop back(snapshots.front());

    BOOST_TEST(back.self_paced());
    BOOST_TEST(back.questionnaire().size() == 3u);
    BOOST_TEST(back.questionnaire()[2].state == activity_state::open);
    auto answers = back.answers_of("p_alys");
    BOOST_TEST_REQUIRE(answers.size() == 2u);
    BOOST_TEST(*answers[1].second.text == "Longer hours");
    // The kiosk's pass goes on as the same respondent after the restart.
    auto const people = back.participants().size();
    protocol::vote again{"op-after", "a_1", 5};
    again.pass = "pass-one";
    auto e = back.apply(kiosk, again, s.now + 1000, "p_fresh");
    BOOST_TEST(code_of(e) == "none");
    BOOST_TEST(back.participants().size() == people);
    auto const j = json::parse(
        protocol::encode(*back.summary_of(*back.find_activity("a_1"), role::facilitator)));
    BOOST_TEST(j.at("counts") == json::parse("[0,0,0,1,1]"));
}

BOOST_AUTO_TEST_CASE(the_workshop_object_carries_the_mode_and_dates) {
    survey s;
    protocol::welcome hello;
    hello.workshop = s.ws.view();
    auto const out = json::parse(protocol::encode(hello));
    BOOST_TEST(out.at("workshop").at("mode") == "self_paced");
    BOOST_TEST(out.at("workshop").at("opens_at") == "2026-12-01T09:00:00Z");
    BOOST_TEST(out.at("workshop").at("closes_at") == "2026-12-14T16:00:00Z");
}

BOOST_AUTO_TEST_SUITE_END()
