#include "kiosk/program.hpp"

#include "kiosk/core/queue.hpp"
#include "kiosk/terminal_ui.hpp"
#include "shared/protocol/client_codec.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>

#include <systemd/sd-daemon.h>
#include <systemd/sd-journal.h>

#include <chrono>
#include <cstdio>
#include <iostream>
#include <set>
#include <syslog.h>
#include <unistd.h>

namespace cylch::kiosk {
namespace {

namespace asio = boost::asio;

std::int64_t steady_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

std::int64_t wall_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

// Logs to the journal when standard error is the kiosk's own terminal (it would garble the
// screen); otherwise to standard error with the journal's "<priority>" prefix, which systemd
// reads when standard error is connected to it.
void log(int priority, std::string const& message) {
    static bool const to_journal = isatty(2) != 0;
    if (to_journal) {
        sd_journal_print(priority, "%s", message.c_str());
    } else {
        std::fprintf(stderr, "<%d>%s\n", priority, message.c_str());
        std::fflush(stderr);
    }
}

std::string describe(std::optional<protocol::activity_view> const& a) {
    return a ? a->id + " " + std::string(to_string(a->state)) : std::string("none");
}

// A queued press as its request: `vote` for a scale point, `choose` with the one option of a
// single-answer choice. Both carry the press time for the server's late-arrival rule.
std::string encode_press(press const& p) {
    if (auto const* point = std::get_if<scale_point>(&p.answer)) {
        protocol::vote v;
        v.op = p.op;
        v.activity = p.activity;
        v.value = point->value;
        v.pressed_at = p.pressed_at;
        v.pass = p.pass;
        return protocol::encode(v);
    }
    protocol::choose c;
    c.op = p.op;
    c.activity = p.activity;
    c.options = {std::get<chosen_option>(p.answer).id};
    c.pressed_at = p.pressed_at;
    c.pass = p.pass;
    return protocol::encode(c);
}

bool final_rejection(protocol::error_code code) {
    using protocol::error_code;
    // These would be refused again: the press leaves the queue, kept as rejected.
    return code != error_code::server_error && code != error_code::rate_limited;
}

class program {
public:
    explicit program(program_options const& o)
        : opt_(o)
        , queue_(o.db_path)
        , screens_(o.screens)
        , ui_(o.allow_quit)
        , link_(ioc_, o.server, link_handlers())
        , signals_(ioc_, SIGINT, SIGTERM)
        , screen_timer_(ioc_)
        , retry_timer_(ioc_)
        , watchdog_timer_(ioc_)
        , led_timer_(ioc_)
        , keys_(ioc_) {
        if (o.use_gpio) {
            gpio_ = std::make_unique<gpio_input>(o.gpio);
            gpio_fd_.emplace(ioc_, dup(gpio_->fd()));
        }
        if (o.keyboard) {
            keys_.assign(dup(ui_.fd()));
        }
    }

    int run() {
        int const pruned = queue_.prune_acknowledged(wall_ms() - 7LL * 24 * 3600 * 1000);
        restore_last_screen();
        log(LOG_INFO, "cylch-kiosk " + opt_.kiosk_id + " starting: server " + opt_.server_url +
                          ", queue " + opt_.db_path + ", " +
                          std::to_string(queue_.pending_count()) + " presses waiting, " +
                          std::to_string(pruned) + " old ones pruned");
        signals_.async_wait([this](boost::system::error_code ec, int sig) {
            if (!ec) {
                log(LOG_INFO,
                    std::string("stopping on ") + (sig == SIGTERM ? "SIGTERM" : "SIGINT"));
                stop();
            }
        });
        wait_keys();
        wait_gpio();
        start_watchdog();
        link_.start();
        redraw();
        sd_notify(0, "READY=1");
        ioc_.run();
        return 0;
    }

private:
    server_link::handlers link_handlers() {
        return server_link::handlers{[this] {
                                         protocol::hello h;
                                         h.role = protocol::role::kiosk;
                                         h.kiosk = opt_.kiosk_id;
                                         h.token = opt_.token;
                                         h.clock = wall_ms();
                                         return protocol::encode(h);
                                     },
                                     [this](std::string const& frame) { on_frame(frame); },
                                     [this](bool up, std::string const& why) { on_link(up, why); }};
    }

    void stop() {
        stopping_ = true;
        link_.stop();
        ioc_.stop();
    }

    void restore_last_screen() {
        // The screens as they were before a restart (e.g. a power cut while offline), so that
        // the kiosk goes on taking answers for the statement that was open.
        for (auto key : {"last_welcome", "last_activity", "last_workshop", "last_activities"}) {
            if (auto frame = queue_.setting(key); frame && !frame->empty()) {
                apply(protocol::decode_server(*frame), false);
            }
        }
    }

