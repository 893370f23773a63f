// Sticky-note boards in the workshop state machine (docs/protocol.md, Boards): notes and their
// versions, conflicts, who may do what, dot budgets, hidden brainstorming filtered per
// recipient, clusters, the lock, and everything back after a restart from the store.
#include "server/domain/workshop.hpp"

#include <boost/test/unit_test.hpp>

#include "tests/support/store_support.hpp"

#include "shared/protocol/codec.hpp"

#include <map>
#include <string>
#include <vector>

namespace {

namespace domain = cylch::domain;
namespace protocol = cylch::protocol;
namespace store = cylch::store;
using domain::actor;
using domain::effects;
using protocol::role;
using verb = protocol::activity_command::verb;

constexpr char const* board_file = R"json({
  "title": {"en": "Boards", "cy": "Byrddau"},
  "languages": ["en", "cy"],
  "groups": [{"id": "innovator", "label": {"en": "Innovator"}},
             {"id": "enabler", "label": {"en": "Enabler"}}],
  "consent": {"required": true, "text": {"en": "Voluntary."}},
  "activities": [
    {"kind": "likert", "statement": {"en": "A statement"}, "results": "on_reveal"},
    {"kind": "board", "prompt": {"en": "What would help?"},
     "columns": [{"id": "value", "title": {"en": "Value"}}, {"id": "risk", "title": {"en": "Risk"}}],
     "dots_per_person": 3, "dots_per_note": 2},
    {"kind": "board", "prompt": {"en": "Secret ideas"}, "hidden_until_reveal": true,
     "dots_per_person": 2, "dot_totals": "on_reveal"}
  ]
})json";

// a_1: Likert (results on reveal); a_2: a board with columns and 3 dots (2 per note); a_3: hidden
// brainstorming. A board as a recipient sees it.
protocol::board_push push_of(domain::workshop const& ws, std::string const& id, role r,
                             std::string const& viewer) {
    auto const* a = ws.find_activity(id);
    BOOST_TEST_REQUIRE(a != nullptr);
    auto const* b = a->as<domain::board>();
    BOOST_TEST_REQUIRE(b != nullptr);
    return ws.board_for(*a, *b, r, viewer);
}

// The workshop as a restart would load it: the records stored, then read back.
domain::workshop restarted(std::vector<store::record> const& log) {
    cylch::test::temp_db tmp;
    {
        store::store db(tmp.options());
        BOOST_TEST_REQUIRE(cylch::test::persist(db, log));
    }
    store::store db(tmp.options());
    auto snapshots = db.load_all();
    BOOST_TEST_REQUIRE(snapshots.size() == 1u);
    return domain::workshop(snapshots[0]);
}

struct board_session {
    store::record creation;
    domain::workshop ws;
    std::vector<store::record> log;
    actor const facilitator{role::facilitator, "facilitator"};
    store::time_ms now = 1'700'000'000'000;
    int ops = 0;
    int notes = 0;

    board_session()
        : ws(make(creation)) {
        log.push_back(creation);
    }

    static domain::workshop make(store::record& creation) {
        auto parsed = protocol::parse_workshop_file(board_file);
        BOOST_TEST_REQUIRE(std::holds_alternative<protocol::workshop_spec>(parsed));
        auto spec = std::get<protocol::workshop_spec>(std::move(parsed));
        domain::workshop_identity id{"w_b", "123456", "hf", "hp", {"a_1", "a_2", "a_3"}};
        return domain::workshop(std::move(id), std::move(spec), board_file, 1'700'000'000'000,
                                creation);
    }

    std::string op() { return "op-board-" + std::to_string(++ops); }

    effects send(actor const& who, protocol::client_message const& m) {
        now += 1000;
        auto e = ws.apply(who, m, now, "n_" + std::to_string(notes + 1));
        if (e.created_note) {
            ++notes;
        }
        log.insert(log.end(), e.to_persist.begin(), e.to_persist.end());
        return e;
    }

    actor join(std::string const& id, bool consent = true) {
        auto joined =
            ws.add_participant(id, "hash-" + id, std::nullopt, protocol::channel::web, now);
        log.insert(log.end(), joined.to_persist.begin(), joined.to_persist.end());
        actor who{role::participant, id};
        if (consent) {
            BOOST_TEST_REQUIRE(!send(who, protocol::profile{op(), false, {}, true, {}}).error);
        }
        return who;
    }

