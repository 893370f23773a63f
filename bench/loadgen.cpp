// cylch-loadgen: drives a real cylch-server (and, in the same run, the minimal baseline
// server) over loopback and reports what it measured. See docs/benchmarks.md.
//
//   cylch-loadgen --scenario smoke|burst|capacity|ingest|fanout|board [--participants N] [options]
//
// The parent process starts the server (or attaches to one), holds the facilitator and
// presenter connections, and forks --procs workers that each drive a slice of the
// participants (swarm.hpp). It writes a JSON result (--out) and a short summary on stdout.
// Exit status: 0 when every correctness check passed, 1 when one failed, 2 for bad options.
// Timing never fails a run.
#include "bench/frames.hpp"
#include "bench/histogram.hpp"
#include "bench/processes.hpp"
#include "bench/swarm.hpp"
#include "bench/ws_pool.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <set>
#include <sstream>
#include <thread>
#include <tuple>

#include <csignal>
#include <sys/wait.h>
#include <unistd.h>

namespace cylch::bench {
std::uint64_t now_us(); // swarm.cpp
}

namespace {

using namespace cylch::bench;
using json = nlohmann::json;
using clock_type = std::chrono::steady_clock;
namespace fs = std::filesystem;
using namespace std::chrono_literals;

// ---- options -------------------------------------------------------------------------------

struct options {
    scenario kind = scenario::smoke;
    std::string scenario_name = "smoke";
    std::uint32_t participants = 200;
    unsigned procs = 0; // 0: one per 9,000 participants
    unsigned addresses = 8;
    std::string server_bin;
    std::string baseline_bin;
    std::string workshop_file;
    bool workshop_given = false; // board: else the load generator writes its own file
    bool baseline = false;
    bool peer = false;       // burst: also the Node.js peer (bench/peer)
    std::string peer_script; // its server.js
    int floor_summaries = 0; // baseline: summary frames per client to send (0: periodic)
    int activity = 2;
    int spread_ms = 2000;
    int duration_ms = 10'000;
    int window = 1;
    std::uint32_t voters = 0;
    int notes = 3;             // board: notes per participant
    bool hidden_notes = false; // board: hidden_until_reveal of the generated board
    int hold_ms = 3000;
    std::string threads;
    std::string flush_ms;
    std::string sync;
    std::vector<std::string> server_args;
    std::string out;
    int timeout_s = 60;
    std::uint64_t seed = 1;
    bool keep = false;
    // attach
    std::uint16_t port = 0;
    pid_t pid = 0;
    std::string code;
    std::string workshop_id;
    std::string facilitator_token;
};

void usage() {
    std::cout
        << R"(usage: cylch-loadgen --scenario smoke|burst|capacity|ingest|fanout|board [options]
  --participants N       participants (defaults: smoke 200, burst 10000, capacity 19800,
                         ingest 1000, fanout 2000, board 1000)
  --procs N              worker processes (default: one per 9,000 participants)
  --addresses N          source addresses 127.0.0.x per worker (default 8)
  --baseline on|off      also run the baseline server in the same run (default: on for
                         burst, capacity, ingest; board: always off, the baseline has
                         no boards)
  --peer on|off          burst: also run the Node.js peer (bench/peer/server.js, `npm ci`
                         there first; default on for burst), between cylch-server and the
                         baseline. The baseline then acks votes and sends as many summary
                         frames per client as cylch-server did (the floor)
  --peer-script PATH     default: bench/peer/server.js of the source tree
  --activity K           agenda position to open (default 2, a live Likert activity;
                         board: the first board of the agenda)
  --spread-ms MS         burst/smoke: votes spread over this after the open (2000 / 500);
                         0: all at once, when every participant of a worker holds the open;
                         board: each note.add is sent at a random moment within it
                         (default: such that the server sends about 50,000 note pushes a
                         second, at least 2000; 1000 participants × 2 notes: 80 s)
  --notes-per-participant N
                         board: notes each participant adds, then moves once its add is
                         acked (default 3, lowered so that participants × N stays within
                         the server's 2,000 notes per board; at most 50)
  --duration-s S         ingest/fanout: how long votes pour in (default 10)
  --window N             ingest/fanout: votes in flight per voter (default 1)
  --voters N             ingest/fanout: how many participants vote (default: all for
                         ingest, 200 for fanout; the rest only listen)
  --hold-ms MS           capacity: how long connections are held before RSS is read (3000)
  --threads N --flush-ms MS --sync full|normal   passed to the server
  --server-arg ARG       another server argument (repeatable)
  --server-bin PATH      default: ../server/cylch-server next to this program
  --baseline-bin PATH    default: cylch-bench-baseline next to this program
  --workshop FILE        workshop file to import (default: the demo persona-validation.json;
                         board: a file the load generator writes, with a Likert activity
                         and a board with columns "value" and "risk")
  --out FILE             JSON result (default: loadgen-SCENARIO.json)
  --timeout-s S          bound of each phase (default 60; board: 60 + the spread)
  --hidden-until-reveal on|off
                         board: hidden_until_reveal of the generated board (default off:
                         every note is pushed to every participant)
  --seed N, --keep       random seed; keep the temporary folder (database, server log)
  attach to a running server instead of starting one (no baseline, no clean-stop check):
  --port P --code C --workshop-id W --facilitator-token T [--pid PID]
scenario board: participants join (consent, a group), the facilitator opens the board, each
participant adds its notes and moves each one once it is acked. Correct when every request
is acked exactly once, no error frame arrives, and the board in GET /api/workshops/{id}/results
holds exactly participants × notes notes, each where its move put it (column, x, y; version 2).
)";
}

std::string self_dir() {
    std::error_code ec;
    auto p = fs::read_symlink("/proc/self/exe", ec);
    return ec ? std::string(".") : p.parent_path().string();
}

options parse(int argc, char** argv) {
    options o;
    std::map<std::string, std::string> given;
    for (int i = 1; i < argc; ++i) {
        std::string key = argv[i];
        if (key == "--help" || key == "-h") {
            usage();
            std::exit(0);
        }
        if (key == "--keep") {
            o.keep = true;
            continue;
        }
        if (key.rfind("--", 0) != 0 || i + 1 >= argc) {
            throw std::invalid_argument("unexpected argument " + key);
        }
        std::string value = argv[++i];
        if (key == "--server-arg") {
            o.server_args.push_back(value);
        } else {
            given[key.substr(2)] = value;
        }
    }
    auto take = [&](std::string const& k) -> std::optional<std::string> {
        auto it = given.find(k);
        if (it == given.end()) {
            return std::nullopt;
        }
        auto v = it->second;
        given.erase(it);
        return v;
    };
    auto number = [&](std::string const& k, long fallback) {
        auto v = take(k);
        if (!v) {
            return fallback;
        }
        std::size_t used = 0;
        long n = std::stol(*v, &used);
        if (used != v->size() || n < 0) {
            throw std::invalid_argument("--" + k + " needs a number");
        }
        return n;
    };
    o.scenario_name = take("scenario").value_or("smoke");
    static std::map<std::string, scenario> const names{
        {"smoke", scenario::smoke},       {"burst", scenario::burst},
        {"capacity", scenario::capacity}, {"ingest", scenario::ingest},
        {"fanout", scenario::fanout},     {"board", scenario::board}};
    if (!names.contains(o.scenario_name)) {
        throw std::invalid_argument("unknown scenario " + o.scenario_name);
    }
    o.kind = names.at(o.scenario_name);
    std::map<scenario, long> const default_participants{
        {scenario::smoke, 200},   {scenario::burst, 10'000}, {scenario::capacity, 19'800},
        {scenario::ingest, 1000}, {scenario::fanout, 2000},  {scenario::board, 1000}};
    o.participants =
        static_cast<std::uint32_t>(number("participants", default_participants.at(o.kind)));
    o.procs = static_cast<unsigned>(number("procs", 0));
    if (o.procs == 0) {
        o.procs = std::max(1u, (o.participants + 8999) / 9000);
    }
    o.addresses = static_cast<unsigned>(std::clamp(number("addresses", 8), 1l, 16l));
    auto const dir = self_dir();
    o.server_bin = take("server-bin").value_or(dir + "/../server/cylch-server");
    o.baseline_bin = take("baseline-bin").value_or(dir + "/cylch-bench-baseline");
    auto const workshop = take("workshop");
    o.workshop_given = workshop.has_value();
    o.workshop_file = workshop.value_or(std::string(CYLCH_SOURCE_DIR) +
                                        "/deploy/templates/persona-validation.json");
    auto const baseline_default =
        o.kind == scenario::burst || o.kind == scenario::capacity || o.kind == scenario::ingest;
    o.baseline = take("baseline").value_or(baseline_default ? "on" : "off") == "on";
    if (o.kind == scenario::board && o.baseline) {
        throw std::invalid_argument("the baseline server has no boards: the board scenario runs "
                                    "cylch-server only (--baseline off)");
    }
    o.peer = take("peer").value_or(o.kind == scenario::burst ? "on" : "off") == "on";
    o.peer_script =
        take("peer-script").value_or(std::string(CYLCH_SOURCE_DIR) + "/bench/peer/server.js");
    if (o.peer && o.kind != scenario::burst && o.kind != scenario::smoke) {
        throw std::invalid_argument("the Node.js peer speaks the burst's subset of the protocol: "
                                    "--peer on only with --scenario burst or smoke");
    }
    o.activity = static_cast<int>(number("activity", o.kind == scenario::board ? -1 : 2));
    {
        // The server takes at most 2,000 notes on one board and 50 from one participant.
        constexpr long per_board = 2000;
        long const fit = o.participants == 0 ? 3 : per_board / o.participants;
        o.notes = static_cast<int>(number("notes-per-participant", std::clamp(fit, 1l, 3l)));
        o.hidden_notes = take("hidden-until-reveal").value_or("off") == "on";
        if (o.kind == scenario::board &&
            (o.notes < 1 || o.notes > 50 ||
             static_cast<long>(o.participants) * o.notes > per_board)) {
            throw std::invalid_argument(
                "--notes-per-participant must be 1..50 and participants × notes at most 2000 "
                "(the server's limits per participant and per board)");
        }
    }
    long spread_default = o.kind == scenario::smoke ? 500 : 2000;
    if (o.kind == scenario::board) {
        // Every add and every move is pushed to everyone who sees the board (on a hidden board:
        // its author and the two staff connections). By default the adds are spread so that
        // the server sends about 50,000 note pushes a second, which it keeps up with on the
        // 2-core reference machine (bench/README.md); a shorter --spread-ms finds the limit.
        long const viewers = o.hidden_notes ? 3 : static_cast<long>(o.participants) + 2;
        spread_default =
            std::max(2000l, 2l * static_cast<long>(o.participants) * o.notes * viewers / 50);
    }
    o.spread_ms = static_cast<int>(number("spread-ms", spread_default));
    o.duration_ms = static_cast<int>(number("duration-s", 10) * 1000);
    o.window = static_cast<int>(std::max(1l, number("window", 1)));
    o.voters = static_cast<std::uint32_t>(
        number("voters", o.kind == scenario::fanout ? 200 : o.participants));
    o.hold_ms = static_cast<int>(number("hold-ms", 3000));
    o.threads = take("threads").value_or("");
    o.flush_ms = take("flush-ms").value_or("");
    o.sync = take("sync").value_or("");
    o.out = take("out").value_or("loadgen-" + o.scenario_name + ".json");
    // Board: the notes phase lasts the spread, so its bound is 60 s more than that.
    o.timeout_s = static_cast<int>(
        number("timeout-s", o.kind == scenario::board ? 60 + (o.spread_ms + 999) / 1000 : 60));
    o.seed = static_cast<std::uint64_t>(number("seed", 1));
    o.port = static_cast<std::uint16_t>(number("port", 0));
    o.pid = static_cast<pid_t>(number("pid", 0));
    o.code = take("code").value_or("");
    o.workshop_id = take("workshop-id").value_or("");
    o.facilitator_token = take("facilitator-token").value_or("");
    if (!given.empty()) {
        throw std::invalid_argument("unknown option --" + given.begin()->first);
    }
    if (o.port != 0 && (o.code.empty() || o.workshop_id.empty() || o.facilitator_token.empty())) {
        throw std::invalid_argument("attaching needs --port, --code, --workshop-id and "
                                    "--facilitator-token");
    }
    if (o.procs * o.addresses > 200) {
        throw std::invalid_argument("--procs × --addresses must stay below 200");
    }
    return o;
}

// ---- the server under test ----------------------------------------------------------------

// ---- the parent's own connections: facilitator and presenter ------------------------------

class staff : public ws_pool::handler {
public:
    staff(target_kind t, server_info const& s)
        : target_(t)
        , server_(s)
        , pool_(opts(s), *this) {
        pool_.add(); // 0: facilitator (baseline: the broadcaster)
    }

