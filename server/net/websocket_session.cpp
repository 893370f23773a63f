#include "server/net/websocket_session.hpp"

#include "server/auth/tokens.hpp"
#include "server/log.hpp"
#include "shared/protocol/client_codec.hpp"
#include "shared/protocol/codec.hpp"
#include "shared/protocol/retry_hint.hpp"

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>

#include <memory>
#include <vector>

namespace cylch::net {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
using protocol::error_code;

class websocket_session : public live::subscriber,
                          public connection,
                          public std::enable_shared_from_this<websocket_session> {
public:
    websocket_session(session_stream&& stream, net_context& ctx, connection_limiter::slot slot,
                      std::string client)
        : ws_(std::move(stream))
        , ctx_(ctx)
        , id_(ctx.next_connection_id.fetch_add(1))
        , slot_(std::move(slot))
        , client_(std::move(client))
        , hello_timer_(ws_.get_executor())
        , tokens_(ctx.limits.rate_burst)
        , refilled_(std::chrono::steady_clock::now()) {
        ctx_.metrics.connections_open.fetch_add(1);
        ctx_.metrics.connections_total.fetch_add(1);
    }

    ~websocket_session() override {
        ctx_.queued_bytes.fetch_sub(queued_bytes_, std::memory_order_relaxed);
        ctx_.metrics.connections_open.fetch_sub(1);
        ctx_.connections.remove(id_);
        if (actor_) {
            actor_->leave(id_);
        }
    }

    void run(beast::http::request<beast::http::string_body> upgrade) {
        // Kept for a staff hello without a token (a signed-in facilitator, presenter screen).
        session_ = session_cookie(upgrade[beast::http::field::cookie]);
        ctx_.connections.add(id_, std::weak_ptr<connection>(shared_from_this()));
        ws_.set_option(websocket::stream_base::timeout::suggested(beast::role_type::server));
        ws_.set_option(websocket::stream_base::decorator(
            [](websocket::response_type& res) { res.set(beast::http::field::server, "cylch"); }));
        ws_.read_message_max(ctx_.limits.max_frame);
        ws_.async_accept(
            upgrade, [self = shared_from_this()](beast::error_code ec) { self->on_accept(ec); });
    }

    // ---- live::subscriber (any thread) ----

    void deliver(live::shared_frame frame, live::frame_kind kind) override {
        asio::post(ws_.get_executor(), [self = shared_from_this(), frame = std::move(frame),
                                        kind]() mutable { self->enqueue(std::move(frame), kind); });
    }

    void close(live::close_reason why) override {
        asio::post(ws_.get_executor(), [self = shared_from_this(), why] {
            self->close_after_flush(why == live::close_reason::going_away
                                        ? websocket::close_code::going_away
                                        : websocket::close_code::policy_error);
        });
    }

    std::uint64_t subscriber_id() const override { return id_; }

    std::size_t queued_bytes() const override {
        return queued_bytes_mirror_.load(std::memory_order_relaxed);
    }

    void drop_for_budget() override {
        asio::post(ws_.get_executor(), [self = shared_from_this()] {
            if (!self->closing_) {
                self->drop_slow_client(drop_reason::budget);
            }
        });
    }

    // ---- connection (any thread) ----

    void shut(bool hard) override {
        if (!hard) {
            close(live::close_reason::going_away);
            return;
        }
        asio::post(ws_.get_executor(), [self = shared_from_this()] {
            self->closing_ = true;
            self->hello_timer_.cancel();
            beast::error_code ignored;
            beast::get_lowest_layer(self->ws_).socket().close(ignored);
        });
    }

private:
    // ---- reading ----

    void on_accept(beast::error_code ec) {
        if (ec) {
            return;
        }
        hello_timer_.expires_after(ctx_.limits.hello_timeout);
        hello_timer_.async_wait([weak = weak_from_this()](beast::error_code ec) {
            auto self = weak.lock();
            if (!ec && self && self->state_ == state::awaiting_hello) {
                self->send_error(
                    {std::nullopt, error_code::bad_request, "no hello within the time allowed"});
                self->close_after_flush(websocket::close_code::policy_error);
            }
        });
        do_read();
    }

    void do_read() {
        ws_.async_read(buffer_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
            self->on_read(ec);
        });
    }

