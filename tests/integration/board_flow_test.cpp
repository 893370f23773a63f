// Sticky-note boards over real WebSockets (docs/protocol.md, Boards): two people on the same note,
// hidden brainstorming that leaks nothing, a dot budget under racing requests, a restart that
// keeps everything, results and CSV, and hostile board requests that change nothing.
#include "tests/support/test_server.hpp"

#include <boost/test/unit_test.hpp>

#include <set>

using cylch::test::admin_token;
using cylch::test::http;
using cylch::test::new_op;
using cylch::test::test_server;
using cylch::test::ws_client;
using nlohmann::json;
using namespace std::chrono_literals;

namespace {

constexpr char const* board_file = R"json({
  "title": {"en": "Ideas", "cy": "Syniadau"},
  "languages": ["en", "cy"],
  "groups": [{"id": "innovator", "label": {"en": "Innovator"}}],
  "consent": {"required": true, "text": {"en": "Voluntary."}},
  "activities": [
    {"kind": "board", "prompt": {"en": "What would help?"},
     "columns": [{"id": "value", "title": {"en": "Value"}}, {"id": "risk", "title": {"en": "Risk"}}],
     "dots_per_person": 3},
    {"kind": "board", "prompt": {"en": "Secret ideas"}, "hidden_until_reveal": true},
    {"kind": "likert", "statement": {"en": "A statement"}}
  ]
})json";

struct board_rig {
    test_server s{false};
    std::string id, code, fac_token;
    json agenda;
    ws_client fac;

    board_rig()
        : fac(connect()) {}

    ws_client connect() {
        auto made = http(s.port(), "POST", "/api/workshops", board_file, admin_token);
        BOOST_TEST_REQUIRE(made.status == 201, made.body);
        id = made.json()["id"];
        code = made.json()["code"];
        fac_token = made.json()["facilitator_token"];
        ws_client c(s.port());
        c.send(json{{"type", "hello"},
                    {"v", 1},
                    {"role", "facilitator"},
                    {"workshop", id},
                    {"token", fac_token}});
        agenda = c.expect("welcome")["agenda"];
        return c;
    }

    std::string board(int i) const { return agenda.at(i)["id"]; }

    // A participant who joined and consented; `token` resumes an identity.
    ws_client join(std::string* token_out = nullptr, std::optional<std::string> token = {}) {
        ws_client c(s.port());
        c.send(json{{"type", "hello"},
                    {"v", 1},
                    {"role", "participant"},
                    {"code", code},
                    {"token", token ? json(*token) : json(nullptr)}});
        auto w = c.expect("welcome");
        if (token_out) {
            *token_out = w["you"]["token"];
        }
        if (!token) {
            auto r = send(c, json{{"type", "profile"}, {"consent", true}, {"group", "innovator"}});
            BOOST_TEST_REQUIRE(r["type"] == "ack", r.dump());
        }
        return c;
    }

    static json send(ws_client& c, json body) {
        auto op = new_op();
        body["op"] = op;
        c.send(body);
        return c.reply_to(op);
    }

    void command(std::string const& verb, std::string const& activity) {
        auto r = send(fac, json{{"type", "activity." + verb}, {"activity", activity}});
        BOOST_TEST_REQUIRE(r["type"] == "ack", r.dump());
    }

    json add(ws_client& c, std::string const& board_id, std::string const& text,
             json column = nullptr) {
        return send(c, json{{"type", "note.add"},
                            {"activity", board_id},
                            {"text", text},
                            {"colour", "yellow"},
                            {"column", column},
                            {"x", 0.5},
                            {"y", 0.5}});
    }

    // The board as the results API has it (every note, hidden ones too).
    json results_board(std::string const& board_id) {
        auto r = http(s.port(), "GET", "/api/workshops/" + id + "/results", "", fac_token);
        BOOST_TEST_REQUIRE(r.status == 200, r.body);
        auto const all = r.json();
        for (auto const& a : all["activities"]) {
            if (a["activity"]["id"] == board_id) {
                return a["board"];
            }
        }
        BOOST_FAIL("no board " + board_id);
        return {};
    }
};