    effects command(verb v, std::string const& a) {
        return send(facilitator, protocol::activity_command{op(), v, a});
    }

    // Adds a note; its id ("n_1", …) or "" when refused.
    std::string add(actor const& who, std::string const& board, std::string const& text,
                    std::optional<std::string> column = std::nullopt, double x = 0.5,
                    double y = 0.5) {
        auto e = send(who, protocol::note_add{op(), board, text, "yellow", column, x, y});
        return e.created_note.value_or("");
    }
    effects edit(actor const& who, std::string const& note, std::string const& text,
                 std::int64_t version) {
        return send(who, protocol::note_edit{op(), note, text, version});
    }
    effects dot(actor const& who, std::string const& note, bool on = true) {
        return send(who, protocol::dot{op(), note, on});
    }

    domain::activity const& board(std::string const& id) const { return *ws.find_activity(id); }
    // The texts of the notes on a board as a recipient sees them.
    std::vector<std::string> seen(std::string const& board_id, role r,
                                  std::string const& viewer = {}) const {
        std::vector<std::string> out;
        for (auto const& n : push_of(ws, board_id, r, viewer).notes) {
            out.push_back(n.text);
        }
        return out;
    }
    protocol::note_view view(std::string const& note, role r, std::string const& viewer = {}) {
        auto [a, b, n] = ws.find_note(note);
        BOOST_TEST_REQUIRE(n != nullptr);
        auto v = ws.note_for(*a, *b, *n, r, viewer);
        BOOST_TEST_REQUIRE(v.has_value());
        return *v;
    }
};

std::string code(effects const& e) {
    return e.error ? std::string(protocol::to_string(e.error->code)) : "none";
}

using texts = std::vector<std::string>;

} // namespace

BOOST_AUTO_TEST_SUITE(domain_boards)

BOOST_AUTO_TEST_CASE(a_note_is_added_only_while_the_board_is_open_and_by_those_who_consented) {
    board_session s;
    auto ann = s.join("p_ann");
    auto shy = s.join("p_shy", false);
    BOOST_TEST(code(s.send(ann, protocol::note_add{s.op(), "a_2", "Early", "blue", "value", 0.1,
                                                   0.1})) == "closed"); // pending
    s.command(verb::open, "a_2");
    auto id = s.add(ann, "a_2", "Training for managers", "value", 0.2, 0.3);
    BOOST_TEST(id == "n_1");
    BOOST_TEST(code(s.send(shy, protocol::note_add{s.op(), "a_2", "x", "blue", "value", 0.1,
                                                   0.1})) == "not_allowed");
    BOOST_TEST(code(s.send(ann, protocol::note_add{s.op(), "a_1", "x", "blue", {}, 0.1, 0.1})) ==
               "bad_request"); // a statement, not a board
    BOOST_TEST(code(s.send(ann, protocol::note_add{s.op(), "a_2", "x", "blue", "nope", 0.1,
                                                   0.1})) == "bad_request"); // unknown column
    BOOST_TEST(code(s.send(s.facilitator, protocol::note_add{s.op(), "a_2", "x", "blue", "value",
                                                             0.1, 0.1})) == "not_allowed");
    auto v = s.view(id, role::participant, "p_ann");
    BOOST_TEST(v.text == "Training for managers");
    BOOST_TEST(v.column.value_or("") == "value");
    BOOST_TEST(v.version == 1);
    BOOST_TEST(v.mine);
    BOOST_TEST(!s.view(id, role::participant, "p_shy").mine);
    s.command(verb::close, "a_2");
    BOOST_TEST(code(s.send(ann, protocol::note_add{s.op(), "a_2", "Late", "blue", "value", 0.1,
                                                   0.1})) == "closed");
    BOOST_TEST(s.seen("a_2", role::facilitator) == texts{"Training for managers"});
}

