// Editing a workshop over HTTP (PUT /api/workshops/{id}, GET …/file): who may, texts and the
// agenda change while answers stay, answered activities keep their kind and scale, a refused
// edit changes nothing, the edit is audited and survives a restart, and connected consoles
// and phones come back to the edited agenda.
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

json const first_file = json::parse(R"json({
  "title": {"en": "Library services", "cy": "Gwasanaethau llyfrgell"},
  "languages": ["en", "cy"],
  "min_cell": 1,
  "groups": [{"id": "staff", "label": {"en": "Staff", "cy": "Staff"}},
             {"id": "public", "label": {"en": "Public", "cy": "Cyhoedd"}}],
  "activities": [
    {"kind": "likert", "statement": {"en": "The library is easy to reach.",
                                     "cy": "Mae'n hawdd cyrraedd y llyfrgell."}, "scale": 5},
    {"kind": "choice", "question": {"en": "Which service?", "cy": "Pa wasanaeth?"},
     "options": [{"id": "books", "label": {"en": "Books", "cy": "Llyfrau"}},
                 {"id": "wifi", "label": {"en": "Wi-Fi", "cy": "Wi-Fi"}}]},
    {"kind": "open_text", "question": {"en": "What else?", "cy": "Beth arall?"}}
  ]
})json");

struct rig {
    test_server s{false};
    cylch::test::signed_in ceri;
    std::string id, code, fac_token;

    rig() {
        add_user(s, "Ceri", "facilitator");
        ceri = login(s, "Ceri");
        auto made = http_with(s.port(), "POST", "/api/workshops", first_file.dump(), ceri.write());
        BOOST_TEST_REQUIRE(made.status == 201, made.body);
        id = made.json()["id"];
        code = made.json()["code"];
        fac_token = made.json()["facilitator_token"];
    }

    std::string path() const { return "/api/workshops/" + id; }

    json file() {
        auto r = http_with(s.port(), "GET", path() + "/file", "", ceri.read());
        BOOST_TEST_REQUIRE(r.status == 200, r.body);
        return r.json();
    }

    // The file as the editor sends it back: its "answered" list left out.
    json editable() {
        auto f = file();
        f.erase("answered");
        return f;
    }

    cylch::test::http_result put(json const& f) {
        return http_with(s.port(), "PUT", path(), f.dump(), ceri.write());
    }

    ws_client console(json* welcome = nullptr) {
        ws_client c(s.port());
        c.send(json{{"type", "hello"},
                    {"v", 1},
                    {"role", "facilitator"},
                    {"workshop", id},
                    {"token", fac_token}});
        auto w = c.expect("welcome");
        if (welcome != nullptr) {
            *welcome = w;
        }
        return c;
    }

    ws_client phone(std::optional<std::string> const& token, json& welcome) {
        ws_client c(s.port());
        c.send(json{{"type", "hello"},
                    {"v", 1},
                    {"role", "participant"},
                    {"code", code},
                    {"token", token ? json(*token) : json(nullptr)}});
        welcome = c.expect("welcome");
        return c;
    }

    static json send(ws_client& c, json body) {
        auto op = new_op();
        body["op"] = op;
        c.send(body);
        return c.reply_to(op);
    }

    // A participant in group "staff" who agrees (4) with the first statement; their token.
    std::string answer_the_statement() {
        json w;
        auto fac = console(&w);
        auto const likert = w["agenda"][0]["id"].get<std::string>();
        BOOST_TEST_REQUIRE(send(fac, {{"type", "activity.open"}, {"activity", likert}})["type"] ==
                           "ack");
        json pw;
        auto alys = phone(std::nullopt, pw);
        BOOST_TEST_REQUIRE(send(alys, {{"type", "profile"}, {"group", "staff"}})["type"] == "ack");
        BOOST_TEST_REQUIRE(
            send(alys, {{"type", "vote"}, {"activity", likert}, {"value", 4}})["type"] == "ack");
        return pw["you"]["token"];
    }

    std::size_t audited_edits() {
        auto a = http(s.port(), "GET", "/api/audit?action=workshop_edited", "", admin_token);
        BOOST_TEST_REQUIRE(a.status == 200, a.body);
        return a.json()["entries"].size();
    }
};

} // namespace