// Every frame that arrives on `c` within `quiet` of silence.
std::vector<json> drain(ws_client& c, std::chrono::milliseconds quiet = 300ms) {
    std::vector<json> out(c.mailbox().begin(), c.mailbox().end());
    while (auto f = c.read(quiet)) {
        out.push_back(*f);
    }
    return out;
}

} // namespace

BOOST_AUTO_TEST_SUITE(board_flow)

BOOST_AUTO_TEST_CASE(two_people_on_the_same_note_never_overwrite_each_other_silently) {
    board_rig r;
    auto const b = r.board(0);
    r.command("open", b);
    std::string token;
    auto phone = r.join(&token);
    auto laptop = r.join(nullptr, token); // the same person on a second device
    auto other = r.join();
    auto added = r.add(phone, b, "Peer support", "value");
    BOOST_TEST_REQUIRE(added["type"] == "ack", added.dump());
    std::string const note = added["note"];
    BOOST_TEST(note.starts_with("n_"));
    // Both devices edit from version 1 at once: one wins, the other gets the newer note.
    auto op1 = new_op(), op2 = new_op();
    phone.send(json{{"type", "note.edit"},
                    {"op", op1},
                    {"note", note},
                    {"text", "Peer support groups"},
                    {"version", 1}});
    laptop.send(json{
        {"type", "note.edit"}, {"op", op2}, {"note", note}, {"text", "Mentoring"}, {"version", 1}});
    auto r1 = phone.reply_to(op1), r2 = laptop.reply_to(op2);
    std::set<std::string> kinds{r1["type"].get<std::string>(), r2["type"].get<std::string>()};
    BOOST_TEST((kinds == std::set<std::string>{"ack", "error"}));
    auto const& lost = r1["type"] == "error" ? r1 : r2;
    std::string const won = r1["type"] == "ack" ? "Peer support groups" : "Mentoring";
    BOOST_TEST(lost["code"] == "conflict");
    BOOST_TEST(lost["note"]["text"] == won);
    BOOST_TEST(lost["note"]["version"] == 2);
    // Another participant may not edit it at all.
    auto foreign = r.send(
        other, json{{"type", "note.edit"}, {"note", note}, {"text", "Mine"}, {"version", 2}});
    BOOST_TEST(foreign["code"] == "not_allowed");
    // The author's text edit and the facilitator's move, both from version 2, both stand.
    auto edit = r.send(
        phone, json{{"type", "note.edit"}, {"note", note}, {"text", won + "!"}, {"version", 2}});
    auto move = r.send(
        r.fac, json{{"type", "note.move"}, {"note", note}, {"column", "risk"}, {"version", 2}});
    BOOST_TEST(edit["type"] == "ack");
    BOOST_TEST(move["type"] == "ack");
    auto const final_note = r.results_board(b)["notes"][0];
    BOOST_TEST(final_note["text"] == won + "!");
    BOOST_TEST(final_note["column"] == "risk");
    BOOST_TEST(final_note["version"] == 4);
    // The other participant saw the note change live.
    bool saw_final = false;
    for (auto const& f : drain(other)) {
        if (f["type"] == "board.changes") {
            for (auto const& n : f["notes"]) {
                saw_final = saw_final || (n["text"] == won + "!" && n["mine"] == false);
            }
        }
    }
    BOOST_TEST(saw_final);
}

