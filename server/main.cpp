// cylch-server: options, the server object, signals, and a clean stop. Nothing else.
#include "server/app.hpp"
#include "server/log.hpp"
#include "server/purge_command.hpp"
#include "server/store/audit.hpp"
#include "server/store/backup.hpp"
#include "server/user_command.hpp"

#include <boost/program_options.hpp>

#include <arpa/inet.h>
#include <ifaddrs.h>
#include <net/if.h>

#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>

namespace po = boost::program_options;

namespace {

std::string trim(std::string s) {
    auto const first = s.find_first_not_of(" \t\r\n");
    auto const last = s.find_last_not_of(" \t\r\n");
    return first == std::string::npos ? std::string() : s.substr(first, last - first + 1);
}

// The first IPv4 address of this machine that is not loopback, so that the printed links work
// from phones on the same network; "localhost" when there is none.
std::string lan_address() {
    ifaddrs* list = nullptr;
    if (getifaddrs(&list) != 0) {
        return "localhost";
    }
    std::string out = "localhost";
    for (auto* i = list; i != nullptr; i = i->ifa_next) {
        if (i->ifa_addr == nullptr || i->ifa_addr->sa_family != AF_INET ||
            (i->ifa_flags & IFF_LOOPBACK) != 0 || (i->ifa_flags & IFF_UP) == 0) {
            continue;
        }
        char text[INET_ADDRSTRLEN] = {};
        auto const* in = reinterpret_cast<sockaddr_in const*>(i->ifa_addr);
        if (inet_ntop(AF_INET, &in->sin_addr, text, sizeof text) != nullptr) {
            out = text;
            break;
        }
    }
    freeifaddrs(list);
    return out;
}

void print_links(cylch::server_config const& config, std::uint16_t port,
                 std::string const& public_url, cylch::live::created_workshop const& w) {
    std::string base = public_url;
    if (base.empty()) {
        auto host = config.bind == "0.0.0.0" || config.bind == "::" ? lan_address() : config.bind;
        base = "http://" + host + ":" + std::to_string(port);
    }
    std::cout << "workshop: " << w.id << "\n"
              << "  code: " << w.code << "\n"
              << "  participants join at: " << base << "/j/" << w.code << "\n"
              << "  facilitator token: " << w.facilitator_token << "\n"
              << "  facilitator link: " << base << "/f/" << w.id << "#" << w.facilitator_token
              << "\n"
              << "  presenter token: " << w.presenter_token << "\n"
              << "  presenter link: " << base << "/p/" << w.id << "#" << w.presenter_token << "\n"
              << "  try it: websocat " << (base.starts_with("https") ? "wss" : "ws")
              << base.substr(base.find(':')) << "/ws  then send "
              << R"({"type":"hello","v":1,"role":"participant","code":")" << w.code << R"("})"
              << "\n";
}

// `cylch-server backup --db DB FILE`: a consistent copy of DB at FILE, also while the server
// runs (docs/operations.md, "Backups").
int backup_command(int argc, char** argv) {
    std::string db;
    std::string file;
    po::options_description options("cylch-server backup --db DB FILE");
    options.add_options()("help", "show this help")("db", po::value(&db)->required(),
                                                    "the server's database")(
        "file", po::value(&file)->required(), "where the copy is written (replaced when there)");
    po::positional_options_description positional;
    positional.add("file", 1);
    try {
        po::variables_map vm;
        po::store(po::command_line_parser(argc, argv).options(options).positional(positional).run(),
                  vm);
        if (vm.count("help") != 0) {
            std::cout << options;
            return 0;
        }
        po::notify(vm);
        auto const r = cylch::store::backup(db, file);
        std::cout << "backup of " << db << " written to " << file << " (" << r.pages << " pages)\n";
        // Recorded in the source database (the copy was taken just before).
        try {
            cylch::store::audit_entry e;
            e.at = cylch::store::audit_now();
            e.actor_kind = cylch::protocol::audit_actor::operator_;
            e.actor = "operator";
            e.action = cylch::protocol::audit_action::backup;
            e.detail = std::filesystem::path(file).filename().string();
            cylch::store::append_audit(db, e);
        } catch (std::exception const& e) {
            std::cerr << "cylch-server backup: the copy is made, but the audit log could not "
                         "record it: "
                      << e.what() << "\n";
        }
        return 0;
    } catch (std::exception const& e) {
        std::cerr << "cylch-server backup: " << e.what() << "\n";
        return 1;
    }
}

} // namespace