    void on_read(beast::error_code ec) {
        if (ec) {
            // Closed by the peer, by us, or for a protocol violation that Beast answered itself
            // (1009 for a frame above read_message_max, 1007 for invalid UTF-8 in a text frame).
            if (ec == websocket::error::message_too_big) {
                log::info("frame too large, connection closed", {{"session", std::to_string(id_)}});
            }
            hello_timer_.cancel();
            return;
        }
        ctx_.metrics.frames_in.fetch_add(1, std::memory_order_relaxed);
        auto const text = beast::buffers_to_string(buffer_.data());
        buffer_.consume(buffer_.size());
        if (!ws_.got_text()) {
            send_error({std::nullopt, error_code::bad_request, "send JSON in text frames"});
        } else if (!take_token()) {
            auto decoded = protocol::decode_client(text, ctx_.limits.max_frame);
            std::optional<std::string> op;
            if (auto const* m = std::get_if<protocol::client_message>(&decoded)) {
                op = std::string(protocol::op_of(*m));
            }
            send_error({op, error_code::rate_limited, "too many messages; slow down"});
        } else {
            try {
                handle(text);
            } catch (std::exception const& e) {
                // Last resort: the decoders answer every bad frame themselves, so reaching
                // here is a defect. It costs this connection, never the process.
                log::error("request failed unexpectedly; connection closed",
                           {{"session", std::to_string(id_)}, {"error", e.what()}});
                send_error({std::nullopt, error_code::server_error,
                            "the server could not "
                            "handle this request"});
                close_after_flush(websocket::close_code::internal_error);
            }
        }
        if (!closing_ && state_ != state::finding) {
            do_read(); // while the workshop is being found, on_found reads on
        }
    }

    // Token bucket: rate_per_second sustained, rate_burst at once.
    bool take_token() {
        auto const now = std::chrono::steady_clock::now();
        std::chrono::duration<double> elapsed = now - refilled_;
        refilled_ = now;
        tokens_ = std::min(ctx_.limits.rate_burst,
                           tokens_ + elapsed.count() * ctx_.limits.rate_per_second);
        if (tokens_ < 1.0) {
            return false;
        }
        tokens_ -= 1.0;
        return true;
    }

    void handle(std::string const& text) {
        auto decoded = protocol::decode_client(text, ctx_.limits.max_frame);
        if (auto* f = std::get_if<protocol::decode_failure>(&decoded)) {
            send_error({f->op, f->code, f->message});
            if (f->code == error_code::version) {
                close_after_flush(websocket::close_code::policy_error);
            }
            return;
        }
        auto& message = std::get<protocol::client_message>(decoded);
        if (auto* h = std::get_if<protocol::hello>(&message)) {
            if (state_ != state::awaiting_hello) {
                send_error({std::nullopt, error_code::bad_request,
                            "hello was already received on this connection"});
                return;
            }
            on_hello(std::move(*h));
            return;
        }
        if (state_ == state::awaiting_hello) {
            send_error({std::string(protocol::op_of(message)), error_code::not_allowed,
                        "say hello first"});
            close_after_flush(websocket::close_code::policy_error);
            return;
        }
        actor_->request(id_, std::move(message));
    }

