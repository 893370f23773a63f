// cylch-kiosk against the real cylch-server, both as real processes: the kiosk's screen on a
// pseudo-terminal (keys typed into it), its log read from standard error, the network between
// them through a proxy that can cut the link or swallow the server's replies. What a user
// would notice is checked in the server's results: every press counted exactly once.
#include "kiosk/core/queue.hpp"

#include "tests/support/child_process.hpp"
#include "tests/support/tcp_proxy.hpp"
#include "tests/support/temp_files.hpp"
#include "tests/support/ws_client.hpp"
#include <SQLiteCpp/Database.h>

#include <boost/test/unit_test.hpp>

#include <csignal>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>
#include <sstream>
#include <thread>

using cylch::test::child_process;
using cylch::test::http;
using cylch::test::new_op;
using cylch::test::tcp_proxy;
using cylch::test::temp_dir;
using cylch::test::ws_client;
using nlohmann::json;
using namespace std::chrono_literals;

namespace {

std::string const admin = "kiosk-program-test-admin-token-01";

std::string template_path() {
    return std::string(CYLCH_SOURCE_DIR) + "/deploy/templates/persona-validation.json";
}

// A cylch-server process on an ephemeral port, on a database that outlives it.
struct server_process {
    std::unique_ptr<child_process> proc;
    std::uint16_t port = 0;

    server_process(temp_dir const& dir, bool import_demo, std::string* workshop = nullptr,
                   std::string* facilitator_token = nullptr) {
        {
            std::ofstream f(dir.file("admin"));
            f << admin << "\n";
        }
        std::vector<std::string> args{CYLCH_SERVER_BINARY,
                                      "--bind",
                                      "127.0.0.1",
                                      "--port",
                                      "0",
                                      "--db",
                                      dir.file("cylch.db"),
                                      "--admin-token-file",
                                      dir.file("admin"),
                                      "--log-level",
                                      "warn"};
        if (import_demo) {
            args.insert(args.end(), {"--import", template_path()});
        }
        proc = std::make_unique<child_process>(args);
        std::string head;
        std::smatch m;
        auto line =
            proc->line_matching(std::regex("listening on http://127\\.0\\.0\\.1:(\\d+)"), &head);
        BOOST_TEST_REQUIRE(std::regex_search(line, m, std::regex(":(\\d+)")), head);
        port = static_cast<std::uint16_t>(std::stoi(m[1].str()));
        if (import_demo) {
            line = proc->line_matching(std::regex("workshop: (w_\\w+)"), &head);
            BOOST_TEST_REQUIRE(std::regex_search(line, m, std::regex("workshop: (w_\\w+)")), head);
            *workshop = m[1].str();
            line = proc->line_matching(std::regex("facilitator token: (\\S+)"), &head);
            BOOST_TEST_REQUIRE(std::regex_search(line, m, std::regex("token: (\\S+)")), head);
            *facilitator_token = m[1].str();
        }
    }
};

// A workshop of choices, in English and Welsh: what a kiosk takes (a single-answer choice
// with no more options than it has buttons) and what it leaves to phones.
constexpr char const* choices_file = R"json({
  "title": {"en": "Personas", "cy": "Personâu"},
  "languages": ["en", "cy"],
  "activities": [
    {"kind": "choice", "question": {"en": "Which profile is most like you?",
                                    "cy": "Pa broffil sydd fwyaf tebyg i chi?"},
     "options": [{"id": "visionary", "label": {"en": "Visionary", "cy": "Gweledydd"}},
                 {"id": "connector", "label": {"en": "Connector", "cy": "Cysylltydd"}},
                 {"id": "builder", "label": {"en": "Builder", "cy": "Adeiladydd"}}]},
    {"kind": "choice", "question": {"en": "Which two?"}, "max": 2,
     "options": [{"id": "a", "label": {"en": "A"}}, {"id": "b", "label": {"en": "B"}},
                 {"id": "c", "label": {"en": "C"}}]}
  ]
})json";