int main(int argc, char** argv) {
    if (argc >= 2 && std::string_view(argv[1]) == "user") {
        return cylch::user_command(argc - 1, argv + 1);
    }
    if (argc >= 2 && std::string_view(argv[1]) == "purge") {
        return cylch::purge_command(argc - 1, argv + 1);
    }
    if (argc >= 2 && std::string_view(argv[1]) == "backup") {
        return backup_command(argc - 1, argv + 1);
    }
    cylch::server_config config;
    std::string log_level = "info";
    std::string admin_token_file;
    std::string public_url;
    std::string sync = "full";
    long flush_ms = 100;
    long ended_idle_s = 600;
    long hello_timeout_ms = 10'000;
    long session_hours = 12;

    po::options_description options("cylch-server options");
    options.add_options()("help,h", "show this help and exit")(
        "bind", po::value(&config.bind)->default_value(config.bind),
        "IP address to listen on (0.0.0.0 for every interface)")(
        "port", po::value(&config.port)->default_value(config.port),
        "TCP port for HTTP and WebSocket (/ws); 0 picks a free port")(
        "db", po::value(&config.db_path)->default_value(config.db_path),
        "SQLite database file (created when missing)")(
        "web-root", po::value(&config.web_root)->default_value(config.web_root),
        "folder of the built web client (web_client/dist); empty serves a placeholder page")(
        "threads", po::value(&config.threads)->default_value(0),
        "I/O threads; 0 means one per core")(
        "import", po::value(&config.imports)->composing(),
        "workshop file (JSON) to create at start-up; may be given several times")(
        "import-once", po::bool_switch(&config.import_once),
        "create each --import file only if this database has not had it before (a restarted "
        "demo keeps one workshop)")(
        "admin-token-file", po::value(&admin_token_file),
        "file holding the admin token (else CYLCH_ADMIN_TOKEN; else one is generated at "
        "the first start and printed once)")(
        "public-url", po::value(&public_url),
        "base URL that people use to reach the server (for the printed links), "
        "e.g. https://cylch.example.org")(
        "flush-ms", po::value(&flush_ms)->default_value(flush_ms),
        "at most one live summary per workshop per this many milliseconds")(
        "max-frame", po::value(&config.max_frame)->default_value(config.max_frame),
        "largest client WebSocket frame in bytes; larger frames close the connection (1009)")(
        "hello-timeout-ms", po::value(&hello_timeout_ms)->default_value(hello_timeout_ms),
        "a connection must send hello within this many milliseconds (else closed, 1008)")(
        "max-queued-frames",
        po::value(&config.max_queued_frames)->default_value(config.max_queued_frames),
        "frames waiting for one slow client before it is disconnected")(
        "max-queued-bytes",
        po::value(&config.max_queued_bytes)->default_value(config.max_queued_bytes),
        "bytes waiting for one slow client before it is disconnected")(
        "max-body", po::value(&config.max_body)->default_value(config.max_body),
        "largest HTTP request body in bytes (413 above)")(
        "rate", po::value(&config.rate_per_second)->default_value(config.rate_per_second),
        "client frames per second allowed per connection (more get rate_limited)")(
        "burst", po::value(&config.rate_burst)->default_value(config.rate_burst),
        "client frames allowed in a burst per connection")(
        "store-queue", po::value(&config.store_queue)->default_value(config.store_queue),
        "batches waiting for the database writer before requests get rate_limited")(
        "sync", po::value(&sync)->default_value(sync),
        "SQLite synchronous mode: full (every ack survives power loss) or normal")(
        "metrics-public", po::bool_switch(&config.metrics_public),
        "serve /metrics to every client, not only loopback")(
        "allowed-origin", po::value(&config.allowed_origins)->composing(),
        "a browser origin (e.g. https://cylch.example.org) whose pages may open WebSockets, "
        "besides the server's own host and --public-url; may be given several times")(
        "max-connections",
        po::value(&config.max_connections)->default_value(config.max_connections),
        "open WebSocket connections in all; more are refused with 503 (0: no cap)")(
        "max-connections-per-address",
        po::value(&config.max_connections_per_address)
            ->default_value(config.max_connections_per_address),
        "open WebSocket connections from one client address (X-Forwarded-For behind a local "
        "proxy); more are refused with 503 (0: no cap)")(
        "max-total-queued-bytes",
        po::value(&config.max_total_queued_bytes)->default_value(config.max_total_queued_bytes),
        "bytes waiting for all clients together; beyond, the largest queues are disconnected")(
        "max-workshops", po::value(&config.max_workshops)->default_value(config.max_workshops),
        "workshops this server holds; POST /api/workshops is refused beyond (0: no cap)")(
        "ended-idle-s", po::value(&ended_idle_s)->default_value(ended_idle_s),
        "seconds an ended workshop stays in memory without a connection or a request (it is "
        "read from the database again when asked for)")(
        "failed-burst", po::value(&config.failed_burst)->default_value(config.failed_burst),
        "wrong join codes or tokens allowed at once from one address before rate_limited")(
        "failed-rate", po::value(&config.failed_rate)->default_value(config.failed_rate),
        "wrong join codes or tokens per second regained by one address")(
        "failed-global-burst",
        po::value(&config.failed_global_burst)->default_value(config.failed_global_burst),
        "wrong join codes or tokens allowed at once from all addresses together")(
        "failed-global-rate",
        po::value(&config.failed_global_rate)->default_value(config.failed_global_rate),
        "wrong join codes or tokens per second regained by the whole server")(
        "session-hours", po::value(&session_hours)->default_value(session_hours),
        "a staff sign-in lasts this many hours (1..720)")(
        "log-level", po::value(&log_level)->default_value(log_level),
        "debug, info, warn, error or off");

    po::variables_map vm;
    try {
        po::store(po::parse_command_line(argc, argv, options), vm);
        po::notify(vm);
    } catch (po::error const& e) {
        std::cerr << "cylch-server: " << e.what() << "\n(see cylch-server --help)\n";
        return 2;
    }
    if (vm.count("help")) {
        std::cout
            << "cylch-server: live facilitated workshops (Likert agreement) over HTTP and "
               "WebSocket.\n\nUsage: cylch-server [options]\n       cylch-server user add|list … "
               "(staff accounts: cylch-server user --help)\n       cylch-server purge --db DB "
               "[--now RFC3339] (retention)\n       cylch-server backup --db DB FILE\n\n"
            << options
            << "\nEnvironment:\n  CYLCH_ADMIN_TOKEN   the admin token (when no "
               "--admin-token-file)\n\nSignals: SIGTERM or SIGINT stop cleanly (pending "
               "answers are committed, clients get 1001).\n";
        return 0;
    }
    cylch::log::level level{};
    if (!cylch::log::parse_level(log_level, level)) {
        std::cerr << "cylch-server: --log-level must be debug, info, warn, error or off\n";
        return 2;
    }
    cylch::log::set_level(level);
    if (sync != "full" && sync != "normal") {
        std::cerr << "cylch-server: --sync must be full or normal\n";
        return 2;
    }
    if (flush_ms < 1 || flush_ms > 60'000 || hello_timeout_ms < 100) {
        std::cerr << "cylch-server: --flush-ms must be 1..60000 and --hello-timeout-ms >= 100\n";
        return 2;
    }
    if (ended_idle_s < 1) {
        std::cerr << "cylch-server: --ended-idle-s must be at least 1\n";
        return 2;
    }
    config.ended_idle = std::chrono::seconds(ended_idle_s);
    if (session_hours < 1 || session_hours > 720) {
        std::cerr << "cylch-server: --session-hours must be 1..720\n";
        return 2;
    }
    config.session_lifetime = std::chrono::hours(session_hours);
    if (config.failed_burst < 1 || config.failed_rate <= 0 || config.failed_global_burst < 1 ||
        config.failed_global_rate <= 0) {
        std::cerr << "cylch-server: --failed-burst and --failed-global-burst must be >= 1, "
                     "--failed-rate and --failed-global-rate > 0\n";
        return 2;
    }
    config.public_url = public_url;
    config.synchronous_full = sync == "full";
    config.flush_interval = std::chrono::milliseconds(flush_ms);
    config.hello_timeout = std::chrono::milliseconds(hello_timeout_ms);
    if (!admin_token_file.empty()) {
        std::ifstream in(admin_token_file);
        std::string token;
        if (!in || !std::getline(in, token) || trim(token).empty()) {
            std::cerr << "cylch-server: cannot read an admin token from " << admin_token_file
                      << "\n";
            return 2;
        }
        config.admin_token = trim(token);
    } else if (char const* env = std::getenv("CYLCH_ADMIN_TOKEN"); env != nullptr && *env) {
        config.admin_token = trim(env);
    }

    // Block the stop signals in every thread; main waits for them below.
    sigset_t stop_signals;
    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGINT);
    sigaddset(&stop_signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
    std::signal(SIGPIPE, SIG_IGN);

    try {
        cylch::server server(config);
        server.start();
        std::cout << "listening on http://" << config.bind << ":" << server.port() << "\n";
        if (auto const& token = server.generated_admin_token()) {
            std::cout << "admin token (shown once; keep it): " << *token << "\n";
        }
        for (auto const& w : server.imported()) {
            print_links(config, server.port(), public_url, w);
        }
        for (auto const& w : server.imported_before()) {
            // Its tokens were printed once, at the first start; staff open it by signing in.
            std::cout << "workshop: " << w.id << " (imported before from " << w.path << ")\n"
                      << "  code: " << w.code << "\n"
                      << "  open its console and big screen from the staff pages (/s)\n";
        }
        std::cout << std::flush;
        int sig = 0;
        sigwait(&stop_signals, &sig);
        cylch::log::info("stopping", {{"signal", sig == SIGTERM ? "SIGTERM" : "SIGINT"}});
        server.stop();
    } catch (cylch::startup_error const& e) {
        std::cerr << "cylch-server: " << e.what() << "\n";
        return 2;
    } catch (std::exception const& e) {
        std::cerr << "cylch-server: " << e.what() << "\n";
        return 1;
    }
    return 0;
}