BOOST_AUTO_TEST_CASE(note_changes_reach_a_viewer_a_flush_at_a_time_and_only_what_they_saw) {
    board_rig r;
    auto const b = r.board(0);
    r.command("open", b);
    auto ann = r.join();
    auto bob = r.join();
    // Twenty notes sent at once: Bob's phone gets them in a frame or two, not twenty.
    std::vector<std::string> ops;
    for (int i = 0; i < 20; ++i) {
        auto op = new_op();
        ann.send(json{{"type", "note.add"},
                      {"op", op},
                      {"activity", b},
                      {"text", "Idea " + std::to_string(i)},
                      {"colour", "yellow"},
                      {"column", "value"},
                      {"x", 0.5},
                      {"y", 0.5}});
        ops.push_back(op);
    }
    std::vector<std::string> ids;
    for (auto const& op : ops) {
        auto const ack = ann.reply_to(op);
        BOOST_TEST_REQUIRE(ack["type"] == "ack", ack.dump());
        ids.push_back(ack["note"]);
    }
    std::set<std::string> seen;
    int frames = 0;
    while (seen.size() < ids.size()) {
        auto const f = bob.expect("board.changes");
        ++frames;
        BOOST_TEST(f["activity"] == b);
        for (auto const& n : f["notes"]) {
            BOOST_TEST(n["mine"] == false);
            seen.insert(n["id"].get<std::string>());
        }
    }
    BOOST_TEST(frames <= 3, frames << " frames for 20 notes");
    // Notes added and deleted at once, then one more: Bob is never told of a removal of a note
    // he was not shown, and a note the facilitator hides is removed from his board.
    for (int i = 0; i < 5; ++i) {
        auto const id = r.add(ann, b, "Gone soon", "risk")["note"].get<std::string>();
        BOOST_TEST(r.send(ann, json{{"type", "note.delete"}, {"note", id}})["type"] == "ack");
    }
    BOOST_TEST(r.send(r.fac, json{{"type", "note.hide"}, {"note", ids[3]}})["type"] == "ack");
    auto const last = r.add(ann, b, "Last", "risk")["note"].get<std::string>();
    bool hidden_removed = false;
    while (!seen.contains(last)) {
        auto const f = bob.expect("board.changes");
        for (auto const& gone : f["removed"]) {
            BOOST_TEST(seen.contains(gone.get<std::string>()), "removal of an unseen " << gone);
            hidden_removed = hidden_removed || gone == ids[3];
        }
        for (auto const& n : f["notes"]) {
            BOOST_TEST(n["id"] != ids[3]); // hidden: never sent to a participant again
            seen.insert(n["id"].get<std::string>());
        }
    }
    BOOST_TEST(hidden_removed);
    // Ann's own notes come back to her marked as hers.
    auto const mine = ann.expect("board.changes");
    BOOST_TEST_REQUIRE(!mine["notes"].empty());
    BOOST_TEST(mine["notes"][0]["mine"] == true);
}

BOOST_AUTO_TEST_CASE(a_hidden_board_leaks_nothing_to_another_participant) {
    board_rig r;
    auto const b = r.board(1);
    r.command("open", b);
    auto ann = r.join();
    auto bob = r.join();
    drain(bob);
    std::vector<std::string> ids;
    for (auto text : {"Ann's first secret", "Ann's second secret"}) {
        auto a = r.add(ann, b, text);
        BOOST_TEST_REQUIRE(a["type"] == "ack");
        ids.push_back(a["note"]);
    }
    // Ann edits and deletes one; the facilitator hides the other and shows it again.
    r.send(ann, json{{"type", "note.edit"},
                     {"note", ids[0]},
                     {"text", "Ann's edited secret"},
                     {"version", 1}});
    r.send(r.fac, json{{"type", "note.hide"}, {"note", ids[1]}, {"hidden", true}});
    r.send(r.fac, json{{"type", "note.hide"}, {"note", ids[1]}, {"hidden", false}});
    r.send(ann, json{{"type", "note.delete"}, {"note", ids[0]}});
    // Bob got nothing at all: no note, no removal, no id, no text.
    for (auto const& f : drain(bob, 500ms)) {
        auto const text = f.dump();
        BOOST_TEST(text.find("secret") == std::string::npos, text);
        for (auto const& id : ids) {
            BOOST_TEST(text.find(id) == std::string::npos, text);
        }
    }
    // A late joiner's board is empty; the facilitator's is not.
    auto carl = r.join();
    auto board = carl.expect("board");
    BOOST_TEST(board["notes"].empty());
    BOOST_TEST(r.results_board(b)["notes"].size() == 1u);
    // After the reveal Bob sees Ann's remaining note.
    r.command("close", b);
    r.command("reveal", b);
    json revealed;
    for (int i = 0; i < 10; ++i) {
        revealed = bob.expect("board");
        if (!revealed["notes"].empty()) {
            break;
        }
    }
    BOOST_TEST_REQUIRE(revealed["notes"].size() == 1u);
    BOOST_TEST(revealed["notes"][0]["text"] == "Ann's second secret");
    BOOST_TEST(revealed["notes"][0]["mine"] == false);
}