// The whole rig: server, proxy, a registered kiosk, and a facilitator connection.
struct rig {
    temp_dir dir;
    std::string workshop;
    std::string fac_token;
    std::unique_ptr<server_process> server;
    std::unique_ptr<tcp_proxy> proxy;
    std::string kiosk_id;
    std::unique_ptr<child_process> kiosk;
    std::string kiosk_log; // every log line read so far
    json agenda;

    // On the demo workshop (the Likert template), or on `workshop_file` made through the API.
    explicit rig(char const* workshop_file = nullptr) {
        server =
            std::make_unique<server_process>(dir, workshop_file == nullptr, &workshop, &fac_token);
        if (workshop_file != nullptr) {
            auto made = http(server->port, "POST", "/api/workshops", workshop_file, admin);
            BOOST_TEST_REQUIRE(made.status == 201, made.body);
            workshop = made.json()["id"];
            fac_token = made.json()["facilitator_token"];
        }
        proxy = std::make_unique<tcp_proxy>(server->port);
        auto made = http(server->port, "POST", "/api/kiosks",
                         json{{"name", "Hall kiosk"}, {"workshop", workshop}}.dump(), admin);
        BOOST_TEST_REQUIRE(made.status == 201, made.body);
        kiosk_id = made.json()["id"];
        std::ofstream(dir.file("kiosk-token")) << made.json()["token"].get<std::string>() << "\n";
        agenda = facilitator_welcome()["agenda"];
    }

    json facilitator_welcome() {
        ws_client fac(server->port);
        fac.send(json{{"type", "hello"},
                      {"v", 1},
                      {"role", "facilitator"},
                      {"workshop", workshop},
                      {"token", fac_token}});
        return fac.expect("welcome");
    }

    std::string activity(int i) const { return agenda.at(i)["id"]; }

    void command(std::string const& verb, std::string const& act) {
        ws_client fac(server->port);
        fac.send(json{{"type", "hello"},
                      {"v", 1},
                      {"role", "facilitator"},
                      {"workshop", workshop},
                      {"token", fac_token}});
        fac.expect("welcome");
        auto op = new_op();
        fac.send(json{{"type", "activity." + verb}, {"op", op}, {"activity", act}});
        BOOST_TEST_REQUIRE(fac.reply_to(op)["type"] == "ack");
    }

    // Starts cylch-kiosk on a pseudo-terminal, through the proxy unless another server URL is
    // given.
    void start_kiosk(std::string server_url = {}, std::vector<std::string> const& extra = {}) {
        if (server_url.empty()) {
            server_url = "http://127.0.0.1:" + std::to_string(proxy->port());
        }
        std::vector<std::string> args{CYLCH_KIOSK_BINARY,
                                      "--server",
                                      server_url,
                                      "--kiosk",
                                      kiosk_id,
                                      "--token-file",
                                      dir.file("kiosk-token"),
                                      "--db",
                                      dir.file("queue.db"),
                                      "--thanks-seconds",
                                      "0",
                                      "--min-interval-ms",
                                      "0"};
        args.insert(args.end(), extra.begin(), extra.end());
        kiosk = std::make_unique<child_process>(
            args, child_process::options{true, 80, 30, {"TERM=xterm", "LANG=C.UTF-8"}});
    }

    // Waits for the kiosk's next log line matching `pattern`; fails the test when none comes.
    std::string expect_log(std::string const& pattern, std::chrono::milliseconds timeout = 60s) {
        auto line = kiosk->line_matching(std::regex(pattern), &kiosk_log, timeout);
        BOOST_TEST_REQUIRE(!line.empty(), "no kiosk log line matching \"" << pattern << "\"; log:\n"
                                                                          << kiosk_log);
        return line;
    }

    // Types a key and waits until the kiosk has saved the press; returns the log line.
    std::string press(int value) {
        kiosk->type(std::to_string(value));
        return expect_log("counted kq-");
    }

