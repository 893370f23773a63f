// Malformed and hostile frames: each gets the documented error or close, the workshop's state
// does not change, and the server keeps serving everyone else.
#include "tests/support/test_server.hpp"

#include <boost/test/unit_test.hpp>

using cylch::test::new_op;
using cylch::test::test_server;
using cylch::test::ws_client;
using nlohmann::json;

namespace {

ws_client joined_participant(test_server& s) {
    ws_client c(s.port());
    c.send(json{{"type", "hello"}, {"v", 1}, {"role", "participant"}, {"code", s.demo.code}});
    c.expect("welcome");
    auto op = new_op();
    c.send(json{{"type", "profile"}, {"op", op}, {"consent", true}, {"group", "enabler"}});
    BOOST_TEST_REQUIRE(c.reply_to(op)["type"] == "ack");
    return c;
}

std::string results(test_server& s) {
    auto r = cylch::test::http(s.port(), "GET", "/api/workshops/" + s.demo.id + "/results", "",
                               s.demo.facilitator_token);
    BOOST_TEST_REQUIRE(r.status == 200);
    return r.body;
}

// The next error frame; other frames (summaries, activity pushes) are passed over.
json next_error(ws_client& c) {
    return c.expect("error");
}

struct hostile_case {
    std::string name;
    std::string frame;
    std::string code;
    bool keeps_op = false; // the error carries the frame's op
};

} // namespace

BOOST_AUTO_TEST_SUITE(bad_input)