BOOST_AUTO_TEST_SUITE(editing)

BOOST_AUTO_TEST_CASE(texts_and_the_agenda_change_and_the_answers_stay_through_a_restart) {
    rig r;
    auto const token = r.answer_the_statement();
    auto before = r.file();
    BOOST_TEST_REQUIRE(before["activities"].size() == 3u);
    auto const likert = before["activities"][0]["id"].get<std::string>();
    auto const choice = before["activities"][1]["id"].get<std::string>();
    BOOST_TEST(before["answered"] == json::array({likert}));
    BOOST_TEST(before["title"]["cy"] == "Gwasanaethau llyfrgell"); // the file as stored

    json fac_welcome;
    auto fac = r.console(&fac_welcome);
    json pw;
    auto alys = r.phone(token, pw);
    BOOST_TEST(pw["mine"]["value"] == 4);

    // The Welsh statement corrected, the choice first, the open question gone, a statement
    // added at the end.
    auto edited = r.editable();
    edited["activities"][0]["statement"]["cy"] = "Mae’n hawdd cyrraedd y llyfrgell.";
    edited["title"]["en"] = "Library services (pilot)";
    json added = {{"kind", "likert"},
                  {"statement", {{"en", "Staff are helpful."}, {"cy", "Mae staff yn helpu."}}},
                  {"scale", 7}};
    edited["activities"] = json::array({edited["activities"][1], edited["activities"][0], added});
    auto const put = r.put(edited);
    BOOST_TEST_REQUIRE(put.status == 200, put.body);
    auto const order = put.json()["activities"];
    BOOST_TEST_REQUIRE(order.size() == 3u);
    BOOST_TEST(order[0] == choice);
    BOOST_TEST(order[1] == likert);
    auto const fresh = order[2].get<std::string>();
    BOOST_TEST(fresh.starts_with("a_"));

    // Connected consoles and phones are closed (1001) and come back to the edited agenda.
    BOOST_TEST(fac.wait_closed() == 1001);
    BOOST_TEST(alys.wait_closed() == 1001);
    json w;
    auto fac2 = r.console(&w);
    BOOST_TEST(w["workshop"]["title"]["en"] == "Library services (pilot)");
    BOOST_TEST_REQUIRE(w["agenda"].size() == 3u);
    BOOST_TEST(w["agenda"][0]["id"] == choice);
    BOOST_TEST(w["agenda"][1]["id"] == likert);
    BOOST_TEST(w["agenda"][1]["statement"]["cy"] == "Mae’n hawdd cyrraedd y llyfrgell.");
    BOOST_TEST(w["agenda"][1]["state"] == "open"); // still the open, current one
    BOOST_TEST(w["agenda"][2]["id"] == fresh);
    BOOST_TEST(w["agenda"][2]["state"] == "pending");
    auto alys2 = r.phone(token, pw);
    BOOST_TEST(pw["activity"]["id"] == likert);
    BOOST_TEST(pw["mine"]["value"] == 4); // her answer stayed

    auto check_stored = [&] {
        auto const results = http(r.s.port(), "GET", r.path() + "/results", "", r.fac_token).json();
        BOOST_TEST_REQUIRE(results["activities"].size() == 3u);
        BOOST_TEST(results["activities"][1]["activity"]["id"] == likert);
        BOOST_TEST(results["activities"][1]["summary"]["n"] == 1);
        BOOST_TEST(results["activities"][2]["summary"]["n"] == 0);
        auto const file = r.file();
        BOOST_TEST(file["activities"][1]["statement"]["cy"] == "Mae’n hawdd cyrraedd y llyfrgell.");
        BOOST_TEST(file["activities"][2]["id"] == fresh);
        BOOST_TEST(file["activities"][2]["scale"] == 7);
        BOOST_TEST(file["answered"] == json::array({likert}));
    };
    check_stored();
    // Audited once, by the account, with the new title.
    auto const audit =
        http(r.s.port(), "GET", "/api/audit?action=workshop_edited", "", admin_token).json();
    BOOST_TEST_REQUIRE(audit["entries"].size() == 1u);
    BOOST_TEST(audit["entries"][0]["actor"] == "Ceri");
    BOOST_TEST(audit["entries"][0]["workshop"] == r.id);
    BOOST_TEST(audit["entries"][0]["detail"] == "Library services (pilot)");

    fac2.close();
    alys2.close();
    r.s.restart();
    r.ceri = login(r.s, "Ceri"); // sessions survive, but the port changed: sign in again
    check_stored();
    // The new statement takes answers like any other.
    auto fac3 = r.console();
    BOOST_TEST(r.send(fac3, {{"type", "activity.open"}, {"activity", fresh}})["type"] == "ack");
    auto alys3 = r.phone(token, pw);
    BOOST_TEST(r.send(alys3, {{"type", "vote"}, {"activity", fresh}, {"value", 7}})["type"] ==
               "ack");
}

