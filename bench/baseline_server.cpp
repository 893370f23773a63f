// cylch-bench-baseline: the yardstick for the load generator. A minimal Beast WebSocket
// server with no application logic, built like cylch-server (N threads on one io_context,
// a strand per connection, bounded write queues, one serialised buffer per broadcast) so
// that Cylch's figures can be reported as ratios to it.
//
// Behaviour, for every WebSocket upgrade on any path:
//   - a text frame starting with '!' is broadcast (without the '!') to every connection;
//   - any other frame is echoed to its sender and counted; with --ack on it is answered with
//     {"type":"ack","op":"…"} instead (the op found by a plain search, no JSON parser);
//   - every --flush-ms, when the count changed, {"type":"summary","activity":"a_baseline","n":N}
//     (N: frames answered so far) is broadcast, latest-wins, like Cylch's coalesced summaries.
//     With --summary-every K instead: a summary each time K more frames were answered, and a
//     last one once the count has stood still for --flush-ms (so that a burst of V votes gives
//     every client about V / K summaries: the load generator picks K so that this is the
//     number cylch-server sent in the same run; the floor of the burst comparison).
// Prints `listening on http://ADDR:PORT`; stops on SIGTERM or SIGINT.
//
//   cylch-bench-baseline [--bind 127.0.0.1] [--port 0] [--threads N] [--flush-ms 100]
//                        [--ack on|off] [--summary-every K]
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>

#include <atomic>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <iostream>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <vector>

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;
using frame_ptr = std::shared_ptr<std::string const>;

constexpr std::size_t max_queued_frames = 1024;

class session;

// Every open session, and the count of echoed frames. Guarded by `mutex` (the list is
// touched on open, close and once per broadcast, never per echoed frame).
struct shared_state {
    std::mutex mutex;
    std::unordered_map<session*, std::weak_ptr<session>> sessions;
    std::atomic<std::uint64_t> echoed{0};
    // Constant after start.
    bool ack = false;
    std::uint64_t summary_every = 0; // 0: periodic summaries
    // The n of the last summary broadcast (any thread).
    std::atomic<std::uint64_t> last_summary{0};

    void broadcast(frame_ptr const& frame, bool latest_wins);
    void broadcast_summary(std::uint64_t n);
};

// The op of a request frame: the string after "op":" up to the next quote (empty if none).
std::string_view op_of(std::string_view text) {
    constexpr std::string_view key = R"("op":")";
    auto const at = text.find(key);
    if (at == std::string_view::npos) {
        return {};
    }
    auto const end = text.find('"', at + key.size());
    return end == std::string_view::npos ? std::string_view{}
                                         : text.substr(at + key.size(), end - at - key.size());
}

class session : public std::enable_shared_from_this<session> {
public:
    session(tcp::socket&& socket, shared_state& state)
        : ws_(std::move(socket))
        , state_(state) {}

    void run() {
        beast::error_code ignored;
        beast::get_lowest_layer(ws_).socket().set_option(tcp::no_delay(true), ignored);
        ws_.set_option(websocket::stream_base::timeout::suggested(beast::role_type::server));
        ws_.read_message_max(16 * 1024);
        ws_.async_accept(
            [self = shared_from_this()](beast::error_code ec) { self->on_accept(ec); });
    }

    // Any thread.
    void deliver(frame_ptr frame, bool latest_wins) {
        asio::post(ws_.get_executor(),
                   [self = shared_from_this(), frame = std::move(frame), latest_wins]() mutable {
                       self->enqueue(std::move(frame), latest_wins);
                   });
    }

private:
    void on_accept(beast::error_code ec) {
        if (ec) {
            return;
        }
        {
            std::lock_guard lock(state_.mutex);
            state_.sessions.emplace(this, weak_from_this());
        }
        registered_ = true;
        do_read();
    }

