// The audit trail over HTTP and WebSocket (docs/protocol.md, "Audit trail"): what is recorded,
// by whom, that no answer content reaches it, who may read it, filters and paging, the CSV,
// and that the table itself refuses changes.
#include "tests/support/child_process.hpp"
#include "tests/support/test_server.hpp"

#include <boost/test/unit_test.hpp>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <algorithm>
#include <fstream>

using cylch::test::admin_token;
using cylch::test::http;
using cylch::test::http_result;
using cylch::test::http_with;
using cylch::test::new_op;
using cylch::test::test_server;
using cylch::test::ws_client;
using nlohmann::json;

namespace {

using headers = std::vector<std::pair<std::string, std::string>>;

constexpr char const* two_activities = R"json({
  "title": {"en": "Audit"},
  "groups": [{"id": "a", "label": {"en": "A"}}, {"id": "b", "label": {"en": "B"}}],
  "activities": [{"kind": "likert", "statement": {"en": "First"}, "scale": 5,
                  "comment": {"prompt": {"en": "Why?"}}},
                 {"kind": "board", "prompt": {"en": "Ideas"}, "dots_per_person": 2}]
})json";

void add_user(test_server& s, std::string const& name, std::string const& role) {
    auto r =
        http(s.port(), "POST", "/api/users",
             json{{"name", name}, {"role", role}, {"password", "correct horse battery"}}.dump(),
             admin_token);
    BOOST_TEST_REQUIRE(r.status == 201, r.body);
}

http_result try_login(test_server& s, std::string const& name, std::string const& password) {
    return http(s.port(), "POST", "/api/login",
                json{{"name", name}, {"password", password}}.dump());
}

// The cookie header of a signed-in account.
headers login(test_server& s, std::string const& name) {
    auto r = try_login(s, name, "correct horse battery");
    BOOST_TEST_REQUIRE(r.status == 200, r.body);
    auto const c = r.header("Set-Cookie");
    return {{"Cookie", c.substr(0, c.find(';'))}};
}

json audit_page(test_server& s, std::string const& query = "") {
    auto r = http(s.port(), "GET", "/api/audit" + query, "", admin_token);
    BOOST_TEST_REQUIRE(r.status == 200, r.body);
    return r.json();
}

// "action actor detail" of each entry, newest first.
std::vector<std::string> lines(json const& page) {
    std::vector<std::string> out;
    for (auto const& e : page["entries"]) {
        out.push_back(e["action"].get<std::string>() + " " + e["actor"].get<std::string>() +
                      (e["detail"].is_null() ? "" : " " + e["detail"].get<std::string>()));
    }
    return out;
}

struct created {
    std::string id, code, facilitator;
    std::vector<std::string> agenda;
};

created create(std::uint16_t port) {
    auto r = http(port, "POST", "/api/workshops", two_activities, admin_token);
    BOOST_TEST_REQUIRE(r.status == 201, r.body);
    auto j = r.json();
    created w{j["id"], j["code"], j["facilitator_token"], {}};
    auto const detail = http(port, "GET", "/api/workshops/" + w.id, "", w.facilitator).json();
    for (auto const& a : detail["agenda"]) {
        w.agenda.push_back(a["id"]);
    }
    return w;
}

json ok(ws_client& c, json request) {
    auto op = new_op();
    request["op"] = op;
    c.send(request);
    auto reply = c.reply_to(op);
    BOOST_TEST_REQUIRE(reply["type"] == "ack", reply.dump());
    return reply;
}

ws_client facilitator(std::uint16_t port, created const& w) {
    ws_client c(port);
    c.send(json{{"type", "hello"},
                {"v", 1},
                {"role", "facilitator"},
                {"workshop", w.id},
                {"token", w.facilitator}});
    c.expect("welcome");
    return c;
}

ws_client participant(std::uint16_t port, created const& w) {
    ws_client c(port);
    c.send(json{{"type", "hello"}, {"v", 1}, {"role", "participant"}, {"code", w.code}});
    c.expect("welcome");
    ok(c, json{{"type", "profile"}, {"group", "a"}});
    return c;
}

