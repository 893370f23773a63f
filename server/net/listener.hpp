// Accepts TCP connections and hands each to an HTTP session on its own strand.
#pragma once

#include "server/net/context.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>

#include <memory>

namespace cylch::net {

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

    boost::asio::io_context& ioc_;
    boost::asio::ip::tcp::acceptor acceptor_;
    boost::asio::steady_timer retry_; // pause after a failed accept (e.g. out of descriptors)
    net_context& ctx_;
    unsigned short port_ = 0;
};

} // namespace cylch::net