    void on_hello(protocol::hello h) {
        hello_timer_.cancel();
        if (ctx_.throttle) {
            if (auto wait = ctx_.throttle->check(client_, std::chrono::steady_clock::now())) {
                ctx_.metrics.auth_throttled.fetch_add(1, std::memory_order_relaxed);
                ctx_.metrics.errors_sent.fetch_add(1, std::memory_order_relaxed);
                enqueue(live::make_frame(protocol::encode_rate_limited(
                            std::nullopt,
                            "too many wrong codes or tokens from this address; try again later",
                            *wait)),
                        live::frame_kind::event);
                close_after_flush(websocket::close_code::policy_error);
                return;
            }
        }
        std::optional<std::string> id; // the workshop, when the hello names it by id
        if (h.role == protocol::role::kiosk) {
            auto k = ctx_.registry.kiosk(*h.kiosk);
            if (!k || !auth::equal_constant_time(auth::hash_token(*h.token), k->token_hash)) {
                hello_failed("kiosk token");
                send_error({std::nullopt, error_code::not_allowed,
                            "this kiosk is not registered, or its token is wrong"});
                close_after_flush(websocket::close_code::policy_error);
                return;
            }
            id = k->workshop;
        } else if (h.role != protocol::role::participant) {
            id = h.workshop;
            if (!h.token) {
                // No link token: the staff sign-in of this browser, if it may (http_api).
                signed_in_ = ctx_.api.staff_by_session(session_, id.value_or(""), h.role);
                if (!signed_in_) {
                    hello_failed("staff sign-in");
                    send_error({std::nullopt, error_code::not_allowed,
                                "sign in with an account that may use this workshop, or open "
                                "the link with its token"});
                    close_after_flush(websocket::close_code::policy_error);
                    return;
                }
            }
        }
        // An ended workshop may have to be loaded first: nothing more is read until then.
        state_ = state::finding;
        auto found = [self = shared_from_this(),
                      h](std::shared_ptr<live::workshop_actor> actor) mutable {
            asio::post(self->ws_.get_executor(),
                       [self, h = std::move(h), actor = std::move(actor)]() mutable {
                           self->on_found(std::move(h), std::move(actor));
                       });
        };
        if (h.role == protocol::role::participant) {
            ctx_.registry.find_by_code(*h.code, std::move(found));
        } else {
            ctx_.registry.find_by_id(id.value_or(""), std::move(found));
        }
    }

    void on_found(protocol::hello h, std::shared_ptr<live::workshop_actor> actor) {
        if (closing_) {
            return;
        }
        if (!actor) {
            hello_failed(h.role == protocol::role::participant ? "join code" : "workshop id");
            send_error({std::nullopt, error_code::not_found,
                        h.role == protocol::role::participant ? "no workshop has that code"
                                                              : "no workshop has that id"});
            close_after_flush(websocket::close_code::policy_error);
            state_ = state::awaiting_hello;
            if (!closing_) {
                do_read(); // as after any refused hello, until the close is through
            }
            return;
        }
        actor_ = std::move(actor);
        state_ = state::joined;
        hello_role_ = h.role;
        actor_->join(shared_from_this(), std::move(h),
                     signed_in_ ? std::optional(live::signed_in{*signed_in_}) : std::nullopt);
        do_read();
    }

    void hello_failed(std::string_view what) {
        ctx_.metrics.auth_failures.fetch_add(1, std::memory_order_relaxed);
        if (ctx_.throttle) {
            ctx_.throttle->record_failure(client_, what, std::chrono::steady_clock::now());
        }
    }

    // The first event frame after a hello handed to the workshop is its answer (welcome or
    // error); a refusal for a wrong token (not_allowed, not_found) counts as a failed attempt.
    // Looked at once per connection.
    void watch_join_answer(live::shared_frame const& frame) {
        join_answered_ = true;
        auto answer = protocol::decode_server(*frame);
        if (auto const* e = std::get_if<protocol::error>(&answer);
            e && !e->op &&
            (e->code == error_code::not_allowed || e->code == error_code::not_found)) {
            hello_failed(std::string("token of a ") +
                         std::string(protocol::to_string(hello_role_)));
        }
    }

    // ---- writing ----

    void send_error(protocol::error e) {
        ctx_.metrics.errors_sent.fetch_add(1, std::memory_order_relaxed);
        enqueue(live::make_frame(protocol::encode(e)), live::frame_kind::event);
    }