    ws_pool& pool() { return pool_; }

    // Runs the event loop until `ready()` holds or the time is up.
    template <class Pred>
    bool run_until(Pred ready, std::chrono::milliseconds limit) {
        auto const deadline = clock_type::now() + limit;
        while (!ready()) {
            if (clock_type::now() >= deadline) {
                return false;
            }
            pool_.run_for(10ms);
        }
        return true;
    }

    bool joined() const { return facilitator_ready_ && presenter_ready_; }

    // Opens agenda position k; returns the activity id (cylch: once acked).
    std::string open(int k, std::chrono::milliseconds limit) {
        if (target_ == target_kind::baseline) {
            watched_ = "a_baseline";
            pool_.send(0, R"(!{"type":"activity","activity":{"id":"a_baseline","state":"open"}})");
            return watched_;
        }
        if (k < 0 || static_cast<std::size_t>(k) >= agenda_.size()) {
            throw std::runtime_error("the workshop has no activity at position " +
                                     std::to_string(k));
        }
        auto const op = make_op(999, 0, ++seq_);
        watched_ = agenda_[static_cast<std::size_t>(k)];
        pool_.send(0, activity_command("open", op, agenda_[static_cast<std::size_t>(k)]));
        run_until([&] { return acked_.contains(op) || closed_; }, limit);
        if (!acked_.contains(op)) {
            problems.push_back("activity.open was not acknowledged");
        }
        return agenda_[static_cast<std::size_t>(k)];
    }

    // What the presenter's final tally must be (the activity is the one opened last).
    void expect(int expected_n, std::vector<int> expected_counts) {
        expected_n_ = expected_n;
        expected_counts_ = std::move(expected_counts);
        presenter_final_us = 0;
        final_summary.clear();
        if (!last_summary_.empty()) {
            check_final(last_summary_);
        }
    }
    void stop_counting() { counting_ = false; }

    void close_all() {
        closing_ = true;
        for (ws_pool::id i = 0; i < pool_.size(); ++i) {
            pool_.close(i);
        }
        run_until([&] { return pool_.open_count() == 0; }, 2s);
    }

    std::vector<std::string> const& groups() const { return groups_; }

    // Board scenario: the agenda position of the first board (-1: none), its id and columns.
    int first_board() const {
        auto it = std::find(kinds_.begin(), kinds_.end(), "board");
        return it == kinds_.end() ? -1 : static_cast<int>(it - kinds_.begin());
    }
    bool is_board(int k) const {
        return k >= 0 && static_cast<std::size_t>(k) < kinds_.size() &&
               kinds_[static_cast<std::size_t>(k)] == "board";
    }
    std::string agenda_id(int k) const { return agenda_.at(static_cast<std::size_t>(k)); }
    std::vector<std::string> columns(int k) const {
        return columns_.at(static_cast<std::size_t>(k));
    }

    std::vector<std::string> problems;
    std::map<std::string, int> errors;
    std::uint64_t presenter_final_us = 0;
    std::uint64_t presenter_summaries = 0;
    std::string final_summary; // the presenter's first summary with the final tally

    // ---- ws_pool::handler ----
    void on_open(ws_pool::id i) override {
        if (target_ == target_kind::baseline) {
            (i == 0 ? facilitator_ready_ : presenter_ready_) = true;
            if (i == 0) {
                pool_.add();
            }
            return;
        }
        if (i == 0) {
            pool_.send(0,
                       hello_staff("facilitator", server_.workshop_id, server_.facilitator_token));
        } else {
            pool_.send(1, hello_staff("presenter", server_.workshop_id, presenter_token_));
        }
    }

    void on_frame(ws_pool::id i, std::string_view text) override {
        server_frame f;
        if (!scan(text, f)) {
            return;
        }
        if (f.type == "welcome") {
            on_welcome(i, text);
        } else if (f.type == "ack") {
            acked_.insert(std::string(f.op));
        } else if (f.type == "error") {
            ++errors[std::string(f.code)];
            problems.push_back("error frame to the " +
                               std::string(i == 0 ? "facilitator: " : "presenter: ") +
                               std::string(text));
        } else if (f.type == "summary" && i == 1 && f.activity == watched_) {
            if (counting_) {
                ++presenter_summaries;
            }
            last_summary_ = std::string(text);
            check_final(text);
        }
    }

