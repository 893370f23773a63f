#include "kiosk/connection.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/websocket.hpp>

#include <boost/system/system_error.hpp>

#include <deque>
#include <random>
#include <stdexcept>

namespace cylch::kiosk {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;

server_address parse_server_url(std::string const& url) {
    std::string rest;
    for (auto scheme : {"http://", "ws://"}) {
        if (url.starts_with(scheme)) {
            rest = url.substr(std::string_view(scheme).size());
        }
    }
    if (rest.empty()) {
        if (url.starts_with("https://") || url.starts_with("wss://")) {
            throw std::invalid_argument(
                "server URL \"" + url +
                "\": TLS is not supported by cylch-kiosk; use the server's plain address on the "
                "local network, e.g. http://192.168.1.10:8080");
        }
        throw std::invalid_argument("server URL \"" + url +
                                    "\" must start with http:// or ws:// (e.g. "
                                    "http://192.168.1.10:8080)");
    }
    auto const slash = rest.find('/');
    std::string hostport = rest.substr(0, slash);
    std::string prefix = slash == std::string::npos ? "" : rest.substr(slash);
    while (!prefix.empty() && prefix.back() == '/') {
        prefix.pop_back();
    }
    server_address a;
    a.path = prefix + "/ws";
    if (hostport.starts_with('[')) { // [IPv6]:port
        auto const close = hostport.find(']');
        if (close == std::string::npos) {
            throw std::invalid_argument("server URL \"" + url + "\": unclosed [ in the host");
        }
        a.host = hostport.substr(1, close - 1);
        hostport = hostport.substr(close + 1);
        a.port = hostport.starts_with(':') ? hostport.substr(1) : "80";
    } else {
        auto const colon = hostport.rfind(':');
        a.host = hostport.substr(0, colon);
        a.port = colon == std::string::npos ? "80" : hostport.substr(colon + 1);
    }
    if (a.host.empty()) {
        throw std::invalid_argument("server URL \"" + url + "\" has no host");
    }
    if (a.port.empty() || a.port.find_first_not_of("0123456789") != std::string::npos ||
        a.port.size() > 5 || std::stoi(a.port) < 1 || std::stoi(a.port) > 65535) {
        throw std::invalid_argument("server URL \"" + url + "\": the port must be 1 to 65535");
    }
    return a;
}

struct server_link::impl : std::enable_shared_from_this<impl> {
    using stream_t = websocket::stream<beast::tcp_stream>;

    impl(asio::io_context& ioc, server_address address, handlers h)
        : ioc(ioc)
        , address(std::move(address))
        , h(std::move(h))
        , backoff_timer(ioc)
        , rng(std::random_device{}()) {}

    asio::io_context& ioc;
    server_address address;
    handlers h;
    asio::steady_timer backoff_timer;
    std::mt19937 rng;
    std::shared_ptr<stream_t> ws; // the live connection (null while down)
    std::deque<std::string> outbox;
    bool writing = false;
    bool stopped = false;
    static constexpr std::size_t max_outbox = 256;

    asio::awaitable<void> run() {
        auto self = shared_from_this();
        auto delay = std::chrono::milliseconds(500);
        while (!stopped) {
            std::string why;
            bool welcomed = false;
            try {
                co_await session(welcomed);
                why = "closed by the server";
            } catch (boost::system::system_error const& e) {
                why = e.code().message(); // without the source location Asio appends
            } catch (std::exception const& e) {
                why = e.what();
            }
            bool const was_up = ws != nullptr;
            ws.reset();
            outbox.clear();
            writing = false;
            if (was_up && h.on_state) {
                h.on_state(false, why);
            } else if (h.on_state) {
                h.on_state(false, "cannot connect: " + why);
            }
            if (stopped) {
                break;
            }
            if (welcomed) {
                delay = std::chrono::milliseconds(500);
            }
            // Full jitter: anywhere between 0 and the current step.
            std::uniform_int_distribution<long long> pick(100, delay.count());
            backoff_timer.expires_after(std::chrono::milliseconds(pick(rng)));
            boost::system::error_code ec;
            co_await backoff_timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
            delay = std::min(delay * 2, std::chrono::milliseconds(30'000));
        }
    }

    asio::awaitable<void> session(bool& welcomed) {
        tcp::resolver resolver(ioc);
        auto const endpoints =
            co_await resolver.async_resolve(address.host, address.port, asio::use_awaitable);
        auto stream = std::make_shared<stream_t>(ioc);
        beast::get_lowest_layer(*stream).expires_after(std::chrono::seconds(10));
        co_await beast::get_lowest_layer(*stream).async_connect(endpoints, asio::use_awaitable);
        beast::get_lowest_layer(*stream).socket().set_option(tcp::no_delay(true));
        beast::get_lowest_layer(*stream).expires_never();
        websocket::stream_base::timeout t{};
        t.handshake_timeout = std::chrono::seconds(10);
        t.idle_timeout = std::chrono::seconds(20); // a dead link is noticed within ~20 s
        t.keep_alive_pings = true;
        stream->set_option(t);
        stream->set_option(websocket::stream_base::decorator([](websocket::request_type& req) {
            req.set(beast::http::field::user_agent, "cylch-kiosk");
        }));
        co_await stream->async_handshake(address.host + ":" + address.port, address.path,
                                         asio::use_awaitable);
        stream->text(true);
        co_await stream->async_write(asio::buffer(h.hello()), asio::use_awaitable);
        ws = stream; // only now may others write: the hello goes first
        if (h.on_state) {
            h.on_state(true, "");
        }
        beast::flat_buffer buffer;
        while (!stopped) {
            buffer.clear();
            co_await stream->async_read(buffer, asio::use_awaitable);
            welcomed = true;
            if (h.on_frame) {
                h.on_frame(beast::buffers_to_string(buffer.data()));
            }
            if (ws != stream) {
                break;
            }
        }
    }

    void write_next() {
        if (writing || outbox.empty() || !ws) {
            return;
        }
        writing = true;
        auto stream = ws;
        stream->async_write(asio::buffer(outbox.front()),
                            [self = shared_from_this(), stream](beast::error_code ec, std::size_t) {
                                if (self->ws != stream) {
                                    return; // a connection that has since been replaced
                                }
                                self->writing = false;
                                if (ec) {
                                    beast::get_lowest_layer(*stream).close();
                                    return;
                                }
                                self->outbox.pop_front();
                                self->write_next();
                            });
    }
};

server_link::server_link(asio::io_context& ioc, server_address address, handlers h)
    : impl_(std::make_shared<impl>(ioc, std::move(address), std::move(h))) {}

server_link::~server_link() {
    stop();
}

void server_link::start() {
    asio::co_spawn(
        impl_->ioc, [i = impl_] { return i->run(); }, asio::detached);
}

void server_link::stop() {
    impl_->stopped = true;
    impl_->backoff_timer.cancel();
    if (impl_->ws) {
        beast::get_lowest_layer(*impl_->ws).close();
    }
}

bool server_link::send(std::string frame) {
    if (!impl_->ws || impl_->outbox.size() >= impl::max_outbox) {
        return false;
    }
    impl_->outbox.push_back(std::move(frame));
    impl_->write_next();
    return true;
}

bool server_link::up() const {
    return impl_->ws != nullptr;
}

} // namespace cylch::kiosk
