// Choice, ranking and open-text activities over real WebSockets: who receives what (the
// facilitator, the presenter, phones), acks after commit, a restart that keeps every answer,
// the results API and the CSV, and hostile requests that change nothing.
#include "tests/support/test_server.hpp"

#include <boost/test/unit_test.hpp>

using cylch::test::admin_token;
using cylch::test::http;
using cylch::test::new_op;
using cylch::test::test_server;
using cylch::test::ws_client;
using nlohmann::json;
using namespace std::chrono_literals;

namespace {

constexpr char const* kinds_file = R"json({
  "title": {"en": "Personas", "cy": "Personâu"},
  "min_cell": 1,
  "languages": ["en", "cy"],
  "groups": [{"id": "innovator", "label": {"en": "Innovator"}},
             {"id": "enabler", "label": {"en": "Enabler"}}],
  "activities": [
    {"kind": "choice", "question": {"en": "Which profile?"},
     "options": [{"id": "visionary", "label": {"en": "Visionary", "cy": "Gweledydd"}},
                 {"id": "connector", "label": {"en": "Connector"}}],
     "comment": {"prompt": {"en": "Why?", "cy": "Pam?"}},
     "card": {"title": {"en": "Alys"}, "body": {"en": "Works in a library."}}},
    {"kind": "ranking", "question": {"en": "What first?"}, "results": "on_reveal",
     "items": [{"id": "convene", "label": {"en": "Convening"}},
               {"id": "platform", "label": {"en": "Platform"}},
               {"id": "embed", "label": {"en": "Embedding"}}]},
    {"kind": "open_text", "question": {"en": "What would help?"}}
  ]
})json";

struct rig {
    test_server s{false};
    std::string id, code, fac_token, pres_token;
    json agenda;

    rig() {
        auto made = http(s.port(), "POST", "/api/workshops", kinds_file, admin_token);
        BOOST_TEST_REQUIRE(made.status == 201, made.body);
        id = made.json()["id"];
        code = made.json()["code"];
        fac_token = made.json()["facilitator_token"];
        pres_token = made.json()["presenter_token"];
    }

    ws_client staff(std::string const& role) {
        ws_client c(s.port());
        c.send(json{{"type", "hello"},
                    {"v", 1},
                    {"role", role},
                    {"workshop", id},
                    {"token", role == "facilitator" ? fac_token : pres_token}});
        agenda = c.expect("welcome")["agenda"];
        return c;
    }

    ws_client join(std::string const& group, std::string* token = nullptr,
                   std::optional<std::string> resume = {}) {
        ws_client c(s.port());
        c.send(json{{"type", "hello"},
                    {"v", 1},
                    {"role", "participant"},
                    {"code", code},
                    {"token", resume ? json(*resume) : json(nullptr)}});
        auto w = c.expect("welcome");
        if (token != nullptr) {
            *token = w["you"]["token"];
        }
        if (!resume) {
            auto r = send(c, json{{"type", "profile"}, {"group", group}});
            BOOST_TEST_REQUIRE(r["type"] == "ack", r.dump());
        }
        return c;
    }

    // The welcome of a phone that comes back with its token.
    json resume(std::string const& token) {
        ws_client c(s.port());
        c.send(json{{"type", "hello"},
                    {"v", 1},
                    {"role", "participant"},
                    {"code", code},
                    {"token", token}});
        return c.expect("welcome");
    }

    static json send(ws_client& c, json body) {
        auto op = new_op();
        body["op"] = op;
        c.send(body);
        return c.reply_to(op);
    }

    std::string activity(int i) const { return agenda.at(i)["id"]; }
};

// The next summary of `activity` that satisfies `done`.
json summary_until(ws_client& c, std::string const& activity,
                   std::function<bool(json const&)> const& done) {
    for (int i = 0; i < 50; ++i) {
        auto s = c.expect("summary");
        if (s["activity"] == activity && done(s)) {
            return s;
        }
    }
    BOOST_FAIL("no such summary of " + activity);
    return {};
}

} // namespace

BOOST_AUTO_TEST_SUITE(kinds_flow)

