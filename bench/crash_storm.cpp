// cylch-crash-storm: kills cylch-server with SIGKILL at random moments while many clients add
// sticky notes, restarts it on the same database and port, and checks after every restart that
// each note.add acknowledged before the kill is on its board exactly once, and that no note is
// ever there twice (clients resend what was not acknowledged, with the same op, as the web
// client does). At the end every client's last requests are drained and every acknowledged note
// must be there once, and nothing else. docs/benchmarks.md, "Crash storm".
//
// A correctness check, not a measurement: the exit status is 1 on any violation, and timing
// never fails a run. One thread: the clients run on one ws_pool event loop between the kills.
#include "bench/frames.hpp"
#include "bench/processes.hpp"
#include "bench/ws_pool.hpp"

#include <nlohmann/json.hpp>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <unordered_map>

#include <sys/wait.h>
#include <unistd.h>

namespace {

using namespace cylch::bench;
using json = nlohmann::json;
using clock_type = std::chrono::steady_clock;
using namespace std::chrono_literals;

struct options {
    std::string server_bin;
    int clients = 100;
    int kills = 20;
    int boards = 40;
    int interval_ms = 200; // each client adds a note this often
    int window = 4;        // note.adds in flight per client
    int min_gap_ms = 300;  // a kill comes this long after the restart, at the soonest…
    int max_gap_ms = 2000; // …and at the latest
    int settle_s = 30;     // the final drain's bound
    std::uint64_t seed = 1;
    std::string out = "crash-storm.json";
    bool keep = false;
};

void usage() {
    std::cout << R"(cylch-crash-storm: SIGKILL cylch-server at random moments under a burst of
note.add requests; after each restart every acknowledged note must be present exactly once.

  --server-bin PATH    cylch-server (default: ../server/cylch-server next to this program)
  --kills N            how many times the server is killed (default 20)
  --clients N          participants adding notes (default 100)
  --boards N           boards of the generated workshop, all open (default 40)
  --interval-ms MS     each client adds a note this often (default 200)
  --window N           note.adds in flight per client (default 4)
  --min-gap-ms MS, --max-gap-ms MS
                       a kill comes at a random moment this long after the last restart
                       (default 300 .. 2000)
  --settle-s S         bound of the final drain (default 30)
  --seed N, --out FILE (default crash-storm.json), --keep (keep the temporary folder)
Exit status 1 when an acknowledged note is missing or any note is there twice.
)";
}

options parse(int argc, char** argv) {
    options o;
    o.server_bin =
        (std::filesystem::path(argv[0]).parent_path() / "../server/cylch-server").string();
    std::map<std::string, int*> const numbers{
        {"--kills", &o.kills},           {"--clients", &o.clients},
        {"--boards", &o.boards},         {"--interval-ms", &o.interval_ms},
        {"--window", &o.window},         {"--min-gap-ms", &o.min_gap_ms},
        {"--max-gap-ms", &o.max_gap_ms}, {"--settle-s", &o.settle_s}};
    for (int i = 1; i < argc; ++i) {
        std::string const a = argv[i];
        auto value = [&]() -> std::string {
            if (i + 1 >= argc) {
                throw std::invalid_argument(a + " needs a value");
            }
            return argv[++i];
        };
        if (a == "--help") {
            usage();
            std::exit(0);
        } else if (a == "--server-bin") {
            o.server_bin = value();
        } else if (a == "--out") {
            o.out = value();
        } else if (a == "--seed") {
            o.seed = std::stoull(value());
        } else if (a == "--keep") {
            o.keep = true;
        } else if (auto it = numbers.find(a); it != numbers.end()) {
            *it->second = std::stoi(value());
        } else {
            throw std::invalid_argument("unknown option " + a + " (see --help)");
        }
    }
    if (o.kills < 0 || o.clients < 1 || o.boards < 1 || o.boards > 500 || o.interval_ms < 1 ||
        o.window < 1 || o.min_gap_ms < 0 || o.max_gap_ms < o.min_gap_ms) {
        throw std::invalid_argument("an option is out of range (see --help)");
    }
    return o;
}