    void do_read() {
        ws_.async_read(buffer_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
            self->on_read(ec);
        });
    }

    void on_read(beast::error_code ec) {
        if (ec) {
            unregister();
            return;
        }
        auto text = beast::buffers_to_string(buffer_.data());
        buffer_.consume(buffer_.size());
        if (!text.empty() && text.front() == '!') {
            state_.broadcast(std::make_shared<std::string const>(text.substr(1)), false);
        } else {
            auto const n = state_.echoed.fetch_add(1, std::memory_order_relaxed) + 1;
            if (state_.ack) {
                auto const op = op_of(text);
                std::string reply;
                reply.reserve(op.size() + 24);
                reply.append(R"({"type":"ack","op":")").append(op).append(R"("})");
                enqueue(std::make_shared<std::string const>(std::move(reply)), false);
            } else {
                enqueue(std::make_shared<std::string const>(std::move(text)), false);
            }
            if (state_.summary_every != 0 && n % state_.summary_every == 0) {
                state_.broadcast_summary(n);
            }
        }
        do_read();
    }

    // On the session's strand. Echoes and plain broadcasts queue in order (bounded: past the
    // bound the client is dropped); a summary replaces an unsent one.
    void enqueue(frame_ptr frame, bool latest_wins) {
        if (dropped_) {
            return;
        }
        if (latest_wins) {
            latest_ = std::move(frame);
        } else if (events_.size() >= max_queued_frames) {
            dropped_ = true;
            beast::error_code ignored;
            beast::get_lowest_layer(ws_).socket().close(ignored);
            return;
        } else {
            events_.push_back(std::move(frame));
        }
        if (!writing_) {
            do_write();
        }
    }

    void do_write() {
        if (!events_.empty()) {
            current_ = std::move(events_.front());
            events_.pop_front();
        } else if (latest_) {
            current_ = std::move(latest_);
        } else {
            writing_ = false;
            return;
        }
        writing_ = true;
        ws_.text(true);
        ws_.async_write(asio::buffer(*current_),
                        [self = shared_from_this()](beast::error_code ec, std::size_t) {
                            self->current_.reset();
                            if (ec) {
                                self->writing_ = false;
                                return;
                            }
                            self->do_write();
                        });
    }

    void unregister() {
        if (registered_) {
            registered_ = false;
            std::lock_guard lock(state_.mutex);
            state_.sessions.erase(this);
        }
    }

    websocket::stream<beast::tcp_stream> ws_;
    shared_state& state_;
    beast::flat_buffer buffer_;
    // On the strand only.
    std::deque<frame_ptr> events_;
    frame_ptr latest_;
    frame_ptr current_;
    bool writing_ = false;
    bool dropped_ = false;
    bool registered_ = false;
};

void shared_state::broadcast_summary(std::uint64_t n) {
    last_summary.store(n, std::memory_order_relaxed);
    broadcast(std::make_shared<std::string const>(
                  R"({"type":"summary","activity":"a_baseline","n":)" + std::to_string(n) + "}"),
              true);
}

void shared_state::broadcast(frame_ptr const& frame, bool latest_wins) {
    std::vector<std::shared_ptr<session>> targets;
    {
        std::lock_guard lock(mutex);
        targets.reserve(sessions.size());
        for (auto const& [raw, weak] : sessions) {
            if (auto s = weak.lock()) {
                targets.push_back(std::move(s));
            }
        }
    }
    for (auto const& s : targets) {
        s->deliver(frame, latest_wins);
    }
}

class listener {
public:
    listener(asio::io_context& ioc, tcp::endpoint at, shared_state& state)
        : ioc_(ioc)
        , acceptor_(asio::make_strand(ioc))
        , state_(state) {
        acceptor_.open(at.protocol());
        acceptor_.set_option(asio::socket_base::reuse_address(true));
        acceptor_.bind(at);
        acceptor_.listen(asio::socket_base::max_listen_connections);
    }

    std::uint16_t port() const { return acceptor_.local_endpoint().port(); }