BOOST_AUTO_TEST_CASE(the_author_and_the_dot_givers_of_a_hidden_note_are_told_and_no_one_else) {
    board_rig r;
    auto const b = r.board(0);
    r.command("open", b);
    auto ann = r.join();
    auto bob = r.join();
    auto carl = r.join();
    auto const note = r.add(ann, b, "Hide me", "value")["note"].get<std::string>();
    auto const other = r.add(carl, b, "Keep me", "value")["note"].get<std::string>();
    BOOST_TEST(board_rig::send(bob, json{{"type", "dot"}, {"note", note}, {"on", true}})["type"] ==
               "ack");
    BOOST_TEST(board_rig::send(
                   carl, json{{"type", "dot"}, {"note", other}, {"on", true}})["type"] == "ack");
    // The facilitator's reach: ann and carl added notes, bob gave a dot, all innovators.
    json reach;
    while (reach.empty() || reach["n"] != 3) {
        reach = r.fac.expect("reach");
    }
    BOOST_TEST(reach["activity"] == b);
    BOOST_TEST(reach["by_group"]["innovator"]["n"] == 3);
    for (auto* c : {&ann, &bob, &carl}) {
        drain(*c);
    }
    auto hidden = board_rig::send(r.fac, json{{"type", "note.hide"}, {"note", note}});
    BOOST_TEST_REQUIRE(hidden["type"] == "ack", hidden.dump());
    auto told_ann = ann.expect("notice");
    BOOST_TEST(told_ann["code"] == "note_hidden");
    BOOST_TEST(told_ann["note"] == note);
    BOOST_TEST(told_ann["activity"] == b);
    auto told_bob = bob.expect("notice");
    BOOST_TEST(told_bob["code"] == "dots_returned");
    BOOST_TEST(told_bob["count"] == 1);
    BOOST_TEST(told_bob["note"] == note);
    // Carl (a dot on another note) and the facilitator are told nothing.
    for (auto const& f : drain(carl, 500ms)) {
        BOOST_TEST(f["type"] != "notice", f.dump());
    }
    for (auto const& f : drain(ann, 300ms)) {
        BOOST_TEST(f["type"] != "notice", f.dump()); // told once
    }
    json last_reach;
    for (auto const& f : drain(r.fac, 300ms)) {
        BOOST_TEST(f["type"] != "notice", f.dump());
        if (f["type"] == "reach") {
            last_reach = f;
        }
    }
    BOOST_TEST(last_reach["n"] == 2); // bob's dot came back
}

BOOST_AUTO_TEST_CASE(the_dot_budget_holds_against_racing_requests) {
    board_rig r;
    auto const b = r.board(0);
    r.command("open", b);
    auto author = r.join();
    std::vector<std::string> notes;
    for (int i = 0; i < 4; ++i) {
        notes.push_back(r.add(author, b, "Idea " + std::to_string(i), "value")["note"]);
    }
    std::string token;
    auto phone = r.join(&token);
    auto laptop = r.join(nullptr, token);
    // Twelve dots sent at once from two devices of one person with a budget of 3.
    std::vector<std::pair<ws_client*, std::string>> sent;
    for (int i = 0; i < 12; ++i) {
        auto& c = i % 2 == 0 ? phone : laptop;
        auto op = new_op();
        c.send(json{{"type", "dot"},
                    {"op", op},
                    {"note", notes[static_cast<std::size_t>(i % 4)]},
                    {"on", true}});
        sent.emplace_back(&c, op);
    }
    int acks = 0, refused = 0;
    for (auto& [c, op] : sent) {
        auto reply = c->reply_to(op);
        if (reply["type"] == "ack") {
            ++acks;
        } else if (reply["code"] == "not_allowed") {
            ++refused;
        }
    }
    BOOST_TEST(acks == 3);
    BOOST_TEST(refused == 9);
    int total = 0;
    auto const board = r.results_board(b);
    for (auto const& n : board["notes"]) {
        total += n["dots"].get<int>();
    }
    BOOST_TEST(total == 3, board.dump());
}