// Boards without columns, each participant seeing only their own notes (hidden_until_reveal),
// so that note pushes do not grow with the square of the clients; no consent step, so that a
// participant's first note is also their first action (and stores them).
json workshop_file(int boards) {
    json acts = json::array();
    for (int b = 0; b < boards; ++b) {
        acts.push_back({{"kind", "board"},
                        {"prompt", {{"en", "Board " + std::to_string(b + 1)}}},
                        {"hidden_until_reveal", true}});
    }
    return {{"title", {{"en", "Crash storm"}}}, {"activities", acts}};
}

// A note.add of one client: sent, resent after every reconnect until it is acknowledged.
struct note_request {
    std::string text; // unique: "storm <client> <seq>"
    std::string frame;
};

struct client {
    std::uint32_t index = 0;
    std::optional<ws_pool::id> conn;
    bool joined = false;
    std::string token; // resumes the identity after a reconnect
    std::uint32_t seq = 0;
    std::map<std::string, note_request> in_flight; // by op
    clock_type::time_point next_add{};
};

class storm : public ws_pool::handler {
public:
    storm(options const& o, server_info const& server, std::vector<std::string> boards)
        : o_(o)
        , server_(server)
        , boards_(std::move(boards))
        , rng_(o.seed)
        , pool_(pool_options{"127.0.0.1", server.port, "/ws", {}, 256, 15s}, *this) {
        for (int i = 0; i < o.clients; ++i) {
            clients_.emplace_back().index = static_cast<std::uint32_t>(i);
            connect(clients_.back());
        }
        pool_.after(10ms, [this] { tick(); });
    }

    void run_for(std::chrono::milliseconds d) {
        auto const end = clock_type::now() + d;
        while (clock_type::now() < end) {
            pool_.run_for(std::min<std::chrono::milliseconds>(
                50ms,
                std::chrono::duration_cast<std::chrono::milliseconds>(end - clock_type::now()) +
                    1ms));
        }
    }

    // Every joined client fills its window at once: the kill that follows finds requests
    // unwritten, written but not committed, and committed but not yet acknowledged.
    void burst() {
        for (auto& c : clients_) {
            while (adding_ && c.joined && c.conn &&
                   c.in_flight.size() < static_cast<std::size_t>(o_.window)) {
                add_note(c);
            }
        }
    }

    // Stops adding new notes; what is in flight is still resent until acknowledged.
    void stop_adding() { adding_ = false; }
    bool drained() const {
        return std::all_of(clients_.begin(), clients_.end(),
                           [](client const& c) { return c.joined && c.in_flight.empty(); });
    }
    std::size_t in_flight() const {
        std::size_t n = 0;
        for (auto const& c : clients_) {
            n += c.in_flight.size();
        }
        return n;
    }

    std::set<std::string> const& acked() const { return acked_; }
    std::set<std::string> sent() const {
        auto all = acked_;
        for (auto const& c : clients_) {
            for (auto const& [op, r] : c.in_flight) {
                all.insert(r.text);
            }
        }
        return all;
    }
    std::map<std::string, int> const& unexpected() const { return unexpected_; }
    std::uint64_t resends() const { return resends_; }
    std::uint64_t reconnects() const { return reconnects_; }

    // ---- ws_pool::handler ----

    void on_open(ws_pool::id id) override {
        auto* c = client_of(id);
        if (c == nullptr) {
            return;
        }
        json hello{{"type", "hello"}, {"v", 1}, {"role", "participant"}, {"code", server_.code}};
        hello["token"] = c->token.empty() ? json(nullptr) : json(c->token);
        pool_.send(id, hello.dump());
    }

    void on_frame(ws_pool::id id, std::string_view text) override {
        auto* c = client_of(id);
        server_frame f;
        if (c == nullptr || !scan(text, f)) {
            return;
        }
        if (f.type == "welcome") {
            auto const w = json::parse(text);
            if (auto const& you = w["you"]; you.contains("token")) {
                c->token = you["token"].get<std::string>(); // a new identity (or the first)
            }
            c->joined = true;
            for (auto const& [op, r] : c->in_flight) {
                pool_.send(id, r.frame); // same op: applied once whatever happened before
                ++resends_;
            }
        } else if (f.type == "ack") {
            auto it = c->in_flight.find(std::string(f.op));
            if (it != c->in_flight.end()) {
                acked_.insert(it->second.text);
                c->in_flight.erase(it);
            }
        } else if (f.type == "error") {
            auto it = c->in_flight.find(std::string(f.op));
            if (f.code == "rate_limited" || f.code == "server_error") {
                if (it != c->in_flight.end()) {
                    pool_.after(250ms, [this, idx = c->index, op = it->first] { resend(idx, op); });
                }
                return;
            }
            ++unexpected_[std::string(f.code)];
            if (it != c->in_flight.end()) {
                c->in_flight.erase(it); // refused for good: not expected on the board
            }
        }
    }