    void check_final(std::string_view text) {
        server_frame f;
        scan(text, f);
        if (presenter_final_us == 0 && f.n == expected_n_ &&
            (f.points == 0 ||
             (expected_counts_.size() == static_cast<std::size_t>(f.points) &&
              std::equal(expected_counts_.begin(), expected_counts_.end(), f.counts.begin())))) {
            presenter_final_us = now_us();
            final_summary = std::string(text);
        }
    }

    void on_close(ws_pool::id i, std::string_view why) override {
        if (!closing_) {
            closed_ = true;
            problems.push_back(std::string(i == 0 ? "facilitator" : "presenter") +
                               " connection closed: " + std::string(why));
        }
    }

private:
    static pool_options opts(server_info const& s) {
        pool_options o;
        o.port = s.port;
        return o;
    }

    void on_welcome(ws_pool::id i, std::string_view text) {
        auto j = json::parse(text, nullptr, false);
        if (j.is_discarded()) {
            problems.push_back("unreadable welcome");
            return;
        }
        if (i == 0) {
            for (auto const& a : j.value("agenda", json::array())) {
                agenda_.push_back(a.value("id", ""));
                kinds_.push_back(a.value("kind", ""));
                std::vector<std::string> columns;
                for (auto const& c : a.value("columns", json::array())) {
                    columns.push_back(c.value("id", ""));
                }
                columns_.push_back(std::move(columns));
            }
            for (auto const& g : j["workshop"].value("groups", json::array())) {
                groups_.push_back(g.value("id", ""));
            }
            presenter_token_ = j["you"].value("presenter_token", "");
            facilitator_ready_ = true;
            pool_.add();
        } else {
            presenter_ready_ = true;
        }
    }

