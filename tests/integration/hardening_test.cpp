// The web surface under hostile or careless clients: security headers, what the static file
// server refuses, malformed HTTP, Origin checks, connection caps, the accept back-off when out
// of descriptors, and the throttling of wrong codes and tokens (docs/security.md).
#include "tests/support/child_process.hpp"
#include "tests/support/test_server.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <fstream>
#include <regex>

using cylch::test::admin_token;
using cylch::test::connect_options;
using cylch::test::http;
using cylch::test::raw_http;
using cylch::test::test_server;
using cylch::test::try_upgrade;
using cylch::test::ws_client;
using nlohmann::json;

namespace {

json hello_participant(std::string const& code) {
    return json{{"type", "hello"}, {"v", 1}, {"role", "participant"}, {"code", code}};
}

connect_options from(std::string address) {
    connect_options o;
    o.from = std::move(address);
    return o;
}

std::string status_line(std::string const& response) {
    return response.substr(0, response.find("\r\n"));
}

void write_file(std::filesystem::path const& p, std::string const& text) {
    std::filesystem::create_directories(p.parent_path());
    std::ofstream(p) << text;
}

} // namespace

BOOST_AUTO_TEST_SUITE(hardening)

BOOST_AUTO_TEST_CASE(security_headers_on_every_response) {
    test_server s;
    for (auto path : {"/", "/j/123456", "/f/w_x", "/healthz", "/api/nothing", "/no/such.js",
                      "/qr.svg?data=x"}) {
        auto r = http(s.port(), "GET", path);
        BOOST_TEST_CONTEXT(path) {
            BOOST_TEST(r.header("X-Content-Type-Options") == "nosniff");
            BOOST_TEST(r.header("X-Frame-Options") == "DENY");
            BOOST_TEST(r.header("Referrer-Policy") == "no-referrer");
            auto const csp = r.header("Content-Security-Policy");
            BOOST_TEST(csp.find("frame-ancestors 'none'") != std::string::npos);
            BOOST_TEST(csp.find("script-src 'self';") != std::string::npos);
            BOOST_TEST(csp.find("connect-src 'self' ws://127.0.0.1 wss://127.0.0.1") !=
                       std::string::npos);
        }
    }
    // Pages (they may carry a token in their address) and the API are not stored.
    for (auto path : {"/", "/j/123456", "/f/w_x", "/p/w_x", "/k/k_x", "/api/nothing"}) {
        BOOST_TEST(http(s.port(), "GET", path).header("Cache-Control") == "no-store", path);
    }
    auto unauth = http(s.port(), "GET", "/api/workshops/" + s.demo.id + "/results");
    BOOST_TEST(unauth.status == 403);
    BOOST_TEST(unauth.header("Cache-Control") == "no-store");
    auto results = http(s.port(), "GET", "/api/workshops/" + s.demo.id + "/results", {},
                        s.demo.facilitator_token);
    BOOST_TEST(results.status == 200);
    BOOST_TEST(results.header("Cache-Control") == "no-store");
}

BOOST_AUTO_TEST_CASE(static_files_only_from_inside_the_web_root) {
    cylch::test::temp_dir dir;
    std::filesystem::path const root = dir.file("web");
    std::filesystem::path const outside = dir.file("outside");
    write_file(root / "index.html", "<!doctype html><title>app</title>");
    write_file(root / "assets" / "app-abc123.js", "console.log(1)");
    write_file(root / ".vite" / "manifest.json", "{\"secret\":true}");
    write_file(root / ".env", "SECRET=1");
    write_file(outside / "secret.txt", "outside the root");
    std::filesystem::create_symlink(outside / "secret.txt", root / "leak.txt");
    std::filesystem::create_directory_symlink(outside, root / "linked");
    std::filesystem::create_directory_symlink(outside, root / "assets" / "up");

    test_server s(false, [&](cylch::server_config& c) { c.web_root = root.string(); });
    auto index = http(s.port(), "GET", "/");
    BOOST_TEST(index.status == 200);
    BOOST_TEST(index.body.find("<title>app</title>") != std::string::npos);
    auto app = http(s.port(), "GET", "/assets/app-abc123.js");
    BOOST_TEST(app.status == 200);
    BOOST_TEST(app.header("Cache-Control").find("immutable") != std::string::npos);
    for (auto path : {"/.vite/manifest.json", "/.env", "/leak.txt", "/linked/secret.txt",
                      "/assets/up/secret.txt", "/../outside/secret.txt", "/index.html/../.env"}) {
        auto r = http(s.port(), "GET", path);
        BOOST_TEST(r.status == 404, path);
        BOOST_TEST(r.body.find("outside the root") == std::string::npos, path);
    }
}

