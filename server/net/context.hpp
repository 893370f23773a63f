// What every connection of the network layer shares: limits, the API, the workshops, counters
// and the set of open WebSocket sessions (for a clean stop).
#pragma once

#include "server/live/registry.hpp"
#include "server/live/subscriber.hpp"
#include "server/metrics.hpp"
#include "server/net/http_api.hpp"

#include <atomic>
#include <chrono>
#include <cstddef>
#include <memory>
#include <mutex>
#include <unordered_map>

namespace cylch::net {

struct net_limits {
    std::size_t max_frame = 16 * 1024;               // bytes of one client frame; above: close 1009
    std::chrono::milliseconds hello_timeout{10'000}; // first frame must be hello by then: 1008
    std::size_t max_queued_frames = 1024;           // event frames waiting to be sent to one client
    std::size_t max_queued_bytes = 4 * 1024 * 1024; // bytes of those; past either bound: closed
    std::size_t max_body = 1024 * 1024;             // bytes of an HTTP request body
    double rate_per_second = 20;                    // client frames per second, sustained
    double rate_burst = 60;                         // client frames in a burst
    std::chrono::seconds http_idle{30};             // an idle HTTP keep-alive connection is closed
};

// An open connection as the stop sequence sees it.
class connection {
public:
    virtual ~connection() = default;
    // Gracefully: WebSockets close with 1001 after their queued frames; HTTP connections
    // finish the response in progress. Hard: the socket is closed now. Any thread.
    virtual void shut(bool hard) = 0;
};

// The connections now open, so that a stop can close them all.
// Thread-safe (mutex held for inserts, erases and the copy taken to close them).
class connection_set {
public:
    void add(std::uint64_t id, std::weak_ptr<connection> c) {
        std::lock_guard lock(mutex_);
        items_[id] = std::move(c);
    }
    void remove(std::uint64_t id) {
        std::lock_guard lock(mutex_);
        items_.erase(id);
    }
    void shut_all(bool hard) {
        std::unordered_map<std::uint64_t, std::weak_ptr<connection>> copy;
        {
            std::lock_guard lock(mutex_);
            copy = items_;
        }
        for (auto& [id, w] : copy) {
            if (auto c = w.lock()) {
                c->shut(hard);
            }
        }
    }
    std::size_t size() const {
        std::lock_guard lock(mutex_);
        return items_.size();
    }

private:
    mutable std::mutex mutex_;
    std::unordered_map<std::uint64_t, std::weak_ptr<connection>> items_;
};

struct net_context {
    live::registry& registry;
    http_api& api;
    cylch::metrics& metrics;
    net_limits limits;
    connection_set connections;
    std::atomic<std::uint64_t> next_connection_id{1};
    std::atomic<bool> stopping{false};
};

} // namespace cylch::net