BOOST_AUTO_TEST_CASE(a_stale_edit_gets_a_conflict_with_the_newer_note_and_overwrites_nothing) {
    board_session s;
    auto ann = s.join("p_ann");
    s.command(verb::open, "a_2");
    auto id = s.add(ann, "a_2", "First idea", "value");
    BOOST_TEST(code(s.edit(ann, id, "Better idea", 1)) == "none");
    BOOST_TEST(s.view(id, role::facilitator).version == 2);
    // A second tab of the same author still holds version 1.
    auto stale = s.edit(ann, id, "Old tab's idea", 1);
    BOOST_TEST(code(stale) == "conflict");
    BOOST_TEST_REQUIRE(stale.error->note.has_value());
    BOOST_TEST(stale.error->note->text == "Better idea");
    BOOST_TEST(stale.error->note->version == 2);
    BOOST_TEST(stale.to_persist.empty());
    BOOST_TEST(s.view(id, role::facilitator).text == "Better idea");
    // Others may not edit it, the facilitator neither.
    auto bob = s.join("p_bob");
    BOOST_TEST(code(s.edit(bob, id, "Mine now", 2)) == "not_allowed");
    BOOST_TEST(code(s.send(s.facilitator, protocol::note_edit{s.op(), id, "x", 2})) ==
               "not_allowed");
}

BOOST_AUTO_TEST_CASE(moves_are_last_writer_wins_per_field) {
    board_session s;
    auto ann = s.join("p_ann");
    s.command(verb::open, "a_2");
    auto id = s.add(ann, "a_2", "Idea", "value", 0.1, 0.1);
    // The author moves it to another column (from version 1)...
    protocol::note_move col{s.op(), id, true, "risk", std::nullopt, std::nullopt, 1};
    BOOST_TEST(code(s.send(ann, col)) == "none");
    // ...while the facilitator, also from version 1, drags its position: both stand.
    protocol::note_move pos{s.op(), id, false, std::nullopt, 0.8, 0.9, 1};
    BOOST_TEST(code(s.send(s.facilitator, pos)) == "none");
    auto v = s.view(id, role::facilitator);
    BOOST_TEST(v.column.value_or("") == "risk");
    BOOST_TEST(v.x == 0.8);
    BOOST_TEST(v.y == 0.9);
    BOOST_TEST(v.version == 3);
    // Another participant may not move it; an unknown column is refused.
    auto bob = s.join("p_bob");
    BOOST_TEST(code(s.send(bob, protocol::note_move{s.op(), id, true, "value", {}, {}, {}})) ==
               "not_allowed");
    BOOST_TEST(code(s.send(ann, protocol::note_move{s.op(), id, true, "nope", {}, {}, {}})) ==
               "bad_request");
    BOOST_TEST(s.view(id, role::facilitator).column.value_or("") == "risk");
}

BOOST_AUTO_TEST_CASE(the_dot_budget_and_the_per_note_limit_are_enforced) {
    board_session s;
    auto ann = s.join("p_ann");
    auto bob = s.join("p_bob");
    s.command(verb::open, "a_2");
    auto n1 = s.add(ann, "a_2", "One", "value");
    auto n2 = s.add(ann, "a_2", "Two", "value");
    BOOST_TEST(code(s.dot(bob, n1)) == "none");
    BOOST_TEST(code(s.dot(bob, n1)) == "none");
    BOOST_TEST(code(s.dot(bob, n1)) == "not_allowed"); // 2 per note
    BOOST_TEST(code(s.dot(bob, n2)) == "none");
    BOOST_TEST(code(s.dot(bob, n2)) == "not_allowed"); // 3 in all
    BOOST_TEST(s.view(n1, role::participant, "p_bob").my_dots == 2);
    BOOST_TEST(s.view(n1, role::participant, "p_ann").my_dots == 0);
    BOOST_TEST(s.view(n1, role::participant, "p_ann").dots.value_or(-1) == 2); // live totals
    // Taking one back frees the budget; taking back what is not there is refused.
    BOOST_TEST(code(s.dot(bob, n1, false)) == "none");
    BOOST_TEST(code(s.dot(ann, n1, false)) == "not_found");
    BOOST_TEST(code(s.dot(bob, n2)) == "none"); // now 1 + 2 = 3
    // Deleting a note gives its dots back to their givers.
    BOOST_TEST(code(s.send(ann, protocol::note_delete{s.op(), n2})) == "none");
    BOOST_TEST(code(s.dot(bob, n1)) == "none");
    BOOST_TEST(s.view(n1, role::facilitator).dots.value_or(-1) == 2);
    // Hiding a note gives its dots back too (its givers can no longer see it); showing it
    // again does not put them back.
    auto n3 = s.add(ann, "a_2", "Three", "risk");
    BOOST_TEST(code(s.dot(bob, n3)) == "none");        // bob: 2 on n1, 1 on n3
    BOOST_TEST(code(s.dot(bob, n3)) == "not_allowed"); // 3 in all
    BOOST_TEST(code(s.send(s.facilitator, protocol::note_hide{s.op(), n1, true})) == "none");
    BOOST_TEST(code(s.dot(bob, n3)) == "none");        // the 2 from n1 are back: 2 on n3
    BOOST_TEST(code(s.dot(bob, n3)) == "not_allowed"); // 2 per note
    BOOST_TEST(code(s.send(s.facilitator, protocol::note_hide{s.op(), n1, false})) == "none");
    BOOST_TEST(s.view(n1, role::facilitator).dots.value_or(-1) == 0);
    BOOST_TEST(s.view(n1, role::participant, "p_bob").my_dots == 0);
    BOOST_TEST(code(s.dot(bob, n1)) == "none"); // bob: 2 on n3 + 1 on n1 = 3
    BOOST_TEST(code(s.dot(bob, n1)) == "not_allowed");
    // A board without dot-voting.
    s.command(verb::close, "a_2");
    BOOST_TEST(code(s.dot(bob, n1)) == "closed");
}