    // The server's summary of one activity (n and counts, kiosk channel included).
    json summary(std::string const& act) {
        auto r =
            http(server->port, "GET", "/api/workshops/" + workshop + "/results", "", fac_token);
        BOOST_TEST_REQUIRE(r.status == 200, r.body);
        auto const results = r.json();
        for (auto const& a : results["activities"]) {
            if (a["activity"]["id"] == act) {
                return a["summary"];
            }
        }
        BOOST_FAIL("activity not in the results: " + act);
        return {};
    }
    int answers(std::string const& act) { return summary(act)["n"].get<int>(); }

    // Polls until the activity has `n` answers (or the time is up); returns the last count.
    int wait_answers(std::string const& act, int n, std::chrono::milliseconds timeout = 60s) {
        auto const deadline = std::chrono::steady_clock::now() + timeout;
        int got = answers(act);
        while (got != n && std::chrono::steady_clock::now() < deadline) {
            std::this_thread::sleep_for(50ms);
            got = answers(act);
        }
        return got;
    }

    // The kiosk's local queue, read beside the running kiosk (WAL allows a second reader).
    // Read-only, beside the running kiosk (WAL lets a reader in without blocking its writes).
    std::size_t pending_in_queue() {
        SQLite::Database db(dir.file("queue.db"), SQLite::OPEN_READONLY);
        db.setBusyTimeout(5000);
        return static_cast<std::size_t>(
            db.execAndGet("SELECT count(*) FROM presses WHERE state = 'pending'").getInt64());
    }

    void online_with_open(std::string const& act) {
        start_kiosk();
        expect_log("online: workshop " + workshop);
        command("open", act);
        expect_log("activity " + act + " open");
    }
};

// A free port on 127.0.0.1 (free when asked; good enough for a test's own proxy).
std::uint16_t free_port() {
    child_process probe({"/usr/bin/python3", "-c",
                         "import socket; s=socket.socket(); s.bind(('127.0.0.1',0)); "
                         "print(s.getsockname()[1])"});
    return static_cast<std::uint16_t>(std::stoi(probe.rest()));
}

// nginx terminating TLS in front of the server, as deploy/nginx/cylch.conf does, with a
// certificate for "localhost" made for the test.
struct tls_proxy {
    std::unique_ptr<child_process> nginx;
    std::uint16_t port = 0;
    std::string cert;

    tls_proxy(temp_dir const& dir, std::uint16_t upstream) {
        cert = dir.file("cert.pem");
        std::string const key = dir.file("key.pem");
        std::string const make_cert =
            "openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=localhost "
            "-addext subjectAltName=DNS:localhost -keyout " +
            key + " -out " + cert + " 2>/dev/null";
        BOOST_TEST_REQUIRE(std::system(make_cert.c_str()) == 0);
        port = free_port();
        std::string const conf = dir.file("nginx.conf");
        std::ofstream(conf)
            << "daemon off; master_process off; pid " << dir.file("nginx.pid") << ";\nerror_log "
            << dir.file("nginx-error.log") << " warn;\n"
            << "events {}\nhttp {\n  access_log off;\n"
            << "  client_body_temp_path " << dir.file("nginx-body") << ";\n"
            << "  proxy_temp_path " << dir.file("nginx-proxy") << ";\n"
            << "  map $http_upgrade $connection_upgrade { default upgrade; '' close; }\n"
            << "  server {\n    listen 127.0.0.1:" << port << " ssl;\n"
            << "    server_name localhost;\n    ssl_certificate " << cert
            << ";\n    ssl_certificate_key " << key << ";\n"
            << "    location /ws {\n      proxy_pass http://127.0.0.1:" << upstream
            << ";\n      proxy_http_version 1.1;\n"
            << "      proxy_set_header Upgrade $http_upgrade;\n"
            << "      proxy_set_header Connection $connection_upgrade;\n"
            << "      proxy_read_timeout 600s;\n    }\n  }\n}\n";
        BOOST_TEST_REQUIRE(std::filesystem::exists("/usr/sbin/nginx"),
                           "nginx is needed (deploy/setup.sh installs it)");
        nginx = std::make_unique<child_process>(std::vector<std::string>{
            "/usr/sbin/nginx", "-c", conf, "-e", dir.file("nginx-error.log")});
        // Ready when the port accepts connections.
        for (int i = 0; i < 100; ++i) {
            child_process probe({"/usr/bin/python3", "-c",
                                 "import socket; socket.create_connection(('127.0.0.1'," +
                                     std::to_string(port) + "),0.2)"});
            if (probe.wait_exit() == 0) {
                return;
            }
            std::this_thread::sleep_for(50ms);
        }
        std::ifstream log(dir.file("nginx-error.log"));
        std::string const text((std::istreambuf_iterator<char>(log)), {});
        BOOST_FAIL("nginx did not start: " + text);
    }
};

