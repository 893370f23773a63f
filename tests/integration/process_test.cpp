// The cylch-server program itself: its options, its start-up output, and a clean stop on
// SIGTERM that keeps every acknowledged answer.
#include "tests/support/child_process.hpp"
#include "tests/support/test_server.hpp"

#include <boost/test/unit_test.hpp>

#include <csignal>
#include <cstdio>
#include <regex>
#include <sys/wait.h>
#include <unistd.h>

using cylch::test::temp_dir;
using nlohmann::json;

namespace {

using child = cylch::test::child_process;

std::string capture(std::smatch const& m) {
    return m[1].str();
}

// The first group of `pattern` in the next line the child prints that matches it; the lines
// read on the way are added to `head`.
std::string printed(child& c, std::string const& pattern, std::string& head) {
    std::regex const re(pattern);
    auto line = c.line_matching(re, &head);
    std::smatch m;
    BOOST_TEST_REQUIRE(std::regex_search(line, m, re), head);
    return capture(m);
}

// The port the child server listens on, from its start-up lines.
std::uint16_t listening_port(child& c, std::string& head) {
    return static_cast<std::uint16_t>(
        std::stoi(printed(c, "listening on http://127\\.0\\.0\\.1:(\\d+)", head)));
}

} // namespace

BOOST_AUTO_TEST_SUITE(process)

BOOST_AUTO_TEST_CASE(help_names_every_option) {
    child c({CYLCH_SERVER_BINARY, "--help"});
    auto text = c.rest();
    BOOST_TEST(c.wait_exit() == 0);
    for (auto opt :
         {"--bind", "--port", "--db", "--web-root", "--threads", "--import", "--admin-token-file",
          "--flush-ms", "--max-frame", "--hello-timeout-ms", "--max-queued-frames", "--max-body",
          "--rate", "--log-level", "CYLCH_ADMIN_TOKEN"}) {
        BOOST_TEST_CONTEXT(opt) {
            BOOST_TEST(text.find(opt) != std::string::npos);
        }
    }
}

BOOST_AUTO_TEST_CASE(bad_start_up_input_is_refused_with_its_reason) {
    temp_dir dir;
    {
        std::ofstream f(dir.file("bad.json"));
        f << R"({"title":{"en":"x"},"activities":[{"kind":"likert","statement":{"en":"s"},"results":"sometimes"}]})";
    }
    child c({CYLCH_SERVER_BINARY, "--port", "0", "--db", dir.file("x.db"), "--import",
             dir.file("bad.json")});
    auto text = c.rest();
    BOOST_TEST(c.wait_exit() == 2);
    BOOST_TEST(text.find("$.activities[0].results") != std::string::npos);

    child d({CYLCH_SERVER_BINARY, "--log-level", "loud"});
    d.rest();
    BOOST_TEST(d.wait_exit() == 2);
}

