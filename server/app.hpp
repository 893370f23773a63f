// cylch-server as an object: the store, the live workshops, the HTTP/WebSocket listener and
// the threads that run them. main.cpp builds one from the command line; tests build one on
// 127.0.0.1 with an ephemeral port.
//
// Thread-safety: construct, start() and stop() from one thread.
#pragma once

#include "server/live/registry.hpp"
#include "server/retention.hpp"

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace cylch {

struct server_config {
    std::string bind = "127.0.0.1";
    std::uint16_t port = 8080; // 0: an ephemeral port (see server::port())
    std::string db_path = "cylch.db";
    std::string web_root;             // built web client; empty or missing: a placeholder page
    int threads = 0;                  // 0: one per core
    std::vector<std::string> imports; // workshop files to create at start-up
    // Each of `imports` only when the same file was not imported into this database before
    // (and that workshop still exists): a demo restarted keeps one workshop.
    bool import_once = false;
    std::optional<std::string> admin_token; // from CYLCH_ADMIN_TOKEN or --admin-token-file
    std::chrono::milliseconds flush_interval{100};
    std::size_t max_frame = 16 * 1024;
    std::chrono::milliseconds hello_timeout{10'000};
    std::size_t max_queued_frames = 1024;
    std::size_t max_queued_bytes = 4 * 1024 * 1024;
    std::size_t max_body = 1024 * 1024;
    double rate_per_second = 20;
    double rate_burst = 60;
    std::size_t store_queue = 100'000;
    bool synchronous_full = true;
    bool metrics_public = false;
    // Hardening (docs/security.md).
    std::string public_url;                          // its origin may open WebSockets
    std::vector<std::string> allowed_origins;        // further origins that may open WebSockets
    std::size_t max_connections = 60'000;            // open WebSockets in all; 0: no cap
    std::size_t max_connections_per_address = 2'000; // from one client address; 0: no cap
    std::size_t max_total_queued_bytes = 1024u * 1024u * 1024u; // all clients' queues together
    std::size_t max_workshops = 1'000; // POST /api/workshops refused beyond; 0: no cap
    // An ended workshop is read from the database when asked for, and dropped from memory
    // after this long without a connection or a request.
    std::chrono::milliseconds ended_idle{std::chrono::minutes(10)};
    double failed_burst = 10;                   // wrong codes/tokens at once from one address
    double failed_rate = 0.2;                   // … regained per second
    double failed_global_burst = 200;           // wrong codes/tokens at once, whole server
    double failed_global_rate = 20;             // … regained per second
    std::chrono::milliseconds stop_grace{5000}; // a stop waits this long for clients to close
    std::chrono::seconds session_lifetime{std::chrono::hours(12)}; // staff sign-in sessions
    // Retention: the server purges workshops past their retention period at start and then
    // this often (docs/operations.md, "Retention"); 0: never by itself.
    std::chrono::milliseconds purge_every{std::chrono::hours(24)};
};

// Raised for a bad configuration or start-up input (e.g. an invalid workshop file); the
// message is meant for the person who started the server.
struct startup_error : std::runtime_error {
    using std::runtime_error::runtime_error;
};

class server {
public:
    // Opens the store, restores every workshop, imports the configured files and settles the
    // admin token. Nothing is served until start(). Throws startup_error or std::exception.
    explicit server(server_config config);
    ~server();
    server(server const&) = delete;
    server& operator=(server const&) = delete;

    // Binds, listens and runs the I/O threads. Returns at once.
    void start();
    // Clean stop: stop accepting, finish pending commits (their acks are sent), close every
    // WebSocket with 1001, wait for the threads. Idempotent.
    void stop();

    std::uint16_t port() const;

    // Purges the workshops due at `now` through the live workshops (retention.hpp), as the
    // daily run and POST /api/purge do; returns once every purge is durable. After start().
    retention::purge_report purge(store::time_ms now);
    // The workshops created from config.imports, with their one-time tokens.
    std::vector<live::created_workshop> const& imported() const;
    // With import_once: the files that were imported before, not again.
    struct earlier_import {
        std::string path;
        std::string id;
        std::string code;
    };
    std::vector<earlier_import> const& imported_before() const;
    // The admin token generated at the first start without one (shown once), if any.
    std::optional<std::string> const& generated_admin_token() const;

private:
    struct impl;
    std::unique_ptr<impl> impl_;
};

} // namespace cylch
