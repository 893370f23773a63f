// Retention (docs/protocol.md, "Retention"): workshops past their retention period lose their
// responses, with a fake clock; the purge while the server runs and holds the workshop in
// memory; what the results API says afterwards; the bytes on disk; the purge command.
#include "shared/protocol/times.hpp"
#include "tests/support/child_process.hpp"
#include "tests/support/test_server.hpp"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <boost/test/unit_test.hpp>

#include <chrono>
#include <ctime>
#include <fstream>
#include <iterator>
#include <set>

using cylch::test::http;
using cylch::test::new_op;
using cylch::test::ws_client;
using nlohmann::json;

namespace {

constexpr std::int64_t day = 24LL * 60 * 60 * 1000;

// `extra` is spliced into the workshop file's top level (starts with a comma, or is empty).
std::string workshop_file(std::string const& extra) {
    return R"json({"title":{"en":"Retention"},"groups":[{"id":"a","label":{"en":"A"}}],
      "min_cell": 3,
      "activities":[
        {"kind":"likert","statement":{"en":"First"},"comment":{"prompt":{"en":"Why?"}}},
        {"kind":"open_text","question":{"en":"Say"}},
        {"kind":"board","prompt":{"en":"Ideas"}}]
      )json" +
           extra + "}";
}

struct created {
    std::string id, code, facilitator;
    std::vector<std::string> agenda;
};

created create(std::uint16_t port, std::string const& extra) {
    auto r = http(port, "POST", "/api/workshops", workshop_file(extra), cylch::test::admin_token);
    BOOST_TEST_REQUIRE(r.status == 201, r.body);
    auto j = r.json();
    created w{j["id"], j["code"], j["facilitator_token"], {}};
    auto const detail = http(port, "GET", "/api/workshops/" + w.id, "", w.facilitator).json();
    for (auto const& a : detail["agenda"]) {
        w.agenda.push_back(a["id"]);
    }
    BOOST_TEST_REQUIRE(w.agenda.size() == 3u);
    return w;
}

ws_client facilitator(std::uint16_t port, created const& w, json* welcome = nullptr) {
    ws_client c(port);
    c.send(json{{"type", "hello"},
                {"v", 1},
                {"role", "facilitator"},
                {"workshop", w.id},
                {"token", w.facilitator}});
    auto got = c.expect("welcome");
    if (welcome != nullptr) {
        *welcome = got;
    }
    return c;
}

json ok(ws_client& c, json m) {
    auto const op = new_op();
    m["op"] = op;
    c.send(m);
    auto reply = c.reply_to(op);
    BOOST_TEST_REQUIRE(reply["type"] == "ack", m.dump() << " -> " << reply.dump());
    return reply;
}

// Three people answer every activity with texts marked by `mark`, then the workshop ends.
// Returns the first person's participant id and token.
struct person {
    std::string id, token;
};
person answer_and_end(std::uint16_t port, created const& w, std::string const& mark) {
    person first;
    auto fac = facilitator(port, w);
    std::vector<ws_client> people;
    for (int i = 0; i < 3; ++i) {
        people.emplace_back(port);
        auto& p = people.back();
        p.send(json{{"type", "hello"}, {"v", 1}, {"role", "participant"}, {"code", w.code}});
        auto const welcome = p.expect("welcome");
        if (first.token.empty()) {
            first = {welcome["you"]["id"], welcome["you"]["token"]};
        }
        ok(p, {{"type", "profile"}, {"group", "a"}});
    }
    auto const suffix = [&](int i) { return mark + "-" + std::to_string(i); };
    ok(fac, {{"type", "activity.open"}, {"activity", w.agenda[0]}});
    for (int i = 0; i < 3; ++i) {
        ok(people[static_cast<std::size_t>(i)], {{"type", "vote"},
                                                 {"activity", w.agenda[0]},
                                                 {"value", 4},
                                                 {"comment", "comment " + suffix(i)}});
    }
    ok(fac, {{"type", "activity.open"}, {"activity", w.agenda[1]}});
    for (int i = 0; i < 3; ++i) {
        ok(people[static_cast<std::size_t>(i)],
           {{"type", "answer"}, {"activity", w.agenda[1]}, {"text", "answer " + suffix(i)}});
    }
    ok(fac, {{"type", "activity.open"}, {"activity", w.agenda[2]}});
    std::string last_note;
    for (int i = 0; i < 3; ++i) {
        last_note = ok(people[static_cast<std::size_t>(i)], {{"type", "note.add"},
                                                             {"activity", w.agenda[2]},
                                                             {"text", "note " + suffix(i)},
                                                             {"colour", "yellow"},
                                                             {"column", nullptr},
                                                             {"x", 0.5},
                                                             {"y", 0.5}})["note"];
    }
    ok(fac, {{"type", "note.hide"}, {"note", last_note}}); // the third note, hidden by staff
    ok(fac, {{"type", "workshop.end"}});
    return first;
}

