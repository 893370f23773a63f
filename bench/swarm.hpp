// The participants driven by one load-generator worker process, and what they measured.
//
// A worker joins its slice of participants (hello by join code, then profile with consent
// and a group), reports "ready", and then acts on the parent's commands, one JSON line each
// on its command pipe ("go", "stop"), reporting "done" and finally "result" on its report
// pipe. Everything it does is bounded by the deadlines in its configuration.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace cylch::bench {

enum class scenario { smoke, burst, capacity, ingest, fanout };
enum class target_kind { cylch, baseline };

struct worker_config {
    scenario kind = scenario::smoke;
    target_kind target = target_kind::cylch;
    std::uint16_t port = 0;
    std::string code;                // join code (cylch)
    std::vector<std::string> groups; // a participant's group: groups[index % size]
    unsigned worker = 0;             // this worker's number, also the op tag
    std::uint32_t first = 0;         // global participant indices [first, first + count)
    std::uint32_t count = 0;
    std::vector<std::string> sources; // source addresses to bind
    int spread_ms = 2000;             // burst/smoke: votes spread over this after the open
    int window = 1;                   // ingest/fanout: votes in flight per voter
    std::uint32_t voters = 0;         // ingest/fanout: global indices below this vote
    int join_timeout_ms = 60'000;
    int run_timeout_ms = 30'000;
    std::uint64_t seed = 1;
};

// The vote plan, the same in every process: participant i's first value, and (smoke) the
// value it changes to, 0 when it keeps its first answer.
int first_value(std::uint32_t index, int points);
int second_value(scenario kind, std::uint32_t index, int points);

// Runs one worker; returns its exit status (0 when it ran to the end, whatever it measured).
int run_worker(worker_config const& config, int command_fd, int report_fd);

} // namespace cylch::bench