    void on_close(ws_pool::id id, std::string_view) override {
        auto* c = client_of(id);
        if (c == nullptr) {
            return;
        }
        conn_client_.erase(id);
        c->conn.reset();
        c->joined = false;
        std::uniform_int_distribution<int> backoff(50, 300);
        pool_.after(std::chrono::milliseconds(backoff(rng_)), [this, idx = c->index] {
            ++reconnects_;
            connect(clients_[idx]);
        });
    }

private:
    client* client_of(ws_pool::id id) {
        auto it = conn_client_.find(id);
        return it == conn_client_.end() ? nullptr : &clients_[it->second];
    }

    void connect(client& c) {
        auto const id = pool_.add();
        conn_client_[id] = c.index;
        c.conn = id;
    }

    void resend(std::uint32_t index, std::string const& op) {
        auto& c = clients_[index];
        auto it = c.in_flight.find(op);
        if (c.joined && c.conn && it != c.in_flight.end()) {
            pool_.send(*c.conn, it->second.frame);
            ++resends_;
        }
    }

    void tick() {
        auto const now = clock_type::now();
        for (auto& c : clients_) {
            if (!adding_ || !c.joined || !c.conn || now < c.next_add ||
                c.in_flight.size() >= static_cast<std::size_t>(o_.window)) {
                continue;
            }
            c.next_add = now + std::chrono::milliseconds(o_.interval_ms);
            add_note(c);
        }
        pool_.after(10ms, [this] { tick(); });
    }

    void add_note(client& c) {
        auto const seq = ++c.seq;
        auto const op = make_op(7, c.index, seq);
        auto const text = "storm " + std::to_string(c.index) + " " + std::to_string(seq);
        auto const& board = boards_[(c.index + seq) % boards_.size()];
        note_request r{text, note_add_frame(op, board, text, "yellow", "", 0.5, 0.5)};
        pool_.send(*c.conn, r.frame);
        c.in_flight.emplace(op, std::move(r));
    }

    options const& o_;
    server_info const& server_;
    std::vector<std::string> const boards_;
    std::mt19937_64 rng_;
    ws_pool pool_;
    std::vector<client> clients_;
    std::unordered_map<ws_pool::id, std::uint32_t> conn_client_;
    std::set<std::string> acked_;
    std::map<std::string, int> unexpected_;
    std::uint64_t resends_ = 0;
    std::uint64_t reconnects_ = 0;
    bool adding_ = true;
};

// The facilitator opens every board (once: the states are stored) and returns their ids.
class opener : public ws_pool::handler {
public:
    explicit opener(server_info const& s)
        : server_(s)
        , pool_(pool_options{"127.0.0.1", s.port, "/ws", {}, 1, 15s}, *this) {
        pool_.add();
    }
    std::vector<std::string> run() {
        auto const deadline = clock_type::now() + 30s;
        while (!done_ && !failed_ && clock_type::now() < deadline) {
            pool_.run_for(50ms);
        }
        if (!done_ || boards_.empty()) {
            throw std::runtime_error("the facilitator could not open the boards");
        }
        pool_.close(0);
        pool_.run_for(100ms);
        return boards_;
    }
    void on_open(ws_pool::id id) override {
        pool_.send(id, hello_staff("facilitator", server_.workshop_id, server_.facilitator_token));
    }
    void on_frame(ws_pool::id id, std::string_view text) override {
        server_frame f;
        if (!scan(text, f)) {
            return;
        }
        if (f.type == "welcome") {
            auto const welcome = json::parse(text);
            for (auto const& a : welcome.at("agenda")) {
                boards_.push_back(a.at("id").get<std::string>());
            }
            open_next(id);
        } else if (f.type == "ack") {
            open_next(id);
        } else if (f.type == "error") {
            failed_ = true;
        }
    }
    void on_close(ws_pool::id, std::string_view) override { failed_ = !done_; }

private:
    void open_next(ws_pool::id id) {
        if (next_ == boards_.size()) {
            done_ = true;
            return;
        }
        auto const& b = boards_[next_];
        pool_.send(id,
                   activity_command("open", make_op(8, 0, static_cast<std::uint32_t>(next_)), b));
        ++next_;
    }