int count_of(std::string const& text, std::string const& what) {
    int n = 0;
    for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) {
        ++n;
    }
    return n;
}

} // namespace

BOOST_AUTO_TEST_SUITE(kiosk_program)

BOOST_AUTO_TEST_CASE(help_and_bad_options) {
    child_process help({CYLCH_KIOSK_BINARY, "--help"});
    auto text = help.rest();
    BOOST_TEST(help.wait_exit() == 0);
    for (auto opt : {"--server", "--kiosk", "--token-file", "--db", "--input", "--gpio-chip",
                     "--gpio-lines", "--gpio-active-low", "--gpio-led", "--debounce-ms",
                     "--thanks-seconds", "--min-interval-ms", "--lang", "--config", "--buttons"}) {
        BOOST_TEST_CONTEXT(opt) {
            BOOST_TEST(text.find(opt) != std::string::npos);
        }
    }
    temp_dir dir;
    std::ofstream(dir.file("kiosk.conf"))
        << "server = http://127.0.0.1:9\nkiosk = k_x\ncolour = red\n";
    struct bad_case {
        std::vector<std::string> args;
        std::string says;
    };
    std::vector<bad_case> const cases{
        {{"--kiosk", "k_1", "--token", "t"}, "--server is required"},
        {{"--server", "https://h", "--kiosk", "k_1", "--token", "t", "--ca-file", "/nonexistent"},
         "--ca-file"},
        {{"--server", "ftp://x", "--kiosk", "k_1", "--token", "t"}, "http://"},
        {{"--server", "http://h:99999", "--kiosk", "k_1", "--token", "t"}, "port"},
        {{"--server", "http://h:8080"}, "--kiosk is required"},
        {{"--server", "http://h:8080", "--kiosk", "k_1"}, "token"},
        {{"--server", "http://h:8080", "--kiosk", "k_1", "--token", "t", "--input", "mouse"},
         "--input"},
        {{"--server", "http://h:8080", "--kiosk", "k_1", "--token", "t", "--input", "gpio"},
         "--gpio-lines"},
        {{"--server", "http://h:8080", "--kiosk", "k_1", "--token", "t", "--gpio-lines", "5,x"},
         "GPIO line offset"},
        {{"--server", "http://h:8080", "--kiosk", "k_1", "--token", "t", "--thanks-seconds", "-1"},
         "--thanks-seconds"},
        {{"--server", "http://h:8080", "--kiosk", "k_1", "--token", "t", "--buttons", "10"},
         "--buttons must be 1 to 9"},
        {{"--server", "http://h:8080", "--kiosk", "k_1", "--token", "t", "--input", "gpio",
          "--gpio-lines", "5,6", "--buttons", "3"},
         "--buttons must be 1 to 2"},
        {{"--config", dir.file("kiosk.conf")}, "colour"},
        {{"--config", dir.file("missing.conf")}, "cannot read"},
    };
    for (auto const& c : cases) {
        std::vector<std::string> args{CYLCH_KIOSK_BINARY};
        args.insert(args.end(), c.args.begin(), c.args.end());
        child_process p(args);
        auto out = p.rest();
        BOOST_TEST_CONTEXT(c.says) {
            BOOST_TEST(p.wait_exit() == 2);
            BOOST_TEST(out.find(c.says) != std::string::npos, out);
        }
    }
}