std::string file_bytes(std::string const& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::int64_t now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

json results(std::uint16_t port, created const& w, std::string const& query = "") {
    auto r = http(port, "GET", "/api/workshops/" + w.id + "/results" + query, "", w.facilitator);
    BOOST_TEST_REQUIRE(r.status == 200, r.body);
    return r.json();
}

} // namespace

BOOST_AUTO_TEST_SUITE(retention)

BOOST_AUTO_TEST_CASE(due_dates_and_rfc3339_times) {
    using cylch::protocol::parse_rfc3339;
    BOOST_TEST(parse_rfc3339("1970-01-01T00:00:00Z").value_or(-1) == 0);
    BOOST_TEST(parse_rfc3339("2026-11-28T04:13:06Z").value_or(-1) == 1'795'839'186'000LL);
    BOOST_TEST(parse_rfc3339("2026-11-28T05:13:06.5+01:00").value_or(-1) == 1'795'839'186'000LL);
    BOOST_TEST(parse_rfc3339("2026-11-27T23:13:06-05:00").value_or(-1) == 1'795'839'186'000LL);
    for (auto const* bad : {"soon", "", "2026-11-28", "2026-11-28 04:13:06Z", "2026-11-28T04:13:06",
                            "2026-02-30T00:00:00Z", "2026-13-01T00:00:00Z", "2026-11-28T24:00:00Z",
                            "2026-11-28T04:13:06Zjunk", "2026-11-28T04:13:06.Z"}) {
        BOOST_TEST_CONTEXT(bad) {
            BOOST_TEST(!parse_rfc3339(bad).has_value());
        }
    }
    cylch::protocol::workshop_spec spec;
    BOOST_TEST(!cylch::retention::due_at(spec, 1000).has_value()); // kept until erased
    spec.retention_days = 30;
    BOOST_TEST(cylch::retention::due_at(spec, 1000).value_or(0) == 1000 + 30 * day);
}

