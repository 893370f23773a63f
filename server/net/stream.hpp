// The concrete types of an accepted connection: its socket and Beast stream run on a strand of
// the server's io_context, named as such rather than behind Asio's type-erased
// any_io_executor (whose copies and conversions on every operation were ~7 % of the server's
// CPU under sustained load; docs/benchmarks.md).
//
// Carries Asio/Beast types: included only by server/net/*.cpp and the net headers they use.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/strand.hpp>

namespace boost::beast {
struct unlimited_rate_policy;
template <class Protocol, class Executor, class RatePolicy>
class basic_stream;
} // namespace boost::beast

namespace cylch::net {

using session_executor = boost::asio::strand<boost::asio::io_context::executor_type>;
using session_socket = boost::asio::basic_stream_socket<boost::asio::ip::tcp, session_executor>;
using session_stream = boost::beast::basic_stream<boost::asio::ip::tcp, session_executor,
                                                  boost::beast::unlimited_rate_policy>;

} // namespace cylch::net
