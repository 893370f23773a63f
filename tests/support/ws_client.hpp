// Test clients: a WebSocket client and a one-shot HTTP request, against a real server on
// 127.0.0.1. Beast stays inside ws_client.cpp (compiled once for all tests).
//
// Not thread-safe: one client per test thread. Every wait is bounded by a timeout.
#pragma once

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace cylch::test {

using namespace std::chrono_literals;

// How a test client connects: from which local address (any 127.0.0.0/8 address is this
// machine, so tests can play several clients) and with which Origin header.
struct connect_options {
    std::string from = "127.0.0.1";
    std::optional<std::string> origin;
    std::optional<std::string> cookie{}; // a Cookie header on the upgrade (a signed-in browser)
};

class ws_client {
public:
    // Connects to ws://127.0.0.1:port/ws; throws std::runtime_error when it cannot.
    explicit ws_client(std::uint16_t port);
    ws_client(std::uint16_t port, connect_options const& options);
    ~ws_client();
    ws_client(ws_client&&) noexcept;
    ws_client& operator=(ws_client&&) noexcept;

    void send(std::string const& text);
    void send(nlohmann::json const& j) { send(j.dump()); }
    void send_binary(std::string const& bytes);

    // The next frame, or nullopt when none arrives in time or the connection closed.
    std::optional<std::string> read_text(std::chrono::milliseconds timeout = 5s);
    std::optional<nlohmann::json> read(std::chrono::milliseconds timeout = 5s);
    // The oldest frame of this type, from the mailbox of frames passed over before or else
    // read now (others are kept in the mailbox, in order); throws std::runtime_error on
    // timeout or close, naming what was awaited.
    nlohmann::json expect(std::string const& type, std::chrono::milliseconds timeout = 5s);
    // The ack or error for this op, in the same way.
    nlohmann::json reply_to(std::string const& op, std::chrono::milliseconds timeout = 5s);
    // Reads until the connection closes: the close code, -1 for a close without a code,
    // -2 when it did not close in time.
    int wait_closed(std::chrono::milliseconds timeout = 5s);
    bool is_open() const;
    void close();

    // Frames passed over by expect() and reply_to(), oldest first.
    std::deque<nlohmann::json> const& mailbox() const { return mailbox_; }

private:
    nlohmann::json take(std::function<bool(nlohmann::json const&)> const& wanted,
                        std::string const& what, std::chrono::milliseconds timeout);

    struct impl;
    std::unique_ptr<impl> impl_;
    std::deque<nlohmann::json> mailbox_;
};

struct http_result {
    int status = 0;
    std::string body;
    std::string content_type;
    std::vector<std::pair<std::string, std::string>> headers; // as received
    nlohmann::json json() const { return nlohmann::json::parse(body); }
    // The value of a header (case-insensitive name); "" when absent.
    std::string header(std::string const& name) const;
};

// One HTTP/1.1 request to 127.0.0.1:port; throws on a connection failure.
http_result http(std::uint16_t port, std::string const& method, std::string const& target,
                 std::string const& body = {}, std::string const& bearer = {});

// The same with any request headers (e.g. Cookie, X-CSRF-Token).
http_result http_with(std::uint16_t port, std::string const& method, std::string const& target,
                      std::string const& body,
                      std::vector<std::pair<std::string, std::string>> const& headers);

// A WebSocket upgrade of /ws that is answered but not used: the status (101 when accepted)
// with the response's headers and body.
http_result try_upgrade(std::uint16_t port, connect_options const& options = {});

// Sends `bytes` as they are on a new connection and returns everything the server answers
// until it closes the connection (or the timeout passes).
std::string raw_http(std::uint16_t port, std::string const& bytes,
                     std::chrono::milliseconds timeout = 5s);

// A fresh op id (unique within the process, 24 characters).
std::string new_op();

} // namespace cylch::test
