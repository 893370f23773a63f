// The load generator's only translation unit with Beast: many WebSocket clients on one
// io_context, callback style (do_x / on_x).
#include "bench/ws_pool.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>

#include <deque>

#include <netinet/in.h>
#include <sys/socket.h>

namespace cylch::bench {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;

namespace {

enum class conn_state { waiting, connecting, open, closing, closed };

struct connection {
    explicit connection(asio::io_context& ioc)
        : ws(ioc) {}
    websocket::stream<beast::tcp_stream> ws;
    beast::flat_buffer buffer;
    std::deque<std::string> out;
    bool writing = false;
    conn_state state = conn_state::waiting;
};

} // namespace

struct ws_pool::impl {
    impl(pool_options o, handler& h)
        : options(std::move(o))
        , events(h) {
        server = tcp::endpoint(asio::ip::make_address(options.host), options.port);
        for (auto const& a : options.source_addresses) {
            sources.push_back(asio::ip::make_address(a));
        }
    }

    pool_options options;
    handler& events;
    asio::io_context ioc{1};
    tcp::endpoint server;
    std::vector<asio::ip::address> sources;
    std::vector<std::unique_ptr<connection>> conns; // index = id
    std::deque<id> to_connect;
    std::size_t pending = 0;
    std::size_t open = 0;

    void start_connects() {
        while (pending < options.max_pending_connects && !to_connect.empty()) {
            auto const i = to_connect.front();
            to_connect.pop_front();
            if (conns[i]->state == conn_state::waiting) {
                do_connect(i);
            }
        }
    }

    void do_connect(id i) {
        auto& c = *conns[i];
        c.state = conn_state::connecting;
        ++pending;
        auto& sock = beast::get_lowest_layer(c.ws).socket();
        beast::error_code ec;
        sock.open(tcp::v4(), ec);
        if (!ec && !sources.empty()) {
            int one = 1;
            // Defer the choice of local port to connect() so ports are shared across peers.
            ::setsockopt(sock.native_handle(), IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one,
                         sizeof one);
            sock.bind(tcp::endpoint(sources[i % sources.size()], 0), ec);
        }
        if (ec) {
            fail(i, "bind: " + ec.message());
            return;
        }
        sock.set_option(tcp::no_delay(true), ec);
        beast::get_lowest_layer(c.ws).expires_after(options.connect_timeout);
        beast::get_lowest_layer(c.ws).async_connect(
            server, [this, i](beast::error_code ec) { on_connect(i, ec); });
    }

    void on_connect(id i, beast::error_code ec) {
        if (ec) {
            fail(i, "connect: " + ec.message());
            return;
        }
        auto& c = *conns[i];
        beast::get_lowest_layer(c.ws).expires_never();
        c.ws.set_option(websocket::stream_base::timeout::suggested(beast::role_type::client));
        c.ws.async_handshake(options.host + ":" + std::to_string(options.port), options.target,
                             [this, i](beast::error_code ec) { on_handshake(i, ec); });
    }

    void on_handshake(id i, beast::error_code ec) {
        if (ec) {
            fail(i, "handshake: " + ec.message());
            return;
        }
        --pending;
        ++open;
        auto& c = *conns[i];
        c.state = conn_state::open;
        start_connects();
        do_read(i);
        events.on_open(i);
        if (!c.out.empty() && !c.writing) {
            do_write(i);
        }
    }

    void fail(id i, std::string const& why) {
        --pending;
        conns[i]->state = conn_state::closed;
        beast::error_code ignored;
        beast::get_lowest_layer(conns[i]->ws).socket().close(ignored);
        start_connects();
        events.on_close(i, why);
    }

    void do_read(id i) {
        auto& c = *conns[i];
        c.ws.async_read(c.buffer, [this, i](beast::error_code ec, std::size_t) { on_read(i, ec); });
    }

    void on_read(id i, beast::error_code ec) {
        auto& c = *conns[i];
        if (ec) {
            if (c.state != conn_state::closed) {
                c.state = conn_state::closed;
                --open;
                std::string why = ec == websocket::error::closed
                                      ? "closed " + std::to_string(c.ws.reason().code)
                                      : ec.message();
                events.on_close(i, why);
            }
            return;
        }
        auto const data = c.buffer.cdata();
        events.on_frame(i, std::string_view(static_cast<char const*>(data.data()), data.size()));
        c.buffer.consume(c.buffer.size());
        do_read(i);
    }

    void do_write(id i) {
        auto& c = *conns[i];
        c.writing = true;
        c.ws.text(true);
        c.ws.async_write(asio::buffer(c.out.front()),
                         [this, i](beast::error_code ec, std::size_t) { on_write(i, ec); });
    }

    void on_write(id i, beast::error_code ec) {
        auto& c = *conns[i];
        c.writing = false;
        if (ec) {
            c.out.clear();
            return; // the read side reports the close
        }
        c.out.pop_front();
        if (c.state == conn_state::open && !c.out.empty()) {
            do_write(i);
        } else if (c.state == conn_state::closing && c.out.empty()) {
            do_close(i);
        }
    }

    void do_close(id i) {
        conns[i]->ws.async_close(websocket::close_code::normal, [](beast::error_code) {});
    }
};

ws_pool::ws_pool(pool_options options, handler& h)
    : impl_(std::make_unique<impl>(std::move(options), h)) {}

ws_pool::~ws_pool() {
    // Sockets first (their pending handlers are dropped with the io_context, never run).
    impl_->conns.clear();
}

ws_pool::id ws_pool::add() {
    auto const i = static_cast<id>(impl_->conns.size());
    impl_->conns.push_back(std::make_unique<connection>(impl_->ioc));
    impl_->to_connect.push_back(i);
    impl_->start_connects();
    return i;
}

void ws_pool::send(id i, std::string frame) {
    auto& c = *impl_->conns[i];
    if (c.state == conn_state::closed || c.state == conn_state::closing) {
        return;
    }
    c.out.push_back(std::move(frame));
    if (c.state == conn_state::open && !c.writing) {
        impl_->do_write(i);
    }
}

void ws_pool::close(id i) {
    auto& c = *impl_->conns[i];
    if (c.state != conn_state::open) {
        if (c.state == conn_state::waiting) {
            c.state = conn_state::closed;
        } else if (c.state == conn_state::connecting) {
            beast::error_code ignored;
            beast::get_lowest_layer(c.ws).socket().close(ignored);
        }
        return;
    }
    c.state = conn_state::closing;
    if (!c.writing) {
        impl_->do_close(i);
    }
}

bool ws_pool::is_open(id i) const {
    return impl_->conns[i]->state == conn_state::open;
}

std::size_t ws_pool::size() const {
    return impl_->conns.size();
}

std::size_t ws_pool::open_count() const {
    return impl_->open;
}

void ws_pool::after(std::chrono::microseconds delay, std::function<void()> fn) {
    auto timer = std::make_shared<asio::steady_timer>(impl_->ioc, delay);
    timer->async_wait([timer, fn = std::move(fn)](beast::error_code ec) {
        if (!ec) {
            fn();
        }
    });
}

void ws_pool::run_for(std::chrono::milliseconds d) {
    if (impl_->ioc.stopped()) {
        impl_->ioc.restart();
    }
    impl_->ioc.run_for(d);
}

} // namespace cylch::bench