BOOST_AUTO_TEST_CASE(due_workshops_are_purged_at_the_end_of_their_retention_period) {
    cylch::test::test_server server(false);
    auto const port = server.port();
    auto const kept = create(port, R"(,"retention_days":30,"keep_aggregates":true)");
    auto const dropped = create(port, R"(,"retention_days":30)");
    auto const forever = create(port, "");
    auto const running = create(port, R"(,"retention_days":1)");
    auto const ended_at = now_ms();
    auto const first = answer_and_end(port, kept, "KEPT-SECRET");
    answer_and_end(port, dropped, "DROPPED-SECRET");
    answer_and_end(port, forever, "FOREVER-SECRET");
    auto const before = results(port, kept, "?publishable=1");
    BOOST_TEST_REQUIRE(before["activities"][0]["summary"]["n"] == 3);
    // The facilitator stays connected to the workshop that is about to be purged: the server
    // holds it in memory.
    auto watching = facilitator(port, kept);
    BOOST_TEST(watching.expect("board")["notes"].size() == 3u); // the current activity

    // Ten days after the end, nothing is due.
    auto const early = server.app->purge(ended_at + 10 * day);
    BOOST_TEST(early.purged.empty());
    BOOST_TEST(early.failed.empty());
    BOOST_TEST(results(port, kept)["activities"][0]["summary"]["n"] == 3);

    // Thirty-one days after: the two with retention_days, not the one without, not the live one
    // (its one day is counted from an end it has not had).
    auto const due = server.app->purge(ended_at + 31 * day);
    std::set<std::string> const purged(due.purged.begin(), due.purged.end());
    BOOST_TEST((purged == std::set<std::string>{kept.id, dropped.id}));
    BOOST_TEST(due.failed.empty());
    BOOST_TEST(cylch::retention::describe(due).starts_with("purged 2 workshops: "));
    // A second run finds nothing more to do.
    BOOST_TEST(server.app->purge(ended_at + 400 * day).purged.empty());
    (void)running;

    // The connected facilitator was sent away; a new hello sees no responses.
    BOOST_TEST(watching.wait_closed() == 1001);
    json welcome;
    auto again = facilitator(port, kept, &welcome);
    BOOST_TEST(welcome.dump().find("SECRET") == std::string::npos, welcome.dump());
    BOOST_TEST(again.expect("board")["notes"].empty());
    // A participant's old link leads to nothing of theirs: the token is not known any more
    // (its hash went with the participant row), so the phone joins as a newcomer.
    ws_client back(port);
    back.send(json{{"type", "hello"},
                   {"v", 1},
                   {"role", "participant"},
                   {"code", kept.code},
                   {"token", first.token}});
    auto const rejoined = back.expect("welcome");
    BOOST_TEST(rejoined["you"]["id"] != first.id);
    BOOST_TEST(rejoined.dump().find("SECRET") == std::string::npos, rejoined.dump());

    // The results say so, and carry what shared screens showed (counts only).
    auto const after = results(port, kept);
    BOOST_TEST(after["purged"]["aggregates_kept"] == true);
    BOOST_TEST(after["purged"]["message"].get<std::string>().starts_with(
        "The responses of this workshop were purged on "));
    BOOST_REQUIRE(after["activities"].size() == 3u);
    BOOST_TEST(after["activities"][0]["summary"]["n"] == before["activities"][0]["summary"]["n"]);
    BOOST_TEST(after["activities"][0]["summary"]["counts"] ==
               before["activities"][0]["summary"]["counts"]);
    BOOST_TEST(after.dump().find("SECRET") == std::string::npos);
    BOOST_TEST(results(port, kept, "?publishable=1") == after);
    auto const none = results(port, dropped);
    BOOST_TEST(none["purged"]["aggregates_kept"] == false);
    BOOST_TEST(none["activities"].empty());
    // Exports have nothing left to give, and say why.
    auto const csv =
        http(port, "GET", "/api/workshops/" + kept.id + "/export.csv", "", kept.facilitator);
    BOOST_TEST(csv.status == 410);
    BOOST_TEST(csv.body.find("purged on") != std::string::npos, csv.body);
    // The one without retention keeps everything.
    BOOST_TEST(results(port, forever)["activities"][0]["summary"]["n"] == 3);
    // The list shows which were purged.
    auto const list =
        http(port, "GET", "/api/workshops", "", cylch::test::admin_token).json()["workshops"];
    for (auto const& l : list) {
        BOOST_TEST_CONTEXT(l["id"]) {
            BOOST_TEST(l["purged_at"].is_null() == (l["id"] != kept.id && l["id"] != dropped.id));
        }
    }

    // The purged texts are in neither the database file nor its WAL; the others are.
    auto const on_disk =
        file_bytes(server.config.db_path) + file_bytes(server.config.db_path + "-wal");
    for (auto const* mark : {"KEPT-SECRET", "DROPPED-SECRET"}) {
        BOOST_TEST_CONTEXT(mark) {
            BOOST_TEST(on_disk.find(mark) == std::string::npos);
        }
    }
    BOOST_TEST(on_disk.find("note FOREVER-SECRET-0") != std::string::npos);

    // Each purge is in the audit trail, as the system's, saying what was kept.
    auto const audit = http(port, "GET", "/api/audit?action=purged", "", cylch::test::admin_token);
    BOOST_TEST_REQUIRE(audit.status == 200, audit.body);
    std::set<std::string> entries;
    auto const page = audit.json();
    for (auto const& e : page["entries"]) {
        entries.insert(e["workshop"].get<std::string>() + " " + e["actor_kind"].get<std::string>() +
                       " " + e["actor"].get<std::string>() + " " + e["detail"].get<std::string>());
    }
    BOOST_TEST((entries == std::set<std::string>{kept.id + " system retention results kept",
                                                 dropped.id + " system retention nothing kept"}),
               audit.body);

    // After a restart the purge stands.
    server.restart();
    BOOST_TEST(results(server.port(), kept)["purged"]["aggregates_kept"] == true);
}