BOOST_AUTO_TEST_CASE(a_boards_reach_counts_who_added_a_note_or_gave_a_dot_per_group) {
    board_session s;
    auto ann = s.join("p_ann");
    auto bob = s.join("p_bob");
    auto cai = s.join("p_cai");
    s.join("p_idle");
    BOOST_TEST(code(s.send(ann, protocol::profile{s.op(), true, "innovator", {}, {}})) == "none");
    BOOST_TEST(code(s.send(bob, protocol::profile{s.op(), true, "enabler", {}, {}})) == "none");
    s.command(verb::open, "a_2");
    auto const reach = [&] {
        auto const& a = s.board("a_2");
        return s.ws.reach_of(a, *a.as<domain::board>());
    };
    auto const in_group = [](protocol::board_reach const& r, std::string const& g) {
        for (auto const& [id, n] : r.by_group) {
            if (id == g) {
                return n;
            }
        }
        return -1;
    };
    BOOST_TEST(reach().n == 0);
    BOOST_TEST(in_group(reach(), "innovator") == 0); // every group listed, 0 included
    auto n1 = s.add(ann, "a_2", "One", "value");
    s.add(ann, "a_2", "Two", "value"); // two notes, one person
    BOOST_TEST(reach().n == 1);
    BOOST_TEST(in_group(reach(), "innovator") == 1);
    BOOST_TEST(code(s.dot(bob, n1)) == "none"); // a dot counts as taking part
    BOOST_TEST(code(s.dot(cai, n1)) == "none"); // without a group: in the total only
    BOOST_TEST(reach().n == 3);
    BOOST_TEST(in_group(reach(), "enabler") == 1);
    BOOST_TEST(in_group(reach(), "innovator") == 1);
    // A dot taken back is no longer taking part; a note the facilitator hid still is.
    BOOST_TEST(code(s.dot(cai, n1, false)) == "none");
    BOOST_TEST(reach().n == 2);
    BOOST_TEST(code(s.send(s.facilitator, protocol::note_hide{s.op(), n1, true})) == "none");
    BOOST_TEST(reach().n == 1); // bob's dot came back; ann's notes remain
    BOOST_TEST(in_group(reach(), "enabler") == 0);
}