BOOST_AUTO_TEST_CASE(a_choice_with_comments_reaches_each_role_as_it_may_see_it) {
    rig r;
    auto fac = r.staff("facilitator");
    auto pres = r.staff("presenter");
    auto const a = r.activity(0);
    BOOST_TEST(r.agenda.at(0)["kind"] == "choice");
    BOOST_TEST(r.agenda.at(0)["card"]["title"]["en"] == "Alys");
    BOOST_TEST(r.agenda.at(0)["comment"]["prompt"]["cy"] == "Pam?");
    BOOST_TEST(r.agenda.at(0)["options"][0]["label"]["cy"] == "Gweledydd");
    BOOST_TEST_REQUIRE(r.send(fac, {{"type", "activity.open"}, {"activity", a}})["type"] == "ack");
    std::string token;
    auto alys = r.join("innovator", &token);
    auto bryn = r.join("enabler");
    auto ack = r.send(alys, {{"type", "choose"},
                             {"activity", a},
                             {"options", {"visionary"}},
                             {"comment", "I like big ideas"}});
    BOOST_TEST_REQUIRE(ack["type"] == "ack", ack.dump());
    BOOST_TEST(
        r.send(bryn, {{"type", "choose"}, {"activity", a}, {"options", {"connector"}}})["type"] ==
        "ack");
    auto const f = summary_until(fac, a, [](json const& s) { return s["n"] == 2; });
    BOOST_TEST(f["counts"] == json::parse(R"({"visionary":1,"connector":1})"));
    BOOST_TEST(f["comments"][0]["text"] == "I like big ideas");
    BOOST_TEST(f["comments"][0]["group"] == "innovator");
    auto const p = summary_until(pres, a, [](json const& s) { return s["n"] == 2; });
    BOOST_TEST(p["by_group"]["enabler"]["counts"]["connector"] == 1);
    BOOST_TEST(!p.contains("comments"));
    auto const phone = summary_until(bryn, a, [](json const& s) { return s["n"] == 2; });
    BOOST_TEST(phone["share_pct"]["visionary"].get<double>() == 50.0);
    BOOST_TEST(!phone.contains("by_group"));
    BOOST_TEST(phone.dump().find("big ideas") == std::string::npos);
    // The comment never reached the presenter or another phone in any frame.
    for (auto* c : {&pres, &bryn}) {
        for (auto const& frame : c->mailbox()) {
            BOOST_TEST(frame.dump().find("big ideas") == std::string::npos);
        }
    }
    // Resuming, Alys gets her answer and comment back.
    auto const w = r.resume(token);
    BOOST_TEST(w["mine"] ==
               json::parse(R"({"options":["visionary"],"comment":"I like big ideas"})"));
}

BOOST_AUTO_TEST_CASE(hostile_requests_change_nothing) {
    rig r;
    auto fac = r.staff("facilitator");
    auto const a = r.activity(0);
    r.send(fac, {{"type", "activity.open"}, {"activity", a}});
    auto p = r.join("innovator");
    auto const refused = [&](json body, std::string const& code) {
        auto reply = r.send(p, std::move(body));
        BOOST_TEST(reply["type"] == "error", reply.dump());
        BOOST_TEST(reply["code"] == code, reply.dump());
    };
    refused({{"type", "choose"}, {"activity", a}, {"options", json::array()}}, "bad_request");
    refused({{"type", "choose"}, {"activity", a}, {"options", {"visionary", "connector"}}},
            "bad_request");
    refused({{"type", "choose"}, {"activity", a}, {"options", {1}}}, "bad_request");
    refused({{"type", "choose"}, {"activity", a}, {"options", {"x y"}}}, "bad_request");
    refused({{"type", "choose"},
             {"activity", a},
             {"options", {"visionary"}},
             {"comment", std::string(501, 'a')}},
            "bad_request");
    refused({{"type", "choose"},
             {"activity", a},
             {"options", {"visionary"}},
             {"comment", "<script>x</script>"}},
            "bad_request");
    refused({{"type", "rank"}, {"activity", a}, {"order", {"visionary", "connector"}}},
            "bad_request");
    refused({{"type", "answer"}, {"activity", r.activity(2)}, {"text", "  "}}, "bad_request");
    refused({{"type", "answer"}, {"activity", r.activity(2)}, {"text", "early"}}, "closed");
    refused({{"type", "answer.show"}, {"answer", "t_x"}}, "not_allowed");
    auto const results =
        http(r.s.port(), "GET", "/api/workshops/" + r.id + "/results", "", r.fac_token);
    BOOST_TEST_REQUIRE(results.status == 200);
    auto const all = results.json(); // kept: a range-for over a temporary's member dangles
    for (auto const& act : all["activities"]) {
        BOOST_TEST(act["summary"]["n"] == 0, act.dump());
    }
}

