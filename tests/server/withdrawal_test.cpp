#include "server/domain/workshop.hpp"

#include <boost/test/unit_test.hpp>

#include "tests/support/store_support.hpp"

#include "server/store/store.hpp"

#include <nlohmann/json.hpp>

#include <fstream>
#include <iterator>
#include <string>

// Withdrawal and erasure (docs/protocol.md, "Withdrawal and erasure"): what leaves the
// summaries and boards, that the token stops working, and that the text is gone from the
// database file and its WAL.

namespace {

namespace domain = cylch::domain;
namespace protocol = cylch::protocol;
namespace store = cylch::store;
using domain::actor;
using protocol::role;
using verb = protocol::activity_command::verb;
using json = nlohmann::json;

constexpr char const* file = R"json({
  "title": {"en": "Withdrawal"},
  "min_cell": 1,
  "groups": [{"id": "innovator", "label": {"en": "Innovator"}}],
  "activities": [
    {"kind": "likert", "statement": {"en": "First"}, "scale": 5,
     "comment": {"prompt": {"en": "Why?"}}},
    {"kind": "board", "prompt": {"en": "Ideas"}, "dots_per_person": 3},
    {"kind": "open_text", "question": {"en": "Anything else?"}}
  ]
})json";

// The workshop as the actor drives it, with every record to persist kept in order.
struct room {
    room()
        : ws(make()) {}

