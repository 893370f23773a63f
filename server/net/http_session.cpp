#include "server/net/http_session.hpp"

#include "server/log.hpp"
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
            if (ec != beast::error::timeout && ec != asio::error::operation_aborted &&
                ec != asio::error::connection_reset) {
                log::debug("http read failed", {{"error", ec.message()}});
            }
            return;
        }
        auto req = parser_->release();
        if (beast::websocket::is_upgrade(req)) {
            if (req.target() != "/ws") {
                return reply_error(404, "{\"error\":{\"code\":\"not_found\",\"message\":\"the "
                                        "WebSocket endpoint is /ws\"}}");
            }
            stream_.expires_never();
            ctx_.connections.remove(id_);
            serve_websocket(std::move(stream_), std::move(req), ctx_);
            return;
        }
        http_request r;
        r.method = std::string(req.method_string());
        r.target = std::string(req.target());
        r.authorization = std::string(req[http::field::authorization]);
        r.body = std::move(req.body());
        beast::error_code ignored;
        auto remote = stream_.socket().remote_endpoint(ignored);
        r.from_loopback = !ignored && remote.address().is_loopback();
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
    void reply_error(unsigned status, std::string body) {
        linger_ = true;
        http_response resp;
        resp.status = status;
        resp.body = std::make_shared<std::string const>(std::move(body));
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
    bool linger_ = false;
    std::array<char, 4096> scratch_{};
};

} // namespace

void serve_http(session_socket socket, net_context& ctx) {
    std::make_shared<http_session>(std::move(socket), ctx)->run();
}

} // namespace cylch::net