    server_info const& server_;
    ws_pool pool_;
    std::vector<std::string> boards_;
    std::size_t next_ = 0;
    bool done_ = false;
    bool failed_ = false;
};

// How often each note text is on the boards now (GET …/results with the facilitator token);
// nullopt when the results could not be read.
std::optional<std::map<std::string, int>> notes_on_boards(server_info const& s) {
    auto const body = http_get(s.port, "/api/workshops/" + s.workshop_id + "/results", 30s,
                               {"Authorization: Bearer " + s.facilitator_token});
    auto const results = json::parse(body, nullptr, false);
    if (results.is_discarded() || !results.contains("activities")) {
        return std::nullopt;
    }
    std::map<std::string, int> count;
    for (auto const& a : results["activities"]) {
        if (a.contains("board")) {
            for (auto const& n : a["board"]["notes"]) {
                ++count[n["text"].get<std::string>()];
            }
        }
    }
    return count;
}

// What the boards hold against what was acknowledged: every acknowledged note once, none twice.
struct check {
    std::size_t acked = 0;
    std::size_t once = 0;
    std::size_t missing = 0;
    std::size_t twice = 0;           // any text there more than once
    std::size_t unknown = 0;         // texts no client sent
    std::size_t unacked_present = 0; // sent, not acknowledged, yet stored before the kill
    bool read = false;
    bool ok() const { return read && missing == 0 && twice == 0 && unknown == 0; }
    json to_json() const {
        return {{"acked", acked},      {"present_once", once}, {"missing", missing},
                {"twice", twice},      {"unknown", unknown},   {"unacked_present", unacked_present},
                {"results_read", read}};
    }
};

check compare(server_info const& s, std::set<std::string> const& acked,
              std::set<std::string> const& sent) {
    check c;
    c.acked = acked.size();
    auto const notes = notes_on_boards(s);
    if (!notes) {
        return c;
    }
    c.read = true;
    for (auto const& text : acked) {
        auto it = notes->find(text);
        if (it == notes->end()) {
            ++c.missing;
        } else if (it->second == 1) {
            ++c.once;
        }
    }
    for (auto const& [text, n] : *notes) {
        c.twice += n > 1 ? 1 : 0;
        c.unknown += sent.contains(text) ? 0 : 1;
        c.unacked_present += sent.contains(text) && !acked.contains(text) ? 1 : 0;
    }
    return c;
}

std::vector<std::string> server_argv(options const& o, std::filesystem::path const& dir,
                                     std::uint16_t port, bool import) {
    std::vector<std::string> argv{o.server_bin,
                                  "--bind",
                                  "127.0.0.1",
                                  "--port",
                                  std::to_string(port),
                                  "--db",
                                  (dir / "storm.db").string(),
                                  "--admin-token-file",
                                  (dir / "admin-token").string(),
                                  "--log-level",
                                  "warn",
                                  "--max-connections-per-address",
                                  "0"};
    if (import) {
        argv.emplace_back("--import");
        argv.push_back((dir / "storm-workshop.json").string());
    }
    return argv;
}