BOOST_AUTO_TEST_CASE(hostile_frames_get_errors_and_change_nothing) {
    test_server s;
    auto [fac, welcome] = s.facilitator();
    std::string const a0 = welcome["agenda"][0]["id"];
    {
        auto op = new_op();
        fac.send(json{{"type", "activity.open"}, {"op", op}, {"activity", a0}});
        BOOST_TEST_REQUIRE(fac.reply_to(op)["type"] == "ack");
    }
    auto honest = joined_participant(s);
    {
        auto op = new_op();
        honest.send(json{{"type", "vote"}, {"op", op}, {"activity", a0}, {"value", 4}});
        BOOST_TEST_REQUIRE(honest.reply_to(op)["type"] == "ack");
    }
    auto mallory = joined_participant(s);
    auto const before = results(s);

    // A second workshop, to borrow a foreign activity id from.
    auto created = cylch::test::http(s.port(), "POST", "/api/workshops",
                                     cylch::test::read_text_file(cylch::test::template_path()),
                                     cylch::test::admin_token);
    BOOST_TEST_REQUIRE(created.status == 201);
    auto other = created.json();
    auto other_detail =
        cylch::test::http(s.port(), "GET", "/api/workshops/" + other["id"].get<std::string>(), "",
                          other["facilitator_token"]);
    std::string const foreign = other_detail.json()["agenda"][0]["id"];

    auto vote = [&](json value, json extra = json::object()) {
        json j{
            {"type", "vote"}, {"op", "op-hostile-vote-0001"}, {"activity", a0}, {"value", value}};
        for (auto& [k, v] : extra.items()) {
            j[k] = v;
        }
        return j.dump();
    };
    std::string deep(40, '[');
    deep += std::string(40, ']');
    std::vector<hostile_case> const cases{
        {"not JSON", "hello there", "bad_json"},
        {"truncated JSON", R"({"type":"vote","op":"op-hostile-vote-0001")", "bad_json"},
        {"JSON array", "[1,2,3]", "bad_request"},
        {"JSON number", "42", "bad_request"},
        {"JSON string", R"("vote")", "bad_request"},
        {"missing type", R"({"op":"op-hostile-vote-0001","value":4})", "bad_request", true},
        {"type not a string", R"({"type":7})", "bad_request"},
        {"unknown type", R"({"type":"launch.missiles"})", "unknown_type"},
        {"board request without its fields", R"({"type":"note.add","op":"op-hostile-vote-0001"})",
         "bad_request", true},
        {"value as string", vote("4"), "bad_request", true},
        {"value with fraction", vote(4.5), "bad_request", true},
        {"value true", vote(true), "bad_request", true},
        {"value 0", vote(0), "bad_request", true},
        {"value 6 on a 5-point scale", vote(6), "bad_request", true},
        {"value 99", vote(99), "bad_request", true},
        {"value negative", vote(-1), "bad_request", true},
        {"unknown field", vote(4, {{"weight", 10}}), "bad_request", true},
        {"missing activity", R"({"type":"vote","op":"op-hostile-vote-0001","value":4})",
         "bad_request", true},
        {"missing op", json{{"type", "vote"}, {"activity", a0}, {"value", 4}}.dump(),
         "bad_request"},
        {"op too short", json{{"type", "vote"}, {"op", "x"}, {"activity", a0}, {"value", 4}}.dump(),
         "bad_request"},
        {"activity id with markup", vote(4, {{"activity", "<script>alert(1)</script>"}}),
         "bad_request", true},
        {"foreign activity id", vote(4, {{"activity", foreign}}), "not_found", true},
        {"unknown activity id", vote(4, {{"activity", "a_doesnotexist"}}), "not_found", true},
        {"deep nesting", R"({"type":"vote","x":)" + deep + "}", "bad_request"},
        {"participant opens an activity",
         json{{"type", "activity.open"}, {"op", "op-hostile-open-001"}, {"activity", a0}}.dump(),
         "not_allowed", true},
        {"participant reveals",
         json{{"type", "activity.reveal"}, {"op", "op-hostile-open-001"}, {"activity", a0}}.dump(),
         "not_allowed", true},
        {"participant ends the workshop",
         json{{"type", "workshop.end"}, {"op", "op-hostile-end-0001"}}.dump(), "not_allowed", true},
        {"hello twice",
         json{{"type", "hello"}, {"v", 1}, {"role", "participant"}, {"code", s.demo.code}}.dump(),
         "bad_request"},
        {"profile with an unknown group",
         json{{"type", "profile"}, {"op", "op-hostile-prof-001"}, {"group", "admins"}}.dump(),
         "bad_request", true},
        {"profile in an unoffered language",
         json{{"type", "profile"}, {"op", "op-hostile-prof-001"}, {"lang", "fr"}}.dump(),
         "bad_request", true},
        {"profile with consent as text",
         json{{"type", "profile"}, {"op", "op-hostile-prof-001"}, {"consent", "yes"}}.dump(),
         "bad_request", true},
        {"vote.clear of a foreign activity",
         json{{"type", "vote.clear"}, {"op", "op-hostile-clr-0001"}, {"activity", foreign}}.dump(),
         "not_found", true},
    };
    BOOST_TEST(cases.size() >= 25u);
    for (auto const& c : cases) {
        BOOST_TEST_CONTEXT(c.name) {
            mallory.send(c.frame);
            auto e = next_error(mallory);
            BOOST_TEST(e["code"] == c.code);
            BOOST_TEST(!e["message"].get<std::string>().empty());
            if (c.keeps_op) {
                BOOST_TEST(e.contains("op"));
            }
            BOOST_TEST(mallory.is_open());
        }
    }
    // A binary frame is refused too, connection kept.
    mallory.send_binary(std::string("\x00\x01\x02", 3));
    BOOST_TEST(next_error(mallory)["code"] == "bad_request");

    // Nothing changed, and the server still serves: the facilitator and an honest vote work.
    BOOST_TEST(results(s) == before);
    auto op = new_op();
    mallory.send(json{{"type", "vote"}, {"op", op}, {"activity", a0}, {"value", 2}});
    BOOST_TEST(mallory.reply_to(op)["type"] == "ack");
    auto after = json::parse(results(s));
    BOOST_TEST(after["activities"][0]["summary"]["counts"] == json::array({0, 1, 0, 1, 0}));
}