BOOST_AUTO_TEST_CASE(the_author_of_a_hidden_note_and_those_whose_dots_came_back_are_told) {
    board_session s;
    auto ann = s.join("p_ann");
    auto bob = s.join("p_bob");
    auto cai = s.join("p_cai");
    s.command(verb::open, "a_2");
    auto n1 = s.add(ann, "a_2", "One", "value");
    auto n2 = s.add(ann, "a_2", "Two", "value");
    BOOST_TEST(code(s.dot(bob, n1)) == "none");
    BOOST_TEST(code(s.dot(bob, n1)) == "none");
    BOOST_TEST(code(s.dot(ann, n1)) == "none");
    BOOST_TEST(code(s.dot(cai, n2)) == "none");
    auto hidden = s.send(s.facilitator, protocol::note_hide{s.op(), n1, true});
    BOOST_TEST_REQUIRE(hidden.notices.size() == 3u); // bob's 2 dots, ann's dot, ann's note
    std::map<std::pair<std::string, std::string>, int> told;
    for (auto const& n : hidden.notices) {
        BOOST_TEST(n.notice.note == n1);
        BOOST_TEST(n.notice.activity == "a_2");
        told[{n.participant, std::string(protocol::to_string(n.notice.code))}] = n.notice.count;
    }
    BOOST_TEST((told.at({"p_bob", "dots_returned"}) == 2));
    BOOST_TEST((told.at({"p_ann", "dots_returned"}) == 1));
    BOOST_TEST(told.count({"p_ann", "note_hidden"}) == 1u);
    BOOST_TEST(told.count({"p_cai", "dots_returned"}) == 0u); // cai's dot is on another note
    // Showing it again tells no one; an author deleting their own note tells the dot givers,
    // not themselves.
    BOOST_TEST(s.send(s.facilitator, protocol::note_hide{s.op(), n1, false}).notices.empty());
    auto deleted = s.send(ann, protocol::note_delete{s.op(), n2});
    BOOST_TEST_REQUIRE(deleted.notices.size() == 1u);
    BOOST_TEST(deleted.notices[0].participant == "p_cai");
    BOOST_TEST(deleted.notices[0].notice.count == 1);
    BOOST_TEST(protocol::to_string(deleted.notices[0].notice.code) == "dots_returned");
    // A refused request tells no one.
    BOOST_TEST(s.send(bob, protocol::note_hide{s.op(), n1, true}).notices.empty());
}

BOOST_AUTO_TEST_CASE(hidden_brainstorming_shows_each_participant_only_their_own_notes) {
    board_session s;
    auto ann = s.join("p_ann");
    auto bob = s.join("p_bob");
    s.command(verb::open, "a_3");
    auto a = s.add(ann, "a_3", "Ann's secret");
    auto b = s.add(bob, "a_3", "Bob's secret");
    BOOST_TEST(s.seen("a_3", role::participant, "p_ann") == texts{"Ann's secret"});
    BOOST_TEST(s.seen("a_3", role::participant, "p_bob") == texts{"Bob's secret"});
    BOOST_TEST(s.seen("a_3", role::participant, "p_nobody").empty());
    BOOST_TEST((s.seen("a_3", role::facilitator) == texts{"Ann's secret", "Bob's secret"}));
    BOOST_TEST((s.seen("a_3", role::presenter) == texts{"Ann's secret", "Bob's secret"}));
    // Others' notes cannot be reached: edits, dots, moves and deletes say not_found.
    BOOST_TEST(code(s.edit(ann, b, "peek", 1)) == "not_found");
    BOOST_TEST(code(s.dot(ann, b)) == "not_found");
    BOOST_TEST(code(s.send(ann, protocol::note_delete{s.op(), b})) == "not_found");
    // Totals are hidden until the reveal, own dots are not.
    BOOST_TEST(code(s.dot(ann, a)) == "none");
    BOOST_TEST(!s.view(a, role::participant, "p_ann").dots.has_value());
    BOOST_TEST(s.view(a, role::participant, "p_ann").my_dots == 1);
    BOOST_TEST(s.view(a, role::facilitator).dots.value_or(-1) == 1);
    // After the reveal everyone sees everything, totals included.
    s.command(verb::close, "a_3");
    auto e = s.command(verb::reveal, "a_3");
    BOOST_TEST_REQUIRE(e.board_changes.size() == 1u);
    BOOST_TEST((e.board_changes[0].what == effects::board_change::kind::reset));
    BOOST_TEST(
        (s.seen("a_3", role::participant, "p_bob") == texts{"Ann's secret", "Bob's secret"}));
    BOOST_TEST(s.view(a, role::participant, "p_bob").dots.value_or(-1) == 1);
}