BOOST_AUTO_TEST_CASE(a_restart_keeps_notes_dots_clusters_and_the_lock) {
    board_rig r;
    auto const b = r.board(0);
    r.command("open", b);
    auto ann = r.join();
    auto n1 = r.add(ann, b, "Keep me", "value")["note"];
    auto n2 = r.add(ann, b, "Me too", "risk")["note"];
    r.send(ann, json{{"type", "dot"}, {"note", n1}, {"on", true}});
    r.send(r.fac, json{{"type", "cluster.set"},
                       {"activity", b},
                       {"cluster", "k_keep"},
                       {"label", {{"en", "Keepers"}, {"cy", "Ceidwaid"}}},
                       {"notes", {n1, n2}}});
    r.send(r.fac, json{{"type", "board.lock"}, {"activity", b}, {"locked", true}});
    auto const before = r.results_board(b);
    r.s.restart();
    auto const after = r.results_board(b);
    BOOST_TEST(after == before, after.dump() << "\n" << before.dump());
    BOOST_TEST(after["clusters"][0]["label"]["cy"] == "Ceidwaid");
    ws_client fac(r.s.port());
    fac.send(json{{"type", "hello"},
                  {"v", 1},
                  {"role", "facilitator"},
                  {"workshop", r.id},
                  {"token", r.fac_token}});
    auto w = fac.expect("welcome");
    BOOST_TEST(w["activity"]["locked"] == true);
    auto board = fac.expect("board");
    BOOST_TEST(board["notes"].size() == 2u);
    BOOST_TEST(board["locked"] == true);
}