// Every audit row's text, read from the database file itself.
std::string every_audit_cell(test_server& s) {
    SQLite::Database db(s.config.db_path, SQLite::OPEN_READONLY);
    SQLite::Statement q(db, "SELECT * FROM audit");
    std::string all;
    while (q.executeStep()) {
        for (int i = 0; i < q.getColumnCount(); ++i) {
            all += q.getColumn(i).getString() + "|";
        }
        all += "\n";
    }
    return all;
}

} // namespace

BOOST_AUTO_TEST_SUITE(audit)

BOOST_AUTO_TEST_CASE(sign_ins_are_recorded_in_order_with_the_address_and_no_typed_secrets) {
    test_server s(false);
    add_user(s, "Alun", "admin");
    BOOST_TEST(try_login(s, "alun", "not the password").status == 401);
    // A password typed into the name box: refused, and not kept.
    BOOST_TEST(try_login(s, "hunter2-secret-pass", "whatever else").status == 401);
    auto cookie = login(s, "Alun");

    auto page = audit_page(s);
    auto const l = lines(page);
    BOOST_TEST_REQUIRE(l.size() == 4u);
    BOOST_TEST(l[0] == "sign_in Alun");
    BOOST_TEST(l[1] == "sign_in_failed unknown name");
    BOOST_TEST(l[2] == "sign_in_failed Alun"); // the stored name, not the case typed
    BOOST_TEST(l[3] == "user_added admin token Alun admin");
    for (int i = 0; i < 3; ++i) {
        BOOST_TEST(page["entries"][i]["address"] == "127.0.0.1");
        BOOST_TEST(page["entries"][i]["actor_kind"] == "staff");
    }
    BOOST_TEST(page["entries"][3]["address"].is_null());
    BOOST_TEST(page["entries"][0]["id"].get<std::int64_t>() >
               page["entries"][1]["id"].get<std::int64_t>());
    BOOST_TEST(page["next_before"].is_null());
    BOOST_TEST(every_audit_cell(s).find("hunter2") == std::string::npos);
    BOOST_TEST(every_audit_cell(s).find("not the password") == std::string::npos);

    // Signing out is recorded too.
    auto me = http_with(s.port(), "GET", "/api/me", "", cookie).json();
    auto write = cookie;
    write.emplace_back("X-CSRF-Token", me["csrf"]);
    BOOST_TEST(http_with(s.port(), "POST", "/api/logout", "", write).status == 204);
    BOOST_TEST(lines(audit_page(s))[0] == "sign_out Alun");
}

BOOST_AUTO_TEST_CASE(reviewers_and_admins_read_it_facilitators_do_not) {
    test_server s(false);
    add_user(s, "Rhian", "reviewer");
    add_user(s, "Ceri", "facilitator");
    add_user(s, "Alun", "admin");
    BOOST_TEST(http(s.port(), "GET", "/api/audit").status == 401);
    BOOST_TEST(http(s.port(), "GET", "/api/audit", "", "not-the-admin-token-00").status == 401);
    auto ceri = http_with(s.port(), "GET", "/api/audit", "", login(s, "Ceri"));
    BOOST_TEST(ceri.status == 403);
    BOOST_TEST(ceri.json()["error"]["code"] == "not_allowed");
    BOOST_TEST(http_with(s.port(), "GET", "/api/audit.csv", "", login(s, "Ceri")).status == 403);
    auto rhian = http_with(s.port(), "GET", "/api/audit", "", login(s, "Rhian"));
    BOOST_TEST_REQUIRE(rhian.status == 200, rhian.body);
    BOOST_TEST(rhian.header("Cache-Control") == "no-store");
    BOOST_TEST(http_with(s.port(), "GET", "/api/audit", "", login(s, "Alun")).status == 200);
    BOOST_TEST(http(s.port(), "POST", "/api/audit", "{}", admin_token).status == 405);
}