// Staff erase every response of a workshop at once (e.g. a group that withdrew together): the
// purge, now, keeping nothing even when the file says keep_aggregates.
BOOST_AUTO_TEST_CASE(staff_erase_every_response_of_an_ended_workshop) {
    cylch::test::test_server server(false);
    auto const port = server.port();
    auto const w = create(port, R"(,"keep_aggregates":true)");
    auto const other = create(port, "");
    answer_and_end(port, w, "ERASED-SECRET");
    answer_and_end(port, other, "OTHER-SECRET");
    auto const running = create(port, "");
    auto const path = [](created const& c) { return "/api/workshops/" + c.id + "/responses"; };

    // Nobody without the workshop's token or an admin's may; GET is not a way in.
    BOOST_TEST(http(port, "DELETE", path(w)).status == 403);
    BOOST_TEST(http(port, "DELETE", path(w), "", other.facilitator).status == 403);
    auto const get = http(port, "GET", path(w), "", w.facilitator);
    BOOST_TEST(get.status == 405);
    BOOST_TEST(get.header("Allow") == "DELETE");
    BOOST_TEST(results(port, w)["activities"][0]["summary"]["n"] == 3);
    // A workshop still running is refused, and keeps its state.
    auto const live = http(port, "DELETE", path(running), "", running.facilitator);
    BOOST_TEST(live.status == 409);
    BOOST_TEST(live.json()["error"]["code"] == "conflict", live.body);
    BOOST_TEST(results(port, running)["purged"].is_null());

    BOOST_TEST(http(port, "DELETE", path(w), "", w.facilitator).status == 204);
    auto const after = results(port, w);
    BOOST_TEST(after["purged"]["aggregates_kept"] == false); // an erasure keeps nothing
    BOOST_TEST(after["activities"].empty());
    BOOST_TEST(
        http(port, "GET", "/api/workshops/" + w.id + "/export.csv", "", w.facilitator).status ==
        410);
    // Again: nothing more to do, still 204, and one audit entry.
    BOOST_TEST(http(port, "DELETE", path(w), "", cylch::test::admin_token).status == 204);
    auto const audit = http(port, "GET", "/api/audit?action=erased", "", cylch::test::admin_token);
    BOOST_TEST_REQUIRE(audit.status == 200, audit.body);
    auto const page = audit.json();
    BOOST_TEST_REQUIRE(page["entries"].size() == 1u, audit.body);
    auto const& entry = page["entries"][0];
    BOOST_TEST(entry["workshop"] == w.id);
    BOOST_TEST(entry["actor_kind"] == "staff");
    BOOST_TEST(entry["actor"] == "facilitator token");
    BOOST_TEST(entry["detail"] == "all responses");
    BOOST_TEST(audit.body.find("SECRET") == std::string::npos);

    // The erased texts are in neither the database file nor its WAL; the other workshop's are.
    auto const on_disk =
        file_bytes(server.config.db_path) + file_bytes(server.config.db_path + "-wal");
    BOOST_TEST(on_disk.find("ERASED-SECRET") == std::string::npos);
    BOOST_TEST(on_disk.find("note OTHER-SECRET-0") != std::string::npos);
    BOOST_TEST(results(port, other)["activities"][0]["summary"]["n"] == 3);
}

