// Physical buttons on GPIO lines, through libgpiod (v1 API): one line per scale point, left to
// right, with the kernel's pull-up (or pull-down) bias, both edges watched and debounced in
// software; and an optional LED line lit for a moment on each counted press.
#pragma once

#include "kiosk/core/input.hpp"

#include <optional>
#include <string>
#include <vector>

struct gpiod_chip;
struct gpiod_line;

namespace cylch::kiosk {

struct gpio_config {
    std::string chip = "gpiochip0";
    std::vector<unsigned> lines; // offsets; the first is point 1
    bool active_low = true;      // buttons to ground, pulled up
    std::int64_t debounce_ms = 30;
    std::optional<unsigned> led; // offset of an LED line (active high)
};

class gpio_input : public input_source {
public:
    // Throws std::runtime_error naming the chip or line that could not be opened.
    explicit gpio_input(gpio_config config);
    ~gpio_input() override;
    gpio_input(gpio_input const&) = delete;
    gpio_input& operator=(gpio_input const&) = delete;

    int fd() const override { return epoll_fd_; }
    void read(std::int64_t now_ms, std::vector<input_event>& out) override;
    void set_led(bool on);

private:
    gpio_config config_;
    debouncer debounce_;
    gpiod_chip* chip_ = nullptr;
    std::vector<gpiod_line*> lines_;
    gpiod_line* led_ = nullptr;
    int epoll_fd_ = -1;
};

} // namespace cylch::kiosk
