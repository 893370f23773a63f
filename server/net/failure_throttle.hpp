// Throttles guessing: failed join codes and failed tokens (WebSocket hello answered not_found
// or not_allowed, HTTP requests whose bearer token is wrong) spend tokens of two buckets, one
// per client address and one for the whole server. While a bucket is empty, further attempts
// are refused as rate_limited before the code or token is even looked at, with a hint of when
// to try again.
//
// - Per address: `address_burst` failures at once, then `address_rate` per second. Attempts
//   made while throttled count as failures too, down to one further burst: ignoring the hint
//   pushes the next allowed attempt back (at most (1 + burst) / rate away).
// - Global: `global_burst` failures at once, then `global_rate` per second. When it is empty,
//   only addresses that have themselves failed recently are refused, so that a distributed
//   guesser does not lock out people who type their code right the first time.
// - At most `max_addresses` addresses are remembered; when full, addresses whose bucket has
//   refilled are forgotten, and a new address that still does not fit is held to the global
//   bucket alone.
//
// Thread-safety: every member function may be called from any thread (one mutex).
#pragma once

#include "server/net/rate_limited_log.hpp"

#include <chrono>
#include <cstddef>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace cylch::net {

struct throttle_options {
    double address_rate = 0.2; // failures regained per second, per address (one per 5 s)
    double address_burst = 10; // failures allowed at once from one address
    double global_rate = 20;   // failures regained per second, whole server
    double global_burst = 200; // failures allowed at once, whole server
    std::size_t max_addresses = 100'000;
};

class failure_throttle {
public:
    using clock = std::chrono::steady_clock;

    explicit failure_throttle(throttle_options options = {})
        : options_(options)
        , global_{options.global_burst, {}} {}

    // nullopt when an attempt from `address` may go ahead now; else how long to wait. A
    // refused attempt is counted against the address (see above).
    std::optional<std::chrono::milliseconds> check(std::string const& address,
                                                   clock::time_point now);

    // One failed code or token from `address` (`what`: "join code", "token", … for the log).
    void record_failure(std::string const& address, std::string_view what, clock::time_point now);

    std::size_t addresses() const;

private:
    struct bucket {
        double tokens;
        clock::time_point at;
    };
    void refill(bucket& b, double rate, double burst, clock::time_point now) const;
    bucket* find_or_add(std::string const& address, clock::time_point now);

    throttle_options const options_;
    mutable std::mutex mutex_;
    bucket global_;                                     // guarded by mutex_
    std::unordered_map<std::string, bucket> addresses_; // guarded by mutex_
    clock::time_point last_sweep_{};                    // guarded by mutex_
    rate_limited_log failure_log_;
    rate_limited_log refusal_log_;
};

} // namespace cylch::net