BOOST_AUTO_TEST_CASE(deleting_an_ended_workshop_leaves_nothing_of_it_but_the_audit_line) {
    cylch::test::test_server server(false);
    auto const port = server.port();
    auto const admin = cylch::test::admin_token;
    auto const w = create(port, "");
    auto const other = create(port, "");
    auto const first = answer_and_end(port, w, "DELETED-SECRET");
    answer_and_end(port, other, "OTHER-SECRET");
    auto const running = create(port, "");
    auto const path = [](created const& c) { return "/api/workshops/" + c.id; };

    // Not without a sign-in or the admin token: the workshop's own link may not delete it.
    BOOST_TEST(http(port, "DELETE", path(w)).status == 401);
    BOOST_TEST(http(port, "DELETE", path(w), "", w.facilitator).status == 403);
    auto const post = http(port, "POST", path(w), "", admin);
    BOOST_TEST(post.status == 405);
    BOOST_TEST(post.header("Allow") == "GET, HEAD, PUT, DELETE");
    BOOST_TEST(http(port, "DELETE", "/api/workshops/w_nosuchthing1", "", admin).status == 404);
    // Running: refused, and it keeps running.
    auto const live = http(port, "DELETE", path(running), "", admin);
    BOOST_TEST(live.status == 409);
    BOOST_TEST(live.json()["error"]["code"] == "conflict", live.body);
    BOOST_TEST(http(port, "GET", path(running), "", running.facilitator).status == 200);
    // A kiosk bound to it: refused until the kiosk is bound elsewhere.
    auto const kiosk = http(port, "POST", "/api/kiosks",
                            json{{"name", "Foyer"}, {"workshop", w.id}}.dump(), admin);
    BOOST_TEST_REQUIRE(kiosk.status == 201, kiosk.body);
    auto const bound = http(port, "DELETE", path(w), "", admin);
    BOOST_TEST(bound.status == 409);
    BOOST_TEST(bound.json()["error"]["message"].get<std::string>().find("kiosk") !=
               std::string::npos);
    BOOST_TEST(results(port, w)["activities"][0]["summary"]["n"] == 3);
    auto const moved = http(port, "PUT", "/api/kiosks/" + kiosk.json()["id"].get<std::string>(),
                            json{{"workshop", other.id}}.dump(), admin);
    BOOST_TEST_REQUIRE(moved.status == 200, moved.body);

    // A console still open on it is closed when it goes.
    auto console = facilitator(port, w);
    BOOST_TEST(http(port, "DELETE", path(w), "", admin).status == 204);
    BOOST_TEST(console.wait_closed() == 1001);

    auto check = [&] {
        auto const port = server.port(); // a restart listens on another port
        // Gone from the API, the list, its links and its code; a participant's token too.
        BOOST_TEST(http(port, "GET", path(w), "", admin).status == 404);
        BOOST_TEST(http(port, "GET", path(w) + "/results", "", admin).status == 404);
        BOOST_TEST(http(port, "DELETE", path(w), "", admin).status == 404);
        auto const list = http(port, "GET", "/api/workshops", "", admin);
        BOOST_TEST_REQUIRE(list.status == 200, list.body);
        BOOST_TEST(list.body.find(w.id) == std::string::npos);
        BOOST_TEST(list.body.find(other.id) != std::string::npos);
        for (auto const& hello :
             {json{{"type", "hello"},
                   {"v", 1},
                   {"role", "facilitator"},
                   {"workshop", w.id},
                   {"token", w.facilitator}},
              json{{"type", "hello"}, {"v", 1}, {"role", "participant"}, {"code", w.code}},
              json{{"type", "hello"},
                   {"v", 1},
                   {"role", "participant"},
                   {"code", w.code},
                   {"token", first.token}}}) {
            ws_client c(port);
            c.send(hello);
            auto const refused = c.expect("error");
            BOOST_TEST(refused["code"] == "not_found", refused.dump());
        }
        // The other workshop is whole.
        BOOST_TEST(results(port, other)["activities"][0]["summary"]["n"] == 3);
        // Nothing of it on disk: not its responses, its questions or its title.
        auto const on_disk =
            file_bytes(server.config.db_path) + file_bytes(server.config.db_path + "-wal");
        BOOST_TEST(on_disk.find("DELETED-SECRET") == std::string::npos);
        // No row of it in any table (the audit's two lines name it, and only they).
        SQLite::Database db(server.config.db_path, SQLite::OPEN_READONLY);
        for (auto const* table :
             {"workshops", "activities", "participants", "votes", "answers", "notes", "dots",
              "clusters", "board_locks", "ops", "kept_results", "workshop_access"}) {
            SQLite::Statement q(db, std::string("SELECT count(*) FROM ") + table + " WHERE " +
                                        (std::string(table) == "workshops" ? "id" : "workshop_id") +
                                        " = ?");
            q.bind(1, w.id);
            BOOST_TEST_REQUIRE(q.executeStep());
            BOOST_TEST(q.getColumn(0).getInt() == 0, table);
        }
        SQLite::Statement lines(db, "SELECT count(*) FROM audit WHERE workshop_id = ? AND "
                                    "action IN ('erased', 'workshop_deleted')");
        lines.bind(1, w.id);
        BOOST_TEST_REQUIRE(lines.executeStep());
        BOOST_TEST(lines.getColumn(0).getInt() == 2);
        BOOST_TEST(on_disk.find("note OTHER-SECRET-0") != std::string::npos);
        // One audit line says who deleted it (and one that its responses were erased).
        auto const audit = http(
            port, "GET", "/api/audit?workshop=" + w.id + "&action=workshop_deleted", "", admin);
        BOOST_TEST_REQUIRE(audit.status == 200, audit.body);
        auto const page = audit.json();
        BOOST_TEST_REQUIRE(page["entries"].size() == 1u, audit.body);
        BOOST_TEST(page["entries"][0]["actor"] == "admin token");
        BOOST_TEST(page["entries"][0]["detail"] == "Retention");
        BOOST_TEST(audit.body.find("SECRET") == std::string::npos);
    };
    check();
    server.restart();
    check();
}