// Silent writing → reveal while open → everyone dot-votes on every note → close → reopen:
// the standard brainstorm-to-dots flow, and it all survives a restart.
BOOST_AUTO_TEST_CASE(a_board_revealed_while_open_stays_open_for_dots_and_reopens_revealed) {
    board_session s;
    auto ann = s.join("p_ann");
    auto bob = s.join("p_bob");
    s.command(verb::open, "a_3");
    auto a = s.add(ann, "a_3", "Ann's secret");
    auto b = s.add(bob, "a_3", "Bob's secret");
    BOOST_TEST(code(s.dot(bob, a)) == "not_found"); // not visible to bob yet

    auto e = s.command(verb::reveal, "a_3");
    BOOST_TEST(code(e) == "none");
    BOOST_TEST(e.activity_changed);
    BOOST_TEST_REQUIRE(e.board_changes.size() == 1u);
    BOOST_TEST((e.board_changes[0].what == effects::board_change::kind::reset));
    auto view = s.ws.view_of(s.board("a_3"));
    BOOST_TEST(protocol::to_string(view.state) == "open");
    BOOST_TEST(view.revealed);
    BOOST_TEST(
        (s.seen("a_3", role::participant, "p_bob") == texts{"Ann's secret", "Bob's secret"}));
    // Dot-voting goes on, on any note, and totals are visible now.
    BOOST_TEST(code(s.dot(bob, a)) == "none");
    BOOST_TEST(code(s.dot(ann, a)) == "none");
    BOOST_TEST(s.view(a, role::participant, "p_bob").dots.value_or(-1) == 2);
    // New notes after the reveal are visible to everyone too.
    auto c = s.add(bob, "a_3", "Bob's late idea");
    BOOST_TEST(s.view(c, role::participant, "p_ann").text == "Bob's late idea");
    BOOST_TEST(code(s.command(verb::reveal, "a_3")) == "not_allowed"); // once is enough

    // Closed, it is revealed (read-only); opened again it stays revealed.
    s.command(verb::close, "a_3");
    BOOST_TEST(protocol::to_string(s.board("a_3").state) == "revealed");
    BOOST_TEST(code(s.dot(ann, b)) == "closed");
    BOOST_TEST(code(s.command(verb::open, "a_3")) == "none");
    view = s.ws.view_of(s.board("a_3"));
    BOOST_TEST(protocol::to_string(view.state) == "open");
    BOOST_TEST(view.revealed);
    BOOST_TEST(code(s.dot(ann, b)) == "none");
    BOOST_TEST((s.seen("a_3", role::participant, "p_ann") ==
                texts{"Ann's secret", "Bob's secret", "Bob's late idea"}));

    // After a restart: still open, still revealed, the dots in place.
    auto restored = restarted(s.log);
    auto const* r = restored.find_activity("a_3");
    BOOST_TEST_REQUIRE(r != nullptr);
    BOOST_TEST(protocol::to_string(r->state) == "open");
    BOOST_TEST(r->revealed());
    BOOST_TEST(push_of(restored, "a_3", role::participant, "p_bob").notes.size() == 3u);
    BOOST_TEST(protocol::encode(push_of(restored, "a_3", role::participant, "p_bob")) ==
               protocol::encode(push_of(s.ws, "a_3", role::participant, "p_bob")));
}

// Likert statements are closed before their reveal (final answers); a revealed statement can
// be opened again, and its results stay visible to participants.
BOOST_AUTO_TEST_CASE(a_statement_is_revealed_after_closing_and_reopens_with_results_visible) {
    board_session s;
    auto ann = s.join("p_ann");
    s.command(verb::open, "a_1");
    BOOST_TEST(code(s.command(verb::reveal, "a_1")) == "not_allowed");
    BOOST_TEST(code(s.command(verb::reveal, "a_2")) == "not_allowed"); // pending
    BOOST_TEST(code(s.send(ann, protocol::vote{s.op(), "a_1", 4})) == "none");
    s.command(verb::close, "a_1");
    BOOST_TEST(!domain::workshop::results_visible_to_participants(s.board("a_1")));
    BOOST_TEST(code(s.command(verb::reveal, "a_1")) == "none");
    BOOST_TEST(protocol::to_string(s.board("a_1").state) == "revealed");
    BOOST_TEST(code(s.command(verb::open, "a_1")) == "none");
    BOOST_TEST(protocol::to_string(s.board("a_1").state) == "open");
    BOOST_TEST(domain::workshop::results_visible_to_participants(s.board("a_1")));
    BOOST_TEST(code(s.send(ann, protocol::vote{s.op(), "a_1", 2})) == "none");
    BOOST_TEST(code(s.command(verb::open, "a_1")) == "not_allowed"); // open already
    s.command(verb::close, "a_1");
    BOOST_TEST(protocol::to_string(s.board("a_1").state) == "revealed");
}