    void run() { do_accept(); }

private:
    void do_accept() {
        acceptor_.async_accept(asio::make_strand(ioc_),
                               [this](beast::error_code ec, tcp::socket socket) {
                                   if (!ec) {
                                       std::make_shared<session>(std::move(socket), state_)->run();
                                   }
                                   if (ec != asio::error::operation_aborted) {
                                       do_accept();
                                   }
                               });
    }

    asio::io_context& ioc_;
    tcp::acceptor acceptor_;
    shared_state& state_;
};

// Broadcasts the echo count, coalesced: at most one summary per period.
class flusher {
public:
    flusher(asio::io_context& ioc, shared_state& state, std::chrono::milliseconds period)
        : timer_(asio::make_strand(ioc))
        , state_(state)
        , period_(period) {}

    void run() {
        timer_.expires_after(period_);
        timer_.async_wait([this](beast::error_code ec) {
            if (ec) {
                return;
            }
            auto const n = state_.echoed.load(std::memory_order_relaxed);
            // Periodic: whenever the count changed. With --summary-every: only the last one,
            // once the count stood still for a period and its summary was not sent yet.
            bool const due = state_.summary_every == 0
                                 ? n != last_
                                 : n == last_ && n != state_.last_summary.load();
            if (due) {
                state_.broadcast_summary(n);
            }
            last_ = n;
            run();
        });
    }

    void stop() { timer_.cancel(); }

private:
    asio::steady_timer timer_;
    shared_state& state_;
    std::chrono::milliseconds period_;
    std::uint64_t last_ = 0;
};

} // namespace

int main(int argc, char** argv) {
    std::string bind = "127.0.0.1";
    unsigned long port = 0;
    unsigned long threads = std::max(1u, std::thread::hardware_concurrency());
    unsigned long flush_ms = 100;
    bool ack = false;
    unsigned long summary_every = 0;
    for (int i = 1; i + 1 < argc; i += 2) {
        std::string const key = argv[i];
        char const* value = argv[i + 1];
        if (key == "--bind") {
            bind = value;
        } else if (key == "--port") {
            port = std::strtoul(value, nullptr, 10);
        } else if (key == "--threads") {
            threads = std::max(1ul, std::strtoul(value, nullptr, 10));
        } else if (key == "--ack") {
            ack = std::string(value) == "on";
        } else if (key == "--summary-every") {
            summary_every = std::strtoul(value, nullptr, 10);
        } else if (key == "--flush-ms") {
            flush_ms = std::max(1ul, std::strtoul(value, nullptr, 10));
        } else {
            std::cerr << "cylch-bench-baseline: unknown option " << key << "\n";
            return 2;
        }
    }
    if (argc % 2 == 0) {
        std::cerr << "usage: cylch-bench-baseline [--bind A] [--port P] [--threads N] "
                     "[--flush-ms MS] [--ack on|off] [--summary-every K]\n";
        return 2;
    }
    try {
        asio::io_context ioc(static_cast<int>(threads));
        shared_state state;
        state.ack = ack;
        state.summary_every = summary_every;
        listener l(ioc,
                   tcp::endpoint(asio::ip::make_address(bind), static_cast<std::uint16_t>(port)),
                   state);
        flusher f(ioc, state, std::chrono::milliseconds(flush_ms));
        l.run();
        f.run();
        asio::signal_set signals(ioc, SIGINT, SIGTERM);
        signals.async_wait([&](beast::error_code, int) { ioc.stop(); });
        std::cout << "listening on http://" << bind << ":" << l.port() << std::endl;
        std::vector<std::thread> pool;
        for (unsigned long t = 1; t < threads; ++t) {
            pool.emplace_back([&] { ioc.run(); });
        }
        ioc.run();
        for (auto& t : pool) {
            t.join();
        }
    } catch (std::exception const& e) {
        std::cerr << "cylch-bench-baseline: " << e.what() << "\n";
        return 1;
    }
    return 0;
}
