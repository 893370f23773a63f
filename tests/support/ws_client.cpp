#include "tests/support/ws_client.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>

#include <array>
#include <atomic>
#include <stdexcept>

namespace cylch::test {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;

struct ws_client::impl {
    asio::io_context ioc;
    websocket::stream<tcp::socket> ws{ioc};
    beast::flat_buffer buffer;
    bool reading = false; // an async_read is pending
    bool done = false;    // the pending read completed
    beast::error_code result;
    bool open = true;
    std::optional<int> close_code;

    // Runs the pending read until it completes or the timeout passes.
    bool wait(std::chrono::milliseconds timeout) {
        if (!reading) {
            reading = true;
            done = false;
            ws.async_read(buffer, [this](beast::error_code ec, std::size_t) {
                result = ec;
                done = true;
            });
        }
        ioc.restart();
        auto const deadline = std::chrono::steady_clock::now() + timeout;
        while (!done && std::chrono::steady_clock::now() < deadline) {
            ioc.run_one_until(deadline);
        }
        if (!done) {
            return false;
        }
        reading = false;
        if (result) {
            open = false;
            // The peer's close frame, when one came, even if the socket then failed first.
            if (ws.reason().code != websocket::close_code::none) {
                close_code = static_cast<int>(ws.reason().code);
            }
        }
        return true;
    }
};

namespace {

void connect_from(tcp::socket& socket, std::uint16_t port, connect_options const& options) {
    socket.open(tcp::v4());
    socket.bind(tcp::endpoint(asio::ip::make_address(options.from), 0));
    socket.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
}

// The upgrade's Origin and Cookie headers, as a browser would send them.
void set_origin(websocket::stream<tcp::socket>& ws, connect_options const& options) {
    if (options.origin || options.cookie) {
        ws.set_option(websocket::stream_base::decorator(
            [origin = options.origin, cookie = options.cookie](websocket::request_type& req) {
                if (origin) {
                    req.set(beast::http::field::origin, *origin);
                }
                if (cookie) {
                    req.set(beast::http::field::cookie, *cookie);
                }
            }));
    }
}

} // namespace

ws_client::ws_client(std::uint16_t port)
    : ws_client(port, connect_options{}) {}

ws_client::ws_client(std::uint16_t port, connect_options const& options)
    : impl_(std::make_unique<impl>()) {
    connect_from(impl_->ws.next_layer(), port, options);
    set_origin(impl_->ws, options);
    impl_->ws.read_message_max(64 * 1024 * 1024);
    impl_->ws.handshake("127.0.0.1:" + std::to_string(port), "/ws");
}

std::string http_result::header(std::string const& name) const {
    for (auto const& [n, v] : headers) {
        if (beast::iequals(n, name)) {
            return v;
        }
    }
    return {};
}

http_result try_upgrade(std::uint16_t port, connect_options const& options) {
    asio::io_context ioc;
    websocket::stream<tcp::socket> ws(ioc);
    connect_from(ws.next_layer(), port, options);
    set_origin(ws, options);
    websocket::response_type res;
    beast::error_code ec;
    ws.handshake(res, "127.0.0.1:" + std::to_string(port), "/ws", ec);
    http_result out{static_cast<int>(res.result_int()),
                    res.body(),
                    std::string(res[beast::http::field::content_type]),
                    {}};
    for (auto const& f : res) {
        out.headers.emplace_back(std::string(f.name_string()), std::string(f.value()));
    }
    if (!ec) {
        ws.close(websocket::close_code::normal, ec);
    }
    return out;
}

std::string raw_http(std::uint16_t port, std::string const& bytes,
                     std::chrono::milliseconds timeout) {
    asio::io_context ioc;
    beast::tcp_stream stream(ioc);
    stream.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
    stream.expires_after(timeout);
    beast::error_code ec;
    asio::write(stream, asio::buffer(bytes), ec);
    std::string out;
    std::array<char, 4096> chunk{};
    for (;;) {
        auto n = stream.read_some(asio::buffer(chunk), ec);
        out.append(chunk.data(), n);
        if (ec) {
            break;
        }
    }
    return out;
}

ws_client::~ws_client() = default;
ws_client::ws_client(ws_client&&) noexcept = default;
ws_client& ws_client::operator=(ws_client&&) noexcept = default;

void ws_client::send(std::string const& text) {
    impl_->ws.text(true);
    impl_->ws.write(asio::buffer(text));
}

void ws_client::send_binary(std::string const& bytes) {
    impl_->ws.binary(true);
    impl_->ws.write(asio::buffer(bytes));
    impl_->ws.text(true);
}

std::optional<std::string> ws_client::read_text(std::chrono::milliseconds timeout) {
    if (!impl_->open || !impl_->wait(timeout) || impl_->result) {
        return std::nullopt;
    }
    auto text = beast::buffers_to_string(impl_->buffer.data());
    impl_->buffer.consume(impl_->buffer.size());
    return text;
}

std::optional<nlohmann::json> ws_client::read(std::chrono::milliseconds timeout) {
    auto text = read_text(timeout);
    if (!text) {
        return std::nullopt;
    }
    return nlohmann::json::parse(*text);
}

nlohmann::json ws_client::take(std::function<bool(nlohmann::json const&)> const& wanted,
                               std::string const& what, std::chrono::milliseconds timeout) {
    for (auto it = mailbox_.begin(); it != mailbox_.end(); ++it) {
        if (wanted(*it)) {
            auto j = std::move(*it);
            mailbox_.erase(it);
            return j;
        }
    }
    auto const deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        auto j = left.count() > 0 ? read(left) : std::nullopt;
        if (!j) {
            throw std::runtime_error("no " + what + " arrived (" +
                                     (impl_->open ? "timeout" : "connection closed") + ")");
        }
        if (wanted(*j)) {
            return *j;
        }
        mailbox_.push_back(std::move(*j));
    }
}