    void on_link(bool up, std::string const& why) {
        if (!up) {
            welcomed_ = false;
            in_flight_.clear();
            if (online_ || why != last_failure_) {
                log(online_ ? LOG_WARNING : LOG_INFO, "offline: " + why);
            }
            last_failure_ = why;
            online_ = false;
            redraw();
        }
    }

    void on_frame(std::string const& frame) {
        auto msg = protocol::decode_server(frame);
        if (std::holds_alternative<protocol::welcome>(msg)) {
            queue_.put_setting("last_welcome", frame);
            queue_.put_setting("last_activity", "");
            queue_.put_setting("last_workshop", "");
            queue_.put_setting("last_activities", "");
        } else if (std::holds_alternative<protocol::activities_push>(msg)) {
            queue_.put_setting("last_activities", frame);
        } else if (std::holds_alternative<protocol::activity_push>(msg)) {
            queue_.put_setting("last_activity", frame);
        } else if (std::holds_alternative<protocol::workshop_push>(msg)) {
            queue_.put_setting("last_workshop", frame);
        }
        apply(msg, true);
    }

    void apply(protocol::server_message const& msg, bool live) {
        std::int64_t const now = steady_ms();
        if (auto const* w = std::get_if<protocol::welcome>(&msg)) {
            screens_.on_welcome(*w, now);
            if (live) {
                welcomed_ = true;
                online_ = true;
                in_flight_.clear();
                last_failure_.clear();
                log(LOG_INFO,
                    "online: workshop " + w->workshop.id + ", activity " + describe(w->activity));
                pump();
            }
        } else if (auto const* a = std::get_if<protocol::activity_push>(&msg)) {
            screens_.on_activity(*a, now);
            if (live) {
                log(LOG_INFO, "activity " + describe(a->activity));
            }
        } else if (auto const* ws = std::get_if<protocol::workshop_push>(&msg)) {
            screens_.on_workshop(*ws, now);
        } else if (auto const* list = std::get_if<protocol::activities_push>(&msg)) {
            screens_.on_activities(*list, now);
            if (live) {
                log(LOG_INFO,
                    "questionnaire: " + std::to_string(list->activities.size()) + " activities");
            }
        } else if (auto const* ack = std::get_if<protocol::ack>(&msg)) {
            on_ack(ack->op);
        } else if (auto const* err = std::get_if<protocol::error>(&msg)) {
            on_error(*err);
        } else if (auto const* bad = std::get_if<protocol::server_decode_failure>(&msg)) {
            log(LOG_WARNING, "unreadable frame from the server: " + bad->message);
        }
        redraw();
    }

    void on_ack(std::string const& op) {
        if (in_flight_.erase(op) > 0 && queue_.acknowledge(op, wall_ms())) {
            log(LOG_INFO, "delivered " + op);
        }
        pump();
    }

    void on_error(protocol::error const& e) {
        std::string const code(to_string(e.code));
        if (!e.op) {
            log(LOG_ERR, "server error " + code + ": " + e.message);
            return;
        }
        if (in_flight_.erase(*e.op) == 0) {
            return;
        }
        if (final_rejection(e.code)) {
            if (queue_.reject(*e.op, code, e.message, wall_ms())) {
                log(LOG_WARNING, "rejected " + *e.op + " (" + code + "): " + e.message);
            }
            pump();
            return;
        }
        // Not stored or too fast: send it again in a moment, with the same op.
        log(LOG_INFO, "will resend " + *e.op + " (" + code + ")");
        retry_timer_.expires_after(std::chrono::seconds(1));
        retry_timer_.async_wait([this](boost::system::error_code ec) {
            if (!ec) {
                pump();
            }
        });
    }

    // Sends pending presses, oldest first, keeping at most a window of them unacknowledged.
    void pump() {
        if (!welcomed_ || !link_.up()) {
            return;
        }
        constexpr std::size_t window = 32;
        for (auto const& p : queue_.pending(2 * window)) {
            if (in_flight_.size() >= window) {
                break;
            }
            if (in_flight_.contains(p.op)) {
                continue;
            }
            if (!link_.send(encode_press(p))) {
                break;
            }
            in_flight_.insert(p.op);
        }
    }

    void on_input(std::vector<input_event> const& events) {
        for (auto const& e : events) {
            if (e.what == input_event::kind::quit) {
                log(LOG_INFO, "quit from the keyboard");
                stop();
                return;
            }
            auto request = screens_.handle(e);
            if (!request) {
                continue;
            }
            try {
                auto const p =
                    queue_.enqueue(request->activity, request->answer, wall_ms(), request->pass);
                screens_.counted(steady_ms());
                log(LOG_INFO, "counted " + p.op + ": " + p.activity + " = " + to_string(p.answer));
                pulse_led();
                pump();
            } catch (std::exception const& ex) {
                screens_.not_recorded(steady_ms());
                log(LOG_ERR, std::string("could not save a press: ") + ex.what());
            }
        }
        redraw();
    }