BOOST_AUTO_TEST_CASE(the_screen_shows_the_statement_and_a_key_press_is_counted) {
    rig r;
    auto const act = r.activity(2);
    r.online_with_open(act);
    std::this_thread::sleep_for(300ms); // let it draw
    auto screen = r.kiosk->terminal_output();
    BOOST_TEST(screen.find("Strongly agree") != std::string::npos);
    BOOST_TEST(screen.find("Cytuno'n gryf") != std::string::npos);
    r.press(4);
    r.expect_log("delivered kq-");
    auto s = r.summary(act);
    BOOST_TEST(s["n"] == 1);
    BOOST_TEST(s["counts"] == json::array({0, 0, 0, 1, 0}));
    BOOST_TEST(s["by_channel"]["kiosk"]["n"] == 1);
    BOOST_TEST(r.pending_in_queue() == 0u);
    // SIGTERM stops it cleanly.
    r.kiosk->signal(SIGTERM);
    BOOST_TEST(r.kiosk->wait_exit(10s) == 0);
}

BOOST_AUTO_TEST_CASE(fifty_presses_while_the_server_is_unreachable_arrive_exactly_once) {
    rig r;
    auto const act = r.activity(2);
    r.online_with_open(act);
    r.proxy->cut();
    r.expect_log("offline");
    for (int i = 0; i < 50; ++i) {
        r.press(1 + i % 5);
    }
    BOOST_TEST(r.pending_in_queue() == 50u);
    BOOST_TEST(r.answers(act) == 0); // nothing reached the server
    BOOST_TEST(r.kiosk->terminal_output().find("Offline") != std::string::npos);
    r.proxy->restore();
    for (int i = 0; i < 50; ++i) {
        r.expect_log("delivered kq-", 90s);
    }
    auto s = r.summary(act);
    BOOST_TEST(s["n"] == 50);
    BOOST_TEST(s["counts"] == json::array({10, 10, 10, 10, 10}));
    BOOST_TEST(r.pending_in_queue() == 0u);
    std::this_thread::sleep_for(500ms);
    BOOST_TEST(r.answers(act) == 50); // and nothing more
}

BOOST_AUTO_TEST_CASE(a_kiosk_killed_with_presses_pending_delivers_them_once_after_restart) {
    rig r;
    auto const act = r.activity(3);
    r.online_with_open(act);
    r.proxy->cut();
    r.expect_log("offline");
    for (int i = 0; i < 20; ++i) {
        r.press(5);
    }
    // Killed while offline: nothing was sent.
    r.kiosk->kill_now();
    BOOST_TEST(r.pending_in_queue() == 20u);
    r.proxy->restore();
    r.start_kiosk();
    r.expect_log("20 presses waiting");
    // Killed again in the middle of delivering: some were acknowledged by the server but not
    // yet marked in the queue, and will be sent again.
    r.expect_log("delivered kq-");
    r.kiosk->kill_now();
    auto const after_first_kill = r.pending_in_queue();
    BOOST_TEST(after_first_kill < 20u);
    r.start_kiosk();
    auto const deadline = std::chrono::steady_clock::now() + 60s;
    while (r.pending_in_queue() > 0 && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(50ms);
    }
    r.kiosk->line_matching(std::regex("(?!)"), &r.kiosk_log, 300ms); // what it logged, if it fails
    BOOST_TEST(r.pending_in_queue() == 0u, r.kiosk_log);
    BOOST_TEST(r.wait_answers(act, 20) == 20);
    std::this_thread::sleep_for(500ms);
    auto s = r.summary(act);
    BOOST_TEST(s["n"] == 20);
    BOOST_TEST(s["counts"] == json::array({0, 0, 0, 0, 20}));
}