BOOST_AUTO_TEST_CASE(malformed_requests_are_answered_400_or_431) {
    test_server s(false);
    auto const p = s.port();
    BOOST_TEST(status_line(raw_http(p, "GARBAGE\r\n\r\n")) == "HTTP/1.1 400 Bad Request");
    BOOST_TEST(status_line(raw_http(p, "GET / HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n")) ==
               "HTTP/1.1 400 Bad Request");
    BOOST_TEST(
        status_line(raw_http(p, "GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(20'000, 'a') +
                                    "\r\n\r\n")) == "HTTP/1.1 431 Request Header Fields Too Large");
    // Two framings at once: refused, whichever comes first.
    BOOST_TEST(status_line(raw_http(p, "POST /api/workshops HTTP/1.1\r\nHost: x\r\n"
                                       "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n"
                                       "0\r\n\r\n")) == "HTTP/1.1 400 Bad Request");
    BOOST_TEST(status_line(raw_http(p, "POST /api/workshops HTTP/1.1\r\nHost: x\r\n"
                                       "Transfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n"
                                       "0\r\n\r\n")) == "HTTP/1.1 400 Bad Request");
    BOOST_TEST(status_line(raw_http(p, "POST /api/workshops HTTP/1.1\r\nHost: x\r\n"
                                       "Transfer-Encoding: gzip\r\nContent-Length: 5\r\n\r\n"
                                       "hello")) == "HTTP/1.1 400 Bad Request");
    BOOST_TEST(status_line(raw_http(p, "POST /api/workshops HTTP/1.1\r\nHost: x\r\n"
                                       "Transfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n")) ==
               "HTTP/1.1 400 Bad Request");
    BOOST_TEST(status_line(raw_http(p, "POST /api/workshops HTTP/1.1\r\nHost: x\r\n"
                                       "Content-Length: 5\r\nContent-Length: 6\r\n\r\nhello!")) ==
               "HTTP/1.1 400 Bad Request");
    BOOST_TEST(
        status_line(raw_http(p, "POST /api/workshops HTTP/1.1\r\nHost: x\r\n"
                                "Transfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n")) ==
        "HTTP/1.1 400 Bad Request");
    // The server is still fine, and a well-formed chunked request is read as usual.
    auto chunked = raw_http(p, "POST /api/workshops HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                               "Transfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n");
    BOOST_TEST(status_line(chunked) == "HTTP/1.1 401 Unauthorized");
    BOOST_TEST(http(p, "GET", "/healthz").status == 200);
}

BOOST_AUTO_TEST_CASE(method_not_allowed_says_what_is) {
    test_server s(false);
    auto check = [&](std::string method, std::string path, std::string allow) {
        auto r = http(s.port(), method, path);
        BOOST_TEST(r.status == 405, method << ' ' << path);
        BOOST_TEST(r.header("Allow") == allow, method << ' ' << path);
    };
    check("DELETE", "/healthz", "GET, HEAD");
    check("PUT", "/api/workshops", "GET, HEAD, POST");
    check("GET", "/api/login", "POST");
    check("DELETE", "/api/users/u_x", "PUT");
    check("POST", "/", "GET, HEAD");
    check("POST", "/api/workshops/w_x", "GET, HEAD, PUT, DELETE");
    check("PUT", "/api/workshops/w_x/results", "GET, HEAD");
    check("GET", "/api/kiosks", "POST");
    check("POST", "/api/kiosks/k_x", "PUT");
}

BOOST_AUTO_TEST_CASE(websocket_origin_check) {
    test_server s(false, [](cylch::server_config& c) {
        c.allowed_origins = {"https://other.example.org"};
        c.public_url = "https://cylch.example.org/";
    });
    auto const own = "http://127.0.0.1:" + std::to_string(s.port());
    BOOST_TEST(try_upgrade(s.port()).status == 101); // no Origin: kiosks, tools
    BOOST_TEST(try_upgrade(s.port(), {"127.0.0.1", own}).status == 101);
    BOOST_TEST(try_upgrade(s.port(), {"127.0.0.1", "https://cylch.example.org"}).status == 101);
    BOOST_TEST(try_upgrade(s.port(), {"127.0.0.1", "https://other.example.org"}).status == 101);
    for (auto foreign : {"https://evil.example", "null", "http://127.0.0.1:1",
                         "https://cylch.example.org.evil.example"}) {
        auto r = try_upgrade(s.port(), {"127.0.0.1", std::string(foreign)});
        BOOST_TEST(r.status == 403, foreign);
        BOOST_TEST(json::parse(r.body)["error"]["code"] == "not_allowed", foreign);
    }
}

BOOST_AUTO_TEST_CASE(connection_caps_answer_503) {
    test_server s(false, [](cylch::server_config& c) {
        c.max_connections_per_address = 2;
        c.max_connections = 3;
    });
    std::vector<ws_client> open;
    open.emplace_back(s.port(), from("127.0.0.2"));
    open.emplace_back(s.port(), from("127.0.0.2"));
    auto per_address = try_upgrade(s.port(), from("127.0.0.2"));
    BOOST_TEST(per_address.status == 503);
    BOOST_TEST(per_address.header("Retry-After") == "5");
    BOOST_TEST(json::parse(per_address.body)["error"]["code"] == "rate_limited");
    open.emplace_back(s.port(), from("127.0.0.3")); // another address: fine
    auto global = try_upgrade(s.port(), from("127.0.0.4"));
    BOOST_TEST(global.status == 503);                            // the server's cap
    BOOST_TEST(http(s.port(), "GET", "/healthz").status == 200); // plain HTTP is not capped
    auto m = http(s.port(), "GET", "/metrics");
    BOOST_TEST(m.body.find("cylch_connections_refused_total 2") != std::string::npos);

    // A closed connection gives its place back (once the server has seen the close).
    open.front().close();
    int status = 0;
    for (int i = 0; i < 200 && status != 101; ++i) {
        status = try_upgrade(s.port(), from("127.0.0.4")).status;
    }
    BOOST_TEST(status == 101);
}

BOOST_AUTO_TEST_CASE(wrong_join_codes_are_throttled_per_address) {
    test_server s(true, [](cylch::server_config& c) {
        c.failed_burst = 3;
        c.failed_rate = 0.001; // no token comes back during the test
    });
    auto const wrong = s.demo.code == "000000" ? std::string("000001") : std::string("000000");
    for (int i = 0; i < 3; ++i) {
        ws_client c(s.port(), from("127.0.0.5"));
        c.send(hello_participant(wrong));
        BOOST_TEST(c.expect("error")["code"] == "not_found");
    }
    ws_client refused(s.port(), from("127.0.0.5"));
    refused.send(hello_participant(s.demo.code)); // even the right code, from here, now
    auto e = refused.expect("error");
    BOOST_TEST(e["code"] == "rate_limited");
    BOOST_TEST(e["retry_after_ms"].get<long>() > 0);
    BOOST_TEST(refused.wait_closed() == 1008);

    ws_client other(s.port(), from("127.0.0.6")); // someone else in the room
    other.send(hello_participant(s.demo.code));
    BOOST_TEST(other.expect("welcome")["you"]["role"] == "participant");

    auto m = http(s.port(), "GET", "/metrics");
    BOOST_TEST(m.body.find("cylch_auth_failures_total 3") != std::string::npos);
    BOOST_TEST(m.body.find("cylch_auth_throttled_total 1") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(wrong_tokens_are_throttled_on_websocket_and_http) {
    test_server s(true, [](cylch::server_config& c) {
        c.failed_burst = 2;
        c.failed_rate = 0.001;
    });
    for (int i = 0; i < 2; ++i) {
        ws_client c(s.port(), from("127.0.0.7"));
        c.send(json{{"type", "hello"},
                    {"v", 1},
                    {"role", "facilitator"},
                    {"workshop", s.demo.id},
                    {"token", "not-the-token-0123456789"}});
        BOOST_TEST(c.expect("error")["code"] == "not_allowed");
    }
    ws_client c(s.port(), from("127.0.0.7"));
    c.send(json{{"type", "hello"},
                {"v", 1},
                {"role", "facilitator"},
                {"workshop", s.demo.id},
                {"token", s.demo.facilitator_token}});
    BOOST_TEST(c.expect("error")["code"] == "rate_limited");

    // HTTP, from 127.0.0.1: a failure once is only a failure.
    auto const results = "/api/workshops/" + s.demo.id + "/results";
    BOOST_TEST(http(s.port(), "GET", results, {}, "wrong-token-0123456789").status == 403);
    BOOST_TEST(http(s.port(), "GET", results, {}, s.demo.facilitator_token).status == 200);
    BOOST_TEST(http(s.port(), "GET", results, {}, "wrong-token-0123456789").status == 403);
    auto limited = http(s.port(), "GET", results, {}, s.demo.facilitator_token);
    BOOST_TEST(limited.status == 429);
    BOOST_TEST(limited.json()["error"]["code"] == "rate_limited");
    BOOST_TEST(std::stoi(limited.header("Retry-After")) > 0);
    // Requests without a token are not throttled (nothing is being guessed).
    BOOST_TEST(http(s.port(), "GET", "/healthz").status == 200);
}

BOOST_AUTO_TEST_CASE(workshop_cap) {
    test_server s(true, [](cylch::server_config& c) { c.max_workshops = 1; });
    auto file = cylch::test::read_text_file(cylch::test::template_path());
    auto r = http(s.port(), "POST", "/api/workshops", file, admin_token);
    BOOST_TEST(r.status == 403);
    BOOST_TEST(r.json()["error"]["code"] == "not_allowed");
    BOOST_TEST(r.json()["error"]["message"].get<std::string>().find("--max-workshops") !=
               std::string::npos);
}

BOOST_AUTO_TEST_CASE(write_budget_drops_connections) {
    // A budget smaller than one welcome: whoever has frames queued past it is disconnected.
    test_server s(true, [](cylch::server_config& c) { c.max_total_queued_bytes = 1; });
    ws_client c(s.port());
    c.send(hello_participant(s.demo.code));
    BOOST_TEST(c.wait_closed() != -2);
    auto m = http(s.port(), "GET", "/metrics");
    BOOST_TEST(m.body.find("cylch_connections_dropped_budget_total 1") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(accept_backs_off_when_out_of_descriptors) {
    cylch::test::temp_dir dir;
    // The server in a shell with a small descriptor limit, so that accepting runs out.
    cylch::test::child_process server({"/bin/bash", "-c",
                                       std::string("ulimit -n 64 && exec ") + CYLCH_SERVER_BINARY +
                                           " --bind 127.0.0.1 --port 0 --threads 1 --db " +
                                           dir.file("cylch.db") + " --log-level warn"});
    std::string out;
    auto listening =
        server.line_matching(std::regex("listening on http://127\\.0\\.0\\.1:(\\d+)"), &out);
    BOOST_TEST_REQUIRE(!listening.empty(), out);
    auto const port =
        static_cast<std::uint16_t>(std::stoi(listening.substr(listening.rfind(':') + 1)));

    boost::asio::io_context ioc;
    std::vector<boost::asio::ip::tcp::socket> held;
    for (int i = 0; i < 100; ++i) {
        held.emplace_back(ioc);
        held.back().connect({boost::asio::ip::make_address("127.0.0.1"), port});
    }
    auto line = server.line_matching(std::regex("accept failed, out of descriptors"), &out);
    BOOST_TEST_REQUIRE(!line.empty(), out);
    BOOST_TEST(line.find("pause_ms=") != std::string::npos);
    held.clear(); // the server's descriptors come back as it sees these close
    BOOST_TEST(http(port, "GET", "/healthz").status == 200);
}

BOOST_AUTO_TEST_SUITE_END()