BOOST_AUTO_TEST_CASE(results_and_the_boards_csv_hold_every_note_de_identified) {
    board_rig r;
    auto const b = r.board(0);
    r.command("open", b);
    auto ann = r.join();
    auto bob = r.join();
    auto n1 = r.add(ann, b, "=SUM(A1) looks like a formula", "value")["note"];
    auto n2 = r.add(bob, b, "Time, \"money\", staff", "risk")["note"];
    r.send(bob, json{{"type", "dot"}, {"note", n1}, {"on", true}});
    r.send(ann, json{{"type", "dot"}, {"note", n2}, {"on", true}});
    r.send(r.fac, json{{"type", "note.hide"}, {"note", n1}}); // gives bob's dot back
    auto const board = r.results_board(b);
    BOOST_TEST_REQUIRE(board["notes"].size() == 2u);
    BOOST_TEST(board["notes"][0]["respondent"] == "r1");
    BOOST_TEST(board["notes"][0]["group"] == "innovator");
    BOOST_TEST(board["notes"][0]["hidden"] == true);
    BOOST_TEST(board["notes"][0]["dots"] == 0);
    BOOST_TEST(board["notes"][1]["dots"] == 1);
    BOOST_TEST(board.dump().find("p_") == std::string::npos); // no participant ids
    auto csv = http(r.s.port(), "GET", "/api/workshops/" + r.id + "/boards.csv", "", r.fac_token);
    BOOST_TEST(csv.status == 200);
    BOOST_TEST(csv.content_type.starts_with("text/csv"));
    BOOST_TEST(csv.body.starts_with("workshop,activity_position,activity,prompt,note,respondent,"));
    BOOST_TEST(
        csv.body.find(",r1,innovator,value,,,yellow,'=SUM(A1) looks like a formula,0,true,") !=
            std::string::npos,
        csv.body);
    BOOST_TEST(csv.body.find(R"("Time, ""money"", staff")") != std::string::npos, csv.body);
    BOOST_TEST(csv.body.find("p_") == std::string::npos);
    auto likert_csv =
        http(r.s.port(), "GET", "/api/workshops/" + r.id + "/export.csv", "", r.fac_token);
    BOOST_TEST(likert_csv.body.find("money") == std::string::npos); // Likert rows only
    // The JSON download: the same notes with the same fields, typed; no answers here.
    auto dl = http(r.s.port(), "GET", "/api/workshops/" + r.id + "/export.json", "", r.fac_token);
    BOOST_TEST_REQUIRE(dl.status == 200, dl.body);
    BOOST_TEST(dl.content_type.starts_with("application/json"));
    BOOST_TEST(dl.header("Content-Disposition").find(r.id + ".json") != std::string::npos);
    auto const j = nlohmann::ordered_json::parse(dl.body); // keys in the server's order
    BOOST_TEST(j["responses"].empty());
    BOOST_TEST_REQUIRE(j["notes"].size() == 2u);
    BOOST_TEST(j["notes"][0]["text"] == "=SUM(A1) looks like a formula"); // JSON needs no guard
    BOOST_TEST(j["notes"][0]["respondent"] == "r1");
    BOOST_TEST(j["notes"][0]["hidden"] == true);
    BOOST_TEST(j["notes"][1]["dots"] == 1);
    BOOST_TEST(j["notes"][1]["column"] == "risk");
    BOOST_TEST(j["notes"][1]["created_at"].get<std::string>().ends_with("Z"));
    // Every field is a column of boards.csv, in its order.
    std::string header;
    for (auto const& [key, value] : j["notes"][0].items()) {
        header += (header.empty() ? "" : ",") + key;
    }
    BOOST_TEST(csv.body.starts_with(header + "\r\n"), header);
    BOOST_TEST(dl.body.find("p_") == std::string::npos);
    // For publication the hidden note is left out, as in boards.csv.
    auto published = http(r.s.port(), "GET",
                          "/api/workshops/" + r.id + "/export.json?publishable=1", "", r.fac_token)
                         .json();
    BOOST_TEST(published["notes"].size() == 1u);
    BOOST_TEST(published["notes"][0]["group"] == "suppressed");
}

