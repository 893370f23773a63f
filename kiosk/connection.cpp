#include "kiosk/connection.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>

#include <boost/system/system_error.hpp>

#include <deque>
#include <functional>
#include <optional>
#include <random>
#include <stdexcept>

namespace cylch::kiosk {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;

server_address parse_server_url(std::string const& url) {
    server_address a;
    std::string rest;
    for (auto [scheme, tls] : {std::pair{"http://", false}, std::pair{"ws://", false},
                               std::pair{"https://", true}, std::pair{"wss://", true}}) {
        if (url.starts_with(scheme)) {
            rest = url.substr(std::string_view(scheme).size());
            a.tls = tls;
        }
    }
    if (rest.empty()) {
        throw std::invalid_argument("server URL \"" + url +
                                    "\" must start with http://, https://, ws:// or wss:// (e.g. "
                                    "http://192.168.1.10:8080 or https://cylch.example.org)");
    }
    std::string const default_port = a.tls ? "443" : "80";
    auto const slash = rest.find('/');
    std::string hostport = rest.substr(0, slash);
    std::string prefix = slash == std::string::npos ? "" : rest.substr(slash);
    while (!prefix.empty() && prefix.back() == '/') {
        prefix.pop_back();
    }
    a.path = prefix + "/ws";
    if (hostport.starts_with('[')) { // [IPv6]:port
        auto const close = hostport.find(']');
        if (close == std::string::npos) {
            throw std::invalid_argument("server URL \"" + url + "\": unclosed [ in the host");
        }
        a.host = hostport.substr(1, close - 1);
        hostport = hostport.substr(close + 1);
        a.port = hostport.starts_with(':') ? hostport.substr(1) : default_port;
    } else {
        auto const colon = hostport.rfind(':');
        a.host = hostport.substr(0, colon);
        a.port = colon == std::string::npos ? default_port : hostport.substr(colon + 1);
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

namespace {

// One live WebSocket, plain or over TLS, behind the one interface the link needs.
struct live_socket {
    virtual ~live_socket() = default;
    virtual void write(std::string const& text, std::function<void(beast::error_code)> done) = 0;
    virtual void close() = 0;
};

template <class Stream>
struct socket_of : live_socket {
    template <class... Args>
    explicit socket_of(Args&&... args)
        : ws(std::forward<Args>(args)...) {}
    websocket::stream<Stream> ws;
    void write(std::string const& text, std::function<void(beast::error_code)> done) override {
        ws.async_write(asio::buffer(text),
                       [done = std::move(done)](beast::error_code ec, std::size_t) { done(ec); });
    }
    void close() override { beast::get_lowest_layer(ws).close(); }
};

using plain_socket = socket_of<beast::tcp_stream>;
using tls_socket = socket_of<ssl::stream<beast::tcp_stream>>;

} // namespace

struct server_link::impl : std::enable_shared_from_this<impl> {
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
    std::shared_ptr<live_socket> ws; // the live connection (null while down)
    std::optional<ssl::context> tls; // made once, for https:// servers
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
        if (!address.tls) {
            auto s = std::make_shared<plain_socket>(ioc);
            co_await connect(beast::get_lowest_layer(s->ws), endpoints);
            co_await talk(s, welcomed);
            co_return;
        }
        if (!tls) {
            tls.emplace(ssl::context::tls_client);
            tls->set_verify_mode(ssl::verify_peer);
            if (address.ca_file.empty()) {
                tls->set_default_verify_paths();
            } else {
                tls->load_verify_file(address.ca_file);
            }
        }
        auto s = std::make_shared<tls_socket>(ioc, *tls);
        auto& tls_stream = s->ws.next_layer();
        // SNI, and the certificate must name this host.
        if (!SSL_set_tlsext_host_name(tls_stream.native_handle(), address.host.c_str())) {
            throw std::runtime_error("cannot set the TLS server name");
        }
        tls_stream.set_verify_callback(ssl::host_name_verification(address.host));
        co_await connect(beast::get_lowest_layer(s->ws), endpoints);
        beast::get_lowest_layer(s->ws).expires_after(std::chrono::seconds(10));
        co_await tls_stream.async_handshake(ssl::stream_base::client, asio::use_awaitable);
        beast::get_lowest_layer(s->ws).expires_never();
        co_await talk(s, welcomed);
    }

    static asio::awaitable<void> connect(beast::tcp_stream& tcp_layer,
                                         tcp::resolver::results_type const& endpoints) {
        tcp_layer.expires_after(std::chrono::seconds(10));
        co_await tcp_layer.async_connect(endpoints, asio::use_awaitable);
        tcp_layer.socket().set_option(tcp::no_delay(true));
        tcp_layer.expires_never();
    }

    // The WebSocket handshake, the hello, then frames until the connection ends.
    template <class Socket>
    asio::awaitable<void> talk(std::shared_ptr<Socket> s, bool& welcomed) {
        websocket::stream_base::timeout t{};
        t.handshake_timeout = std::chrono::seconds(10);
        t.idle_timeout = std::chrono::seconds(20); // a dead link is noticed within ~20 s
        t.keep_alive_pings = true;
        s->ws.set_option(t);
        s->ws.set_option(websocket::stream_base::decorator([](websocket::request_type& req) {
            req.set(beast::http::field::user_agent, "cylch-kiosk");
        }));
        std::string const host = address.port == (address.tls ? "443" : "80")
                                     ? address.host
                                     : address.host + ":" + address.port;
        co_await s->ws.async_handshake(host, address.path, asio::use_awaitable);
        s->ws.text(true);
        co_await s->ws.async_write(asio::buffer(h.hello()), asio::use_awaitable);
        ws = s; // only now may others write: the hello goes first
        if (h.on_state) {
            h.on_state(true, "");
        }
        beast::flat_buffer buffer;
        while (!stopped) {
            buffer.clear();
            co_await s->ws.async_read(buffer, asio::use_awaitable);
            welcomed = true;
            if (h.on_frame) {
                h.on_frame(beast::buffers_to_string(buffer.data()));
            }
            if (ws != s) {
                break;
            }
        }
    }

    void write_next() {
        if (writing || outbox.empty() || !ws) {
            return;
        }
        writing = true;
        auto socket = ws;
        socket->write(outbox.front(), [self = shared_from_this(), socket](beast::error_code ec) {
            if (self->ws != socket) {
                return; // a connection that has since been replaced
            }
            self->writing = false;
            if (ec) {
                socket->close();
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
        impl_->ws->close();
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