BOOST_AUTO_TEST_CASE(post_api_purge_is_for_admins) {
    cylch::test::test_server server(false);
    auto const w = create(server.port(), R"(,"retention_days":30)");
    auto const refused = http(server.port(), "POST", "/api/purge", "", w.facilitator);
    BOOST_TEST(refused.status == 401);
    auto const done = http(server.port(), "POST", "/api/purge", "", cylch::test::admin_token);
    BOOST_TEST_REQUIRE(done.status == 200, done.body);
    BOOST_TEST(done.json()["result"] == "purged 0 workshops");
    BOOST_TEST(http(server.port(), "GET", "/api/purge", "", cylch::test::admin_token).status ==
               405);
}

BOOST_AUTO_TEST_CASE(the_purge_command) {
    std::string db;
    created w;
    std::int64_t ended_at = 0;
    cylch::test::test_server server(false);
    db = server.config.db_path;
    w = create(server.port(), R"(,"retention_days":1)");
    ended_at = now_ms();
    answer_and_end(server.port(), w, "COMMAND-SECRET");
    {
        // While the server runs, only it purges: the command asks it, with the admin token.
        cylch::test::child_process no_token({CYLCH_SERVER_BINARY, "purge", "--db", db});
        auto const out = no_token.rest();
        BOOST_TEST(no_token.wait_exit() == 2);
        BOOST_TEST(out.find("only it may purge its workshops") != std::string::npos, out);
        auto const token_file = server.dir.file("admin-token");
        std::ofstream(token_file) << cylch::test::admin_token << "\n";
        cylch::test::child_process asked(
            {CYLCH_SERVER_BINARY, "purge", "--db", db, "--admin-token-file", token_file});
        BOOST_TEST(asked.rest() == "purged 0 workshops (by the running server)\n");
        BOOST_TEST(asked.wait_exit() == 0);
        cylch::test::child_process fake_time({CYLCH_SERVER_BINARY, "purge", "--db", db,
                                              "--admin-token-file", token_file, "--now",
                                              "2030-01-01T00:00:00Z"});
        fake_time.rest();
        BOOST_TEST(fake_time.wait_exit() == 2);
    }
    server.stop();
    {
        cylch::test::child_process bad({CYLCH_SERVER_BINARY, "purge", "--db", db, "--now", "soon"});
        auto const out = bad.rest();
        BOOST_TEST(bad.wait_exit() == 2);
        BOOST_TEST(out.find("--now must be an RFC 3339 time") != std::string::npos, out);
    }
    {
        cylch::test::child_process missing({CYLCH_SERVER_BINARY, "purge"});
        missing.rest();
        BOOST_TEST(missing.wait_exit() == 2);
    }
    auto const later = ended_at + 2 * day;
    std::time_t const secs = later / 1000;
    std::tm tm{};
    gmtime_r(&secs, &tm);
    char when[32];
    std::strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
    {
        cylch::test::child_process purge({CYLCH_SERVER_BINARY, "purge", "--db", db, "--now", when});
        auto const out = purge.rest();
        BOOST_TEST(purge.wait_exit() == 0);
        BOOST_TEST(out == "purged 1 workshop: " + w.id + "\n", out);
    }
    auto const on_disk = file_bytes(db) + file_bytes(db + "-wal");
    BOOST_TEST(on_disk.find("COMMAND-SECRET") == std::string::npos);
    {
        cylch::test::child_process twice({CYLCH_SERVER_BINARY, "purge", "--db", db, "--now", when});
        BOOST_TEST(twice.rest() == "purged 0 workshops\n");
        BOOST_TEST(twice.wait_exit() == 0);
    }
}

BOOST_AUTO_TEST_CASE(boards_csv_for_publication_withholds_groups_and_hidden_notes) {
    cylch::test::test_server server(false);
    auto const w = create(server.port(), "");
    answer_and_end(server.port(), w, "BOARD");
    auto const staff =
        http(server.port(), "GET", "/api/workshops/" + w.id + "/boards.csv", "", w.facilitator);
    BOOST_TEST_REQUIRE(staff.status == 200);
    BOOST_TEST(staff.body.find(",a,") != std::string::npos, staff.body); // the author's group
    auto const published =
        http(server.port(), "GET", "/api/workshops/" + w.id + "/boards.csv?publishable=1", "",
             w.facilitator);
    BOOST_TEST_REQUIRE(published.status == 200);
    BOOST_TEST(published.body.find(",a,") == std::string::npos, published.body);
    BOOST_TEST(published.body.find(",suppressed,") != std::string::npos, published.body);
    BOOST_TEST(published.body.find("note BOARD-0") != std::string::npos);
    // The note staff hid is in their export, not in the one for publication.
    BOOST_TEST(staff.body.find("note BOARD-2") != std::string::npos);
    BOOST_TEST(published.body.find("note BOARD-2") == std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
