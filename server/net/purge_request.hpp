// The client side of POST /api/purge, for `cylch-server purge` when a server has the database
// open: one blocking request over plain HTTP to the server's own address (loopback; behind
// the TLS proxy the server itself speaks HTTP).
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <variant>

namespace cylch::net {

struct purge_answer {
    unsigned status = 0;
    std::string body;
};
struct purge_request_failed {
    std::string reason; // for the person running the command
};

// POSTs /api/purge to host:port with the admin token; gives up after `timeout`.
std::variant<purge_answer, purge_request_failed>
request_purge(std::string const& host, std::uint16_t port, std::string const& admin_token,
              std::chrono::seconds timeout = std::chrono::seconds(300));

} // namespace cylch::net