nlohmann::json ws_client::expect(std::string const& type, std::chrono::milliseconds timeout) {
    return take([&](nlohmann::json const& j) { return j.value("type", "") == type; },
                "\"" + type + "\" frame", timeout);
}

nlohmann::json ws_client::reply_to(std::string const& op, std::chrono::milliseconds timeout) {
    return take(
        [&](nlohmann::json const& j) {
            auto type = j.value("type", "");
            return (type == "ack" || type == "error") && j.value("op", "") == op;
        },
        "reply to op " + op, timeout);
}

int ws_client::wait_closed(std::chrono::milliseconds timeout) {
    auto const deadline = std::chrono::steady_clock::now() + timeout;
    while (impl_->open) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0 || !impl_->wait(left)) {
            return -2;
        }
        if (!impl_->result) {
            auto text = beast::buffers_to_string(impl_->buffer.data());
            impl_->buffer.consume(impl_->buffer.size());
            mailbox_.push_back(nlohmann::json::parse(text, nullptr, false));
        }
    }
    return impl_->close_code.value_or(-1);
}

bool ws_client::is_open() const {
    return impl_->open;
}

void ws_client::close() {
    if (!impl_->open) {
        return;
    }
    beast::error_code ignored;
    impl_->ws.close(websocket::close_code::normal, ignored);
    impl_->open = false;
}

http_result http(std::uint16_t port, std::string const& method, std::string const& target,
                 std::string const& body, std::string const& bearer) {
    return http_with(port, method, target, body,
                     bearer.empty() ? std::vector<std::pair<std::string, std::string>>{}
                                    : std::vector<std::pair<std::string, std::string>>{
                                          {"Authorization", "Bearer " + bearer}});
}

http_result http_with(std::uint16_t port, std::string const& method, std::string const& target,
                      std::string const& body,
                      std::vector<std::pair<std::string, std::string>> const& headers) {
    asio::io_context ioc;
    beast::tcp_stream stream(ioc);
    stream.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
    beast::http::request<beast::http::string_body> req(beast::http::string_to_verb(method), target,
                                                       11);
    req.set(beast::http::field::host, "127.0.0.1");
    for (auto const& [name, value] : headers) {
        req.set(name, value);
    }
    if (!body.empty() || method == "POST" || method == "PUT") {
        req.set(beast::http::field::content_type, "application/json");
        req.body() = body;
        req.prepare_payload();
    }
    beast::error_code write_error;
    beast::http::write(stream, req, write_error); // a server may answer (413) before reading all
    beast::flat_buffer buffer;
    beast::http::response_parser<beast::http::string_body> parser;
    parser.body_limit(64 * 1024 * 1024);
    beast::error_code read_error;
    beast::http::read(stream, buffer, parser, read_error);
    if (read_error) {
        throw boost::system::system_error(write_error ? write_error : read_error);
    }
    auto res = parser.release();
    beast::error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
    http_result out{static_cast<int>(res.result_int()),
                    res.body(),
                    std::string(res[beast::http::field::content_type]),
                    {}};
    for (auto const& f : res) {
        out.headers.emplace_back(std::string(f.name_string()), std::string(f.value()));
    }
    return out;
}

std::string new_op() {
    static std::atomic<std::uint64_t> counter{0};
    auto n = std::to_string(counter.fetch_add(1));
    return "op-test-" + std::string(16 - std::min<std::size_t>(16, n.size()), '0') + n;
}

} // namespace cylch::test