    void enqueue(live::shared_frame frame, live::frame_kind kind) {
        if (closing_) {
            return;
        }
        if (state_ == state::joined && !join_answered_ && kind == live::frame_kind::event) {
            watch_join_answer(frame);
        }
        switch (kind) {
        case live::frame_kind::event:
            if (events_.size() - events_head_ >= ctx_.limits.max_queued_frames ||
                queued_bytes_ + frame->size() > ctx_.limits.max_queued_bytes) {
                drop_slow_client(drop_reason::slow);
                return;
            }
            count_queued(static_cast<std::ptrdiff_t>(frame->size()));
            events_.push_back(std::move(frame));
            break;
        case live::frame_kind::summary:
            summary_ = std::move(frame);
            break;
        case live::frame_kind::presence:
            presence_ = std::move(frame);
            break;
        }
        if (!writing_) {
            do_write();
        }
    }

    void do_write() {
        // Events (acks, errors, pushes) go first, but a waiting summary or presence frame is
        // passed over at most `max_passed_over` times: a client with many requests in flight
        // still sees the tally move.
        constexpr int max_passed_over = 4;
        bool const latest_due = (summary_ || presence_) && passed_over_ >= max_passed_over;
        if (events_head_ < events_.size() && !latest_due) {
            current_ = std::move(events_[events_head_]);
            if (++events_head_ == events_.size()) {
                events_.clear(); // keeps its capacity for the next ones
                events_head_ = 0;
            } else if (events_head_ >= 64 && events_head_ * 2 >= events_.size()) {
                // Never empty for long: drop the written ones, so the vector stays bounded.
                events_.erase(events_.begin(),
                              events_.begin() + static_cast<std::ptrdiff_t>(events_head_));
                events_head_ = 0;
            }
            count_queued(-static_cast<std::ptrdiff_t>(current_->size()));
            if (summary_ || presence_) {
                ++passed_over_;
            }
        } else if (summary_) {
            current_ = std::move(summary_);
            summary_.reset();
            passed_over_ = 0;
        } else if (presence_) {
            current_ = std::move(presence_);
            presence_.reset();
            passed_over_ = 0;
        } else {
            writing_ = false;
            if (close_code_) {
                do_close();
            }
            return;
        }
        writing_ = true;
        ws_.text(true);
        ws_.async_write(
            asio::buffer(*current_),
            [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_write(ec); });
    }

    void on_write(beast::error_code ec) {
        current_.reset();
        if (ec) {
            writing_ = false;
            closing_ = true;
            return;
        }
        ctx_.metrics.frames_out.fetch_add(1, std::memory_order_relaxed);
        do_write();
    }

    // Closes with `code` once everything queued so far is written.
    void close_after_flush(websocket::close_code code) {
        if (close_code_ || closing_) {
            return;
        }
        close_code_ = code;
        if (!writing_) {
            do_close();
        }
    }

    void do_close() {
        closing_ = true;
        hello_timer_.cancel();
        ws_.async_close(websocket::close_reason(*close_code_),
                        [self = shared_from_this()](beast::error_code) {});
    }