BOOST_AUTO_TEST_CASE(the_facilitator_hides_deletes_and_clusters_any_note) {
    board_session s;
    auto ann = s.join("p_ann");
    auto bob = s.join("p_bob");
    s.command(verb::open, "a_2");
    auto n1 = s.add(ann, "a_2", "Rude words", "value");
    auto n2 = s.add(bob, "a_2", "Good idea", "value");
    auto n3 = s.add(bob, "a_2", "Related idea", "risk");
    BOOST_TEST(code(s.send(s.facilitator, protocol::note_hide{s.op(), n1, true})) == "none");
    BOOST_TEST((s.seen("a_2", role::participant, "p_bob") == texts{"Good idea", "Related idea"}));
    BOOST_TEST((s.seen("a_2", role::participant, "p_ann") == texts{"Good idea", "Related idea"}));
    BOOST_TEST(s.view(n1, role::facilitator).hidden.value_or(false));
    BOOST_TEST(code(s.edit(ann, n1, "sorry", 2)) == "not_found"); // gone for its author too
    // Clusters: created with a label, notes put in, renamed, then dissolved.
    protocol::cluster_set make{
        s.op(), "a_2", "k_training", protocol::text_map{{"en", "Training"}}, {n2, n3}};
    BOOST_TEST(code(s.send(s.facilitator, make)) == "none");
    BOOST_TEST(s.view(n2, role::participant, "p_ann").cluster.value_or("") == "k_training");
    auto board = push_of(s.ws, "a_2", role::participant, "p_ann");
    BOOST_TEST_REQUIRE(board.clusters.size() == 1u);
    BOOST_TEST(board.clusters[0].label.at("en") == "Training");
    protocol::cluster_set rename{
        s.op(), "a_2", "k_training", protocol::text_map{{"en", "Skills"}, {"cy", "Sgiliau"}}, {}};
    BOOST_TEST(code(s.send(s.facilitator, rename)) == "none");
    BOOST_TEST(push_of(s.ws, "a_2", role::presenter, "").clusters[0].label.at("cy") == "Sgiliau");
    protocol::cluster_set unknown_note{
        s.op(), "a_2", "k_other", protocol::text_map{{"en", "O"}}, {"n_404"}};
    BOOST_TEST(code(s.send(s.facilitator, unknown_note)) == "not_found");
    BOOST_TEST(push_of(s.ws, "a_2", role::presenter, "").clusters.size() == 1u);
    protocol::cluster_set no_label{s.op(), "a_2", "k_new", std::nullopt, {n2}};
    BOOST_TEST(code(s.send(s.facilitator, no_label)) == "bad_request");
    protocol::cluster_set french{s.op(), "a_2", "k_fr", protocol::text_map{{"fr", "Idées"}}, {}};
    BOOST_TEST(code(s.send(s.facilitator, french)) == "bad_request");
    BOOST_TEST(code(s.send(bob, make)) == "not_allowed");
    BOOST_TEST(code(s.send(s.facilitator,
                           protocol::cluster_dissolve{s.op(), "a_2", "k_training"})) == "none");
    BOOST_TEST(!s.view(n2, role::facilitator).cluster.has_value());
    BOOST_TEST(code(s.send(s.facilitator, protocol::cluster_dissolve{
                                              s.op(), "a_2", "k_training"})) == "not_found");
    // The facilitator deletes anyone's note.
    BOOST_TEST(code(s.send(s.facilitator, protocol::note_delete{s.op(), n3})) == "none");
    BOOST_TEST((s.seen("a_2", role::facilitator) == texts{"Rude words", "Good idea"}));
}

BOOST_AUTO_TEST_CASE(a_locked_board_is_read_only_for_participants) {
    board_session s;
    auto ann = s.join("p_ann");
    s.command(verb::open, "a_2");
    auto n1 = s.add(ann, "a_2", "Before the lock", "value");
    auto e = s.send(s.facilitator, protocol::board_lock{s.op(), "a_2", true});
    BOOST_TEST(code(e) == "none");
    BOOST_TEST(e.activity_changed);
    BOOST_TEST(std::get<protocol::board_settings_view>(s.ws.view_of(s.board("a_2")).body).locked);
    BOOST_TEST(code(s.send(ann, protocol::note_add{s.op(), "a_2", "x", "pink", "value", 0.1,
                                                   0.1})) == "closed");
    BOOST_TEST(code(s.edit(ann, n1, "changed", 1)) == "closed");
    BOOST_TEST(code(s.dot(ann, n1)) == "closed");
    BOOST_TEST(code(s.send(ann, protocol::note_delete{s.op(), n1})) == "closed");
    // The facilitator still arranges it.
    BOOST_TEST(code(s.send(s.facilitator,
                           protocol::note_move{s.op(), n1, true, "risk", {}, {}, {}})) == "none");
    BOOST_TEST(code(s.send(s.facilitator, protocol::board_lock{s.op(), "a_2", false})) == "none");
    BOOST_TEST(code(s.edit(ann, n1, "changed", 2)) == "none");
    BOOST_TEST(code(s.send(s.facilitator, protocol::board_lock{s.op(), "a_1", true})) ==
               "bad_request");
}