int run(options const& o) {
    auto const dir = std::filesystem::temp_directory_path() /
                     ("cylch-crash-storm-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    std::ofstream(dir / "admin-token") << "crash-storm-admin-token-0123456789\n";
    std::ofstream(dir / "storm-workshop.json") << workshop_file(o.boards).dump(2) << "\n";
    auto const log = (dir / "server.log").string();
    raise_file_limit();

    auto server = start_server(server_argv(o, dir, 0, true), log, true);
    auto const boards = opener(server).run();
    storm clients(o, server, boards);
    std::mt19937_64 rng(o.seed);
    std::uniform_int_distribution<int> gap(o.min_gap_ms, o.max_gap_ms);
    json kills = json::array();
    bool ok = true;
    std::cout << "crash storm: " << o.clients << " clients, " << o.boards << " boards, " << o.kills
              << " kills; server log " << log << "\n";

    for (int k = 1; k <= o.kills; ++k) {
        auto const after = gap(rng);
        clients.run_for(std::chrono::milliseconds(after));
        // Then a burst, and the kill 1-5 ms into it.
        clients.burst();
        clients.run_for(std::chrono::milliseconds(1 + static_cast<int>(rng() % 5)));
        auto const acked = clients.acked(); // before the kill
        auto const in_flight = clients.in_flight();
        ::kill(server.pid, SIGKILL);
        int status = 0;
        ::waitpid(server.pid, &status, 0);
        auto const t0 = clock_type::now();
        auto const info = server;
        server = start_server(server_argv(o, dir, server.port, false), log, false);
        server.workshop_id = info.workshop_id;
        server.code = info.code;
        server.facilitator_token = info.facilitator_token;
        auto const restart_ms =
            std::chrono::duration_cast<std::chrono::milliseconds>(clock_type::now() - t0).count();
        auto const c = compare(server, acked, clients.sent());
        ok = ok && c.ok();
        auto row = c.to_json();
        row["kill"] = k;
        row["after_ms"] = after;
        row["restart_ms"] = restart_ms;
        row["in_flight_at_kill"] = in_flight;
        kills.push_back(row);
        std::cout << "kill " << k << "/" << o.kills << " after " << after << " ms: " << c.acked
                  << " acked before it (" << in_flight << " in flight), " << c.once
                  << " present once, " << c.missing << " missing, " << c.twice << " twice, "
                  << c.unknown << " unknown, " << c.unacked_present
                  << " stored but not acknowledged; restarted in " << restart_ms << " ms"
                  << (c.ok() ? "" : "  <-- VIOLATION") << "\n";
    }

    // The burst goes on a little, then stops; everything in flight is resent until acked.
    clients.run_for(1s);
    clients.stop_adding();
    auto const deadline = clock_type::now() + std::chrono::seconds(o.settle_s);
    while (!clients.drained() && clock_type::now() < deadline) {
        clients.run_for(100ms);
    }
    bool const drained = clients.drained();
    auto const final_check = compare(server, clients.acked(), clients.sent());
    auto const on_boards = notes_on_boards(server);
    std::size_t notes = 0;
    for (auto const& [text, n] : on_boards.value_or(std::map<std::string, int>{})) {
        notes += static_cast<std::size_t>(n);
    }
    // Drained, every note on the boards is an acknowledged one.
    bool const exact = drained && notes == clients.acked().size();
    ok = ok && final_check.ok() && exact && clients.unexpected().empty();
    auto const stopped = stop_process(server.pid, 10s);

    json report{{"clients", o.clients},
                {"boards", o.boards},
                {"kills", kills},
                {"final", final_check.to_json()},
                {"drained", drained},
                {"in_flight_left", clients.in_flight()},
                {"notes_on_boards", notes},
                {"resends", clients.resends()},
                {"reconnects", clients.reconnects()},
                {"unexpected_errors", clients.unexpected()},
                {"clean_stop_status", stopped},
                {"seed", o.seed},
                {"ok", ok}};
    std::ofstream(o.out) << report.dump(2) << "\n";
    std::cout << "final: " << clients.acked().size() << " notes acknowledged, " << notes
              << " on the boards, " << final_check.missing << " missing, " << final_check.twice
              << " twice, " << clients.in_flight() << " still in flight, " << clients.resends()
              << " resends, " << clients.reconnects() << " reconnects; " << (ok ? "OK" : "FAILED")
              << " (" << o.out << ")\n";
    if (!o.keep) {
        std::error_code ec;
        std::filesystem::remove_all(dir, ec);
    }
    return ok ? 0 : 1;
}

} // namespace

int main(int argc, char** argv) {
    try {
        return run(parse(argc, argv));
    } catch (std::exception const& e) {
        std::cerr << "cylch-crash-storm: " << e.what() << "\n";
        return 2;
    }
}