BOOST_AUTO_TEST_CASE(a_server_killed_between_commit_and_ack_does_not_count_the_resend_twice) {
    rig r;
    auto const act = r.activity(2);
    r.online_with_open(act);
    r.proxy->hold_replies();
    r.press(3);
    // The server commits the answer; its ack is lost with it.
    BOOST_TEST_REQUIRE(r.wait_answers(act, 1) == 1);
    r.server->proc->kill_now();
    r.expect_log("offline");
    BOOST_TEST(r.pending_in_queue() == 1u); // never acknowledged to the kiosk
    r.server = std::make_unique<server_process>(r.dir, false);
    r.proxy->set_upstream(r.server->port);
    r.proxy->restore();
    r.expect_log("delivered kq-", 90s);
    BOOST_TEST(r.pending_in_queue() == 0u);
    auto s = r.summary(act);
    BOOST_TEST(s["n"] == 1);
    BOOST_TEST(s["counts"] == json::array({0, 0, 1, 0, 0}));
}

BOOST_AUTO_TEST_CASE(a_press_made_while_open_counts_when_delivered_after_the_close) {
    rig r;
    auto const act = r.activity(4);
    r.online_with_open(act);
    r.proxy->cut();
    r.expect_log("offline");
    r.press(2); // while the activity is open
    r.command("close", act);
    // Pressed well after the close (the kiosk, offline, still shows the statement): refused.
    std::this_thread::sleep_for(2500ms);
    r.press(5);
    r.proxy->restore();
    // A refusal is immediate, an acceptance waits for the commit: either may come first.
    r.expect_log("(delivered|rejected) kq-", 90s);
    r.expect_log("(delivered|rejected) kq-", 90s);
    BOOST_TEST(count_of(r.kiosk_log, "delivered kq-") == 1, r.kiosk_log);
    BOOST_TEST(std::regex_search(r.kiosk_log, std::regex("rejected kq-.*\\(closed\\)")),
               r.kiosk_log);
    auto s = r.summary(act);
    BOOST_TEST(s["n"] == 1);
    BOOST_TEST(s["counts"] == json::array({0, 1, 0, 0, 0}));
    BOOST_TEST(r.pending_in_queue() == 0u);
    BOOST_TEST(cylch::kiosk::press_queue(r.dir.file("queue.db")).rejected_count() == 1u);
    // The kiosk now knows the activity is closed: presses do nothing.
    BOOST_TEST(r.kiosk_log.find("activity " + act + " closed") != std::string::npos, r.kiosk_log);
    r.kiosk->type("4");
    std::this_thread::sleep_for(300ms);
    BOOST_TEST(count_of(r.kiosk_log + r.kiosk->line_matching(std::regex("counted"), nullptr, 500ms),
                        "counted kq-") == 2);
}

BOOST_AUTO_TEST_CASE(a_press_on_an_activity_the_kiosk_never_saw_open_is_rejected_and_reported) {
    rig r;
    auto const never_opened = r.activity(6);
    {
        // A press for an activity that was never opened (e.g. left in the queue of a kiosk
        // that was bound to another agenda).
        cylch::kiosk::press_queue q(r.dir.file("queue.db"));
        q.enqueue(never_opened, cylch::kiosk::scale_point{4}, 1'795'000'000'000);
    }
    r.start_kiosk();
    r.expect_log("online: workshop");
    auto line = r.expect_log("rejected kq-");
    BOOST_TEST(line.find("(closed)") != std::string::npos, line);
    BOOST_TEST(r.answers(never_opened) == 0);
    BOOST_TEST(r.pending_in_queue() == 0u);
    BOOST_TEST(cylch::kiosk::press_queue(r.dir.file("queue.db")).rejected_count() == 1u);
}