    void wait_keys() {
        if (!keys_.is_open()) {
            return;
        }
        keys_.async_wait(asio::posix::descriptor_base::wait_read,
                         [this](boost::system::error_code ec) {
                             if (ec) {
                                 return;
                             }
                             std::vector<input_event> events;
                             ui_.read(steady_ms(), events);
                             on_input(events);
                             if (ui_.take_resized()) {
                                 redraw();
                             }
                             if (!stopping_) {
                                 wait_keys();
                             }
                         });
    }

    void wait_gpio() {
        if (!gpio_fd_) {
            return;
        }
        gpio_fd_->async_wait(asio::posix::descriptor_base::wait_read,
                             [this](boost::system::error_code ec) {
                                 if (ec) {
                                     return;
                                 }
                                 std::vector<input_event> events;
                                 gpio_->read(steady_ms(), events);
                                 on_input(events);
                                 if (!stopping_) {
                                     wait_gpio();
                                 }
                             });
    }

    void pulse_led() {
        if (!gpio_) {
            return;
        }
        gpio_->set_led(true);
        led_timer_.expires_after(std::chrono::milliseconds(600));
        led_timer_.async_wait([this](boost::system::error_code ec) {
            if (!ec) {
                gpio_->set_led(false);
            }
        });
    }

    void start_watchdog() {
        std::uint64_t usec = 0;
        if (sd_watchdog_enabled(0, &usec) <= 0 || usec == 0) {
            return;
        }
        watchdog_period_ = std::chrono::microseconds(usec / 2);
        ping_watchdog();
    }

    // Pinged from the event loop itself: a loop that hangs stops the pings and systemd
    // restarts the kiosk.
    void ping_watchdog() {
        sd_notify(0, "WATCHDOG=1");
        watchdog_timer_.expires_after(watchdog_period_);
        watchdog_timer_.async_wait([this](boost::system::error_code ec) {
            if (!ec) {
                ping_watchdog();
            }
        });
    }

    void redraw() {
        if (stopping_) {
            return;
        }
        std::int64_t const now = steady_ms();
        screens_.tick(now);
        std::size_t const waiting = queue_.pending_count();
        std::size_t const rejected = queue_.rejected_count();
        screens_.set_connection(online_, waiting, rejected);
        ui_.draw(screens_.render(ui_.width(), ui_.height()));
        std::string status = std::string(online_ ? "online" : "offline") + ", " +
                             std::to_string(waiting) + " waiting, " + std::to_string(rejected) +
                             " rejected, screen " + std::string(to_string(screens_.current()));
        if (status != last_status_) {
            sd_notify(0, ("STATUS=" + status).c_str());
            last_status_ = status;
        }
        if (auto at = screens_.next_deadline()) {
            screen_timer_.expires_after(
                std::chrono::milliseconds(std::max<std::int64_t>(*at - now, 0)));
            screen_timer_.async_wait([this](boost::system::error_code ec) {
                if (!ec) {
                    redraw();
                }
            });
        }
    }

    program_options const& opt_;
    asio::io_context ioc_;
    press_queue queue_;
    kiosk_screens screens_;
    terminal_ui ui_;
    server_link link_;
    asio::signal_set signals_;
    asio::steady_timer screen_timer_;
    asio::steady_timer retry_timer_;
    asio::steady_timer watchdog_timer_;
    asio::steady_timer led_timer_;
    asio::posix::stream_descriptor keys_;
    std::unique_ptr<gpio_input> gpio_;
    std::optional<asio::posix::stream_descriptor> gpio_fd_;
    std::chrono::microseconds watchdog_period_{0};
    std::set<std::string, std::less<>> in_flight_;
    bool welcomed_ = false;
    bool online_ = false;
    bool stopping_ = false;
    std::string last_failure_;
    std::string last_status_;
};

} // namespace

int run_kiosk(program_options const& options) {
    if (isatty(0) == 0 || isatty(1) == 0) {
        std::cerr << "cylch-kiosk: needs a terminal for its screen (standard input and output); "
                     "under systemd use TTYPath=/dev/tty1 (deploy/systemd/cylch-kiosk.service)\n";
        return 2;
    }
    try {
        program p(options);
        return p.run();
    } catch (std::exception const& e) {
        log(LOG_ERR, std::string("cylch-kiosk: ") + e.what());
        std::cerr << "cylch-kiosk: " << e.what() << "\n";
        return 1;
    }
}

} // namespace cylch::kiosk
