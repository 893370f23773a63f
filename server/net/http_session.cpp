#include "server/net/http_session.hpp"

#include "server/log.hpp"
#include "server/net/rate_limited_log.hpp"
#include "server/net/websocket_session.hpp"

#include <boost/asio/post.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket/rfc6455.hpp>

#include <array>
#include <memory>
#include <optional>

namespace cylch::net {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

std::string_view sv(beast::string_view s) {
    return {s.data(), s.size()};
}

// Framing errors of a request (RFC 9112): the parser could not tell where the message ends or
// what it says. Answered 400 (431 for a header block over the limit), then closed.
bool is_framing_error(beast::error_code ec) {
    if (ec.category() != http::make_error_code(http::error::bad_method).category()) {
        return false;
    }
    switch (static_cast<http::error>(ec.value())) {
    case http::error::end_of_stream:
    case http::error::partial_message: // the client went away mid-request: nobody to answer
    case http::error::body_limit:      // answered 413 on its own
    case http::error::stale_parser:
    case http::error::short_read:
        return false;
    default:
        return true;
    }
}

// The address a request is counted against for caps and throttling: the peer, or, when the
// peer is this machine (the reverse proxy of deploy/nginx), the last X-Forwarded-For entry,
// which is the one the proxy itself added.
std::string client_address(tcp::endpoint const& peer, bool peer_known,
                           std::string_view forwarded_for) {
    if (!peer_known) {
        return "unknown";
    }
    if (peer.address().is_loopback() && !forwarded_for.empty()) {
        auto last = forwarded_for.substr(forwarded_for.rfind(',') + 1);
        while (!last.empty() && last.front() == ' ') {
            last.remove_prefix(1);
        }
        while (!last.empty() && last.back() == ' ') {
            last.remove_suffix(1);
        }
        beast::error_code ec;
        auto a = asio::ip::make_address(std::string(last), ec);
        if (!ec) {
            return a.to_string();
        }
    }
    return peer.address().to_string();
}

// Refused upgrades, logged at most once a second with their count.
rate_limited_log& refused_log() {
    static rate_limited_log log;
    return log;
}

class http_session : public connection, public std::enable_shared_from_this<http_session> {
public:
    http_session(session_socket&& socket, net_context& ctx)
        : stream_(std::move(socket))
        , ctx_(ctx)
        , id_(ctx.next_connection_id.fetch_add(1)) {}

    ~http_session() override { ctx_.connections.remove(id_); }

    void run() {
        ctx_.connections.add(id_, std::weak_ptr<connection>(shared_from_this()));
        asio::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->do_read(); });
    }

    // A graceful stop lets the response in progress finish (keep-alive is then refused).
    void shut(bool hard) override {
        if (!hard) {
            return;
        }
        asio::post(stream_.get_executor(), [self = shared_from_this()] {
            beast::error_code ignored;
            self->stream_.socket().close(ignored);
        });
    }

