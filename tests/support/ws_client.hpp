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

class ws_client {
public:
    // Connects to ws://127.0.0.1:port/ws; throws std::runtime_error when it cannot.
    explicit ws_client(std::uint16_t port);
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
    nlohmann::json json() const { return nlohmann::json::parse(body); }
};

// One HTTP/1.1 request to 127.0.0.1:port; throws on a connection failure.
http_result http(std::uint16_t port, std::string const& method, std::string const& target,
                 std::string const& body = {}, std::string const& bearer = {});

// A fresh op id (unique within the process, 24 characters).
std::string new_op();

} // namespace cylch::test
