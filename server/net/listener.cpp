#include "server/net/listener.hpp"

#include "server/log.hpp"
#include "server/net/http_session.hpp"

#include <boost/asio/strand.hpp>

#include <cerrno>

namespace cylch::net {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

listener::listener(asio::io_context& ioc, tcp::endpoint endpoint, net_context& ctx)
    : ioc_(ioc)
    , acceptor_(asio::make_strand(ioc))
    , retry_(acceptor_.get_executor())
    , ctx_(ctx) {
    acceptor_.open(endpoint.protocol());
    acceptor_.set_option(asio::socket_base::reuse_address(true));
    acceptor_.bind(endpoint);
    acceptor_.listen(asio::socket_base::max_listen_connections);
    port_ = acceptor_.local_endpoint().port();
}

void listener::run() {
    do_accept();
}

void listener::stop() {
    asio::post(acceptor_.get_executor(), [self = shared_from_this()] {
        boost::system::error_code ignored;
        self->acceptor_.close(ignored);
        self->retry_.cancel();
    });
}

void listener::do_accept() {
    acceptor_.async_accept(
        asio::make_strand(ioc_),
        [self = shared_from_this()](boost::system::error_code ec, session_socket socket) {
            self->on_accept(ec, std::move(socket));
        });
}

void listener::on_accept(boost::system::error_code ec, session_socket socket) {
    if (ec == asio::error::operation_aborted || !acceptor_.is_open()) {
        return; // stopped
    }
    if (!ec) {
        pause_ = std::chrono::milliseconds(0);
        // Frames are written one at a time and waited for: do not let Nagle hold them.
        boost::system::error_code ignored;
        socket.set_option(tcp::no_delay(true), ignored);
        serve_http(std::move(socket), ctx_);
        return do_accept();
    }
    bool const exhausted = ec == asio::error::no_descriptors || ec.value() == ENFILE ||
                           ec == asio::error::no_buffer_space || ec == asio::error::no_memory;
    if (exhausted) {
        pause_ = next_accept_pause(pause_);
    }
    if (auto n = failures_.note(std::chrono::steady_clock::now())) {
        log::warn(exhausted ? "accept failed, out of descriptors or memory; pausing accepts"
                            : "accept failed",
                  {{"error", ec.message()},
                   {"count", std::to_string(*n)},
                   {"pause_ms", std::to_string(exhausted ? pause_.count() : 0)}});
    }
    if (!exhausted) {
        return do_accept(); // e.g. a connection reset before it was accepted
    }
    retry_.expires_after(pause_);
    retry_.async_wait([self = shared_from_this()](boost::system::error_code wait_error) {
        if (!wait_error && self->acceptor_.is_open()) {
            self->do_accept();
        }
    });
}

} // namespace cylch::net
