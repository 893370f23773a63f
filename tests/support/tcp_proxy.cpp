#include "tests/support/tcp_proxy.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>

#include <array>
#include <atomic>
#include <future>
#include <set>
#include <thread>

namespace cylch::test {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

namespace {

enum class mode { forward, cut, hold };

struct link : std::enable_shared_from_this<link> {
    explicit link(asio::io_context& ioc, tcp::socket client)
        : client(std::move(client))
        , server(ioc) {}
    tcp::socket client;
    tcp::socket server;
    bool held = false; // replies were dropped on this link
    void close() {
        boost::system::error_code ignored;
        client.close(ignored);
        server.close(ignored);
    }
};

} // namespace

struct tcp_proxy::impl : std::enable_shared_from_this<impl> {
    asio::io_context ioc;
    tcp::acceptor acceptor{ioc, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)};
    std::uint16_t upstream;
    mode current = mode::forward;
    std::set<std::shared_ptr<link>> links;
    std::atomic<int> accepted{0};
    std::thread thread;

    explicit impl(std::uint16_t up)
        : upstream(up) {}

    void accept() {
        acceptor.async_accept(
            [self = shared_from_this()](boost::system::error_code ec, tcp::socket s) {
                if (ec) {
                    return; // the acceptor was closed
                }
                if (self->current == mode::cut) {
                    s.close();
                } else {
                    self->connect(std::make_shared<link>(self->ioc, std::move(s)));
                }
                self->accept();
            });
    }

    void connect(std::shared_ptr<link> l) {
        links.insert(l);
        l->server.async_connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), upstream),
                                [self = shared_from_this(), l](boost::system::error_code ec) {
                                    if (ec) {
                                        self->drop(l);
                                        return;
                                    }
                                    ++self->accepted;
                                    self->pump(l, true);
                                    self->pump(l, false);
                                });
    }

    void drop(std::shared_ptr<link> const& l) {
        l->close();
        links.erase(l);
    }

    // Copies one direction: requests (client → server) or replies (server → client).
    void pump(std::shared_ptr<link> l, bool requests) {
        auto buf = std::make_shared<std::array<char, 16384>>();
        tcp::socket& from = requests ? l->client : l->server;
        from.async_read_some(asio::buffer(*buf), [self = shared_from_this(), l, buf, requests](
                                                     boost::system::error_code ec, std::size_t n) {
            if (ec) {
                self->drop(l);
                return;
            }
            if (!requests && self->current == mode::hold) {
                l->held = true;
                self->pump(l, requests); // swallowed
                return;
            }
            tcp::socket& to = requests ? l->server : l->client;
            asio::async_write(to, asio::buffer(buf->data(), n),
                              [self, l, buf, requests](boost::system::error_code wec, std::size_t) {
                                  if (wec) {
                                      self->drop(l);
                                      return;
                                  }
                                  self->pump(l, requests);
                              });
        });
    }

    template <class F>
    void run_on_loop(F f) {
        std::promise<void> done;
        asio::post(ioc, [&] {
            f();
            done.set_value();
        });
        done.get_future().wait();
    }
};

tcp_proxy::tcp_proxy(std::uint16_t upstream_port)
    : impl_(std::make_shared<impl>(upstream_port)) {
    impl_->accept();
    impl_->thread = std::thread([i = impl_] { i->ioc.run(); });
}

tcp_proxy::~tcp_proxy() {
    impl_->run_on_loop([i = impl_.get()] {
        i->acceptor.close();
        for (auto const& l : i->links) {
            l->close();
        }
        i->links.clear();
    });
    // Every socket is closed: the pending handlers finish with errors, re-arm nothing, and
    // run() returns, so no handler (holding the impl) is left behind.
    impl_->thread.join();
}

std::uint16_t tcp_proxy::port() const {
    return impl_->acceptor.local_endpoint().port();
}

void tcp_proxy::set_upstream(std::uint16_t port) {
    impl_->run_on_loop([i = impl_.get(), port] { i->upstream = port; });
}

void tcp_proxy::cut() {
    impl_->run_on_loop([i = impl_.get()] {
        i->current = mode::cut;
        for (auto const& l : i->links) {
            l->close();
        }
        i->links.clear();
    });
}

void tcp_proxy::hold_replies() {
    impl_->run_on_loop([i = impl_.get()] { i->current = mode::hold; });
}

void tcp_proxy::restore() {
    impl_->run_on_loop([i = impl_.get()] {
        i->current = mode::forward;
        for (auto it = i->links.begin(); it != i->links.end();) {
            if ((*it)->held) {
                (*it)->close();
                it = i->links.erase(it);
            } else {
                ++it;
            }
        }
    });
}

int tcp_proxy::connections() const {
    return impl_->accepted.load();
}

} // namespace cylch::test