BOOST_AUTO_TEST_CASE(a_withdrawal_and_an_erasure_are_recorded_without_what_was_withdrawn) {
    test_server s(false);
    auto w = create(s.port());
    auto f = facilitator(s.port(), w);
    ok(f, json{{"type", "activity.open"}, {"activity", w.agenda[0]}});
    auto first = participant(s.port(), w);
    auto second = participant(s.port(), w);
    ok(first, json{{"type", "vote"},
                   {"activity", w.agenda[0]},
                   {"value", 4},
                   {"comment", "a comment that is mine alone"}});
    ok(second, json{{"type", "vote"}, {"activity", w.agenda[0]}, {"value", 2}});
    ok(f, json{{"type", "activity.close"}, {"activity", w.agenda[0]}});
    ok(f, json{{"type", "activity.reveal"}, {"activity", w.agenda[0]}});
    ok(f, json{{"type", "activity.open"}, {"activity", w.agenda[1]}});
    ok(first, json{{"type", "note.add"},
                   {"activity", w.agenda[1]},
                   {"text", "an idea nobody should keep"},
                   {"colour", "yellow"},
                   {"x", 0.5},
                   {"y", 0.5}});

    ok(first, json{{"type", "withdraw"}});
    auto const base = "/api/workshops/" + w.id + "/respondents/";
    BOOST_TEST(http(s.port(), "DELETE", base + "r2", "", w.facilitator).status == 204);

    auto page = audit_page(s, "?workshop=" + w.id);
    auto const l = lines(page);
    std::vector<std::string> const expected{
        "erased facilitator token r2",
        "withdrawn r1 r1",
        "activity_opened facilitator token " + w.agenda[1],
        "activity_revealed facilitator token " + w.agenda[0],
        "activity_closed facilitator token " + w.agenda[0],
        "activity_opened facilitator token " + w.agenda[0],
        "workshop_created admin token",
    };
    BOOST_TEST(l == expected, boost::test_tools::per_element());
    BOOST_TEST(page["entries"][1]["actor_kind"] == "participant");
    BOOST_TEST(page["entries"][0]["actor_kind"] == "staff");
    BOOST_TEST(page["entries"][1]["workshop"] == w.id);

    // Nothing that was withdrawn or answered is in any audit row.
    auto const cells = every_audit_cell(s);
    BOOST_TEST(cells.find("a comment that is mine alone") == std::string::npos);
    BOOST_TEST(cells.find("an idea nobody should keep") == std::string::npos);
    BOOST_TEST(cells.find(w.facilitator) == std::string::npos);

    // Reopening a revealed activity is a reopening.
    ok(f, json{{"type", "activity.close"}, {"activity", w.agenda[1]}});
    ok(f, json{{"type", "activity.open"}, {"activity", w.agenda[0]}});
    BOOST_TEST(lines(audit_page(s, "?workshop=" + w.id + "&limit=1"))[0] ==
               "activity_reopened facilitator token " + w.agenda[0]);
}

BOOST_AUTO_TEST_CASE(a_console_opened_by_a_sign_in_records_the_person) {
    test_server s(false);
    add_user(s, "Alun", "admin");
    auto const w = create(s.port());
    cylch::test::connect_options o;
    o.cookie = login(s, "Alun")[0].second;
    ws_client f(s.port(), o);
    f.send(json{{"type", "hello"}, {"v", 1}, {"role", "facilitator"}, {"workshop", w.id}});
    f.expect("welcome");
    ok(f, json{{"type", "activity.open"}, {"activity", w.agenda[0]}});
    BOOST_TEST(lines(audit_page(s, "?workshop=" + w.id + "&limit=1"))[0] ==
               "activity_opened Alun " + w.agenda[0]);
}