BOOST_AUTO_TEST_CASE(
    answered_activities_keep_their_kind_and_scale_and_a_refused_edit_changes_nothing) {
    rig r;
    r.answer_the_statement();
    auto const original = r.file();
    BOOST_TEST(original["answered"] == json::array({original["activities"][0]["id"]}));
    auto const base = r.editable();

    auto refused = [&](json const& f, unsigned status, std::string const& problem,
                       std::string const& path) {
        auto const res = r.put(f);
        BOOST_TEST(res.status == status, res.body);
        auto const e = res.json()["error"];
        BOOST_TEST(e.value("problem", "") == problem, res.body);
        BOOST_TEST(e["path"] == path, res.body);
    };
    auto f = base;
    f["activities"][0]["scale"] = 7;
    refused(f, 409, "answered_scale", "$.activities[0]");
    f = base;
    f["activities"][0] = {{"id", base["activities"][0]["id"]},
                          {"kind", "open_text"},
                          {"question", {{"en", "Why?"}, {"cy", "Pam?"}}}};
    refused(f, 409, "answered_kind", "$.activities[0].kind");
    f = base;
    f["activities"].erase(0);
    refused(f, 409, "answered_removed", "$.activities");
    f = base;
    f["groups"].erase(0); // Alys chose "staff"
    refused(f, 409, "group_in_use", "$.groups");
    f = base;
    f["activities"][1]["id"] = "a_notinthisone";
    refused(f, 400, "unknown_activity", "$.activities[1].id");
    f = base;
    f["activities"][2]["id"] = base["activities"][1]["id"];
    refused(f, 400, "repeated_activity", "$.activities[2].id");
    f = base;
    f["activities"][0]["statement"].erase("en");         // the first language is required
    refused(f, 400, "", "$.activities[0].statement.en"); // the file's own rules

    // Who may: the owner (above); not without a sign-in, not the workshop's link, not a
    // reviewer, not another facilitator it is not shared with, not without the CSRF token.
    add_user(r.s, "Rhian", "reviewer");
    add_user(r.s, "Dafydd", "facilitator");
    auto const body = base.dump();
    BOOST_TEST(http(r.s.port(), "PUT", r.path(), body).status == 401);
    BOOST_TEST(http(r.s.port(), "PUT", r.path(), body, r.fac_token).status == 403);
    BOOST_TEST(http_with(r.s.port(), "PUT", r.path(), body, login(r.s, "Rhian").write()).status ==
               403);
    BOOST_TEST(http_with(r.s.port(), "PUT", r.path(), body, login(r.s, "Dafydd").write()).status ==
               403);
    BOOST_TEST(http_with(r.s.port(), "PUT", r.path(), body, r.ceri.read()).status == 403);
    BOOST_TEST(http_with(r.s.port(), "PUT", "/api/workshops/w_none", body, r.ceri.write()).status ==
               404);

    // Nothing of it was applied or audited.
    BOOST_TEST(r.file() == original);
    BOOST_TEST(r.audited_edits() == 0u);

    // Unanswered activities change kind and scale freely; labels of answered ones too.
    f = base;
    f["activities"][0]["statement"]["en"] = "The library is easy to get to.";
    f["activities"][1]["options"][1]["label"]["en"] = "Wireless";
    f["activities"][2] = {
        {"id", base["activities"][2]["id"]},
        {"kind", "likert"},
        {"statement",
         {{"en", "Opening hours suit me."}, {"cy", "Mae'r oriau agor yn gyfleus i mi."}}},
        {"scale", 7}};
    auto const ok = r.put(f);
    BOOST_TEST_REQUIRE(ok.status == 200, ok.body);
    auto const now = r.file();
    BOOST_TEST(now["activities"][2]["kind"] == "likert");
    BOOST_TEST(now["activities"][2]["id"] == base["activities"][2]["id"]);
    BOOST_TEST(now["activities"][1]["options"][1]["label"]["en"] == "Wireless");
    BOOST_TEST(r.audited_edits() == 1u);
    // The admin token (scripts) edits too.
    BOOST_TEST(http(r.s.port(), "PUT", r.path(), now.dump(), admin_token).status ==
               400); // "answered"
    auto again = now;
    again.erase("answered");
    BOOST_TEST(http(r.s.port(), "PUT", r.path(), again.dump(), admin_token).status == 200);
}