    // Keeps this session's queued bytes, its mirror for other threads and the server's total
    // in step; past the server's budget, the sessions with the most queued are dropped.
    void count_queued(std::ptrdiff_t delta) {
        queued_bytes_ =
            static_cast<std::size_t>(static_cast<std::ptrdiff_t>(queued_bytes_) + delta);
        queued_bytes_mirror_.store(queued_bytes_, std::memory_order_relaxed);
        if (delta < 0) {
            ctx_.queued_bytes.fetch_sub(static_cast<std::size_t>(-delta),
                                        std::memory_order_relaxed);
            return;
        }
        auto const total = ctx_.queued_bytes.fetch_add(static_cast<std::size_t>(delta),
                                                       std::memory_order_relaxed) +
                           static_cast<std::size_t>(delta);
        auto const budget = ctx_.limits.max_total_queued_bytes;
        if (budget == 0 || total <= budget) {
            return;
        }
        // One shedding per 100 ms: the sessions dropped by the last one free their bytes on
        // their own strands, a moment later.
        auto const now = std::chrono::steady_clock::now().time_since_epoch().count();
        auto last = ctx_.last_shed.load(std::memory_order_relaxed);
        auto const gap = std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                             std::chrono::milliseconds(100))
                             .count();
        if (now - last < gap || !ctx_.last_shed.compare_exchange_strong(last, now)) {
            return;
        }
        auto const excess = total - budget / 10 * 9;
        auto const dropped = ctx_.connections.shed(excess);
        log::warn("write budget of the server exceeded; largest queues dropped",
                  {{"queued_bytes", std::to_string(total)},
                   {"budget", std::to_string(budget)},
                   {"dropped", std::to_string(dropped)}});
    }

    enum class drop_reason { slow, budget };

    // Closes the socket now, dropping whatever is queued.
    void drop_slow_client(drop_reason why) {
        if (why == drop_reason::slow) {
            ctx_.metrics.connections_dropped_slow.fetch_add(1, std::memory_order_relaxed);
        } else {
            ctx_.metrics.connections_dropped_budget.fetch_add(1, std::memory_order_relaxed);
        }
        log::warn(why == drop_reason::slow ? "client too slow, connection dropped"
                                           : "server write budget exceeded, connection dropped",
                  {{"session", std::to_string(id_)},
                   {"workshop", actor_ ? actor_->id() : std::string("-")}});
        closing_ = true;
        count_queued(-static_cast<std::ptrdiff_t>(queued_bytes_));
        events_.clear();
        events_head_ = 0;
        summary_.reset();
        presence_.reset();
        beast::error_code ignored;
        beast::get_lowest_layer(ws_).socket().close(ignored);
    }

    enum class state { awaiting_hello, finding, joined };

    websocket::stream<session_stream> ws_;
    net_context& ctx_;
    std::uint64_t const id_;
    connection_limiter::slot slot_; // released when the session ends
    std::string const client_;
    asio::basic_waitable_timer<std::chrono::steady_clock,
                               asio::wait_traits<std::chrono::steady_clock>, session_executor>
        hello_timer_;
    beast::flat_buffer buffer_;

    // Touched on the session's strand only.
    state state_ = state::awaiting_hello;
    std::shared_ptr<live::workshop_actor> actor_;
    // Events waiting, from events_head_ on. A vector, not a std::deque: an empty deque of
    // libstdc++ holds ~580 bytes, 7 % of an idle connection's memory.
    std::vector<live::shared_frame> events_;
    std::size_t events_head_ = 0;
    std::size_t queued_bytes_ = 0;
    std::atomic<std::size_t> queued_bytes_mirror_{0}; // queued_bytes_, for other threads
    bool join_answered_ = false; // the workshop's answer to the hello has been seen
    protocol::role hello_role_ = protocol::role::participant;
    std::string session_;                  // the cylch_session cookie of the upgrade, if any
    std::optional<std::string> signed_in_; // a staff hello admitted by that sign-in: its name
    live::shared_frame summary_;
    live::shared_frame presence_;
    int passed_over_ = 0;        // events written while a summary or presence frame waited
    live::shared_frame current_; // being written
    bool writing_ = false;
    bool closing_ = false;
    std::optional<websocket::close_code> close_code_;
    double tokens_;
    std::chrono::steady_clock::time_point refilled_;
};

} // namespace

void serve_websocket(session_stream stream, beast::http::request<beast::http::string_body> upgrade,
                     net_context& ctx, connection_limiter::slot slot, std::string client) {
    std::make_shared<websocket_session>(std::move(stream), ctx, std::move(slot), std::move(client))
        ->run(std::move(upgrade));
}

} // namespace cylch::net
