// A TCP proxy on 127.0.0.1 between a client under test and a server, for network faults on
// demand: forward, cut (every connection closed and new ones refused, like a lost Wi-Fi),
// or hold replies (requests reach the server, its replies are swallowed, like a server that
// dies after committing but before its acknowledgement is sent). Asio stays in tcp_proxy.cpp.
#pragma once

#include <cstdint>
#include <memory>

namespace cylch::test {

class tcp_proxy {
public:
    explicit tcp_proxy(std::uint16_t upstream_port);
    ~tcp_proxy();
    tcp_proxy(tcp_proxy const&) = delete;
    tcp_proxy& operator=(tcp_proxy const&) = delete;

    std::uint16_t port() const;
    // Where new connections go (e.g. a restarted server on another port).
    void set_upstream(std::uint16_t port);
    // Closes every connection; new ones are accepted and closed at once until restore().
    void cut();
    // Keeps connections open and forwards requests, but drops every reply from now on.
    void hold_replies();
    // Forwards again. Connections whose replies were held are closed (their client must
    // reconnect, as it would after the real fault).
    void restore();
    // Connections accepted and forwarded so far.
    int connections() const;

private:
    struct impl;
    std::shared_ptr<impl> impl_;
};

} // namespace cylch::test
