// The kiosk's full-screen terminal front end (ncurses): draws the screens of kiosk_screens and
// reads the keyboard or keypad. Needs a UTF-8 locale for Welsh letters (ŵ, ŷ).
#pragma once

#include "kiosk/core/input.hpp"
#include "kiosk/core/kiosk.hpp"

#include <vector>

namespace cylch::kiosk {

class terminal_ui : public input_source {
public:
    explicit terminal_ui(bool allow_quit);
    ~terminal_ui() override;
    terminal_ui(terminal_ui const&) = delete;
    terminal_ui& operator=(terminal_ui const&) = delete;

    int width() const;
    int height() const;
    void draw(std::vector<screen_line> const& lines);

    int fd() const override { return 0; } // standard input
    void read(std::int64_t now_ms, std::vector<input_event>& out) override;
    // True once after the terminal was resized (redraw).
    bool take_resized();

private:
    bool allow_quit_;
    bool resized_ = false;
    bool colour_ = false;
};

} // namespace cylch::kiosk