BOOST_AUTO_TEST_CASE(over_tls_through_nginx_the_certificate_is_checked_and_presses_arrive) {
    rig r;
    tls_proxy tls(r.dir, r.server->port);
    auto const url = "https://localhost:" + std::to_string(tls.port);
    // Without trusting the test's certificate authority the kiosk refuses the server.
    r.start_kiosk(url);
    auto refused = r.expect_log("offline: cannot connect: .*certificate verify failed");
    r.kiosk->kill_now();
    BOOST_TEST(r.kiosk_log.find("online: workshop") == std::string::npos, r.kiosk_log);
    // Trusting it: online, and a press is counted once.
    auto const act = r.activity(2);
    r.start_kiosk(url, {"--ca-file", tls.cert});
    r.expect_log("online: workshop " + r.workshop);
    r.command("open", act);
    r.expect_log("activity " + act + " open");
    r.press(5);
    r.expect_log("delivered kq-");
    BOOST_TEST(r.summary(act)["counts"] == json::array({0, 0, 0, 0, 1}));
}

BOOST_AUTO_TEST_CASE(a_wrong_device_token_is_reported_and_nothing_is_sent) {
    rig r;
    std::ofstream(r.dir.file("kiosk-token")) << "not-the-right-token-000000000000\n";
    r.start_kiosk();
    auto line = r.expect_log("not_allowed");
    BOOST_TEST(line.find("server error") != std::string::npos, line);
    r.kiosk->signal(SIGTERM);
    BOOST_TEST(r.kiosk->wait_exit(10s) == 0);
}

// A single-answer choice at the kiosk: the options on the screen in both languages, a key
// press sent as `choose` with that option and counted on channel kiosk; presses made offline
// and kept through a power cut counted once each; a multiple-answer choice left to phones.
BOOST_AUTO_TEST_CASE(a_choice_press_is_counted_on_channel_kiosk_also_after_being_offline) {
    rig r(choices_file);
    auto const act = r.activity(0);
    r.online_with_open(act);
    std::this_thread::sleep_for(300ms); // let it draw
    auto const screen = r.kiosk->terminal_output();
    for (auto text : {"Which profile is most like you?", "Pa broffil sydd fwyaf tebyg i chi?",
                      "Visionary / Gweledydd", "Builder / Adeiladydd", "Press one button"}) {
        BOOST_TEST(screen.find(text) != std::string::npos, text);
    }
    auto const line = r.press(2);
    BOOST_TEST(line.find(act + " = connector") != std::string::npos, line);
    r.expect_log("delivered kq-");
    auto s = r.summary(act);
    BOOST_TEST(s["n"] == 1);
    BOOST_TEST(s["counts"] == json({{"visionary", 0}, {"connector", 1}, {"builder", 0}}));
    BOOST_TEST(s["by_channel"]["kiosk"]["counts"]["connector"] == 1);

    // Offline: presses wait in the queue, the kiosk loses power, and the facilitator closes
    // the question before the kiosk is back. Made while it was open, they count once each.
    r.proxy->cut();
    r.expect_log("offline");
    r.press(1);
    r.press(3);
    r.press(1);
    r.kiosk->kill_now();
    BOOST_TEST(r.pending_in_queue() == 3u);
    r.command("close", act);
    r.proxy->restore();
    r.start_kiosk();
    r.expect_log("3 presses waiting");
    for (int i = 0; i < 3; ++i) {
        r.expect_log("delivered kq-", 90s);
    }
    BOOST_TEST(r.pending_in_queue() == 0u);
    s = r.summary(act);
    BOOST_TEST(s["n"] == 4);
    BOOST_TEST(s["counts"] == json({{"visionary", 2}, {"connector", 1}, {"builder", 1}}));
    BOOST_TEST(s["by_channel"]["kiosk"]["n"] == 4);
    BOOST_TEST(s["by_channel"]["web"]["n"] == 0);

    // Two answers per person cannot be one press: the kiosk sends people to their phones.
    auto const two = r.activity(1);
    r.command("open", two);
    r.expect_log("activity " + two + " open");
    std::this_thread::sleep_for(300ms);
    BOOST_TEST(r.kiosk->terminal_output().find("Please use your phone") != std::string::npos);
    r.kiosk->type("1");
    BOOST_TEST(r.kiosk->line_matching(std::regex("counted kq-"), &r.kiosk_log, 500ms).empty());
    BOOST_TEST(r.answers(two) == 0);
}