BOOST_AUTO_TEST_CASE(sigterm_stops_cleanly_and_keeps_acknowledged_answers) {
    temp_dir dir;
    auto const db = dir.file("cylch.db");
    {
        std::ofstream f(dir.file("admin"));
        f << "process-test-admin-token-0001\n";
    }
    child c({CYLCH_SERVER_BINARY, "--bind", "127.0.0.1", "--port", "0", "--db", db, "--import",
             cylch::test::template_path(), "--admin-token-file", dir.file("admin"), "--log-level",
             "warn"});
    std::string head;
    auto listening =
        c.line_matching(std::regex("listening on http://127\\.0\\.0\\.1:(\\d+)"), &head);
    BOOST_TEST_REQUIRE(!listening.empty(), head);
    std::smatch m;
    std::regex_search(listening, m, std::regex(":(\\d+)"));
    auto const port = static_cast<std::uint16_t>(std::stoi(capture(m)));
    auto ws_line = c.line_matching(std::regex("workshop: (w_\\w+)"), &head);
    auto code_line = c.line_matching(std::regex("code: (\\d+)"), &head);
    auto fac_line = c.line_matching(std::regex("facilitator token: (\\S+)"), &head);
    std::regex_search(ws_line, m, std::regex("workshop: (w_\\w+)"));
    auto const workshop = capture(m);
    std::regex_search(code_line, m, std::regex("code: (\\d+)"));
    auto const code = capture(m);
    std::regex_search(fac_line, m, std::regex("facilitator token: (\\S+)"));
    auto const fac_token = capture(m);
    BOOST_TEST(head.find("admin token") == std::string::npos); // it came from the file

    BOOST_TEST(cylch::test::http(port, "GET", "/healthz").status == 200);
    cylch::test::ws_client fac(port);
    fac.send(json{{"type", "hello"},
                  {"v", 1},
                  {"role", "facilitator"},
                  {"workshop", workshop},
                  {"token", fac_token}});
    auto welcome = fac.expect("welcome");
    std::string const a0 = welcome["agenda"][0]["id"];
    auto op = cylch::test::new_op();
    fac.send(json{{"type", "activity.open"}, {"op", op}, {"activity", a0}});
    BOOST_TEST_REQUIRE(fac.reply_to(op)["type"] == "ack");

    cylch::test::ws_client p(port);
    p.send(json{{"type", "hello"}, {"v", 1}, {"role", "participant"}, {"code", code}});
    p.expect("welcome");
    op = cylch::test::new_op();
    p.send(json{{"type", "profile"}, {"op", op}, {"consent", true}});
    BOOST_TEST_REQUIRE(p.reply_to(op)["type"] == "ack");
    op = cylch::test::new_op();
    p.send(json{{"type", "vote"}, {"op", op}, {"activity", a0}, {"value", 5}});
    BOOST_TEST_REQUIRE(p.reply_to(op)["type"] == "ack");

    c.signal(SIGTERM);
    BOOST_TEST(p.wait_closed(std::chrono::milliseconds(8000)) == 1001);
    BOOST_TEST(fac.wait_closed(std::chrono::milliseconds(8000)) == 1001);
    BOOST_TEST(c.wait_exit() == 0);

    // Started again on the same file, the vote is there.
    child again({CYLCH_SERVER_BINARY, "--bind", "127.0.0.1", "--port", "0", "--db", db,
                 "--admin-token-file", dir.file("admin"), "--log-level", "warn"});
    listening = again.line_matching(std::regex("listening on"));
    std::regex_search(listening, m, std::regex(":(\\d+)"));
    auto const port2 = static_cast<std::uint16_t>(std::stoi(capture(m)));
    auto res =
        cylch::test::http(port2, "GET", "/api/workshops/" + workshop + "/results", "", fac_token);
    BOOST_TEST_REQUIRE(res.status == 200);
    BOOST_TEST(res.json()["activities"][0]["summary"]["counts"] == json::array({0, 0, 0, 0, 1}));
    again.signal(SIGTERM);
    BOOST_TEST(again.wait_exit() == 0);
}

// A demo restarted (deploy/demo.sh: --import-once) keeps its one workshop and says which it is;
// a changed file is a new workshop.
BOOST_AUTO_TEST_CASE(import_once_keeps_one_workshop_across_restarts) {
    temp_dir dir;
    auto const db = dir.file("demo.db");
    {
        std::ofstream f(dir.file("admin"));
        f << "process-test-admin-token-0002\n";
    }
    auto start = [&](std::string const& file) {
        return std::make_unique<child>(std::vector<std::string>{
            CYLCH_SERVER_BINARY, "--bind", "127.0.0.1", "--port", "0", "--db", db, "--import", file,
            "--import-once", "--admin-token-file", dir.file("admin"), "--log-level", "warn"});
    };
    auto count = [](std::uint16_t port) {
        auto r =
            cylch::test::http(port, "GET", "/api/workshops", "", "process-test-admin-token-0002");
        BOOST_TEST_REQUIRE(r.status == 200, r.body);
        return r.json()["workshops"].size();
    };
    std::string head;
    auto first = start(cylch::test::template_path());
    auto port = listening_port(*first, head);
    auto const id = printed(*first, "workshop: (w_\\w+)", head);
    auto const code = printed(*first, "code: (\\d+)", head);
    printed(*first, "facilitator link: (\\S+)", head);
    BOOST_TEST(count(port) == 1u);
    first->signal(SIGTERM);
    BOOST_TEST(first->wait_exit() == 0);

    for (int run = 0; run < 2; ++run) {
        std::string again_head;
        auto again = start(cylch::test::template_path());
        port = listening_port(*again, again_head);
        BOOST_TEST(printed(*again, "workshop: (w_\\w+) \\(imported before", again_head) == id);
        BOOST_TEST(printed(*again, "code: (\\d+)", again_head) == code);
        BOOST_TEST(count(port) == 1u);
        again->signal(SIGTERM);
        auto rest = again->rest();
        BOOST_TEST(again->wait_exit() == 0);
        BOOST_TEST((again_head + rest).find("facilitator token") == std::string::npos);
    }

    // A changed file (here: one more line at the end) is another workshop.
    std::string text = cylch::test::read_text_file(cylch::test::template_path()) + "\n";
    {
        std::ofstream f(dir.file("other.json"));
        f << text;
    }
    std::string other_head;
    auto other = start(dir.file("other.json"));
    port = listening_port(*other, other_head);
    BOOST_TEST(printed(*other, "workshop: (w_\\w+)", other_head) != id);
    BOOST_TEST(count(port) == 2u);
    other->signal(SIGTERM);
    BOOST_TEST(other->wait_exit() == 0);
}

