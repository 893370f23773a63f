#include "kiosk/gpio_input.hpp"

#include <gpiod.h>

#include <cerrno>
#include <cstring>
#include <poll.h>
#include <stdexcept>
#include <sys/epoll.h>
#include <unistd.h>

namespace cylch::kiosk {
namespace {

std::runtime_error gpio_error(std::string const& what) {
    return std::runtime_error(what + ": " + std::strerror(errno));
}

} // namespace

gpio_input::gpio_input(gpio_config config)
    : config_(std::move(config))
    , debounce_(config_.debounce_ms) {
    if (config_.lines.empty()) {
        throw std::runtime_error("GPIO input needs at least one line (--gpio-lines)");
    }
    chip_ = gpiod_chip_open_lookup(config_.chip.c_str());
    if (!chip_) {
        throw gpio_error("cannot open GPIO chip \"" + config_.chip + "\"");
    }
    epoll_fd_ = epoll_create1(EPOLL_CLOEXEC);
    if (epoll_fd_ < 0) {
        gpiod_chip_close(chip_);
        throw gpio_error("epoll_create1");
    }
    try {
        int const bias = config_.active_low ? GPIOD_LINE_REQUEST_FLAG_BIAS_PULL_UP
                                            : GPIOD_LINE_REQUEST_FLAG_BIAS_PULL_DOWN;
        int const flags = bias | (config_.active_low ? GPIOD_LINE_REQUEST_FLAG_ACTIVE_LOW : 0);
        for (std::size_t i = 0; i < config_.lines.size(); ++i) {
            unsigned const offset = config_.lines[i];
            gpiod_line* line = gpiod_chip_get_line(chip_, offset);
            if (!line ||
                gpiod_line_request_both_edges_events_flags(line, "cylch-kiosk", flags) != 0) {
                throw gpio_error("cannot watch GPIO line " + std::to_string(offset) + " of " +
                                 config_.chip);
            }
            lines_.push_back(line);
            epoll_event ev{};
            ev.events = EPOLLIN;
            ev.data.u64 = i;
            if (epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, gpiod_line_event_get_fd(line), &ev) != 0) {
                throw gpio_error("epoll_ctl");
            }
        }
        if (config_.led) {
            led_ = gpiod_chip_get_line(chip_, *config_.led);
            if (!led_ || gpiod_line_request_output(led_, "cylch-kiosk", 0) != 0) {
                throw gpio_error("cannot drive LED line " + std::to_string(*config_.led));
            }
        }
    } catch (...) {
        close(epoll_fd_);
        gpiod_chip_close(chip_); // releases every line requested so far
        throw;
    }
}

gpio_input::~gpio_input() {
    if (led_) {
        gpiod_line_set_value(led_, 0);
    }
    close(epoll_fd_);
    gpiod_chip_close(chip_);
}

void gpio_input::read(std::int64_t now_ms, std::vector<input_event>& out) {
    for (std::size_t i = 0; i < lines_.size(); ++i) {
        pollfd p{gpiod_line_event_get_fd(lines_[i]), POLLIN, 0};
        while (poll(&p, 1, 0) == 1 && (p.revents & POLLIN)) {
            gpiod_line_event ev{};
            if (gpiod_line_event_read(lines_[i], &ev) != 0) {
                break;
            }
            // Active-low lines report logical edges: "rising" is the button going down.
            bool const pressed = ev.event_type == GPIOD_LINE_EVENT_RISING_EDGE;
            std::int64_t const at = std::int64_t{ev.ts.tv_sec} * 1000 + ev.ts.tv_nsec / 1'000'000;
            if (debounce_.edge(static_cast<unsigned>(i), pressed, at)) {
                out.push_back(
                    input_event{input_event::kind::choose, static_cast<int>(i) + 1, now_ms});
            }
        }
    }
}

void gpio_input::set_led(bool on) {
    if (led_) {
        gpiod_line_set_value(led_, on ? 1 : 0);
    }
}

} // namespace cylch::kiosk