BOOST_AUTO_TEST_CASE(notes_per_person_are_limited) {
    board_session s;
    auto ann = s.join("p_ann");
    s.command(verb::open, "a_2");
    for (int i = 0; i < domain::max_notes_per_person; ++i) {
        BOOST_TEST_REQUIRE(!s.add(ann, "a_2", "Note " + std::to_string(i), "value").empty());
    }
    BOOST_TEST(code(s.send(ann, protocol::note_add{s.op(), "a_2", "one more", "pink", "value", 0.1,
                                                   0.1})) == "not_allowed");
}

BOOST_AUTO_TEST_CASE(a_resent_op_is_applied_once) {
    board_session s;
    auto ann = s.join("p_ann");
    auto bob = s.join("p_bob");
    s.command(verb::open, "a_2");
    auto n1 = s.add(ann, "a_2", "Idea", "value");
    protocol::dot d{"op-dot-resent-0001", n1, true};
    BOOST_TEST(code(s.send(bob, d)) == "none");
    auto again = s.send(bob, d);
    BOOST_TEST(again.duplicate);
    BOOST_TEST(s.view(n1, role::facilitator).dots.value_or(-1) == 1);
}

BOOST_AUTO_TEST_CASE(everything_on_a_board_is_back_after_a_restart) {
    board_session s;
    auto ann = s.join("p_ann");
    auto bob = s.join("p_bob");
    s.command(verb::open, "a_2");
    auto n1 = s.add(ann, "a_2", "Kept", "value", 0.25, 0.75);
    auto n2 = s.add(bob, "a_2", "Hidden later", "risk");
    auto n3 = s.add(bob, "a_2", "Deleted later", "risk");
    s.edit(ann, n1, "Kept and edited", 1);
    s.dot(bob, n1);
    s.dot(bob, n1);
    s.dot(ann, n2);
    s.send(s.facilitator, protocol::note_hide{s.op(), n2, true});
    s.send(s.facilitator, protocol::note_delete{s.op(), n3});
    s.send(s.facilitator, protocol::cluster_set{
                              s.op(), "a_2", "k_1", protocol::text_map{{"en", "Kept ones"}}, {n1}});
    s.send(s.facilitator,
           protocol::cluster_set{s.op(), "a_2", "k_2", protocol::text_map{{"en", "Gone"}}, {}});
    s.send(s.facilitator, protocol::cluster_dissolve{s.op(), "a_2", "k_2"});
    s.send(s.facilitator, protocol::board_lock{s.op(), "a_2", true});

    auto restored = restarted(s.log);
    for (auto [r, viewer] :
         {std::pair{role::facilitator, ""}, std::pair{role::participant, "p_ann"},
          std::pair{role::participant, "p_bob"}}) {
        BOOST_TEST_CONTEXT(viewer) {
            auto before = protocol::encode(push_of(s.ws, "a_2", r, viewer));
            auto after = protocol::encode(push_of(restored, "a_2", r, viewer));
            BOOST_TEST(after == before);
        }
    }
    BOOST_TEST(std::get<protocol::board_settings_view>(
                   restored.view_of(*restored.find_activity("a_2")).body)
                   .locked);
    // Budgets are restored too: bob has 1 dot left; ann's dot on the note hidden later was
    // given back to her, and the hidden note has none.
    actor rbob{role::participant, "p_bob"};
    BOOST_TEST(!restored
                    .apply(s.facilitator, protocol::board_lock{"op-unlock-0000001", "a_2", false},
                           s.now + 1)
                    .error);
    BOOST_TEST(
        !restored.apply(rbob, protocol::dot{"op-after-restart-1", n1, false}, s.now + 2).error);
    auto at = restored.find_note(n1);
    auto v = restored.note_for(*at.activity, *at.board, *at.note, role::participant, "p_bob");
    BOOST_TEST_REQUIRE(v.has_value());
    BOOST_TEST(v->my_dots == 1);
    BOOST_TEST(v->version == 3); // added, edited, clustered
}

BOOST_AUTO_TEST_SUITE_END()