BOOST_AUTO_TEST_CASE(ranking_and_open_text_survive_a_restart_with_results_and_csv) {
    rig r;
    auto fac = r.staff("facilitator");
    auto const rank_id = r.activity(1);
    auto const text_id = r.activity(2);
    r.send(fac, {{"type", "activity.open"}, {"activity", rank_id}});
    std::string token;
    auto alys = r.join("innovator", &token);
    auto bryn = r.join("enabler");
    BOOST_TEST(r.send(alys, {{"type", "rank"},
                             {"activity", rank_id},
                             {"order", {"embed", "convene", "platform"}}})["type"] == "ack");
    BOOST_TEST(r.send(bryn, {{"type", "rank"},
                             {"activity", rank_id},
                             {"order", {"convene", "embed", "platform"}}})["type"] == "ack");
    // on_reveal: phones get n only until the reveal.
    auto const hidden = summary_until(bryn, rank_id, [](json const& s) { return s["n"] == 2; });
    BOOST_TEST(!hidden.contains("mean_rank"));
    r.send(fac, {{"type", "activity.open"}, {"activity", text_id}});
    BOOST_TEST(r.send(alys, {{"type", "answer"},
                             {"activity", text_id},
                             {"text", "Case studies"}})["type"] == "ack");
    BOOST_TEST(r.send(bryn, {{"type", "answer"},
                             {"activity", text_id},
                             {"text", "Shorter cards"}})["type"] == "ack");
    auto const f = summary_until(fac, text_id, [](json const& s) { return s["n"] == 2; });
    // Alys's answer, found by its text: two answers stored in the same millisecond are listed
    // in an order of their ids, not of arrival.
    std::string shown_id;
    for (auto const& a : f["answers"]) {
        if (a["text"] == "Case studies") {
            shown_id = a["id"];
        }
    }
    BOOST_TEST_REQUIRE(!shown_id.empty(), f.dump());
    BOOST_TEST(r.send(fac, {{"type", "answer.show"}, {"answer", shown_id}})["type"] == "ack");
    auto const on_phone =
        summary_until(bryn, text_id, [](json const& s) { return s["shown"].size() == 1; });
    BOOST_TEST(on_phone["shown"][0]["text"] == "Case studies");
    BOOST_TEST(!on_phone.contains("answers"));

    r.s.restart();
    auto fac2 = r.staff("facilitator");
    auto const again = summary_until(fac2, text_id, [](json const&) { return true; });
    BOOST_TEST(again["n"] == 2);
    BOOST_TEST(again["shown"][0]["text"] == "Case studies");
    auto const results =
        http(r.s.port(), "GET", "/api/workshops/" + r.id + "/results", "", r.fac_token);
    BOOST_TEST_REQUIRE(results.status == 200);
    auto const ranking = results.json()["activities"][1]["summary"];
    BOOST_TEST(ranking["kind"] == "ranking");
    BOOST_TEST(ranking["mean_rank"] ==
               json::parse(R"({"convene":1.5,"platform":3.0,"embed":1.5})"));
    BOOST_TEST(ranking["borda"] == json::parse(R"({"convene":3,"platform":0,"embed":3})"));
    auto const csv =
        http(r.s.port(), "GET", "/api/workshops/" + r.id + "/export.csv", "", r.fac_token);
    BOOST_TEST_REQUIRE(csv.status == 200);
    BOOST_TEST(csv.body.find("embed|convene|platform,Embedding|Convening|Platform") !=
               std::string::npos);
    BOOST_TEST(csv.body.find(",Shorter cards,") != std::string::npos);
    // The JSON download holds the same rows with the same fields as the CSV.
    auto const dl =
        http(r.s.port(), "GET", "/api/workshops/" + r.id + "/export.json", "", r.fac_token);
    BOOST_TEST_REQUIRE(dl.status == 200);
    auto const rows = nlohmann::ordered_json::parse(dl.body)["responses"]; // keys in order
    auto const csv_rows = static_cast<std::size_t>(
        std::count(csv.body.begin(), csv.body.end(), '\n') - 1); // less the header
    BOOST_TEST(rows.size() == csv_rows);
    std::string header;
    for (auto const& [key, value] : rows.at(0).items()) {
        header += (header.empty() ? "" : ",") + key;
    }
    BOOST_TEST(csv.body.starts_with(header + "\r\n"), header);
    bool ranked = false;
    for (auto const& row : rows) {
        ranked = ranked || (row["value"] == "embed|convene|platform" &&
                            row["label"] == "Embedding|Convening|Platform" &&
                            row["activity_position"] == 2 && row["respondent"].is_string());
    }
    BOOST_TEST(ranked, rows.dump());
    // The resumed phone still has its open-text answer to edit.
    BOOST_TEST(r.resume(token)["mine"] == json::parse(R"({"text":"Case studies"})"));
}

