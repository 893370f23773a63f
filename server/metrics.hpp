// Process-wide counters for /metrics. Plain atomics: any thread may bump them.
#pragma once

#include <atomic>
#include <cstdint>

namespace cylch {

struct metrics {
    std::atomic<std::int64_t> connections_open{0};          // WebSocket sessions now
    std::atomic<std::uint64_t> connections_total{0};        // WebSocket sessions ever
    std::atomic<std::uint64_t> connections_dropped_slow{0}; // closed for falling behind
    std::atomic<std::uint64_t> connections_refused{0};      // upgrades refused by a cap (503)
    std::atomic<std::uint64_t> connections_dropped_budget{
        0};                                       // closed for the server's write budget
    std::atomic<std::uint64_t> auth_failures{0};  // wrong join codes and tokens
    std::atomic<std::uint64_t> auth_throttled{0}; // attempts refused as rate_limited
    std::atomic<std::uint64_t> frames_in{0};
    std::atomic<std::uint64_t> frames_out{0};
    std::atomic<std::uint64_t> errors_sent{0};
    std::atomic<std::uint64_t> acks_sent{0};
    std::atomic<std::uint64_t> votes_applied{0};
    std::atomic<std::uint64_t> summaries_flushed{0};
    std::atomic<std::uint64_t> http_requests{0};
    std::atomic<std::int64_t> workshops{0};
};

} // namespace cylch