    static domain::workshop make() {
        auto spec = std::get<protocol::workshop_spec>(protocol::parse_workshop_file(file));
        domain::workshop_identity identity{"w_1", "482913", "hf", "hp", {"a_1", "a_2", "a_3"}};
        return domain::workshop(std::move(identity), std::move(spec), file, 1'000, creation);
    }

    static inline store::record creation;
    domain::workshop ws;
    std::vector<store::record> log{creation};
    actor const facilitator{role::facilitator, "facilitator"};
    store::time_ms now = 2'000;
    int ops = 0;

    std::string op() { return "op-" + std::to_string(++ops); }
    domain::effects send(actor const& who, protocol::client_message const& m,
                         std::string const& fresh = {}) {
        now += 1000;
        auto e = ws.apply(who, m, now, fresh);
        log.insert(log.end(), e.to_persist.begin(), e.to_persist.end());
        return e;
    }
    void ok(domain::effects const& e) {
        BOOST_TEST_REQUIRE(!e.error, "refused: " << (e.error ? e.error->message : ""));
    }
    actor join(std::string const& id) {
        now += 1000;
        auto j = ws.add_participant(id, "hash-" + id, std::nullopt, protocol::channel::web, now);
        log.insert(log.end(), j.to_persist.begin(), j.to_persist.end());
        actor who{role::participant, id};
        ok(send(who, protocol::profile{op(), true, std::string("innovator"), true, {}}));
        return who;
    }
    void open(std::string const& a) {
        ok(send(facilitator, protocol::activity_command{op(), verb::open, a}));
    }
    json summary(std::string const& a) const {
        return json::parse(protocol::encode(*ws.summary_of(*ws.find_activity(a), role::presenter)));
    }
    domain::board const& board() const { return *ws.find_activity("a_2")->as<domain::board>(); }

    // p_1 and p_2 vote (p_1 with a comment), write a note each and dot each other's note;
    // p_1 answers the open question.
    std::pair<actor, actor> everyone_answers() {
        auto p1 = join("p_1");
        auto p2 = join("p_2");
        open("a_1");
        ok(send(p1, protocol::vote{op(), "a_1", 5, {}, std::string("MARMALADE-COMMENT-4417")}));
        ok(send(p2, protocol::vote{op(), "a_1", 2}));
        open("a_2");
        ok(send(p1, protocol::note_add{op(), "a_2", "ZEBRA-CROSSING-NOTE-8812", "yellow"}, "n_1"));
        ok(send(p2, protocol::note_add{op(), "a_2", "p2 note", "blue"}, "n_2"));
        ok(send(p2, protocol::dot{op(), "n_1", true}));
        ok(send(p2, protocol::dot{op(), "n_1", false}));
        ok(send(p2, protocol::dot{op(), "n_1", true}));
        ok(send(p1, protocol::dot{op(), "n_2", true}));
        open("a_3");
        ok(send(p1, protocol::answer{op(), "a_3", "QUOKKA-LANTERN-ANSWER-3301"}, "t_1"));
        return {p1, p2};
    }
};

std::string file_bytes(std::string const& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

} // namespace

BOOST_AUTO_TEST_SUITE(domain_withdrawal)

BOOST_AUTO_TEST_CASE(a_withdrawal_takes_every_answer_note_and_dot_out_of_the_results) {
    room r;
    auto [p1, p2] = r.everyone_answers();
    BOOST_TEST(r.summary("a_1")["n"] == 2);
    BOOST_TEST(r.summary("a_3")["n"] == 1);
    BOOST_TEST(r.board().notes.size() == 2u);
    BOOST_TEST(r.board().find("n_2")->dots == 1);

    auto e = r.send(p1, protocol::withdraw{r.op()});
    r.ok(e);
    auto const withdrawn_at = r.now;
    BOOST_TEST(r.summary("a_1")["n"] == 1);
    BOOST_TEST(r.summary("a_1")["counts"] == json({0, 1, 0, 0, 0}));
    BOOST_TEST(r.summary("a_3")["n"] == 0);
    BOOST_TEST(e.summary_dirty); // a_3 is current
    // p_1's note is gone for everyone, and the dot p_2 gave it is p_2's to give again.
    BOOST_TEST_REQUIRE(r.board().notes.size() == 1u);
    BOOST_TEST(r.board().notes[0].id == "n_2");
    BOOST_TEST(r.board().notes[0].dots == 0); // p_1's dot on p_2's note went too
    BOOST_TEST(r.board().dots_used.at("p_2") == 0);
    BOOST_TEST(!r.board().dots_used.contains("p_1"));
    BOOST_TEST_REQUIRE(e.board_changes.size() == 1u);
    BOOST_TEST(e.board_changes[0].activity == "a_2");
    // Nothing of theirs is left to show them either.
    auto const mine = r.ws.mine("p_1");
    BOOST_TEST(!mine.text);
    // The token is refused from now on, and their requests too.
    auto const* p = r.ws.find_by_token_hash("hash-p_1");
    BOOST_TEST_REQUIRE(p != nullptr);
    BOOST_TEST(p->withdrawn());
    BOOST_TEST(!p->group);
    BOOST_TEST(!p->consent);
    auto again = r.send(p1, protocol::vote{r.op(), "a_1", 4});
    BOOST_TEST_REQUIRE(again.error.has_value());
    BOOST_TEST(protocol::to_string(again.error->code) == "not_found");
    BOOST_TEST(r.send(p1, protocol::withdraw{r.op()}).error.has_value());
    // Respondent numbers do not shift: r1 is still the (withdrawn) first participant.
    BOOST_TEST(r.ws.respondent(1)->id == "p_1");
    BOOST_TEST(r.ws.respondent(2)->id == "p_2");
    BOOST_TEST(r.ws.respondent(3) == nullptr);
    BOOST_TEST(r.ws.respondent(0) == nullptr);
    // One record says it all: who, when, by whom.
    auto const* w = std::get_if<store::participant_withdrawn>(&e.to_persist.back());
    BOOST_TEST_REQUIRE(w != nullptr);
    BOOST_TEST(w->participant == "p_1");
    BOOST_TEST((w->by == store::withdrawal_by::participant));
    BOOST_TEST(w->at == withdrawn_at);
}

BOOST_AUTO_TEST_CASE(staff_erase_a_respondent_by_number_once) {
    room r;
    r.everyone_answers();
    auto const* second = r.ws.respondent(2);
    BOOST_TEST_REQUIRE(second != nullptr);
    auto e = r.ws.withdraw(second->id, store::withdrawal_by::staff, r.now);
    r.ok(e);
    BOOST_TEST(r.summary("a_1")["n"] == 1);
    BOOST_TEST(r.board().notes.size() == 1u);
    BOOST_TEST(r.board().notes[0].id == "n_1");
    BOOST_TEST(r.board().notes[0].dots == 0); // p_2's dot on p_1's note went with p_2
    auto const* w = std::get_if<store::participant_withdrawn>(&e.to_persist.back());
    BOOST_TEST_REQUIRE(w != nullptr);
    BOOST_TEST((w->by == store::withdrawal_by::staff));
    auto twice = r.ws.withdraw("p_2", store::withdrawal_by::staff, r.now);
    BOOST_TEST_REQUIRE(twice.error.has_value());
    BOOST_TEST(protocol::to_string(twice.error->code) == "not_found");
    BOOST_TEST(r.ws.withdraw("p_nobody", store::withdrawal_by::staff, r.now).error.has_value());
}

BOOST_AUTO_TEST_CASE(a_participant_who_never_answered_can_withdraw_too) {
    room r;
    auto const* p = r.ws.join_unstored("p_9", "hash-p_9", std::nullopt, r.now);
    BOOST_TEST_REQUIRE(p != nullptr);
    auto e = r.send({role::participant, "p_9"}, protocol::withdraw{r.op()});
    r.ok(e);
    BOOST_TEST(r.ws.is_stored("p_9"));
    BOOST_TEST(r.ws.find_by_token_hash("hash-p_9")->withdrawn());
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(store_erasure)

// Erasure is real: the text written before is in the database file or its WAL, and after the
// withdrawal is in neither; a restore brings the participant back as withdrawn, without data.
BOOST_AUTO_TEST_CASE(erased_text_is_gone_from_the_database_file_and_its_wal) {
    cylch::test::temp_db file;
    room r;
    auto [p1, p2] = r.everyone_answers();
    std::vector<std::string> const secrets{"MARMALADE-COMMENT-4417", "ZEBRA-CROSSING-NOTE-8812",
                                           "QUOKKA-LANTERN-ANSWER-3301"};
    auto on_disk = [&] { return file_bytes(file.path) + file_bytes(file.path + "-wal"); };
    {
        store::store db(file.options());
        BOOST_TEST_REQUIRE(cylch::test::persist(db, r.log));
        auto const before = on_disk();
        for (auto const& s : secrets) {
            BOOST_TEST(before.find(s) != std::string::npos, s << " was written");
        }
        auto e = r.send(p1, protocol::withdraw{r.op()});
        r.ok(e);
        BOOST_TEST_REQUIRE(cylch::test::persist(db, e.to_persist));
        auto const after = on_disk();
        for (auto const& s : secrets) {
            BOOST_TEST(after.find(s) == std::string::npos, s << " is still on disk");
        }
        BOOST_TEST(after.find("p2 note") != std::string::npos); // the others' data stays
        db.stop();
    }
    store::store db(file.options());
    auto snapshots = db.load_all();
    BOOST_TEST_REQUIRE(snapshots.size() == 1u);
    domain::workshop restored(snapshots.front());
    auto const* p = restored.find_by_token_hash("hash-p_1");
    BOOST_TEST_REQUIRE(p != nullptr);
    BOOST_TEST(p->withdrawn());
    BOOST_TEST(restored.respondent(1)->id == "p_1");
    auto const& board = *restored.find_activity("a_2")->as<domain::board>();
    BOOST_TEST_REQUIRE(board.notes.size() == 1u);
    BOOST_TEST(board.notes[0].dots == 0);
    BOOST_TEST(restored.summary_of(*restored.find_activity("a_1"), role::facilitator)->n() == 1);
    BOOST_TEST(restored.summary_of(*restored.find_activity("a_3"), role::facilitator)->n() == 0);
}

BOOST_AUTO_TEST_SUITE_END()