// A card's picture: uploaded once (by content), refused when it is not an image, referred to by
// a workshop file, served with long caching, and still there after a restart.
BOOST_AUTO_TEST_CASE(card_images_are_uploaded_checked_served_and_kept) {
    test_server s{false};
    std::string png("\x89PNG\r\n\x1a\n", 8);
    png += std::string(300, '\x07') + "rest-of-a-picture";
    BOOST_TEST(http(s.port(), "POST", "/api/images", png).status == 401); // no admin token
    auto const bad = http(s.port(), "POST", "/api/images", "<svg onload=alert(1)>", admin_token);
    BOOST_TEST(bad.status == 415, bad.body);
    BOOST_TEST(http(s.port(), "POST", "/api/images", std::string(1024 * 1024 + 1, 'x'), admin_token)
                   .status == 413);
    auto const up = http(s.port(), "POST", "/api/images", png, admin_token);
    BOOST_TEST_REQUIRE(up.status == 201, up.body);
    std::string const id = up.json()["id"];
    BOOST_TEST(id.rfind("img_", 0) == 0);
    auto const again = http(s.port(), "POST", "/api/images", png, admin_token);
    BOOST_TEST(again.status == 200);
    BOOST_TEST(again.json()["id"] == id); // the same picture, the same id

    auto const file = [](std::string const& image) {
        return R"({"title":{"en":"T"},"activities":[{"kind":"choice","question":{"en":"Q"},)"
               R"("options":[{"id":"a","label":{"en":"A"}},{"id":"b","label":{"en":"B"}}],)"
               R"("card":{"title":{"en":"Alys"},"image":")" +
               image + R"(","alt":{"en":"Alys smiling"}}}]})";
    };
    auto const unknown = http(s.port(), "POST", "/api/workshops",
                              file("img_00000000000000000000000000000000"), admin_token);
    BOOST_TEST(unknown.status == 400);
    BOOST_TEST(unknown.body.find("$.activities[0].card.image") != std::string::npos, unknown.body);
    auto const made = http(s.port(), "POST", "/api/workshops", file(id), admin_token);
    BOOST_TEST_REQUIRE(made.status == 201, made.body);

    for (int round = 0; round < 2; ++round) {
        auto const got = http(s.port(), "GET", "/media/" + id);
        BOOST_TEST_REQUIRE(got.status == 200);
        BOOST_TEST(got.body == png);
        BOOST_TEST(got.content_type == "image/png");
        BOOST_TEST(got.header("Cache-Control") == "public, max-age=31536000, immutable");
        BOOST_TEST(got.header("X-Content-Type-Options") == "nosniff");
        s.restart(); // the second round reads it back from the database
    }
    BOOST_TEST(http(s.port(), "GET", "/media/img_nothing").status == 404);
    BOOST_TEST(http(s.port(), "POST", "/media/" + id, "x").status == 405);
}

BOOST_AUTO_TEST_SUITE_END()