// A self-paced questionnaire at the kiosk: each person's pass through the questions is one
// respondent (docs/kiosk.md), also when the passes wait offline and arrive later.
BOOST_AUTO_TEST_CASE(each_pass_through_a_self_paced_questionnaire_is_one_respondent) {
    auto file = json::parse(R"json({
      "title": {"en": "Libraries survey", "cy": "Arolwg llyfrgelloedd"},
      "languages": ["en", "cy"], "mode": "self_paced", "min_cell": 1,
      "activities": [
        {"kind": "likert", "statement": {"en": "The library is easy to reach."}, "scale": 5},
        {"kind": "open_text", "question": {"en": "What would help?"}},
        {"kind": "choice", "question": {"en": "How do you come?", "cy": "Sut ydych chi'n dod?"},
         "options": [{"id": "walk", "label": {"en": "On foot"}},
                     {"id": "bus", "label": {"en": "By bus"}}]}
      ]})json");
    auto const now = std::chrono::duration_cast<std::chrono::seconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count();
    auto rfc3339 = [](std::int64_t secs) {
        std::time_t t = secs;
        std::tm tm{};
        gmtime_r(&t, &tm);
        char buf[32];
        std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
        return std::string(buf);
    };
    file["opens_at"] = rfc3339(now - 60);
    file["closes_at"] = rfc3339(now + 3600);
    auto const text = file.dump();
    rig r(text.c_str());
    r.start_kiosk();
    r.expect_log("online: workshop " + r.workshop);
    std::this_thread::sleep_for(300ms); // let it draw
    auto const screen = r.kiosk->terminal_output();
    BOOST_TEST(screen.find("Question 1 of 2") != std::string::npos); // open text is for phones
    BOOST_TEST(screen.find("Cwestiwn 1 o 2") != std::string::npos);
    // First person: agree, by bus. Second person: strongly disagree, on foot.
    BOOST_TEST(r.press(4).find(r.activity(0) + " = 4") != std::string::npos);
    BOOST_TEST(r.press(2).find(r.activity(2) + " = bus") != std::string::npos);
    r.press(1);
    r.press(1);
    // Third person while the link is down: the pass waits in the queue and arrives whole.
    r.proxy->cut();
    r.expect_log("offline");
    r.press(5);
    r.press(2);
    r.proxy->restore();
    BOOST_TEST(r.wait_answers(r.activity(2), 3) == 3);
    auto const likert = r.summary(r.activity(0));
    BOOST_TEST(likert["n"] == 3);
    BOOST_TEST(likert["counts"] == json::array({1, 0, 0, 1, 1}));
    auto const choice = r.summary(r.activity(2));
    BOOST_TEST(choice["counts"] == json({{"walk", 1}, {"bus", 2}}));
    // Three people, not six presses: the export has three respondents.
    auto csv = http(r.server->port, "GET", "/api/workshops/" + r.workshop + "/export.csv", "",
                    r.fac_token);
    BOOST_TEST_REQUIRE(csv.status == 200);
    std::set<std::string> respondents;
    std::istringstream lines(csv.body);
    std::string line;
    std::getline(lines, line);          // the header
    while (std::getline(lines, line)) { // no field of this workshop holds a comma
        std::istringstream fields(line);
        std::string field;
        for (int i = 0; i < 5; ++i) {
            std::getline(fields, field, ','); // the fifth: the respondent ("r1")
        }
        respondents.insert(field);
    }
    BOOST_TEST(respondents.size() == 3u, csv.body);
}

BOOST_AUTO_TEST_SUITE_END()