// One unauthenticated frame with a number that overflows a double used to end the process
// (an exception the JSON decoder did not catch). Every such frame and body now gets its error,
// and the very same process goes on serving.
BOOST_AUTO_TEST_CASE(overflowing_numbers_and_hostile_json_do_not_end_the_process) {
    temp_dir dir;
    {
        std::ofstream f(dir.file("admin"));
        f << "process-test-admin-token-0002\n";
    }
    child c({CYLCH_SERVER_BINARY, "--bind", "127.0.0.1", "--port", "0", "--db",
             dir.file("cylch.db"), "--import", cylch::test::template_path(), "--admin-token-file",
             dir.file("admin"), "--log-level", "warn"});
    std::string head;
    auto const port = listening_port(c, head);
    auto const code = printed(c, "code: (\\d+)", head);

    std::vector<std::string> const frames{
        R"({"type":"hello","v":1e400})",
        R"({"type":"hello","v":-1e400})",
        R"({"type":"hello","v":1E+400,"role":"participant","code":"123456"})",
        R"({"type":"hello","v":123456789012345678901234567890})",
        R"({"type":"hello","v":18446744073709551615,"role":"participant","code":"123456"})",
        R"({"type":"hello","v":-0})",
        R"({"type":"hello","v":1,"role":"participant","code":"123456","lang":1e400})",
        std::string(8000, '[') + std::string(8000, ']'),
        R"([1e400])",
        R"(1e400)",
    };
    for (auto const& frame : frames) {
        BOOST_TEST_CONTEXT(frame.substr(0, 80)) {
            cylch::test::ws_client w(port);
            w.send(frame);
            auto e = w.expect("error");
            BOOST_TEST(
                (e["code"] == "bad_json" || e["code"] == "bad_request" || e["code"] == "version"),
                e.dump());
        }
    }
    for (
        auto const& body :
        {std::string(
             R"({"title":{"en":"x"},"activities":[{"kind":"likert","statement":{"en":"s"},"scale":1e400}]})"),
         std::string(R"({"title":{"en":"x"},"x":-1e400})"), std::string("1e400")}) {
        auto r = cylch::test::http(port, "POST", "/api/workshops", body,
                                   "process-test-admin-token-0002");
        BOOST_TEST(r.status == 400);
        BOOST_TEST(r.json()["error"]["code"] == "bad_request");
    }
    // A joined participant's vote with such a value: an error, and the connection stays.
    cylch::test::ws_client p(port);
    p.send(json{{"type", "hello"}, {"v", 1}, {"role", "participant"}, {"code", code}});
    auto welcome = p.expect("welcome");
    p.send(std::string(
        R"({"type":"vote","op":"op-0123456789abcdef","activity":"a_1","value":1e400})"));
    BOOST_TEST(p.expect("error")["code"] == "bad_json");
    BOOST_TEST(p.is_open());

    // Still the same process, still serving.
    BOOST_TEST(cylch::test::http(port, "GET", "/healthz").status == 200);
    cylch::test::ws_client q(port);
    q.send(json{{"type", "hello"}, {"v", 1}, {"role", "participant"}, {"code", code}});
    BOOST_TEST(q.expect("welcome")["type"] == "welcome");
    c.signal(SIGTERM);
    BOOST_TEST(c.wait_exit() == 0);
}

BOOST_AUTO_TEST_SUITE_END()
