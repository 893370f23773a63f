// What every connection of the network layer shares: limits, the API, the workshops, counters
// and the set of open WebSocket sessions (for a clean stop).
#pragma once

#include "server/live/registry.hpp"
#include "server/live/subscriber.hpp"
#include "server/metrics.hpp"
#include "server/net/connection_limits.hpp"
#include "server/net/failure_throttle.hpp"
#include "server/net/http_api.hpp"
#include "server/net/web_policy.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <vector>

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
    // Bytes of event frames queued for all clients together; past it, the clients with the
    // most queued are disconnected, largest first, until the total is back under 90 % of it.
    std::size_t max_total_queued_bytes = 1024 * 1024 * 1024;
};

// An open connection as the stop sequence sees it.
class connection {
public:
    virtual ~connection() = default;
    // Gracefully: WebSockets close with 1001 after their queued frames; HTTP connections
    // finish the response in progress. Hard: the socket is closed now. Any thread.
    virtual void shut(bool hard) = 0;
    // Bytes of event frames waiting to be sent (0 for HTTP). Any thread; may be a moment old.
    virtual std::size_t queued_bytes() const { return 0; }
    // Disconnects at once for using too much of the server's write budget. Any thread.
    virtual void drop_for_budget() {}
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
    // Disconnects the connections with the most queued bytes, largest first, until at least
    // `excess` bytes are being freed. Returns how many were disconnected.
    std::size_t shed(std::size_t excess) {
        std::vector<std::weak_ptr<connection>> all;
        {
            std::lock_guard lock(mutex_);
            all.reserve(items_.size());
            for (auto& [id, w] : items_) {
                all.push_back(w);
            }
        }
        // Locked outside the mutex: a connection whose last owner is this copy removes itself
        // from the set when it goes.
        std::vector<std::pair<std::size_t, std::shared_ptr<connection>>> queued;
        for (auto& w : all) {
            if (auto c = w.lock(); c && c->queued_bytes() > 0) {
                queued.emplace_back(c->queued_bytes(), std::move(c));
            }
        }
        std::sort(queued.begin(), queued.end(),
                  [](auto const& a, auto const& b) { return a.first > b.first; });
        std::size_t freed = 0;
        std::size_t dropped = 0;
        for (auto& [bytes, c] : queued) {
            if (freed >= excess) {
                break;
            }
            c->drop_for_budget();
            freed += bytes;
            ++dropped;
        }
        return dropped;
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
    // Which browser origins may open a WebSocket (--allowed-origin, --public-url).
    origin_policy origins{};
    // Caps on open WebSocket connections (--max-connections-per-address, --max-connections).
    std::shared_ptr<connection_limiter> ws_limits = std::make_shared<connection_limiter>(0, 0);
    // Failed codes and tokens; shared with the HTTP API (owned by the server).
    failure_throttle* throttle = nullptr;
    // Bytes of event frames queued for every WebSocket together (see net_limits).
    std::atomic<std::size_t> queued_bytes{0};
    // When connections were last shed for the write budget (steady clock ticks), so that one
    // excess is answered once rather than by every session that notices it.
    std::atomic<std::int64_t> last_shed{0};
};

} // namespace cylch::net
