// A log line that may fire often (failed accepts, refused joins), written at most once per
// interval with the number of events since the last line.
//
// Thread-safety: note() may be called from any thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>

namespace cylch::net {

class rate_limited_log {
public:
    explicit rate_limited_log(
        std::chrono::steady_clock::duration interval = std::chrono::seconds(1))
        : interval_(interval) {}

    // Counts one event. Returns the number of events to report (this one included) when a
    // line is due now, else nullopt (the event is counted towards the next line).
    std::optional<std::uint64_t> note(std::chrono::steady_clock::time_point now) {
        std::lock_guard lock(mutex_);
        ++pending_;
        if (logged_once_ && now - last_ < interval_) {
            return std::nullopt;
        }
        logged_once_ = true;
        last_ = now;
        auto const n = pending_;
        pending_ = 0;
        return n;
    }

private:
    std::chrono::steady_clock::duration const interval_;
    std::mutex mutex_;
    std::chrono::steady_clock::time_point last_{}; // guarded by mutex_
    std::uint64_t pending_ = 0;                    // guarded by mutex_
    bool logged_once_ = false;                     // guarded by mutex_
};

} // namespace cylch::net
