// The kiosk's link to cylch-server: one WebSocket at <server>/ws (over TLS for https://
// servers, e.g. behind deploy/nginx/cylch.conf), re-established after every
// failure with exponential backoff and full jitter (0.5 s doubling to 30 s), so that a room of
// kiosks coming back from a Wi-Fi drop does not reconnect in lockstep. Beast stays inside
// connection.cpp.
//
// Single-threaded: everything runs on the io_context the link is given, as do the handlers.
#pragma once

#include <boost/asio/io_context.hpp>

#include <chrono>
#include <functional>
#include <memory>
#include <string>

namespace cylch::kiosk {

struct server_address {
    std::string host;
    std::string port;
    std::string path;    // "/ws" below any prefix of the server URL
    bool tls = false;    // https:// or wss://: TLS, the server's certificate verified
    std::string ca_file; // TLS: trust these certificates (PEM) instead of the system's
};

// Reads "http://host:port/prefix", "https://…", "ws://…" or "wss://…" (port 80 or 443 by
// default). Throws std::invalid_argument naming the problem.
server_address parse_server_url(std::string const& url);

class server_link {
public:
    struct handlers {
        // The text to send first on every new connection (the hello).
        std::function<std::string()> hello;
        // One text frame from the server.
        std::function<void(std::string const& frame)> on_frame;
        // Connected (hello sent) or lost.
        std::function<void(bool up, std::string const& why)> on_state;
    };

    server_link(boost::asio::io_context& ioc, server_address address, handlers h);
    ~server_link();
    server_link(server_link const&) = delete;
    server_link& operator=(server_link const&) = delete;

    void start();
    void stop();
    // Queues a text frame on the current connection; false (nothing queued) when there is
    // none or its queue is full (the caller resends later: its queue is durable).
    bool send(std::string frame);
    bool up() const;

private:
    struct impl;
    std::shared_ptr<impl> impl_;
};

} // namespace cylch::kiosk
