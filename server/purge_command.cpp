#include "server/purge_command.hpp"

#include "server/live/registry.hpp"
#include "server/log.hpp"
#include "server/net/purge_request.hpp"
#include "server/retention.hpp"
#include "server/store/db_lock.hpp"
#include "shared/protocol/api.hpp"
#include "shared/protocol/times.hpp"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/program_options.hpp>

#include <sys/stat.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <future>
#include <iostream>
#include <thread>

namespace cylch {

namespace po = boost::program_options;
namespace asio = boost::asio;

namespace {

std::string trim(std::string s) {
    auto const first = s.find_first_not_of(" \t\r\n");
    auto const last = s.find_last_not_of(" \t\r\n");
    return first == std::string::npos ? std::string() : s.substr(first, last - first + 1);
}

// A server has the database open: it is asked to purge (POST /api/purge), so that the
// workshops it holds in memory are purged through it.
int ask_the_server(std::string const& db_path, std::string const& token_file) {
    std::string token;
    if (!token_file.empty()) {
        std::ifstream in(token_file);
        if (!in || !std::getline(in, token) || trim(token).empty()) {
            std::cerr << "cylch-server purge: cannot read an admin token from " << token_file
                      << "\n";
            return 2;
        }
    } else if (char const* env = std::getenv("CYLCH_ADMIN_TOKEN"); env != nullptr) {
        token = env;
    }
    token = trim(token);
    if (token.empty()) {
        std::cerr << "cylch-server purge: a cylch-server has " << db_path
                  << " open, and only it may purge its workshops; give --admin-token-file (or "
                     "CYLCH_ADMIN_TOKEN) to ask it now, or let it: it purges by itself at start "
                     "and every 24 hours\n";
        return 2;
    }
    std::optional<std::string> listening;
    try {
        listening = store::read_setting(db_path, "listening");
    } catch (std::exception const& e) {
        std::cerr << "cylch-server purge: cannot read " << db_path << ": " << e.what() << "\n";
        return 1;
    }
    auto const space = listening ? listening->rfind(' ') : std::string::npos;
    if (space == std::string::npos) {
        std::cerr << "cylch-server purge: the running server did not note its address in "
                  << db_path << "\n";
        return 1;
    }
    auto const host = listening->substr(0, space);
    auto const port = static_cast<std::uint16_t>(std::atoi(listening->c_str() + space + 1));
    auto answer = net::request_purge(host, port, token);
    if (auto const* failed = std::get_if<net::purge_request_failed>(&answer)) {
        std::cerr << "cylch-server purge: " << failed->reason << "\n";
        return 1;
    }
    auto const& a = std::get<net::purge_answer>(answer);
    auto const result = protocol::parse_purge_summary(a.body);
    if (a.status != 200 || !result) {
        std::cerr << "cylch-server purge: the server at " << host << ":" << port
                  << " refused: HTTP " << a.status << " " << a.body.substr(0, 300) << "\n";
        return 1;
    }
    std::cout << *result << " (by the running server)\n";
    return 0;
}

} // namespace

int purge_command(int argc, char** argv) {
    std::string db_path;
    std::string now_text;
    std::string token_file;
    po::options_description options(
        "cylch-server purge --db DB [--now RFC3339] [--admin-token-file F]");
    options.add_options()("help", "show this help")("db", po::value(&db_path)->required(),
                                                    "the server's database")(
        "now", po::value(&now_text),
        "purge as if it were this time (RFC 3339, e.g. 2027-01-01T00:00:00Z); default: now. "
        "Only for a database that no server has open")(
        "admin-token-file", po::value(&token_file),
        "when a server has the database open: the admin token (else CYLCH_ADMIN_TOKEN), to ask "
        "it to purge now");
    store::time_ms now = std::chrono::duration_cast<std::chrono::milliseconds>(
                             std::chrono::system_clock::now().time_since_epoch())
                             .count();
    try {
        po::variables_map vm;
        po::store(po::command_line_parser(argc, argv).options(options).run(), vm);
        if (vm.count("help") != 0) {
            std::cout << options;
            return 0;
        }
        po::notify(vm);
    } catch (po::error const& e) {
        std::cerr << "cylch-server purge: " << e.what() << "\n" << options;
        return 2;
    }
    if (!now_text.empty()) {
        auto parsed = protocol::parse_rfc3339(now_text);
        if (!parsed) {
            std::cerr << "cylch-server purge: --now must be an RFC 3339 time such as "
                         "2027-01-01T00:00:00Z, not \""
                      << now_text << "\"\n";
            return 2;
        }
        now = *parsed;
    }
    struct stat st {};
    if (::stat(db_path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) {
        std::cerr << "cylch-server purge: there is no database at " << db_path << "\n";
        return 2;
    }
    store::db_lock lock(db_path, store::db_lock::mode::exclusive_try);
    if (!lock.opened()) {
        std::cerr << "cylch-server purge: cannot open " << db_path << " for writing\n";
        return 2;
    }
    if (!lock.held()) {
        if (!now_text.empty()) {
            std::cerr << "cylch-server purge: --now is only for a database that no server has "
                         "open; a cylch-server has "
                      << db_path << " open and purges at its own time\n";
            return 2;
        }
        return ask_the_server(db_path, token_file);
    }
    // The command's output is its summary; the server's info lines (workshop loaded, purged)
    // would only repeat it.
    log::set_level(log::level::warn);
    try {
        store::store db(store::store_options{db_path});
        asio::io_context ioc;
        auto work = asio::make_work_guard(ioc);
        std::thread runner([&ioc] { ioc.run(); });
        cylch::metrics counters;
        retention::purge_report report;
        {
            live::registry workshops(ioc.get_executor(), db, live::actor_options{}, counters);
            workshops.restore({}, db.load_ended()); // only ended workshops are ever due
            std::promise<retention::purge_report> result;
            retention::purge_due(workshops, db, now, [&result](retention::purge_report r) {
                result.set_value(std::move(r));
            });
            report = result.get_future().get();
            workshops.halt();
            work.reset();
            ioc.stop();
            runner.join();
        }
        db.stop();
        std::cout << retention::describe(report) << "\n";
        return report.failed.empty() && report.listed ? 0 : 1;
    } catch (std::exception const& e) {
        std::cerr << "cylch-server purge: " << e.what() << "\n";
        return 1;
    }
}

} // namespace cylch
