// Accepts TCP connections and hands each to an HTTP session on its own strand.
#pragma once

#include "server/net/context.hpp"
#include "server/net/rate_limited_log.hpp"
#include "server/net/stream.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>

#include <algorithm>
#include <chrono>
#include <memory>

namespace cylch::net {

// The pause after an accept failed for want of descriptors or memory (EMFILE, ENFILE,
// ENOBUFS, ENOMEM): 50 ms after the first failure, doubled after each further one, at most 1 s;
// back to nothing after an accept succeeds. Retrying at once would spin on a full table.
inline std::chrono::milliseconds next_accept_pause(std::chrono::milliseconds previous) {
    using std::chrono::milliseconds;
    return previous < milliseconds(50) ? milliseconds(50)
                                       : std::min(previous * 2, milliseconds(1000));
}

class listener : public std::enable_shared_from_this<listener> {
public:
    // Binds and listens at once; throws boost::system::system_error when it cannot.
    listener(boost::asio::io_context& ioc, boost::asio::ip::tcp::endpoint endpoint,
             net_context& ctx);

    void run();
    // Stops accepting; open connections are left to the caller. Thread-safe.
    void stop();
    unsigned short port() const { return port_; }

private:
    void do_accept();
    void on_accept(boost::system::error_code ec, session_socket socket);

    boost::asio::io_context& ioc_;
    boost::asio::ip::tcp::acceptor acceptor_;
    boost::asio::steady_timer retry_; // pause after a failed accept (e.g. out of descriptors)
    net_context& ctx_;
    unsigned short port_ = 0;
    std::chrono::milliseconds pause_{0}; // current back-off; on the acceptor's strand
    rate_limited_log failures_;          // at most one line a second, with a count
};

} // namespace cylch::net