BOOST_AUTO_TEST_CASE(hostile_board_requests_get_a_clear_error_and_change_nothing) {
    board_rig r;
    auto const b = r.board(0);
    auto const hidden_board = r.board(1);
    auto const likert = r.board(2);
    r.command("open", b);
    auto ann = r.join();
    auto mallory = r.join();
    std::string const n1 = r.add(ann, b, "Ann's note", "value")["note"];
    r.command("open", hidden_board);
    std::string const secret = r.add(ann, hidden_board, "Ann's secret")["note"];
    r.command("goto", b);
    auto const before =
        http(r.s.port(), "GET", "/api/workshops/" + r.id + "/results", "", r.fac_token).body;
    auto note = [&](json extra) {
        json j{{"type", "note.add"}, {"activity", b}, {"text", "ok"}, {"colour", "yellow"},
               {"column", "value"},  {"x", 0.5},      {"y", 0.5}};
        for (auto& [k, v] : extra.items()) {
            j[k] = v;
        }
        return j;
    };
    struct hostile {
        std::string what;
        json body;
        std::string code;
    };
    std::vector<hostile> const cases{
        {"text of 281 characters", note({{"text", std::string(281, 'a')}}), "bad_request"},
        {"empty text after trimming", note({{"text", "   \n "}}), "bad_request"},
        {"a script tag", note({{"text", "<script>alert(1)</script>"}}), "bad_request"},
        {"an HTML image", note({{"text", "hi <img src=x onerror=alert(1)>"}}), "bad_request"},
        {"a control character", note({{"text", "bell\u0007"}}), "bad_request"},
        {"a right-to-left override", note({{"text", "invoice\u202Efdp.exe"}}), "bad_request"},
        {"zero-width characters only", note({{"text", "\u200B\u200D\u2060"}}), "bad_request"},
        {"a C1 control (NEL)", note({{"text", "line\u0085next"}}), "bad_request"},
        {"a noncharacter", note({{"text", "\uFFFF"}}), "bad_request"},
        {"an unknown colour", note({{"colour", "chartreuse"}}), "bad_request"},
        {"x outside 0..1", note({{"x", 1.5}}), "bad_request"},
        {"y below 0", note({{"y", -0.01}}), "bad_request"},
        {"x not a number", note({{"x", "0.5"}}), "bad_request"},
        {"an unknown column", note({{"column", "nowhere"}}), "bad_request"},
        {"a note on a Likert statement", note({{"activity", likert}, {"column", nullptr}}),
         "bad_request"},
        {"an unknown field", note({{"author", "p_ann"}}), "bad_request"},
        {"editing another's note",
         json{{"type", "note.edit"}, {"note", n1}, {"text", "pwned"}, {"version", 1}},
         "not_allowed"},
        {"deleting another's note", json{{"type", "note.delete"}, {"note", n1}}, "not_allowed"},
        {"moving another's note", json{{"type", "note.move"}, {"note", n1}, {"column", "risk"}},
         "not_allowed"},
        {"a note of a hidden board",
         json{{"type", "note.edit"}, {"note", secret}, {"text", "peek"}, {"version", 1}},
         "not_found"},
        {"dotting a note never seen", json{{"type", "dot"}, {"note", secret}, {"on", true}},
         "not_found"},
        {"an unknown note", json{{"type", "note.delete"}, {"note", "n_doesnotexist"}}, "not_found"},
        {"a move with nothing to move", json{{"type", "note.move"}, {"note", n1}}, "bad_request"},
        {"hiding as a participant", json{{"type", "note.hide"}, {"note", n1}}, "not_allowed"},
        {"clustering as a participant",
         json{{"type", "cluster.set"},
              {"activity", b},
              {"cluster", "k_x"},
              {"label", {{"en", "X"}}},
              {"notes", {n1}}},
         "not_allowed"},
        {"locking as a participant",
         json{{"type", "board.lock"}, {"activity", b}, {"locked", true}}, "not_allowed"},
        {"taking back a dot never given", json{{"type", "dot"}, {"note", n1}, {"on", false}},
         "not_found"},
        {"a stale edit of a note of one's own",
         json{{"type", "note.edit"}, {"note", n1}, {"text", "x"}, {"version", 1}}, "not_allowed"},
    };
    for (auto const& c : cases) {
        BOOST_TEST_CONTEXT(c.what) {
            auto reply = board_rig::send(mallory, c.body);
            BOOST_TEST(reply["type"] == "error", reply.dump());
            BOOST_TEST(reply["code"] == c.code, reply.dump());
            BOOST_TEST(!reply["message"].get<std::string>().empty());
        }
    }
    auto const after =
        http(r.s.port(), "GET", "/api/workshops/" + r.id + "/results", "", r.fac_token).body;
    BOOST_TEST(after == before);
    // The connection is still usable.
    BOOST_TEST(r.add(mallory, b, "A fair note", "risk")["type"] == "ack");
}

BOOST_AUTO_TEST_CASE(notes_and_cluster_labels_are_stored_in_nfc) {
    board_rig r;
    auto const b = r.board(0);
    r.command("open", b);
    auto ann = r.join();
    // "Café" typed with a combining accent, and a label with a decomposed ŵ.
    std::string const n1 = r.add(ann, b, "  Cafe\u0301 ", "value")["note"];
    auto set = board_rig::send(r.fac, json{{"type", "cluster.set"},
                                           {"activity", b},
                                           {"cluster", "k_1"},
                                           {"label", {{"en", "Dw\u0302r"}}},
                                           {"notes", {n1}}});
    BOOST_TEST_REQUIRE(set["type"] == "ack", set.dump());
    auto const board = r.results_board(b);
    BOOST_TEST(board["notes"].at(0)["text"] == "Caf\u00E9");
    BOOST_TEST(board["clusters"].at(0)["label"]["en"] == "D\u0175r");
}

BOOST_AUTO_TEST_SUITE_END()
