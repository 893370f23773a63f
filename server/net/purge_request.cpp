#include "server/net/purge_request.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>

namespace cylch::net {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

std::variant<purge_answer, purge_request_failed> request_purge(std::string const& host,
                                                               std::uint16_t port,
                                                               std::string const& admin_token,
                                                               std::chrono::seconds timeout) {
    try {
        asio::io_context ioc;
        asio::ip::tcp::resolver resolver(ioc);
        beast::tcp_stream stream(ioc);
        stream.expires_after(timeout);
        stream.connect(resolver.resolve(host, std::to_string(port)));
        http::request<http::string_body> req{http::verb::post, "/api/purge", 11};
        req.set(http::field::host, host + ":" + std::to_string(port));
        req.set(http::field::authorization, "Bearer " + admin_token);
        req.prepare_payload();
        http::write(stream, req);
        beast::flat_buffer buffer;
        http::response_parser<http::string_body> parser;
        parser.body_limit(64 * 1024);
        http::read(stream, buffer, parser);
        beast::error_code ignored;
        stream.socket().shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
        auto const& res = parser.get();
        return purge_answer{res.result_int(), res.body()};
    } catch (boost::system::system_error const& e) {
        return purge_request_failed{"cannot reach the server at " + host + ":" +
                                    std::to_string(port) + ": " + e.code().message()};
    }
}

} // namespace cylch::net
