// A pool of WebSocket client connections driven by one event loop, for the load generator.
//
// Beast stays in ws_pool.cpp: this header is plain C++. Connections are numbered 0, 1, 2, …
// in the order they were added; each binds to one of the source addresses (round robin)
// before connecting, so that tens of thousands of connections do not exhaust the ephemeral
// ports of one address pair.
//
// Thread-safety: none. The pool, its handler and its timers run on the thread that calls
// run_for(); every member is called from that thread (between or inside run_for calls).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace cylch::bench {

struct pool_options {
    std::string host = "127.0.0.1";
    std::uint16_t port = 0;
    std::string target = "/ws";
    std::vector<std::string> source_addresses; // empty: let the kernel choose
    std::size_t max_pending_connects = 256;    // connects + handshakes in flight at once
    std::chrono::milliseconds connect_timeout{15'000};
};

class ws_pool {
public:
    using id = std::uint32_t;

    // Callbacks, invoked on the thread running run_for().
    struct handler {
        virtual ~handler() = default;
        virtual void on_open(id) = 0;                         // handshake done
        virtual void on_frame(id, std::string_view text) = 0; // one text or binary message
        virtual void on_close(id, std::string_view why) = 0;  // failed to open, or closed
    };

    ws_pool(pool_options options, handler& h);
    ~ws_pool();
    ws_pool(ws_pool const&) = delete;
    ws_pool& operator=(ws_pool const&) = delete;

    // Adds a connection; it connects as soon as fewer than max_pending_connects are pending.
    id add();
    // Queues a text frame (written in order). Ignored once the connection is closed.
    void send(id, std::string frame);
    // Starts a clean close (code 1000).
    void close(id);
    bool is_open(id) const;
    std::size_t size() const;
    std::size_t open_count() const;

    // Runs `fn` once after `delay`.
    void after(std::chrono::microseconds delay, std::function<void()> fn);
    // Runs the event loop for at most `d` (returns earlier only when nothing is left to do).
    void run_for(std::chrono::milliseconds d);

private:
    struct impl;
    std::unique_ptr<impl> impl_;
};

} // namespace cylch::bench
