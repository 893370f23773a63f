#include "server/net/listener.hpp"

#include "server/log.hpp"
#include "server/net/http_session.hpp"

#include <boost/asio/strand.hpp>

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
            if (ec) {
                if (ec == asio::error::operation_aborted || !self->acceptor_.is_open()) {
                    return; // stopped
                }
                // Out of file descriptors and the like: say so and keep accepting.
                log::warn("accept failed", {{"error", ec.message()}});
            } else {
                // Frames are written one at a time and waited for: do not let Nagle hold them.
                boost::system::error_code ignored;
                socket.set_option(tcp::no_delay(true), ignored);
                serve_http(std::move(socket), self->ctx_);
            }
            self->do_accept();
        });
}

} // namespace cylch::net
