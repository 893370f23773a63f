// Staff accounts over HTTP: sign-in, the session cookie, CSRF, roles (admin, facilitator,
// reviewer), workshop ownership and sharing, throttling, expiry, and the `user` command.
#include "tests/support/child_process.hpp"
#include "tests/support/staff_session.hpp"
#include "tests/support/test_server.hpp"

#include <boost/test/unit_test.hpp>

#include <fstream>
#include <thread>

using cylch::test::add_user;
using cylch::test::admin_token;
using cylch::test::http;
using cylch::test::http_result;
using cylch::test::http_with;
using cylch::test::login;
using cylch::test::signed_in;
using cylch::test::test_server;
using cylch::test::try_login;
using cylch::test::ws_client;
using nlohmann::json;

namespace {

std::vector<std::string> listed_ids(http_result const& r) {
    std::vector<std::string> ids;
    auto const j = r.json();
    for (auto const& w : j["workshops"]) {
        ids.push_back(w["id"]);
    }
    return ids;
}

bool contains(std::vector<std::string> const& v, std::string const& x) {
    return std::find(v.begin(), v.end(), x) != v.end();
}

} // namespace

BOOST_AUTO_TEST_SUITE(accounts)

BOOST_AUTO_TEST_CASE(sign_in_gives_an_http_only_strict_cookie_and_sign_out_ends_it) {
    test_server s(false);
    add_user(s, "Ceri", "facilitator");

    auto wrong = try_login(s, "Ceri", "not the password");
    BOOST_TEST(wrong.status == 401);
    BOOST_TEST(wrong.json()["error"]["code"] == "not_allowed");
    BOOST_TEST(wrong.header("Set-Cookie").empty());
    BOOST_TEST(try_login(s, "nobody").status == 401); // the same answer for unknown names
    BOOST_TEST(http(s.port(), "POST", "/api/login", R"({"name":"Ceri"})").status == 400);

    auto me = login(s, "ceri"); // names are not case-sensitive
    BOOST_TEST(me.set_cookie.find("HttpOnly") != std::string::npos);
    BOOST_TEST(me.set_cookie.find("SameSite=Strict") != std::string::npos);
    BOOST_TEST(me.set_cookie.find("Path=/") != std::string::npos);
    BOOST_TEST(me.set_cookie.find("Secure") == std::string::npos); // plain HTTP here
    auto who = http_with(s.port(), "GET", "/api/me", "", me.read());
    BOOST_TEST_REQUIRE(who.status == 200);
    BOOST_TEST(who.json()["name"] == "Ceri");
    BOOST_TEST(who.json()["role"] == "facilitator");
    BOOST_TEST(who.json()["csrf"] == me.csrf);
    BOOST_TEST(who.header("Cache-Control") == "no-store");
    BOOST_TEST(http(s.port(), "GET", "/api/me").status == 401);

    // Sign-out needs the CSRF token too, then the cookie opens nothing.
    BOOST_TEST(http_with(s.port(), "POST", "/api/logout", "", me.read()).status == 403);
    BOOST_TEST(http_with(s.port(), "GET", "/api/me", "", me.read()).status == 200);
    auto out = http_with(s.port(), "POST", "/api/logout", "", me.write());
    BOOST_TEST(out.status == 204);
    BOOST_TEST(out.header("Set-Cookie").find("Max-Age=0") != std::string::npos);
    BOOST_TEST(http_with(s.port(), "GET", "/api/me", "", me.read()).status == 401);
    BOOST_TEST(http_with(s.port(), "GET", "/api/workshops", "", me.read()).status == 401);
}