BOOST_AUTO_TEST_CASE(staff_end_and_archive_a_workshop_from_the_list) {
    rig r;
    add_user(r.s, "Rhian", "reviewer");
    auto live = http_with(r.s.port(), "POST", "/api/workshops", first_file.dump(), r.ceri.write());
    BOOST_TEST_REQUIRE(live.status == 201);
    auto const still_live = live.json()["id"].get<std::string>();
    json w;
    auto fac = r.console(&w);
    BOOST_TEST(w["workshop"]["state"] == "live");

    auto post = [&](std::string const& what, cylch::test::header_list const& who,
                    std::string const& id) {
        return http_with(r.s.port(), "POST", "/api/workshops/" + id + "/" + what, "", who).status;
    };
    auto const rhian = login(r.s, "Rhian");
    BOOST_TEST(post("end", rhian.write(), r.id) == 403);      // reviewers change nothing
    BOOST_TEST(post("archive", r.ceri.write(), r.id) == 409); // live: end it first
    BOOST_TEST(post("end", r.ceri.write(), r.id) == 204);
    // The console hears it at once, as when it ends the workshop itself.
    BOOST_TEST(fac.expect("workshop")["state"] == "ended");
    BOOST_TEST(post("end", r.ceri.write(), r.id) == 409); // already ended
    auto const ended = http(r.s.port(), "GET", "/api/audit?action=workshop_ended", "", admin_token);
    BOOST_TEST_REQUIRE(ended.json()["entries"].size() == 1u);
    BOOST_TEST(ended.json()["entries"][0]["actor"] == "Ceri");

    auto listed = [&](std::string const& id) {
        auto const list =
            http_with(r.s.port(), "GET", "/api/workshops", "", r.ceri.read()).json(); // kept
        for (auto const& x : list["workshops"]) {
            if (x["id"] == id) {
                return x;
            }
        }
        BOOST_FAIL("not listed: " + id);
        return json();
    };
    BOOST_TEST(listed(r.id)["archived_at"].is_null());
    BOOST_TEST(post("archive", rhian.write(), r.id) == 403);
    BOOST_TEST(post("archive", r.ceri.read(), r.id) == 403); // no CSRF token
    BOOST_TEST(post("archive", r.ceri.write(), still_live) == 409);
    BOOST_TEST(post("archive", r.ceri.write(), r.id) == 204);
    BOOST_TEST(listed(r.id)["archived_at"].is_number());
    BOOST_TEST(listed(still_live)["archived_at"].is_null());
    // Kept through a restart, and taken out again.
    r.s.restart();
    r.ceri = login(r.s, "Ceri");
    BOOST_TEST(listed(r.id)["archived_at"].is_number());
    BOOST_TEST(post("unarchive", r.ceri.write(), r.id) == 204);
    BOOST_TEST(listed(r.id)["archived_at"].is_null());
    auto const audit =
        http(r.s.port(), "GET", "/api/audit?workshop=" + r.id, "", admin_token).json();
    std::vector<std::string> actions;
    for (auto const& e : audit["entries"]) {
        actions.push_back(e["action"]);
    }
    BOOST_TEST(actions[0] == "workshop_unarchived");
    BOOST_TEST(actions[1] == "workshop_archived");
    BOOST_TEST(actions[2] == "workshop_ended");
}

BOOST_AUTO_TEST_SUITE_END()