    target_kind target_;
    server_info const& server_;
    ws_pool pool_;
    bool facilitator_ready_ = false;
    bool presenter_ready_ = false;
    bool closed_ = false;
    bool closing_ = false;
    bool counting_ = true;
    std::vector<std::string> agenda_;
    std::vector<std::string> kinds_;                // "likert", "board", … by position
    std::vector<std::vector<std::string>> columns_; // a board's column ids, by position
    std::vector<std::string> groups_;
    std::string presenter_token_;
    std::set<std::string> acked_;
    std::uint32_t seq_ = 0;
    std::string watched_;
    std::string last_summary_;
    int expected_n_ = -1;
    std::vector<int> expected_counts_;
};

// ---- statistics ---------------------------------------------------------------------------

double ms(std::uint64_t us) {
    return std::round(static_cast<double>(us) / 10.0) / 100.0;
}

json percentiles(histogram const& h) {
    if (h.count() == 0) {
        return nullptr;
    }
    return json{{"p50", ms(h.quantile(0.50))},
                {"p95", ms(h.quantile(0.95))},
                {"p99", ms(h.quantile(0.99))},
                {"max", ms(h.max())},
                {"count", h.count()}};
}

json percentiles(std::vector<std::int64_t> v) {
    if (v.empty()) {
        return nullptr;
    }
    std::sort(v.begin(), v.end());
    auto at = [&](double q) {
        auto const k = static_cast<std::size_t>(std::ceil(q * static_cast<double>(v.size()))) - 1;
        return ms(
            static_cast<std::uint64_t>(std::max<std::int64_t>(0, v[std::min(k, v.size() - 1)])));
    };
    return json{{"p50", at(0.50)},
                {"p95", at(0.95)},
                {"p99", at(0.99)},
                {"max", ms(static_cast<std::uint64_t>(std::max<std::int64_t>(0, v.back())))},
                {"count", v.size()}};
}

json sample_json(proc_sample const& s) {
    if (!s.ok) {
        return nullptr;
    }
    return json{{"cpu_seconds", std::round(s.cpu_seconds * 100) / 100},
                {"rss_kb", s.rss_kb},
                {"peak_rss_kb", s.hwm_kb}};
}

// Counters of cylch-server's /metrics (Prometheus text), by name.
std::map<std::string, double> scrape_metrics(std::uint16_t port) {
    std::map<std::string, double> m;
    std::istringstream in(http_get(port, "/metrics", 2000ms));
    std::string line;
    while (std::getline(in, line)) {
        if (line.empty() || line[0] == '#') {
            continue;
        }
        auto const space = line.rfind(' ');
        if (space != std::string::npos && line.find('{') == std::string::npos) {
            m[line.substr(0, space)] = std::atof(line.c_str() + space + 1);
        }
    }
    return m;
}

// What the server counted during the measured phase.
json metrics_delta(std::map<std::string, double> const& a, std::map<std::string, double> const& b) {
    json d = json::object();
    for (auto const& [k, v] : b) {
        if (k.ends_with("_total") || k.ends_with("_sum") || k.ends_with("_count")) {
            auto it = a.find(k);
            d[k] = v - (it == a.end() ? 0.0 : it->second);
        }
    }
    auto commits = d.value("cylch_store_commit_seconds_count", 0.0);
    if (commits > 0) {
        d["average_commit_ms"] =
            std::round(d.value("cylch_store_commit_seconds_sum", 0.0) / commits * 1e5) / 100;
    }
    return d;
}

// ---- the board scenario ------------------------------------------------------------------

// A workshop for the board scenario: like the demo (two languages, consent, three groups), with
// one Likert activity and one board with two columns, visible to all, without dots.
json board_workshop(bool hidden_until_reveal) {
    auto text = [](std::string en, std::string cy) { return json{{"en", en}, {"cy", cy}}; };
    json groups = json::array();
    using group = std::tuple<char const*, char const*, char const*>;
    for (auto const& [id, en, cy] :
         {group{"innovator", "Innovator", "Arloeswr"}, group{"enabler", "Enabler", "Galluogwr"},
          group{"stakeholder", "Stakeholder", "Rhanddeiliad"}}) {
        groups.push_back({{"id", id}, {"label", text(en, cy)}});
    }
    return json{{"title", text("Load generator: board", "Generadur llwyth: bwrdd")},
                {"languages", {"en", "cy"}},
                {"groups", groups},
                {"consent",
                 {{"required", true},
                  {"text", text("A load test: the notes are written by a program.",
                                "Prawf llwyth: rhaglen sy'n ysgrifennu'r nodiadau.")}}},
                {"activities",
                 {{{"kind", "likert"},
                   {"statement", text("Boards are useful.", "Mae byrddau'n ddefnyddiol.")},
                   {"scale", 5},
                   {"results", "live"}},
                  {{"kind", "board"},
                   {"prompt", text("What would help?", "Beth fyddai'n helpu?")},
                   {"columns",
                    {{{"id", "value"}, {"title", text("Value", "Gwerth")}},
                     {{"id", "risk"}, {"title", text("Risk", "Risg")}}}},
                   {"dots_per_person", 0},
                   {"hidden_until_reveal", hidden_until_reveal}}}}};
}

// Compares the board the server holds (GET /api/workshops/{id}/results) with the plan: exactly
// participants × notes notes, matched by text, each where its move put it and changed once
// (version 2), none hidden. Adds what is wrong to `problems`.
json check_board(std::string const& body, std::string const& activity, options const& o,
                 std::vector<std::string> const& columns, std::vector<std::string>& problems) {
    json out;
    auto const results = json::parse(body, nullptr, false);
    json const* notes = nullptr;
    if (results.is_object() && results.contains("activities") && results["activities"].is_array()) {
        for (auto const& a : results["activities"]) {
            if (a.contains("activity") && a["activity"].value("id", "") == activity &&
                a.contains("board") && a["board"].contains("notes")) {
                notes = &a["board"]["notes"];
            }
        }
    }
    if (notes == nullptr || !notes->is_array()) {
        problems.push_back("GET /api/workshops/…/results gave no board for " + activity + ": " +
                           body.substr(0, 200));
        out["read"] = false;
        return out;
    }
    std::map<std::string, note_plan> expected;
    for (std::uint32_t i = 0; i < o.participants; ++i) {
        for (int k = 0; k < o.notes; ++k) {
            auto n = plan_note(i, k, columns);
            expected.emplace(n.text, std::move(n));
        }
    }
    auto near = [](json const& v, double want) {
        return v.is_number() && std::abs(v.get<double>() - want) < 5e-5;
    };
    std::set<std::string> seen;
    std::uint64_t matching = 0, misplaced = 0, unexpected = 0, repeated = 0;
    std::vector<std::string> examples;
    for (auto const& n : *notes) {
        auto const text = n.value("text", "");
        auto it = expected.find(text);
        if (it == expected.end()) {
            ++unexpected;
            if (examples.size() < 5) {
                examples.push_back("unexpected note " + n.dump());
            }
            continue;
        }
        if (!seen.insert(text).second) {
            ++repeated;
            if (examples.size() < 5) {
                examples.push_back("a second note \"" + text + "\"");
            }
            continue;
        }
        auto const& want = it->second;
        auto const column = n.contains("column") && n["column"].is_string()
                                ? n["column"].get<std::string>()
                                : std::string();
        if (column == want.move_column && near(n.value("x", json()), want.move_x) &&
            near(n.value("y", json()), want.move_y) && n.value("version", 0) == 2 &&
            !n.value("hidden", false) && n.value("colour", "") == want.colour) {
            ++matching;
        } else {
            ++misplaced;
            if (examples.size() < 5) {
                char buf[160];
                std::snprintf(buf, sizeof buf, " (expected column \"%s\" x %.3f y %.3f version 2)",
                              want.move_column.c_str(), want.move_x, want.move_y);
                examples.push_back("note " + n.dump() + buf);
            }
        }
    }
    auto const wanted = expected.size();
    auto const missing = wanted - seen.size();
    out = {{"read", true},
           {"activity", activity},
           {"notes_expected", wanted},
           {"notes_on_board", notes->size()},
           {"notes_where_moved", matching},
           {"notes_misplaced", misplaced},
           {"notes_missing", missing},
           {"notes_unexpected", unexpected},
           {"notes_repeated", repeated}};
    if (notes->size() != wanted || matching != wanted) {
        problems.push_back("the board holds " + std::to_string(notes->size()) + " notes, " +
                           std::to_string(matching) + " where their move put them; expected " +
                           std::to_string(wanted) + " (" + std::to_string(missing) + " missing, " +
                           std::to_string(misplaced) + " misplaced, " + std::to_string(unexpected) +
                           " unexpected, " + std::to_string(repeated) + " repeated)");
        for (auto const& e : examples) {
            problems.push_back("  " + e);
        }
    }
    return out;
}

// ---- one run against one server ----------------------------------------------------------

char const* target_name(target_kind t) {
    switch (t) {
    case target_kind::cylch:
        return "cylch-server";
    case target_kind::peer:
        return "node-peer";
    case target_kind::baseline:
        return "baseline";
    }
    return "?";
}

// Votes the participants send in a smoke or burst run (smoke: a third change their vote).
long planned_votes(options const& o) {
    long n = 0;
    for (std::uint32_t i = 0; i < o.participants; ++i) {
        n += second_value(o.kind, i, 5) == 0 ? 1 : 2;
    }
    return n;
}

json run_target(options const& o, target_kind target, fs::path const& tmp) {
    bool const cylch = target == target_kind::cylch;
    bool const speaks = target != target_kind::baseline; // the Cylch protocol (cylch, peer)
    auto const name = target_name(target);
    json r;
    server_info server;
    if (cylch && o.port != 0) {
        server.port = o.port;
        server.pid = o.pid;
        server.code = o.code;
        server.workshop_id = o.workshop_id;
        server.facilitator_token = o.facilitator_token;
    } else if (cylch) {
        auto const token_file = (tmp / "admin-token").string();
        std::ofstream(token_file) << "loadgen-admin-token-0123456789abcdef\n";
        auto workshop_file = o.workshop_file;
        if (o.kind == scenario::board && !o.workshop_given) {
            // Our own workshop with a board; in the temporary folder, removed at the end.
            workshop_file = (tmp / "board-workshop.json").string();
            std::ofstream(workshop_file) << board_workshop(o.hidden_notes).dump(2) << "\n";
            r["workshop_file"] = std::string("generated: a Likert activity and a board (columns "
                                             "value, risk; hidden_until_reveal ") +
                                 (o.hidden_notes ? "true" : "false") + ")";
        }
        std::vector<std::string> argv{o.server_bin,
                                      "--bind",
                                      "127.0.0.1",
                                      "--port",
                                      "0",
                                      "--db",
                                      (tmp / "bench.db").string(),
                                      "--import",
                                      workshop_file,
                                      "--admin-token-file",
                                      token_file,
                                      "--log-level",
                                      "warn"};
        // Thousands of "people" from a few 127.0.0.x addresses: the server's WebSocket caps
        // (per address and in all) are for real audiences, not for this.
        for (auto const* a : {"--max-connections-per-address", "0", "--max-connections", "0"}) {
            argv.emplace_back(a);
        }
        if (o.kind == scenario::ingest || o.kind == scenario::fanout) {
            // One participant voting hundreds of times a second is not a person: lift the
            // per-connection rate limit so that the aggregate is what is measured.
            for (auto const* a : {"--rate", "1000000", "--burst", "1000000"}) {
                argv.emplace_back(a);
            }
        }
        for (auto const& [flag, value] :
             {std::pair{"--threads", o.threads}, {"--flush-ms", o.flush_ms}, {"--sync", o.sync}}) {
            if (!value.empty()) {
                argv.emplace_back(flag);
                argv.push_back(value);
            }
        }
        argv.insert(argv.end(), o.server_args.begin(), o.server_args.end());
        server = start_server(argv, (tmp / "server.log").string(), true);
    } else if (target == target_kind::peer) {
        // The Node.js peer creates its workshop over the HTTP API, as a facilitator's tool would.
        auto const token = std::string("loadgen-admin-token-0123456789abcdef");
        auto const token_file = (tmp / "peer-admin-token").string();
        std::ofstream(token_file) << token << "\n";
        std::vector<std::string> argv{"/usr/bin/env",
                                      "node",
                                      o.peer_script,
                                      "--bind",
                                      "127.0.0.1",
                                      "--port",
                                      "0",
                                      "--db",
                                      (tmp / "peer.db").string(),
                                      "--admin-token-file",
                                      token_file};
        if (!o.flush_ms.empty()) {
            argv.insert(argv.end(), {"--flush-ms", o.flush_ms});
        }
        server = start_server(argv, (tmp / "peer.log").string(), false);
        std::ifstream file(o.workshop_file);
        std::string const definition((std::istreambuf_iterator<char>(file)),
                                     std::istreambuf_iterator<char>());
        auto const created = json::parse(http_post(server.port, "/api/workshops", definition, 10s,
                                                   {"Authorization: Bearer " + token}),
                                         nullptr, false);
        if (!created.is_object() || !created.contains("facilitator_token")) {
            stop_process(server.pid, 2s);
            throw std::runtime_error("the peer did not create the workshop (POST /api/workshops); "
                                     "see " +
                                     server.log_path);
        }
        server.workshop_id = created.value("id", "");
        server.code = created.value("code", "");
        server.facilitator_token = created.value("facilitator_token", "");
    } else {
        std::vector<std::string> argv{o.baseline_bin, "--port", "0"};
        if (o.floor_summaries > 0) {
            // The floor: ack each vote and send as many summary frames per client as
            // cylch-server did in this run.
            auto const every =
                std::max<long>(1, (planned_votes(o) + o.floor_summaries - 1) / o.floor_summaries);
            argv.insert(argv.end(), {"--ack", "on", "--summary-every", std::to_string(every)});
        }
        if (!o.threads.empty()) {
            argv.insert(argv.end(), {"--threads", o.threads});
        }
        if (!o.flush_ms.empty()) {
            argv.insert(argv.end(), {"--flush-ms", o.flush_ms});
        }
        server = start_server(argv, (tmp / "baseline.log").string(), false);
    }
    auto const started = server.pid ? sample_process(server.pid) : proc_sample{};
    std::cout << name << " pid " << server.pid << " port " << server.port << std::endl;

    r["server"] = cylch && o.port ? "cylch-server (attached)" : name;
    if (target == target_kind::baseline && o.floor_summaries > 0) {
        r["floor_summary_frames_per_client"] = o.floor_summaries;
    }
    std::vector<std::string> problems;
    auto const phase_limit = std::chrono::seconds(o.timeout_s);

    staff control(target, server);
    if (!control.run_until([&] { return control.joined(); }, 15s)) {
        throw std::runtime_error("the facilitator or presenter could not join; see " +
                                 server.log_path);
    }
    // Board: which activity, its id and columns (the workers' plan needs the columns).
    int board_k = -1;
    std::string board_id;
    std::vector<std::string> board_columns;
    if (o.kind == scenario::board) {
        board_k = o.activity >= 0 ? o.activity : control.first_board();
        if (!control.is_board(board_k)) {
            throw std::runtime_error(
                "the workshop has no board activity" +
                (o.activity >= 0 ? " at position " + std::to_string(o.activity) : std::string()));
        }
        board_id = control.agenda_id(board_k);
        board_columns = control.columns(board_k);
        r["board_activity"] = {{"position", board_k}, {"id", board_id}, {"columns", board_columns}};
        r["notes_per_participant"] = o.notes;
        r["spread_ms"] = o.spread_ms;
    }
    auto groups = speaks ? control.groups() : std::vector<std::string>{"all"};
    if (groups.empty()) {
        groups.push_back(""); // a workshop without groups: profile with group null is not sent
    }
    control.pool().run_for(300ms);
    auto const before = server.pid ? sample_process(server.pid) : proc_sample{};

    // Workers, each with its slice of participants and of source addresses.
    std::vector<worker_process> workers;
    std::uint32_t const per = (o.participants + o.procs - 1) / o.procs;
    for (unsigned w = 0; w < o.procs; ++w) {
        worker_config c;
        c.kind = o.kind;
        c.target = target;
        c.port = server.port;
        c.code = server.code;
        c.groups = groups;
        c.worker = w;
        c.first = std::min(o.participants, w * per);
        c.count = std::min(o.participants, c.first + per) - c.first;
        for (unsigned a = 0; a < o.addresses; ++a) {
            c.sources.push_back("127.0.0." + std::to_string(10 + w * o.addresses + a));
        }
        c.spread_ms = o.spread_ms;
        c.window = o.window;
        c.voters = o.voters;
        c.notes = o.notes;
        c.columns = board_columns;
        c.join_timeout_ms = o.timeout_s * 1000;
        c.run_timeout_ms = o.timeout_s * 1000;
        c.seed = o.seed;
        workers.push_back(fork_worker([c](int in, int out) { return run_worker(c, in, out); }));
    }

    // Collects one JSON line of kind `ev` from every worker while keeping the staff
    // connections served.
    // The server's RSS once a second while votes pour in (ingest, fanout): flat when memory
    // per workshop is bounded.
    json rss_series = json::array();
    auto next_rss = clock_type::now();
    bool sample_rss = false;
    std::uint64_t open_us = 0;
    auto collect = [&](std::string const& ev, std::chrono::milliseconds limit) {
        std::vector<json> got(workers.size());
        auto const deadline = clock_type::now() + limit;
        std::size_t have = 0;
        while (have < workers.size() && clock_type::now() < deadline) {
            if (sample_rss && server.pid && clock_type::now() >= next_rss) {
                next_rss += 1s;
                auto const p = sample_process(server.pid);
                rss_series.push_back(
                    {{"s", std::round(static_cast<double>(now_us() - open_us) / 1e4) / 100},
                     {"rss_kb", p.rss_kb}});
            }
            for (std::size_t w = 0; w < workers.size(); ++w) {
                if (!got[w].is_null()) {
                    continue;
                }
                while (auto line = workers[w].from_child.next(0ms)) {
                    auto j = json::parse(*line, nullptr, false);
                    if (!j.is_discarded() && j.value("ev", "") == ev) {
                        got[w] = std::move(j);
                        ++have;
                        break;
                    }
                }
                if (got[w].is_null() && workers[w].from_child.eof()) {
                    got[w] = json{{"ev", "lost"}};
                    ++have;
                    problems.push_back("worker " + std::to_string(w) + " ended early");
                }
            }
            control.pool().run_for(5ms);
        }
        for (std::size_t w = 0; w < got.size(); ++w) {
            if (got[w].is_null()) {
                problems.push_back("worker " + std::to_string(w) + " sent no " + ev + " in time");
                got[w] = json::object();
            }
        }
        return got;
    };
    auto tell = [&](json const& j) {
        for (auto& w : workers) {
            write_line(w.to_child, j.dump());
        }
    };

    auto const join_started = now_us();
    auto ready = collect("ready", phase_limit + 10s);
    auto const joined_us = now_us();
    std::uint32_t joined = 0;
    std::uint32_t failed = 0;
    int votes_planned = 0;
    std::map<std::string, int> fail_reasons;
    std::vector<std::vector<int>> plan(groups.size(), std::vector<int>(5, 0));
    for (auto const& j : ready) {
        joined += j.value("joined", 0u);
        failed += j.value("failed", 0u);
        votes_planned += j.value("votes_planned", 0);
        auto const reasons = j.value("fail_reasons", json::object());
        for (auto const& [k, v] : reasons.items()) {
            fail_reasons[k] += v.get<int>();
        }
        auto const p = j.value("plan", json::array());
        for (std::size_t g = 0; g < p.size() && g < plan.size(); ++g) {
            for (std::size_t v = 0; v < 5; ++v) {
                plan[g][v] += p[g][v].get<int>();
            }
        }
    }
    std::vector<int> expected(5, 0);
    for (auto const& g : plan) {
        for (std::size_t v = 0; v < 5; ++v) {
            expected[v] += g[v];
        }
    }
    // Cylch's tally counts participants; the baseline's counts echoed frames.
    int const expected_n = speaks ? static_cast<int>(joined) : votes_planned;
    control.pool().run_for(300ms);
    auto const at_ready = server.pid ? sample_process(server.pid) : proc_sample{};
    // A line to start a profiler on (perf record -p PID) for the measured phase only.
    std::cout << name << ": " << joined << " joined, measured phase starts" << std::endl;
    auto const metrics_ready =
        cylch ? scrape_metrics(server.port) : std::map<std::string, double>{};

    proc_sample held;
    if (o.kind == scenario::capacity) {
        control.pool().run_for(std::chrono::milliseconds(o.hold_ms));
        held = server.pid ? sample_process(server.pid) : proc_sample{};
        tell({{"ev", "go"}});
    } else if (o.kind == scenario::smoke || o.kind == scenario::burst) {
        control.expect(expected_n, speaks ? expected : std::vector<int>{});
        tell({{"ev", "go"},
              {"expected_n", expected_n},
              {"expected_counts", speaks ? json(expected) : json::array()}});
        collect("armed", 10s);
        open_us = now_us();
        control.open(o.activity, 10s);
        if (o.spread_ms == 0) {
            // All at once: every worker holds its votes until all participants have the open
            // activity, then all fire together.
            collect("holding", phase_limit);
            tell({{"ev", "fire"}});
        }
    } else if (o.kind == scenario::board) {
        tell({{"ev", "go"}, {"activity", board_id}});
        collect("armed", 10s);
        open_us = now_us();
        control.open(board_k, 10s);
    } else { // ingest, fanout
        control.expect(-1, {});
        auto id = control.open(o.activity, 10s);
        tell({{"ev", "go"}, {"activity", id}, {"duration_ms", o.duration_ms}});
        collect("armed", 10s);
        open_us = now_us();
    }
    sample_rss = o.kind == scenario::ingest || o.kind == scenario::fanout;
    next_rss = clock_type::now();
    auto done = collect("done", phase_limit + 10s);
    sample_rss = false;
    if (!rss_series.empty()) {
        r["server_rss_kb_each_second"] = rss_series;
    }
    control.stop_counting();
    auto const done_us = now_us();
    if (o.kind == scenario::ingest || o.kind == scenario::fanout) {
        // The final tally: each voter's last value.
        std::vector<int> final_counts(5, 0);
        int n = 0;
        for (auto const& j : done) {
            for (auto const& g : j.value("tally", json::array())) {
                for (std::size_t v = 0; v < 5; ++v) {
                    final_counts[v] += g[v].get<int>();
                    n += g[v].get<int>();
                }
            }
        }
        if (speaks) {
            control.expect(n, final_counts);
        }
    }
    // Give the presenter time to receive the final tally (bounded).
    if (o.kind != scenario::capacity && o.kind != scenario::board) {
        control.run_until([&] { return control.presenter_final_us != 0; }, 5s);
    }
    auto const end = server.pid ? sample_process(server.pid) : proc_sample{};
    std::cout << name << ": measured phase ends" << std::endl;
    if (cylch) {
        r["server_metrics_measured_phase"] =
            metrics_delta(metrics_ready, scrape_metrics(server.port));
    }
    // Board: the board as the server holds it, read while everyone is still connected.
    json board_check;
    std::vector<std::string> board_problems;
    if (o.kind == scenario::board) {
        auto const body = http_get(server.port, "/api/workshops/" + server.workshop_id + "/results",
                                   std::chrono::seconds(o.timeout_s),
                                   {"Authorization: Bearer " + server.facilitator_token});
        board_check = check_board(body, board_id, o, board_columns, board_problems);
    }

    tell({{"ev", "stop"}});
    auto results = collect("result", 20s);
    for (auto& w : workers) {
        int status = 0;
        auto const deadline = clock_type::now() + 5s;
        while (::waitpid(w.pid, &status, WNOHANG) == 0 && clock_type::now() < deadline) {
            std::this_thread::sleep_for(10ms);
        }
        if (::waitpid(w.pid, &status, WNOHANG) == 0) {
            ::kill(w.pid, SIGKILL);
            ::waitpid(w.pid, &status, 0);
        }
        ::close(w.to_child);
        ::close(w.from_child.fd());
    }
    auto staff_problems = control.problems;
    auto staff_errors = control.errors;
    auto const presenter_final_us = control.presenter_final_us;
    auto const presenter_summaries = control.presenter_summaries;
    auto const final_summary = control.final_summary;
    control.close_all();
    int server_exit = -1;
    if (server.ours) {
        server_exit = stop_process(server.pid, 15s);
    }

    // ---- aggregate ----
    histogram acks;
    std::uint64_t sent = 0, acked = 0, unexpected = 0, unanswered = 0, closed_unexpectedly = 0;
    std::uint64_t first_vote = 0, last_vote = 0, last_ack = 0, go = 0, end_send = 0;
    std::uint32_t missing_final = 0;
    histogram moves; // board: note.move acks (acks: note.add)
    std::uint64_t moves_sent = 0, moves_acked = 0, adds_without_note = 0;
    std::map<std::string, int> errors = staff_errors;
    std::map<std::string, int> close_reasons;
    std::vector<std::uint64_t> final_seen;
    std::vector<std::uint32_t> summaries;
    double loadgen_cpu = own_cpu_seconds();
    for (auto const& j : results) {
        if (!j.contains("votes_sent")) {
            continue;
        }
        sent += j["votes_sent"].get<std::uint64_t>();
        acked += j["votes_acked"].get<std::uint64_t>();
        unexpected += j["unexpected_acks"].get<std::uint64_t>();
        unanswered += j["unanswered"].get<std::uint64_t>();
        closed_unexpectedly += j["closed_unexpectedly"].get<std::uint64_t>();
        missing_final += j["missing_final"].get<std::uint32_t>();
        for (auto const& [k, v] : j["errors"].items()) {
            errors[k] += v.get<int>();
        }
        for (auto const& [k, v] : j["close_reasons"].items()) {
            close_reasons[k] += v.get<int>();
        }
        for (auto const& b : j["ack_hist"]) {
            acks.add_bucket(b[0].get<std::size_t>(), b[1].get<std::uint64_t>());
        }
        acks.set_max_at_least(j["ack_max_us"].get<std::uint64_t>());
        moves_sent += j.value("moves_sent", std::uint64_t{0});
        moves_acked += j.value("moves_acked", std::uint64_t{0});
        adds_without_note += j.value("adds_without_note", std::uint64_t{0});
        for (auto const& b : j.value("move_hist", json::array())) {
            moves.add_bucket(b[0].get<std::size_t>(), b[1].get<std::uint64_t>());
        }
        moves.set_max_at_least(j.value("move_max_us", std::uint64_t{0}));
        auto const fv = j["first_vote_us"].get<std::uint64_t>();
        if (fv != 0) {
            first_vote = first_vote == 0 ? fv : std::min(first_vote, fv);
        }
        last_vote = std::max(last_vote, j["last_vote_us"].get<std::uint64_t>());
        last_ack = std::max(last_ack, j["last_ack_us"].get<std::uint64_t>());
        go = go == 0 ? j["go_us"].get<std::uint64_t>()
                     : std::min(go, j["go_us"].get<std::uint64_t>());
        end_send = std::max(end_send, j["end_us"].get<std::uint64_t>());
        for (auto const& t : j["final_seen_us"]) {
            final_seen.push_back(t.get<std::uint64_t>());
        }
        for (auto const& s : j["summaries"]) {
            summaries.push_back(s.get<std::uint32_t>());
        }
        loadgen_cpu += j["cpu_seconds"].get<double>();
    }

    r["participants_requested"] = o.participants;
    r["participants_joined"] = joined;
    r["join_failures"] = failed;
    r["join_failure_reasons"] = fail_reasons;
    r["join_seconds"] = ms(joined_us - join_started) / 1000.0;
    r["connections_held"] = joined - std::min<std::uint64_t>(joined, closed_unexpectedly) + 2;
    r["closed_unexpectedly"] = closed_unexpectedly;
    r["close_reasons"] = close_reasons;
    if (o.kind == scenario::board) {
        r["note_add"] = {
            {"sent", sent}, {"acked", acked}, {"acks_without_note_id", adds_without_note}};
        r["note_move"] = {{"sent", moves_sent}, {"acked", moves_acked}};
        r["requests_unanswered"] = unanswered;
        r["acks_unexpected_or_repeated"] = unexpected;
        r["errors"] = errors;
        r["note_add_ack_latency_ms"] = percentiles(acks);
        r["note_move_ack_latency_ms"] = percentiles(moves);
        r["open_to_last_ack_ms"] =
            last_ack > open_us ? json(ms(last_ack - open_us)) : json(nullptr);
        r["board"] = board_check;
    } else {
        r["votes_sent"] = sent;
        r["votes_acked"] = acked;
        r["acks_unexpected_or_repeated"] = unexpected;
        r["votes_unanswered"] = unanswered;
        r["errors"] = errors;
        r["ack_latency_ms"] = percentiles(acks);
    }
    if (o.kind == scenario::smoke || o.kind == scenario::burst) {
        std::vector<std::int64_t> lat;
        for (auto t : final_seen) {
            lat.push_back(static_cast<std::int64_t>(t) - static_cast<std::int64_t>(last_vote));
        }
        r["vote_to_summary_participants_ms"] = percentiles(lat);
        r["participants_without_final_tally"] = missing_final;
        r["vote_to_summary_presenter_ms"] =
            presenter_final_us ? json(ms(presenter_final_us - last_vote)) : json(nullptr);
        r["open_to_last_vote_ms"] = last_vote ? json(ms(last_vote - open_us)) : json(nullptr);
        std::uint64_t all_final = presenter_final_us;
        for (auto t : final_seen) {
            all_final = std::max(all_final, t);
        }
        r["open_to_everyone_final_ms"] = missing_final == 0 && presenter_final_us
                                             ? json(ms(all_final - open_us))
                                             : json(nullptr);
        // From the first vote sent: the spread the votes really had, when the last was acked,
        // and when every participant and the presenter held the exact final tally.
        if (first_vote != 0) {
            r["votes_left_within_ms"] = ms(last_vote - first_vote);
            r["first_vote_to_all_acked_ms"] = acked == sent && last_ack >= first_vote
                                                  ? json(ms(last_ack - first_vote))
                                                  : json(nullptr);
            r["first_vote_to_everyone_final_ms"] =
                missing_final == 0 && presenter_final_us && all_final >= first_vote
                    ? json(ms(all_final - first_vote))
                    : json(nullptr);
        }
    }
    if (o.kind == scenario::ingest || o.kind == scenario::fanout) {
        double const secs = static_cast<double>(std::max(last_ack, end_send) - go) / 1e6;
        r["voters"] = std::min(o.voters, joined);
        r["window"] = o.window;
        r["voting_seconds"] = std::round(secs * 100) / 100;
        r["acked_votes_per_second"] =
            secs > 0 ? std::round(static_cast<double>(acked) / secs) : 0.0;
        r["final_tally_seen_by_presenter"] = presenter_final_us != 0;
        double const window = static_cast<double>(end_send - go) / 1e6;
        if (!summaries.empty() && window > 0) {
            auto const [mn, mx] = std::minmax_element(summaries.begin(), summaries.end());
            double sum = 0;
            for (auto s : summaries) {
                sum += s;
            }
            r["summary_frames_per_client_per_second"] = {
                {"mean",
                 std::round(sum / static_cast<double>(summaries.size()) / window * 100) / 100},
                {"min", std::round(*mn / window * 100) / 100},
                {"max", std::round(*mx / window * 100) / 100},
                {"presenter",
                 std::round(static_cast<double>(presenter_summaries) / window * 100) / 100},
                {"window_seconds", std::round(window * 100) / 100}};
        }
    } else if (!summaries.empty() && o.kind != scenario::board) {
        auto const [mn, mx] = std::minmax_element(summaries.begin(), summaries.end());
        double sum = 0;
        for (auto s : summaries) {
            sum += s;
        }
        r["summary_frames_per_client"] = {
            {"mean", std::round(sum / static_cast<double>(summaries.size()) * 10) / 10},
            {"min", *mn},
            {"max", *mx},
            {"presenter", presenter_summaries}};
    }
    json srv;
    srv["pid"] = server.pid;
    if (server.ours) {
        auto const bin = cylch                         ? o.server_bin
                         : target == target_kind::peer ? o.peer_script
                                                       : o.baseline_bin;
        std::error_code ec;
        auto const t = fs::last_write_time(bin, ec);
        srv["binary"] = fs::weakly_canonical(bin, ec).string();
        if (!ec) {
            auto const age = std::chrono::duration_cast<std::chrono::seconds>(
                fs::file_time_type::clock::now() - t);
            srv["binary_age_seconds"] = age.count();
        }
    }
    srv["at_start"] = sample_json(started);
    srv["before_participants"] = sample_json(before);
    srv["all_joined"] = sample_json(at_ready);
    srv["at_end"] = sample_json(end);
    if (end.ok && at_ready.ok) {
        srv["cpu_seconds_measured_phase"] =
            std::round((end.cpu_seconds - at_ready.cpu_seconds) * 100) / 100;
        srv["system_cpu_seconds_measured_phase"] =
            std::round((end.system_seconds - at_ready.system_seconds) * 100) / 100;
        srv["cpu_seconds_total"] = std::round(end.cpu_seconds * 100) / 100;
        srv["peak_rss_kb"] = end.hwm_kb;
    }
    if (o.kind == scenario::capacity && held.ok && before.ok && joined > 0) {
        double const per = static_cast<double>(held.rss_kb - before.rss_kb) / joined;
        srv["rss_held_kb"] = held.rss_kb;
        srv["rss_per_connection_kb"] = std::round(per * 100) / 100;
        srv["rss_for_100000_connections_mb"] =
            std::round((static_cast<double>(before.rss_kb) + per * 100'000) / 1024);
    }
    srv["exit_status_after_sigterm"] = server.ours ? json(server_exit) : json(nullptr);
    r["server_process"] = srv;
    r["loadgen_cpu_seconds"] = std::round(loadgen_cpu * 100) / 100;

    // ---- correctness ----
    problems.insert(problems.end(), staff_problems.begin(), staff_problems.end());
    if (o.kind != scenario::capacity && failed != 0) {
        problems.push_back(std::to_string(failed) + " participants could not join");
    }
    if (closed_unexpectedly != 0) {
        problems.push_back(std::to_string(closed_unexpectedly) +
                           " connections closed unexpectedly");
    }
    if (o.kind == scenario::board) {
        auto const planned =
            static_cast<std::uint64_t>(joined) * static_cast<std::uint64_t>(o.notes);
        if (sent != planned || acked != sent || moves_sent != acked || moves_acked != moves_sent ||
            unanswered != 0) {
            problems.push_back("note.add: " + std::to_string(planned) + " planned, " +
                               std::to_string(sent) + " sent, " + std::to_string(acked) +
                               " acked; note.move: " + std::to_string(moves_sent) + " sent, " +
                               std::to_string(moves_acked) + " acked (" +
                               std::to_string(unanswered) + " unanswered)");
        }
        if (adds_without_note != 0) {
            problems.push_back(std::to_string(adds_without_note) +
                               " note.add acks without the new note's id");
        }
        problems.insert(problems.end(), board_problems.begin(), board_problems.end());
    } else if (acked != sent || unanswered != 0) {
        problems.push_back(std::to_string(sent) + " votes sent but " + std::to_string(acked) +
                           " acked (" + std::to_string(unanswered) + " unanswered)");
    }
    if (unexpected != 0) {
        problems.push_back(std::to_string(unexpected) + " acks repeated or for unknown ops");
    }
    int error_total = 0;
    for (auto const& [k, v] : errors) {
        error_total += v;
    }
    if (error_total != 0) {
        problems.push_back(std::to_string(error_total) + " error frames");
    }
    if ((o.kind == scenario::smoke || o.kind == scenario::burst) && missing_final != 0) {
        problems.push_back(std::to_string(missing_final) +
                           " participants never saw the final tally");
    }
    if (o.kind != scenario::capacity && o.kind != scenario::board && presenter_final_us == 0 &&
        speaks) {
        problems.push_back("the presenter never saw the final tally");
    }
    if (cylch && o.kind == scenario::smoke && !final_summary.empty()) {
        // Full check of the presenter's final summary, group by group.
        auto j = json::parse(final_summary, nullptr, false);
        for (std::size_t g = 0; g < groups.size() && !j.is_discarded(); ++g) {
            auto const got = j["by_group"][groups[g]].value("counts", std::vector<int>{});
            if (got != plan[g]) {
                problems.push_back("group " + groups[g] + ": counts " + json(got).dump() +
                                   ", expected " + json(plan[g]).dump());
            }
        }
    }
    if (server.ours && server_exit != 0) {
        problems.push_back("the server exited with status " + std::to_string(server_exit) +
                           " after SIGTERM");
    }
    r["problems"] = problems;
    r["correct"] = problems.empty();
    (void)done_us;
    return r;
}

// ---- report -------------------------------------------------------------------------------

std::string fmt(json const& v) {
    if (v.is_null()) {
        return "-";
    }
    if (v.is_number_float()) {
        char buf[32];
        std::snprintf(buf, sizeof buf, "%.2f", v.get<double>());
        return buf;
    }
    return v.dump();
}

void print_summary(std::string const& name, json const& r) {
    std::cout << "== " << name << ": " << (r["correct"].get<bool>() ? "correct" : "NOT CORRECT")
              << "\n";
    std::cout << "  connections held " << r["connections_held"] << " (joined "
              << r["participants_joined"] << "/" << r["participants_requested"] << " in "
              << fmt(r["join_seconds"]) << " s)\n";
    auto latency = [](std::string const& what, json const& a) {
        if (!a.is_null()) {
            std::cout << "  " << what << " ms p50 " << fmt(a["p50"]) << " p95 " << fmt(a["p95"])
                      << " p99 " << fmt(a["p99"]) << " max " << fmt(a["max"]) << "\n";
        }
    };
    if (r.contains("note_add")) {
        std::cout << "  note.add sent " << r["note_add"]["sent"] << ", acked "
                  << r["note_add"]["acked"] << "; note.move sent " << r["note_move"]["sent"]
                  << ", acked " << r["note_move"]["acked"] << "; errors " << r["errors"].dump()
                  << "\n";
        latency("note.add ack", r["note_add_ack_latency_ms"]);
        latency("note.move ack", r["note_move_ack_latency_ms"]);
        auto const& b = r["board"];
        if (b.value("read", false)) {
            std::cout << "  board (GET …/results): " << b["notes_on_board"] << " notes, "
                      << b["notes_where_moved"] << " where their move put them, expected "
                      << b["notes_expected"] << "; open -> last ack "
                      << fmt(r["open_to_last_ack_ms"]) << " ms (adds spread over " << r["spread_ms"]
                      << " ms)\n";
        }
    } else {
        std::cout << "  votes sent " << r["votes_sent"] << ", acked " << r["votes_acked"]
                  << ", errors " << r["errors"].dump() << "\n";
        latency("ack", r["ack_latency_ms"]);
    }
    if (r.contains("vote_to_summary_participants_ms")) {
        auto const& v = r["vote_to_summary_participants_ms"];
        std::cout << "  last vote -> final tally ms: participants p50 "
                  << (v.is_null() ? "-" : fmt(v["p50"])) << " p99 "
                  << (v.is_null() ? "-" : fmt(v["p99"])) << " max "
                  << (v.is_null() ? "-" : fmt(v["max"])) << ", presenter "
                  << fmt(r["vote_to_summary_presenter_ms"]) << "; open -> last vote "
                  << fmt(r["open_to_last_vote_ms"]) << ", open -> everyone final "
                  << fmt(r["open_to_everyone_final_ms"]) << "\n";
    }
    if (r.contains("acked_votes_per_second")) {
        std::cout << "  acked votes/s " << fmt(r["acked_votes_per_second"]) << " (" << r["voters"]
                  << " voters, window " << r["window"] << ", " << fmt(r["voting_seconds"])
                  << " s)\n";
    }
    if (r.contains("summary_frames_per_client_per_second")) {
        auto const& s = r["summary_frames_per_client_per_second"];
        std::cout << "  summary frames/s per client: mean " << fmt(s["mean"]) << " max "
                  << fmt(s["max"]) << ", presenter " << fmt(s["presenter"]) << "\n";
    } else if (r.contains("summary_frames_per_client")) {
        auto const& s = r["summary_frames_per_client"];
        std::cout << "  summary frames per client: mean " << fmt(s["mean"]) << " max " << s["max"]
                  << ", presenter " << s["presenter"] << "\n";
    }
    auto const& s = r["server_process"];
    std::cout << "  server cpu s (measured phase) "
              << fmt(s.value("cpu_seconds_measured_phase", json())) << ", peak RSS "
              << fmt(s.value("peak_rss_kb", json())) << " KB";
    if (s.contains("rss_per_connection_kb")) {
        std::cout << ", RSS/connection " << fmt(s["rss_per_connection_kb"]) << " KB, at 100,000 "
                  << fmt(s["rss_for_100000_connections_mb"]) << " MB";
    }
    std::cout << "; load generator cpu s " << fmt(r["loadgen_cpu_seconds"]) << "\n";
    for (auto const& p : r["problems"]) {
        std::cout << "  PROBLEM: " << p.get<std::string>() << "\n";
    }
}

json ratio(json const& a, json const& b) {
    if (!a.is_number() || !b.is_number() || b.get<double>() == 0) {
        return nullptr;
    }
    return std::round(a.get<double>() / b.get<double>() * 100) / 100;
}

// Burst with the peer: one table, Cylch / Node peer / floor, and Cylch's ratios to each.
void side_by_side(json& report) {
    struct row {
        char const* label;
        std::function<json(json const&)> get;
    };
    auto at = [](std::vector<std::string> path) {
        return [path = std::move(path)](json const& r) {
            json const* v = &r;
            for (auto const& k : path) {
                if (!v->is_object() || !v->contains(k)) {
                    return json();
                }
                v = &(*v)[k];
            }
            return *v;
        };
    };
    std::vector<row> const rows{
        {"votes left within ms", at({"votes_left_within_ms"})},
        {"first vote -> all acked ms", at({"first_vote_to_all_acked_ms"})},
        {"ack p50 ms", at({"ack_latency_ms", "p50"})},
        {"ack p99 ms", at({"ack_latency_ms", "p99"})},
        {"first vote -> everyone final ms", at({"first_vote_to_everyone_final_ms"})},
        {"summary frames per client", at({"summary_frames_per_client", "mean"})},
        {"server CPU s, vote phase", at({"server_process", "cpu_seconds_measured_phase"})},
        {"  of which in the kernel", at({"server_process", "system_cpu_seconds_measured_phase"})},
        {"peak RSS KB", at({"server_process", "peak_rss_kb"})},
    };
    std::vector<std::string> const who{"cylch", "peer", "baseline"};
    std::printf("== side by side        %14s %14s %14s %12s %12s\n", "cylch-server", "node-peer",
                "floor", "cylch/peer", "cylch/floor");
    json ratios;
    for (auto const& r : rows) {
        json v[3];
        for (std::size_t k = 0; k < 3; ++k) {
            v[k] = report.contains(who[k]) ? r.get(report[who[k]]) : json();
        }
        auto const to_peer = ratio(v[0], v[1]);
        auto const to_floor = ratio(v[0], v[2]);
        ratios[r.label] = {{"cylch_to_peer", to_peer}, {"cylch_to_floor", to_floor}};
        std::printf("  %-32s %14s %14s %14s %12s %12s\n", r.label, fmt(v[0]).c_str(),
                    fmt(v[1]).c_str(), fmt(v[2]).c_str(), fmt(to_peer).c_str(),
                    fmt(to_floor).c_str());
    }
    report["side_by_side_ratios"] = ratios;
}

} // namespace

int main(int argc, char** argv) {
    options o;
    try {
        o = parse(argc, argv);
    } catch (std::exception const& e) {
        std::cerr << "cylch-loadgen: " << e.what() << " (--help lists the options)\n";
        return 2;
    }
    std::signal(SIGPIPE, SIG_IGN);
    auto const files = raise_file_limit();
    char tmpl[] = "/tmp/cylch-loadgen-XXXXXX";
    if (::mkdtemp(tmpl) == nullptr) {
        std::perror("mkdtemp");
        return 1;
    }
    fs::path const tmp = tmpl;
    json report;
    report["scenario"] = o.scenario_name;
    report["command"] = [&] {
        std::string c;
        for (int i = 0; i < argc; ++i) {
            c += (i ? " " : "") + std::string(i == 0 ? "cylch-loadgen" : argv[i]);
        }
        return c;
    }();
    report["machine"] = {{"cores", std::thread::hardware_concurrency()},
                         {"file_limit", files},
                         {"procs", o.procs},
                         {"source_addresses", o.procs * o.addresses}};
    int status = 0;
    try {
        report["cylch"] = run_target(o, target_kind::cylch, tmp);
        print_summary("cylch-server", report["cylch"]);
        if (!report["cylch"]["correct"].get<bool>()) {
            status = 1;
        }
        if (o.peer) {
            report["peer"] = run_target(o, target_kind::peer, tmp);
            print_summary("node-peer", report["peer"]);
            if (!report["peer"]["correct"].get<bool>()) {
                status = 1;
            }
        }
        if (o.baseline && (o.kind == scenario::burst || o.kind == scenario::smoke)) {
            // The floor sends each client as many summaries as cylch-server did.
            auto const& s = report["cylch"]["summary_frames_per_client"];
            o.floor_summaries =
                s.is_object() ? std::max(1, static_cast<int>(std::lround(s["mean"].get<double>())))
                              : 1;
        }
        if (o.kind == scenario::board) {
            report["baseline_skipped"] =
                "the baseline server has no boards: the board scenario runs cylch-server only";
            std::cout << "== baseline: not run (it has no boards)\n";
        }
        if (o.baseline) {
            report["baseline"] = run_target(o, target_kind::baseline, tmp);
            print_summary("baseline", report["baseline"]);
            auto const& c = report["cylch"];
            auto const& b = report["baseline"];
            json ratios;
            if (o.kind == scenario::burst) {
                ratios["open_to_everyone_final"] =
                    ratio(c["open_to_everyone_final_ms"], b["open_to_everyone_final_ms"]);
                ratios["ack_p99"] = ratio(c["ack_latency_ms"]["p99"], b["ack_latency_ms"]["p99"]);
                ratios["vote_to_summary_p99"] = ratio(c["vote_to_summary_participants_ms"]["p99"],
                                                      b["vote_to_summary_participants_ms"]["p99"]);
            }
            if (o.kind == scenario::ingest) {
                ratios["acked_votes_per_second"] =
                    ratio(c["acked_votes_per_second"], b["acked_votes_per_second"]);
            }
            if (o.kind == scenario::capacity) {
                ratios["rss_per_connection"] = ratio(c["server_process"]["rss_per_connection_kb"],
                                                     b["server_process"]["rss_per_connection_kb"]);
            }
            ratios["server_cpu_seconds"] = ratio(c["server_process"]["cpu_seconds_measured_phase"],
                                                 b["server_process"]["cpu_seconds_measured_phase"]);
            report["cylch_to_baseline"] = ratios;
            std::cout << "== cylch / baseline: " << ratios.dump() << "\n";
            if (!b["correct"].get<bool>()) {
                std::cout << "  (the baseline run had problems: its figures are suspect)\n";
                status = o.kind == scenario::smoke ? 1 : status;
            }
        }
        if (o.peer) {
            side_by_side(report);
        }
    } catch (std::exception const& e) {
        std::cerr << "cylch-loadgen: " << e.what() << "\n";
        status = 1;
        report["failure"] = e.what();
    }
    std::ofstream(o.out) << report.dump(2) << "\n";
    std::cout << "result: " << o.out << "\n";
    if (!o.keep) {
        std::error_code ec;
        fs::remove_all(tmp, ec);
    } else {
        std::cout << "kept: " << tmp.string() << "\n";
    }
    return status;
}