BOOST_AUTO_TEST_CASE(secure_cookies_when_the_public_url_is_https) {
    test_server s(false, [](cylch::server_config& c) { c.public_url = "https://cylch.example"; });
    add_user(s, "Ceri", "facilitator");
    BOOST_TEST(login(s, "Ceri").set_cookie.find("; Secure") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(facilitators_own_what_they_make_and_share_it_reviewers_only_read) {
    test_server s(true); // the demo workshop, made with the admin token: owned by no one
    add_user(s, "Ceri", "facilitator");
    add_user(s, "Dafydd", "facilitator");
    add_user(s, "Rhian", "reviewer");
    add_user(s, "Alun", "admin");
    auto ceri = login(s, "Ceri");
    auto dafydd = login(s, "Dafydd");
    auto rhian = login(s, "Rhian");
    auto alun = login(s, "Alun");
    auto file = cylch::test::read_text_file(cylch::test::template_path());

    // A cookie alone does not write: CSRF.
    auto no_csrf = http_with(s.port(), "POST", "/api/workshops", file, ceri.read());
    BOOST_TEST(no_csrf.status == 403);
    BOOST_TEST(no_csrf.json()["error"]["message"].get<std::string>().find("X-CSRF-Token") !=
               std::string::npos);
    auto wrong_csrf = ceri.write();
    wrong_csrf[1].second = dafydd.csrf;
    BOOST_TEST(http_with(s.port(), "POST", "/api/workshops", file, wrong_csrf).status == 403);
    auto before = http(s.port(), "GET", "/api/workshops", "", admin_token);
    BOOST_TEST_REQUIRE(before.status == 200);
    BOOST_TEST(before.json()["workshops"].size() == 1u); // nothing was made by the refusals

    auto made = http_with(s.port(), "POST", "/api/workshops", file, ceri.write());
    BOOST_TEST_REQUIRE(made.status == 201, made.body);
    std::string const id = made.json()["id"];

    // Ceri sees hers (as owner); Dafydd sees nothing and may not read it.
    auto ceri_list = http_with(s.port(), "GET", "/api/workshops", "", ceri.read());
    BOOST_TEST_REQUIRE(ceri_list.status == 200);
    BOOST_TEST(listed_ids(ceri_list) == std::vector<std::string>{id}, ceri_list.body);
    auto const ceri_json = ceri_list.json();
    auto const& mine = ceri_json["workshops"][0];
    BOOST_TEST(mine["access"] == "owner");
    BOOST_TEST(mine["owner"] == "Ceri");
    BOOST_TEST(mine["state"] == "live");
    BOOST_TEST(mine["participants"] == 0);
    BOOST_TEST(mine["title"]["en"].get<std::string>().size() > 0u);
    BOOST_TEST(http_with(s.port(), "GET", "/api/workshops", "", dafydd.read())
                   .json()["workshops"]
                   .empty());
    BOOST_TEST(
        http_with(s.port(), "GET", "/api/workshops/" + id + "/results", "", dafydd.read()).status ==
        403);
    BOOST_TEST(
        http_with(s.port(), "GET", "/api/workshops/" + id + "/results", "", ceri.read()).status ==
        200);

    // Only the owner (or an admin) shares; then Dafydd reads it, as shared.
    BOOST_TEST(http_with(s.port(), "POST", "/api/workshops/" + id + "/share",
                         R"({"user":"Dafydd"})", dafydd.write())
                   .status == 403);
    BOOST_TEST(http_with(s.port(), "POST", "/api/workshops/" + id + "/share", R"({"user":"Rhian"})",
                         ceri.write())
                   .status == 404); // reviewers read everything already; only facilitators
    auto shared = http_with(s.port(), "POST", "/api/workshops/" + id + "/share",
                            R"({"user":"dafydd"})", ceri.write());
    BOOST_TEST_REQUIRE(shared.status == 200, shared.body);
    auto dafydd_list = http_with(s.port(), "GET", "/api/workshops", "", dafydd.read());
    BOOST_TEST(listed_ids(dafydd_list) == std::vector<std::string>{id});
    BOOST_TEST(dafydd_list.json()["workshops"][0]["access"].get<std::string>() == "shared");
    auto csv =
        http_with(s.port(), "GET", "/api/workshops/" + id + "/export.csv", "", dafydd.read());
    BOOST_TEST(csv.status == 200);
    BOOST_TEST(csv.content_type.starts_with("text/csv"));

    // The reviewer reads every workshop and changes nothing.
    auto all = http_with(s.port(), "GET", "/api/workshops", "", rhian.read());
    BOOST_TEST(all.json()["workshops"].size() == 2u);
    BOOST_TEST(contains(listed_ids(all), id));
    BOOST_TEST(contains(listed_ids(all), s.demo.id));
    BOOST_TEST(
        http_with(s.port(), "GET", "/api/workshops/" + s.demo.id + "/results", "", rhian.read())
            .status == 200);
    auto reviewer_writes = http_with(s.port(), "POST", "/api/workshops", file, rhian.write());
    BOOST_TEST(reviewer_writes.status == 403);
    BOOST_TEST(http_with(s.port(), "POST", "/api/users",
                         R"({"name":"x","role":"admin","password":"0123456789ab"})", rhian.write())
                   .status == 403);
    BOOST_TEST(http_with(s.port(), "GET", "/api/users", "", rhian.read()).status == 403);
    BOOST_TEST(
        http_with(s.port(), "GET", "/api/workshops", "", rhian.read()).json()["workshops"].size() ==
        2u); // still two: the refused create made nothing

    // A copy: without answers, owned by whoever copied it; not for reviewers or outsiders.
    ws_client phone(s.port());
    phone.send(
        json{{"type", "hello"}, {"v", 1}, {"role", "participant"}, {"code", made.json()["code"]}});
    phone.expect("welcome");
    phone.send(json{{"type", "profile"}, {"op", cylch::test::new_op()}, {"consent", true}});
    phone.expect("ack");
    BOOST_TEST(http_with(s.port(), "POST", "/api/workshops/" + id + "/duplicate", "", rhian.write())
                   .status == 403);
    add_user(s, "Eirlys", "facilitator");
    auto eirlys = login(s, "Eirlys");
    BOOST_TEST(
        http_with(s.port(), "POST", "/api/workshops/" + id + "/duplicate", "", eirlys.write())
            .status == 403);
    auto copy =
        http_with(s.port(), "POST", "/api/workshops/" + id + "/duplicate", "", dafydd.write());
    BOOST_TEST_REQUIRE(copy.status == 201, copy.body);
    std::string const copy_id = copy.json()["id"];
    BOOST_TEST(copy_id != id);
    BOOST_TEST(copy.json()["code"] != made.json()["code"]);
    auto after_copy = http_with(s.port(), "GET", "/api/workshops", "", dafydd.read()).json();
    bool found = false;
    for (auto const& w : after_copy["workshops"]) {
        if (w["id"] == copy_id) {
            found = true;
            BOOST_TEST(w["access"].get<std::string>() == "owner");
            BOOST_TEST(w["participants"].get<int>() == 0);
            BOOST_TEST(w["title"] == mine["title"]);
        } else if (w["id"] == id) {
            BOOST_TEST(w["participants"].get<int>() == 1);
        }
    }
    BOOST_TEST(found);

    // The admin sees and manages everything.
    BOOST_TEST(
        http_with(s.port(), "GET", "/api/workshops", "", alun.read()).json()["workshops"].size() ==
        3u);
    auto users = http_with(s.port(), "GET", "/api/users", "", alun.read());
    BOOST_TEST_REQUIRE(users.status == 200);
    BOOST_TEST(users.json()["users"].size() == 5u);
    auto const user_list = users.json()["users"];
    for (auto const& u : user_list) {
        BOOST_TEST(!u.contains("password_hash"));
    }
}

// A staff hello with a link token or without one (from a browser with this cookie; none: no
// Cookie header): the workshop's answer, a welcome or an error.
json hello_answer(test_server& s, std::string const& id, std::string const& role,
                  std::optional<std::string> token, std::optional<std::string> cookie) {
    cylch::test::connect_options o;
    o.cookie = std::move(cookie);
    ws_client c(s.port(), o);
    json hello{{"type", "hello"}, {"v", 1}, {"role", role}, {"workshop", id}};
    if (token) {
        hello["token"] = *token;
    }
    c.send(hello);
    for (;;) {
        auto f = c.read();
        BOOST_TEST_REQUIRE(f.has_value(), "no answer to the hello");
        if ((*f)["type"] == "welcome" || (*f)["type"] == "error") {
            return *f;
        }
    }
}

json staff_hello(test_server& s, std::string const& id, std::string const& role,
                 std::optional<std::string> cookie) {
    return hello_answer(s, id, role, std::nullopt, std::move(cookie));
}

json link_hello(test_server& s, std::string const& id, std::string const& role,
                std::string const& token) {
    return hello_answer(s, id, role, token, std::nullopt);
}

BOOST_AUTO_TEST_CASE(signed_in_staff_open_the_console_and_screen_without_a_link) {
    test_server s(true);
    add_user(s, "Ceri", "facilitator");
    add_user(s, "Dafydd", "facilitator");
    add_user(s, "Rhian", "reviewer");
    add_user(s, "Alun", "admin");
    auto ceri = login(s, "Ceri");
    auto made = http_with(s.port(), "POST", "/api/workshops",
                          cylch::test::read_text_file(cylch::test::template_path()), ceri.write());
    BOOST_TEST_REQUIRE(made.status == 201, made.body);
    std::string const id = made.json()["id"];

    // The owner runs it from the staff list: a console without the facilitator link.
    auto const owner = staff_hello(s, id, "facilitator", ceri.cookie);
    BOOST_TEST(owner["type"] == "welcome", owner.dump());
    BOOST_TEST(owner["you"]["role"] == "facilitator");
    BOOST_TEST(owner["agenda"].size() > 0u); // the staff view of the workshop
    BOOST_TEST(!owner["you"].contains("presenter_token"));
    BOOST_TEST(staff_hello(s, id, "presenter", ceri.cookie)["type"] == "welcome");

    // An admin may; another facilitator may not until it is shared; a reviewer looks only.
    BOOST_TEST(staff_hello(s, id, "facilitator", login(s, "Alun").cookie)["type"] == "welcome");
    auto dafydd = login(s, "Dafydd");
    auto const refused = staff_hello(s, id, "facilitator", dafydd.cookie);
    BOOST_TEST(refused["type"] == "error");
    BOOST_TEST(refused["code"] == "not_allowed");
    BOOST_TEST(http_with(s.port(), "POST", "/api/workshops/" + id + "/share",
                         json{{"user", "Dafydd"}}.dump(), ceri.write())
                   .status == 200);
    BOOST_TEST(staff_hello(s, id, "facilitator", dafydd.cookie)["type"] == "welcome");
    auto rhian = login(s, "Rhian");
    BOOST_TEST(staff_hello(s, id, "facilitator", rhian.cookie)["code"] == "not_allowed");
    BOOST_TEST(staff_hello(s, id, "presenter", rhian.cookie)["type"] == "welcome");

    // No sign-in, a made-up one, or one that has ended: refused.
    BOOST_TEST(staff_hello(s, id, "facilitator", std::nullopt)["code"] == "not_allowed");
    BOOST_TEST(staff_hello(s, id, "presenter", "cylch_session=made-up-0123456789")["code"] ==
               "not_allowed");
    BOOST_TEST(http_with(s.port(), "POST", "/api/logout", "", ceri.write()).status == 204);
    BOOST_TEST(staff_hello(s, id, "facilitator", ceri.cookie)["code"] == "not_allowed");
    // The links keep working for everyone who has them.
    ws_client link(s.port());
    link.send(json{{"type", "hello"},
                   {"v", 1},
                   {"role", "facilitator"},
                   {"workshop", id},
                   {"token", made.json()["facilitator_token"]}});
    BOOST_TEST(link.expect("welcome")["you"]["role"] == "facilitator");
}

// A lost or leaked console link: its owner makes new links; the old ones stop working at once
// (the connections they opened are closed) and after a restart; sign-ins and participants
// are not affected; the change is audited.
BOOST_AUTO_TEST_CASE(new_links_replace_the_old_ones) {
    test_server s(false);
    add_user(s, "Ceri", "facilitator");
    add_user(s, "Dafydd", "facilitator");
    add_user(s, "Rhian", "reviewer");
    auto ceri = login(s, "Ceri");
    auto made = http_with(s.port(), "POST", "/api/workshops",
                          cylch::test::read_text_file(cylch::test::template_path()), ceri.write());
    BOOST_TEST_REQUIRE(made.status == 201, made.body);
    auto const old = made.json();
    std::string const id = old["id"];
    std::string const path = "/api/workshops/" + id + "/links";

    ws_client console(s.port());
    console.send(json{{"type", "hello"},
                      {"v", 1},
                      {"role", "facilitator"},
                      {"workshop", id},
                      {"token", old["facilitator_token"]}});
    console.expect("welcome");
    ws_client phone(s.port());
    phone.send(json{{"type", "hello"}, {"v", 1}, {"role", "participant"}, {"code", old["code"]}});
    phone.expect("welcome");

    // Not a reviewer, not another facilitator, not without the CSRF token, not by GET.
    BOOST_TEST(http_with(s.port(), "POST", path, "", login(s, "Rhian").write()).status == 403);
    BOOST_TEST(http_with(s.port(), "POST", path, "", login(s, "Dafydd").write()).status == 403);
    BOOST_TEST(http_with(s.port(), "POST", path, "", ceri.read()).status == 403);
    BOOST_TEST(http_with(s.port(), "GET", path, "", ceri.read()).status == 405);
    BOOST_TEST(link_hello(s, id, "facilitator", old["facilitator_token"])["type"] == "welcome");

    auto rotated = http_with(s.port(), "POST", path, "", ceri.write());
    BOOST_TEST_REQUIRE(rotated.status == 200, rotated.body);
    auto const fresh = rotated.json();
    BOOST_TEST(fresh["id"] == id);
    BOOST_TEST(fresh["code"] == old["code"]); // participants keep the join code
    BOOST_TEST(fresh["facilitator_token"] != old["facilitator_token"]);
    BOOST_TEST(fresh["presenter_token"] != old["presenter_token"]);

    // The console opened by the old link is sent away; the phone stays.
    BOOST_TEST(console.wait_closed() == 1001);
    auto const op = cylch::test::new_op();
    phone.send(json{{"type", "profile"}, {"op", op}, {"consent", true}, {"group", "enabler"}});
    BOOST_TEST(phone.reply_to(op)["type"] == "ack");

    auto check = [&] {
        for (auto const* role : {"facilitator", "presenter"}) {
            std::string const key = std::string(role) + "_token";
            BOOST_TEST_CONTEXT(role) {
                BOOST_TEST(link_hello(s, id, role, old[key])["code"] == "not_allowed");
                BOOST_TEST(link_hello(s, id, role, fresh[key])["type"] == "welcome");
            }
        }
        BOOST_TEST(link_hello(s, id, "facilitator",
                              fresh["facilitator_token"])["you"]["presenter_token"] ==
                   fresh["presenter_token"]);
        auto const results = "/api/workshops/" + id + "/results";
        BOOST_TEST(http(s.port(), "GET", results, "", old["facilitator_token"]).status == 403);
        BOOST_TEST(http(s.port(), "GET", results, "", fresh["facilitator_token"]).status == 200);
    };
    check();
    BOOST_TEST(staff_hello(s, id, "facilitator", ceri.cookie)["type"] == "welcome");

    auto const audit = http(s.port(), "GET", "/api/audit?action=links_rotated", "", admin_token);
    BOOST_TEST_REQUIRE(audit.status == 200, audit.body);
    auto const entries = audit.json()["entries"];
    BOOST_TEST_REQUIRE(entries.size() == 1u, audit.body);
    BOOST_TEST(entries[0]["actor"] == "Ceri");
    BOOST_TEST(entries[0]["workshop"] == id);
    BOOST_TEST(audit.body.find(fresh["facilitator_token"].get<std::string>()) == std::string::npos);

    // The new links are stored: after a restart the same holds.
    s.restart();
    check();
}

BOOST_AUTO_TEST_CASE(the_owner_or_an_admin_deletes_an_ended_workshop_not_a_sharer) {
    test_server s(false);
    add_user(s, "Ceri", "facilitator");
    add_user(s, "Dafydd", "facilitator");
    add_user(s, "Rhian", "reviewer");
    add_user(s, "Alun", "admin");
    auto ceri = login(s, "Ceri");
    auto const file = cylch::test::read_text_file(cylch::test::template_path());
    auto make = [&] {
        auto made = http_with(s.port(), "POST", "/api/workshops", file, ceri.write());
        BOOST_TEST_REQUIRE(made.status == 201, made.body);
        auto const w = made.json();
        ws_client console(s.port());
        console.send(json{{"type", "hello"},
                          {"v", 1},
                          {"role", "facilitator"},
                          {"workshop", w["id"]},
                          {"token", w["facilitator_token"]}});
        console.expect("welcome");
        auto const op = cylch::test::new_op();
        console.send(json{{"type", "workshop.end"}, {"op", op}});
        BOOST_TEST_REQUIRE(console.reply_to(op)["type"] == "ack");
        return w["id"].get<std::string>();
    };
    auto const mine = make();
    auto const other = make();
    auto const share = http_with(s.port(), "POST", "/api/workshops/" + mine + "/share",
                                 json{{"user", "Dafydd"}}.dump(), ceri.write());
    BOOST_TEST_REQUIRE(share.status == 200, share.body);

    auto const path = "/api/workshops/" + mine;
    BOOST_TEST(http_with(s.port(), "DELETE", path, "", login(s, "Dafydd").write()).status == 403);
    BOOST_TEST(http_with(s.port(), "DELETE", path, "", login(s, "Rhian").write()).status == 403);
    BOOST_TEST(http_with(s.port(), "DELETE", path, "", ceri.read()).status == 403); // no CSRF
    BOOST_TEST(listed_ids(http(s.port(), "GET", "/api/workshops", "", admin_token)).size() == 2u);

    BOOST_TEST(http_with(s.port(), "DELETE", path, "", ceri.write()).status == 204);
    auto const ids = listed_ids(http_with(s.port(), "GET", "/api/workshops", "", ceri.read()));
    BOOST_TEST(!contains(ids, mine));
    BOOST_TEST(contains(ids, other));
    // Neither the owner's sign-in nor the sharer's opens its console any more.
    BOOST_TEST(staff_hello(s, mine, "facilitator", ceri.cookie)["type"] == "error");
    BOOST_TEST(staff_hello(s, other, "facilitator", ceri.cookie)["type"] == "welcome");
    BOOST_TEST(
        listed_ids(http_with(s.port(), "GET", "/api/workshops", "", login(s, "Dafydd").read()))
            .empty());
    // An admin deletes anyone's.
    auto alun = login(s, "Alun");
    BOOST_TEST(http_with(s.port(), "DELETE", "/api/workshops/" + other, "", alun.write()).status ==
               204);
    auto const audit =
        http(s.port(), "GET", "/api/audit?action=workshop_deleted", "", admin_token).json();
    BOOST_TEST_REQUIRE(audit["entries"].size() == 2u);
    BOOST_TEST(audit["entries"][0]["actor"] == "Alun"); // newest first
    BOOST_TEST(audit["entries"][1]["actor"] == "Ceri");
    BOOST_TEST(audit["entries"][1]["workshop"] == mine);
}

BOOST_AUTO_TEST_CASE(no_participant_or_presenter_token_opens_a_staff_page) {
    test_server s(true);
    ws_client p(s.port());
    p.send(json{{"type", "hello"}, {"v", 1}, {"role", "participant"}, {"code", s.demo.code}});
    std::string const token = p.expect("welcome")["you"]["token"];
    for (auto const& bearer : {token, s.demo.presenter_token}) {
        BOOST_TEST(http(s.port(), "GET", "/api/workshops", "", bearer).status == 401);
        BOOST_TEST(http(s.port(), "GET", "/api/users", "", bearer).status == 401);
        BOOST_TEST(http(s.port(), "GET", "/api/me", "", bearer).status == 401);
        BOOST_TEST(
            http(s.port(), "GET", "/api/workshops/" + s.demo.id + "/results", "", bearer).status ==
            403);
        BOOST_TEST(http_with(s.port(), "GET", "/api/workshops", "",
                             {{"Cookie", "cylch_session=" + bearer}})
                       .status == 401);
    }
}

BOOST_AUTO_TEST_CASE(admins_disable_users_and_their_sessions_end_at_once) {
    test_server s(false);
    add_user(s, "Alun", "admin");
    add_user(s, "Ceri", "facilitator");
    auto alun = login(s, "Alun");
    auto ceri = login(s, "Ceri");
    auto users = http_with(s.port(), "GET", "/api/users", "", alun.read()).json()["users"];
    std::string ceri_id, alun_id;
    for (auto const& u : users) {
        (u["name"] == "Ceri" ? ceri_id : alun_id) = u["id"];
    }
    // An admin cannot lock themself out; a missing user is 404; a bad body is 400.
    BOOST_TEST(
        http_with(s.port(), "PUT", "/api/users/" + alun_id, R"({"disabled":true})", alun.write())
            .status == 409);
    BOOST_TEST(
        http_with(s.port(), "PUT", "/api/users/u_nobody", R"({"disabled":true})", alun.write())
            .status == 404);
    BOOST_TEST(
        http_with(s.port(), "PUT", "/api/users/" + ceri_id, R"({"role":"king"})", alun.write())
            .status == 400);
    BOOST_TEST(http_with(s.port(), "GET", "/api/me", "", ceri.read()).status == 200);

    auto off =
        http_with(s.port(), "PUT", "/api/users/" + ceri_id, R"({"disabled":true})", alun.write());
    BOOST_TEST_REQUIRE(off.status == 200, off.body);
    BOOST_TEST(off.json()["disabled"] == true);
    BOOST_TEST(http_with(s.port(), "GET", "/api/me", "", ceri.read()).status == 401);
    BOOST_TEST(try_login(s, "Ceri").status == 401);

    // Names are unique whatever their case.
    auto again =
        http(s.port(), "POST", "/api/users",
             R"({"name":"CERI","role":"reviewer","password":"0123456789ab"})", admin_token);
    BOOST_TEST(again.status == 409);
    BOOST_TEST(http(s.port(), "POST", "/api/users",
                    R"({"name":"short","role":"reviewer","password":"2short"})", admin_token)
                   .status == 400);
}

BOOST_AUTO_TEST_CASE(wrong_passwords_lock_the_account_for_a_while) {
    test_server s(false, [](cylch::server_config& c) { c.failed_burst = 100; });
    add_user(s, "Ceri", "facilitator");
    for (int i = 0; i < 5; ++i) {
        BOOST_TEST(try_login(s, "Ceri", "guess " + std::to_string(i)).status == 401);
    }
    // The right password now waits too: the account, not the guess, is throttled.
    auto locked = try_login(s, "Ceri");
    BOOST_TEST(locked.status == 429);
    BOOST_TEST(locked.json()["error"]["code"] == "rate_limited");
    BOOST_TEST(!locked.header("Retry-After").empty());
}

BOOST_AUTO_TEST_CASE(wrong_passwords_from_one_address_are_throttled) {
    test_server s(false, [](cylch::server_config& c) {
        c.failed_burst = 3;
        c.failed_rate = 0.01;
    });
    for (int i = 0; i < 3; ++i) {
        BOOST_TEST(try_login(s, "user" + std::to_string(i), "guess").status == 401);
    }
    auto r = try_login(s, "user9", "guess");
    BOOST_TEST(r.status == 429);
    BOOST_TEST(r.json()["error"]["code"] == "rate_limited");
}

BOOST_AUTO_TEST_CASE(sessions_survive_a_restart_and_expire) {
    test_server s(false,
                  [](cylch::server_config& c) { c.session_lifetime = std::chrono::seconds(2); });
    add_user(s, "Ceri", "facilitator");
    auto ceri = login(s, "Ceri");
    s.restart();
    BOOST_TEST(http_with(s.port(), "GET", "/api/me", "", ceri.read()).status == 200);
    // Two seconds after the sign-in the session is over.
    while (http_with(s.port(), "GET", "/api/me", "", ceri.read()).status == 200) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    BOOST_TEST(http_with(s.port(), "GET", "/api/me", "", ceri.read()).status == 401);
    auto again = login(s, "Ceri");
    BOOST_TEST(http_with(s.port(), "GET", "/api/me", "", again.read()).status == 200);
}

BOOST_AUTO_TEST_CASE(the_first_admin_comes_from_the_command_line) {
    cylch::test::temp_dir dir;
    auto const db = dir.file("cylch.db");
    auto const pw = dir.file("pw");
    std::ofstream(pw) << "a long enough password\n";
    using cylch::test::child_process;
    {
        // Never as an argument.
        child_process c({CYLCH_SERVER_BINARY, "user", "add", "--db", db, "--role", "admin",
                         "--name", "Alun", "--password", "x"});
        BOOST_TEST(c.wait_exit() == 2);
    }
    {
        child_process c({CYLCH_SERVER_BINARY, "user", "add", "--db", db, "--role", "king", "--name",
                         "Alun", "--password-file", pw});
        BOOST_TEST(c.wait_exit() == 2);
    }
    {
        child_process c({CYLCH_SERVER_BINARY, "user", "add", "--db", db, "--role", "admin",
                         "--name", "Alun", "--password-file", pw});
        BOOST_TEST(c.rest().find("added admin Alun") != std::string::npos);
        BOOST_TEST(c.wait_exit() == 0);
    }
    {
        child_process c({CYLCH_SERVER_BINARY, "user", "add", "--db", db, "--role", "admin",
                         "--name", "alun", "--password-file", pw});
        BOOST_TEST(c.wait_exit() == 1); // taken
    }
    test_server s(false, [&](cylch::server_config& c) { c.db_path = db; });
    auto r = try_login(s, "Alun", "a long enough password");
    BOOST_TEST_REQUIRE(r.status == 200, r.body);
    BOOST_TEST(r.json()["role"] == "admin");
}

BOOST_AUTO_TEST_SUITE_END()