BOOST_AUTO_TEST_CASE(staff_moderation_of_notes_and_the_workshop_end_are_recorded_by_note_id) {
    test_server s(false);
    auto w = create(s.port());
    auto f = facilitator(s.port(), w);
    auto p = participant(s.port(), w);
    ok(f, json{{"type", "activity.open"}, {"activity", w.agenda[1]}});
    auto const note = ok(p, json{{"type", "note.add"},
                                 {"activity", w.agenda[1]},
                                 {"text", "a note about someone"},
                                 {"colour", "yellow"},
                                 {"x", 0.5},
                                 {"y", 0.5}})["note"]
                          .get<std::string>();
    ok(f, json{{"type", "note.hide"}, {"note", note}, {"hidden", true}});
    ok(f, json{{"type", "note.hide"}, {"note", note}, {"hidden", false}});
    ok(f, json{{"type", "note.delete"}, {"note", note}});
    ok(f, json{{"type", "workshop.end"}});
    auto const l = lines(audit_page(s, "?workshop=" + w.id + "&limit=4"));
    std::vector<std::string> const expected{
        "workshop_ended facilitator token",
        "note_deleted facilitator token " + note,
        "note_shown facilitator token " + note,
        "note_hidden facilitator token " + note,
    };
    BOOST_TEST(l == expected, boost::test_tools::per_element());
    BOOST_TEST(every_audit_cell(s).find("a note about someone") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(each_export_is_recorded_with_its_kind_and_audience) {
    test_server s(false);
    auto w = create(s.port());
    auto const base = "/api/workshops/" + w.id;
    BOOST_TEST(http(s.port(), "GET", base + "/export.csv", "", w.facilitator).status == 200);
    BOOST_TEST(
        http(s.port(), "GET", base + "/export.csv?publishable=1", "", w.facilitator).status == 200);
    BOOST_TEST(http(s.port(), "GET", base + "/results", "", admin_token).status == 200);
    BOOST_TEST(http(s.port(), "GET", base, "", w.facilitator).status == 200); // not an export
    auto const l = lines(audit_page(s, "?action=exported"));
    std::vector<std::string> const expected{"exported admin token results.json",
                                            "exported facilitator token export.csv publishable",
                                            "exported facilitator token export.csv"};
    BOOST_TEST(l == expected, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(filters_and_pages_return_the_right_entries) {
    test_server s(false);
    add_user(s, "Alun", "admin");
    for (int i = 0; i < 3; ++i) { // (5 in a row would make the account wait)
        BOOST_TEST(try_login(s, "Alun", "wrong password " + std::to_string(i)).status == 401);
    }
    login(s, "Alun");

    auto failed = audit_page(s, "?action=sign_in_failed&limit=2");
    BOOST_TEST_REQUIRE(failed["entries"].size() == 2u);
    auto const next = failed["next_before"].get<std::int64_t>();
    BOOST_TEST(next == failed["entries"][1]["id"].get<std::int64_t>());
    auto more = audit_page(s, "?action=sign_in_failed&limit=2&before=" + std::to_string(next));
    BOOST_TEST_REQUIRE(more["entries"].size() == 1u);
    BOOST_TEST(more["entries"][0]["id"].get<std::int64_t>() < next);
    BOOST_TEST(more["next_before"].is_null());
    BOOST_TEST(
        audit_page(s, "?action=sign_in_failed&before=" + std::to_string(next))["entries"].size() ==
        1u);

    BOOST_TEST(lines(audit_page(s, "?actor=alun&action=sign_in")) ==
               std::vector<std::string>{"sign_in Alun"});
    BOOST_TEST(audit_page(s, "?actor=admin%20token")["entries"].size() == 1u); // user_added

    // from (inclusive) and to (exclusive), in ms: the entries on each side of the sign-in's time.
    auto const all = audit_page(s)["entries"];
    BOOST_TEST_REQUIRE(all.size() == 5u);
    auto const t = all[0]["at"].get<std::int64_t>();
    std::size_t at_or_after = 0;
    for (auto const& e : all) {
        at_or_after += e["at"].get<std::int64_t>() >= t ? 1 : 0;
    }
    auto const from = audit_page(s, "?from=" + std::to_string(t))["entries"];
    BOOST_TEST(from.size() == at_or_after);
    BOOST_TEST(from[0]["action"] == "sign_in");
    auto const to = audit_page(s, "?to=" + std::to_string(t))["entries"];
    BOOST_TEST(to.size() == 5u - at_or_after);
    for (auto const& e : to) {
        BOOST_TEST(e["at"].get<std::int64_t>() < t);
    }
    BOOST_TEST(audit_page(s, "?workshop=w_none")["entries"].empty());
    BOOST_TEST(audit_page(s, "?action=")["entries"].size() ==
               5u); // an empty filter filters nothing

    for (auto const* bad : {"?action=dance", "?limit=0", "?limit=501", "?from=yesterday",
                            "?colour=red", "?before=-1", "?workshop=%zz"}) {
        auto r = http(s.port(), "GET", std::string("/api/audit") + bad, "", admin_token);
        BOOST_TEST(r.status == 400, bad);
        BOOST_TEST(r.json()["error"]["code"] == "bad_request");
    }
}

BOOST_AUTO_TEST_CASE(the_csv_has_every_matching_entry_and_its_export_is_recorded) {
    test_server s(false);
    add_user(s, "=cmd|' /C calc'!A0", "facilitator"); // a name a spreadsheet would run
    BOOST_TEST(try_login(s, "nobody", "wrong password").status == 401);
    auto r = http(s.port(), "GET", "/api/audit.csv?action=user_added", "", admin_token);
    BOOST_TEST_REQUIRE(r.status == 200, r.body);
    BOOST_TEST(r.content_type.starts_with("text/csv"));
    BOOST_TEST(r.header("Content-Disposition").find("cylch-audit.csv") != std::string::npos);
    auto const header = r.body.substr(0, r.body.find("\r\n"));
    BOOST_TEST(header == "id,at,at_ms,actor_kind,actor,action,workshop,detail,address");
    BOOST_TEST(r.body.find(",user_added,,'=cmd|' /C calc'!A0 facilitator,") != std::string::npos,
               r.body);
    BOOST_TEST(r.body.find("sign_in_failed") == std::string::npos);  // filtered out
    BOOST_TEST(std::count(r.body.begin(), r.body.end(), '\n') == 2); // header and one row
    BOOST_TEST(lines(audit_page(s, "?limit=1"))[0] ==
               "audit_exported admin token action=user_added");
    BOOST_TEST(http(s.port(), "GET", "/api/audit.csv?limit=5", "", admin_token).status == 400);
}

BOOST_AUTO_TEST_CASE(the_table_refuses_updates_and_deletes) {
    test_server s(false);
    add_user(s, "Alun", "admin");
    login(s, "Alun");
    // Read through the API first: entries are written by the store's queue, which this read
    // waits behind, so both rows are in the file before it is changed by hand below.
    BOOST_TEST_REQUIRE(lines(audit_page(s)).size() == 2u);
    SQLite::Database db(s.config.db_path, SQLite::OPEN_READWRITE);
    db.setBusyTimeout(5000);
    BOOST_CHECK_THROW(db.exec("UPDATE audit SET actor = 'someone else'"), SQLite::Exception);
    BOOST_CHECK_THROW(db.exec("DELETE FROM audit"), SQLite::Exception);
    BOOST_CHECK_THROW(db.exec("DELETE FROM audit WHERE action = 'sign_in'"), SQLite::Exception);
    BOOST_TEST(lines(audit_page(s)) ==
                   (std::vector<std::string>{"sign_in Alun", "user_added admin token Alun admin"}),
               boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(the_user_and_backup_commands_are_recorded_as_the_operator) {
    test_server s(false);
    auto const pw = s.dir.file("pw");
    std::ofstream(pw) << "a long enough password\n";
    using cylch::test::child_process;
    {
        child_process c({CYLCH_SERVER_BINARY, "user", "add", "--db", s.config.db_path, "--role",
                         "reviewer", "--name", "Rhian", "--password-file", pw});
        BOOST_TEST(c.wait_exit() == 0);
    }
    {
        child_process c(
            {CYLCH_SERVER_BINARY, "backup", "--db", s.config.db_path, s.dir.file("copy.db")});
        BOOST_TEST(c.wait_exit() == 0);
    }
    // Written beside the running server, on their own connections: it reads them back.
    auto page = audit_page(s);
    BOOST_TEST(lines(page) == (std::vector<std::string>{"backup operator copy.db",
                                                        "user_added operator Rhian reviewer"}),
               boost::test_tools::per_element());
    BOOST_TEST(page["entries"][0]["actor_kind"] == "operator");
    BOOST_TEST(every_audit_cell(s).find("a long enough password") == std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
