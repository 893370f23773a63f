// The participants driven by one load-generator worker process, and what they measured.
//
// A worker joins its slice of participants (hello by join code, then profile with consent
// and a group), reports "ready", and then acts on the parent's commands, one JSON line each
// on its command pipe ("go", "stop"), reporting "done" and finally "result" on its report
// pipe. Everything it does is bounded by the deadlines in its configuration. In the board
// scenario the participants add notes (plan_note) instead of voting, and move each one once
// its add is acknowledged.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace cylch::bench {

enum class scenario { smoke, burst, capacity, ingest, fanout, board };
// cylch: cylch-server; peer: the Node.js yardstick (bench/peer), which speaks the same subset of
// the protocol; baseline: the bare Beast floor (acks and summaries without JSON or disk).
enum class target_kind { cylch, peer, baseline };

struct worker_config {
    scenario kind = scenario::smoke;
    target_kind target = target_kind::cylch;
    std::uint16_t port = 0;
    std::string code;                // join code (cylch)
    std::vector<std::string> groups; // a participant's group: groups[index % size]
    unsigned worker = 0;             // this worker's number, also the op tag
    std::uint32_t first = 0;         // global participant indices [first, first + count)
    std::uint32_t count = 0;
    std::vector<std::string> sources;   // source addresses to bind
    int spread_ms = 2000;               // burst/smoke: votes spread over this after the open;
                                        // 0: all at once, once every participant of this
                                        // worker holds the open activity
    int window = 1;                     // ingest/fanout: votes in flight per voter
    std::uint32_t voters = 0;           // ingest/fanout: global indices below this vote
    int notes = 0;                      // board: notes each participant adds (and moves)
    std::vector<std::string> columns{}; // board: its column ids (empty: no columns)
    int join_timeout_ms = 60'000;
    int run_timeout_ms = 30'000;
    std::uint64_t seed = 1;
};

// The vote plan, the same in every process: participant i's first value, and (smoke) the
// value it changes to, 0 when it keeps its first answer.
int first_value(std::uint32_t index, int points);
int second_value(scenario kind, std::uint32_t index, int points);

// The board plan, the same in every process: what participant `index` writes as its note
// `k` (0-based), where it puts it, and where it moves it once the add is acknowledged.
// Texts are unique per (index, k); positions have three decimals (the server keeps four);
// the move changes the position and, on a board with two or more columns, the column.
struct note_plan {
    std::string text;
    std::string colour;
    std::string column; // empty: no column (a board without columns)
    double x = 0;
    double y = 0;
    std::string move_column;
    double move_x = 0;
    double move_y = 0;
};
note_plan plan_note(std::uint32_t index, int k, std::vector<std::string> const& columns);

// Runs one worker; returns its exit status (0 when it ran to the end, whatever it measured).
int run_worker(worker_config const& config, int command_fd, int report_fd);

} // namespace cylch::bench