BOOST_AUTO_TEST_CASE(protocol_violations_close_the_connection) {
    test_server s(
        true, [](cylch::server_config& c) { c.hello_timeout = std::chrono::milliseconds(300); });
    auto [fac, welcome] = s.facilitator();
    auto const before = results(s);

    { // a frame just over the 16 KiB limit: closed with 1009 (message too big)
        ws_client c(s.port());
        c.send(json{{"type", "hello"}, {"v", 1}, {"role", "participant"}, {"code", s.demo.code}});
        c.expect("welcome");
        c.send(std::string(20 * 1024, 'x'));
        BOOST_TEST(c.wait_closed() == 1009);
    }
    { // a 1 MiB frame: the server closes (1009) as soon as the frame header shows its size,
      // so the client may not even finish sending it
        ws_client c(s.port());
        c.send(json{{"type", "hello"}, {"v", 1}, {"role", "participant"}, {"code", s.demo.code}});
        c.expect("welcome");
        bool sent = true;
        try {
            c.send(std::string(1024 * 1024, 'x'));
        } catch (std::exception const&) {
            sent = false; // broken pipe: the server had already closed
        }
        if (sent) {
            BOOST_TEST(c.wait_closed() == 1009);
        }
    }
    { // invalid UTF-8 in a text frame: closed with 1007 (invalid payload)
        ws_client c(s.port());
        c.send(std::string(
            "{\"type\":\"hello\",\"v\":1,\"role\":\"participant\",\"code\":\"\xff\xfe\"}"));
        BOOST_TEST(c.wait_closed() == 1007);
    }
    { // a request before hello: not_allowed, then closed with 1008
        ws_client c(s.port());
        c.send(json{{"type", "vote"}, {"op", new_op()}, {"activity", "a_x"}, {"value", 3}});
        BOOST_TEST(c.expect("error")["code"] == "not_allowed");
        BOOST_TEST(c.wait_closed() == 1008);
    }
    { // another protocol version: version, then closed
        ws_client c(s.port());
        c.send(json{{"type", "hello"}, {"v", 2}, {"role", "participant"}, {"code", s.demo.code}});
        BOOST_TEST(c.expect("error")["code"] == "version");
        BOOST_TEST(c.wait_closed() == 1008);
    }
    { // a join code that does not exist
        ws_client c(s.port());
        c.send(json{{"type", "hello"}, {"v", 1}, {"role", "participant"}, {"code", "000000"}});
        BOOST_TEST(c.expect("error")["code"] == "not_found");
        BOOST_TEST(c.wait_closed() == 1008);
    }
    { // a facilitator with the presenter's token
        ws_client c(s.port());
        c.send(json{{"type", "hello"},
                    {"v", 1},
                    {"role", "facilitator"},
                    {"workshop", s.demo.id},
                    {"token", s.demo.presenter_token}});
        BOOST_TEST(c.expect("error")["code"] == "not_allowed");
        BOOST_TEST(c.wait_closed() == 1008);
    }
    { // silence: no hello in time
        ws_client c(s.port());
        BOOST_TEST(c.expect("error", std::chrono::milliseconds(3000))["code"] == "bad_request");
        BOOST_TEST(c.wait_closed() == 1008);
    }
    // The facilitator was never disturbed and nothing changed.
    auto op = new_op();
    fac.send(json{{"type", "activity.goto"}, {"op", op}, {"activity", welcome["agenda"][1]["id"]}});
    BOOST_TEST(fac.reply_to(op)["type"] == "ack");
    auto now = json::parse(results(s));
    auto then = json::parse(before);
    BOOST_TEST(now["activities"] == then["activities"]);
}

BOOST_AUTO_TEST_CASE(a_flood_is_rate_limited_and_the_connection_lives) {
    test_server s(true, [](cylch::server_config& c) {
        c.rate_per_second = 5;
        c.rate_burst = 10;
    });
    auto c = joined_participant(s); // hello + profile: 2 of the 10
    int limited = 0;
    int answered = 0;
    std::vector<std::string> ops;
    for (int i = 0; i < 40; ++i) {
        ops.push_back(new_op());
        c.send(json{{"type", "profile"}, {"op", ops.back()}, {"lang", "cy"}});
    }
    for (auto const& op : ops) {
        auto r = c.reply_to(op);
        ++answered;
        if (r["type"] == "error" && r["code"] == "rate_limited") {
            ++limited;
        }
    }
    BOOST_TEST(answered == 40);
    BOOST_TEST(limited >= 25); // at most the burst (plus a little refill) gets through
    BOOST_TEST(c.is_open());
}

BOOST_AUTO_TEST_SUITE_END()