private:
    void do_read() {
        parser_.emplace();
        parser_->body_limit(ctx_.limits.max_body);
        parser_->header_limit(16 * 1024);
        stream_.expires_after(ctx_.limits.http_idle);
        http::async_read(
            stream_, buffer_, *parser_,
            [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_read(ec); });
    }

    void on_read(beast::error_code ec) {
        if (ec == http::error::end_of_stream) {
            return do_close();
        }
        if (ec) {
            if (ec == http::error::body_limit) {
                return reply_error(413, "{\"error\":{\"code\":\"too_large\",\"message\":\"the "
                                        "request body is larger than the limit\"}}");
            }
            if (ec == http::error::header_limit) {
                return reply_error(431, "{\"error\":{\"code\":\"too_large\",\"message\":\"the "
                                        "request header is larger than the limit\"}}");
            }
            if (is_framing_error(ec)) {
                log::debug("malformed request", {{"error", ec.message()}});
                return reply_error(400, "{\"error\":{\"code\":\"bad_request\",\"message\":"
                                        "\"malformed HTTP request\"}}");
            }
            if (ec != beast::error::timeout && ec != asio::error::operation_aborted &&
                ec != asio::error::connection_reset) {
                log::debug("http read failed", {{"error", ec.message()}});
            }
            return;
        }
        auto req = parser_->release();
        host_ = std::string(req[http::field::host]);
        // Only "chunked", alone, says how a body is framed; anything else (gzip, a list, twice)
        // could be read differently by a proxy in front of us (request smuggling).
        if (req.count(http::field::transfer_encoding) > 1 ||
            (req.count(http::field::transfer_encoding) == 1 &&
             !beast::iequals(req[http::field::transfer_encoding], "chunked"))) {
            return reply_error(400, "{\"error\":{\"code\":\"bad_request\",\"message\":"
                                    "\"Transfer-Encoding must be chunked or absent\"}}");
        }
        beast::error_code peer_error;
        auto const peer = stream_.socket().remote_endpoint(peer_error);
        auto const client = client_address(peer, !peer_error, sv(req["X-Forwarded-For"]));
        if (beast::websocket::is_upgrade(req)) {
            if (req.target() != "/ws") {
                return reply_error(404, "{\"error\":{\"code\":\"not_found\",\"message\":\"the "
                                        "WebSocket endpoint is /ws\"}}");
            }
            auto const origin = req.find(http::field::origin);
            auto const origin_value =
                origin == req.end() ? std::string() : std::string(origin->value());
            if (!ctx_.origins.allows(origin_value, host_, origin != req.end())) {
                log::debug("WebSocket from a foreign origin refused",
                           {{"origin", origin_value}, {"client", client}});
                return reply_error(403, "{\"error\":{\"code\":\"not_allowed\",\"message\":"
                                        "\"pages of this origin may not connect\"}}");
            }
            auto [slot, refusal] = ctx_.ws_limits->acquire(client);
            if (!slot) {
                ctx_.metrics.connections_refused.fetch_add(1, std::memory_order_relaxed);
                if (auto n = refused_log().note(std::chrono::steady_clock::now())) {
                    log::warn("WebSocket refused: connection cap reached",
                              {{"cap", refusal == connection_limiter::refusal::global
                                           ? std::string_view("global")
                                           : std::string_view("per address")},
                               {"count", std::to_string(*n)},
                               {"last_client", client}});
                }
                return reply_error(
                    503,
                    refusal == connection_limiter::refusal::global
                        ? "{\"error\":{\"code\":\"rate_limited\",\"message\":\"the server "
                          "has as many connections as it takes; try again shortly\"}}"
                        : "{\"error\":{\"code\":\"rate_limited\",\"message\":\"too many "
                          "connections from this address; try again shortly\"}}",
                    {{"Retry-After", "5"}});
            }
            stream_.expires_never();
            ctx_.connections.remove(id_);
            serve_websocket(std::move(stream_), std::move(req), ctx_, std::move(slot), client);
            return;
        }
        http_request r;
        r.method = std::string(req.method_string());
        r.target = std::string(req.target());
        r.authorization = std::string(req[http::field::authorization]);
        r.body = std::move(req.body());
        r.from_loopback = !peer_error && peer.address().is_loopback();
        r.client = client;
        r.session = session_cookie(sv(req[http::field::cookie]));
        r.csrf = std::string(req["X-CSRF-Token"]);
        bool const keep_alive = req.keep_alive();
        unsigned const version = req.version();
        bool const head = req.method() == http::verb::head;
        try {
            ctx_.api.handle(std::move(r), [self = shared_from_this(), keep_alive, version,
                                           head](http_response resp) {
                asio::post(self->stream_.get_executor(),
                           [self, resp = std::move(resp), keep_alive, version, head]() mutable {
                               self->send(std::move(resp), keep_alive, version, head);
                           });
            });
        } catch (std::exception const& e) {
            // Last resort: the API answers bad requests itself, so reaching here is a defect.
            // It costs this request and connection, never the process.
            log::error("request failed unexpectedly; connection closed",
                       {{"target", std::string(req.target())}, {"error", e.what()}});
            reply_error(500, "{\"error\":{\"code\":\"server_error\",\"message\":\"the server "
                             "could not handle this request\"}}");
        }
    }

    void send(http_response resp, bool keep_alive, unsigned version, bool head) {
        auto msg = std::make_shared<http::response<http::string_body>>(
            static_cast<http::status>(resp.status), version);
        msg->set(http::field::server, "cylch");
        msg->set(http::field::content_type, resp.content_type);
        // On every response, pages or not (an SVG or JSON opened directly is a document too).
        msg->set("Content-Security-Policy", content_security_policy(host_));
        msg->set("X-Frame-Options", "DENY");
        msg->set("Referrer-Policy", "no-referrer");
        msg->set("X-Content-Type-Options", "nosniff");
        for (auto const& [name, value] : resp.headers) {
            msg->set(name, value);
        }
        if (head) {
            msg->content_length(resp.body ? resp.body->size() : 0);
        } else {
            msg->body() = resp.body ? *resp.body : std::string();
            msg->prepare_payload();
        }
        msg->keep_alive(keep_alive && !ctx_.stopping.load());
        write(msg);
    }

    // An error that ends the connection while the client may still be sending (e.g. a body
    // over the limit): the reply is followed by a lingering close, so that unread input does
    // not make the kernel reset the connection before the client has read the reply.
    void reply_error(unsigned status, std::string body,
                     std::vector<std::pair<std::string, std::string>> headers = {}) {
        linger_ = true;
        http_response resp;
        resp.status = status;
        resp.body = std::make_shared<std::string const>(std::move(body));
        resp.headers = std::move(headers);
        resp.headers.emplace_back("Cache-Control", "no-store");
        send(std::move(resp), false, 11, false);
    }

    void write(std::shared_ptr<http::response<http::string_body>> msg) {
        stream_.expires_after(ctx_.limits.http_idle);
        http::async_write(stream_, *msg,
                          [self = shared_from_this(), msg](beast::error_code ec, std::size_t) {
                              if (ec) {
                                  return;
                              }
                              if (msg->need_eof()) {
                                  return self->do_close();
                              }
                              self->do_read();
                          });
    }

    void do_close() {
        beast::error_code ignored;
        stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
        if (linger_) {
            drain();
        }
    }

    // Reads and discards what the client still sends, for at most two seconds.
    void drain() {
        stream_.expires_after(std::chrono::seconds(2));
        stream_.async_read_some(asio::buffer(scratch_),
                                [self = shared_from_this()](beast::error_code ec, std::size_t) {
                                    if (!ec) {
                                        self->drain();
                                    }
                                });
    }

    session_stream stream_;
    beast::flat_buffer buffer_;
    net_context& ctx_;
    std::uint64_t const id_;
    std::optional<http::request_parser<http::string_body>> parser_;
    std::string host_; // Host header of the request being answered (for the CSP)
    bool linger_ = false;
    std::array<char, 4096> scratch_{};
};

} // namespace

void serve_http(session_socket socket, net_context& ctx) {
    std::make_shared<http_session>(std::move(socket), ctx)->run();
}

} // namespace cylch::net
