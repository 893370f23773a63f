#include "kiosk/terminal_ui.hpp"

#include "kiosk/core/text_layout.hpp"

#include <curses.h>

namespace cylch::kiosk {
namespace {

enum pair_id : short { pair_title = 1, pair_selected, pair_status, pair_other };

} // namespace

terminal_ui::terminal_ui(bool allow_quit)
    : allow_quit_(allow_quit) {
    initscr();
    cbreak();
    noecho();
    nonl();
    keypad(stdscr, TRUE);
    nodelay(stdscr, TRUE);
    curs_set(0);
    if (has_colors()) {
        start_color();
        use_default_colors();
        init_pair(pair_title, COLOR_CYAN, -1);
        init_pair(pair_selected, COLOR_BLACK, COLOR_YELLOW);
        init_pair(pair_status, COLOR_BLACK, COLOR_WHITE);
        init_pair(pair_other, COLOR_WHITE, -1);
        colour_ = true;
    }
}

terminal_ui::~terminal_ui() {
    endwin();
}

int terminal_ui::width() const {
    return getmaxx(stdscr);
}

int terminal_ui::height() const {
    return getmaxy(stdscr);
}

void terminal_ui::draw(std::vector<screen_line> const& lines) {
    using style = screen_line::style;
    erase();
    int const w = width();
    int const h = height();
    int row = 0;
    for (std::size_t i = 0; i < lines.size(); ++i) {
        auto const& l = lines[i];
        bool const status = l.how == style::status;
        int const y = status ? h - 1 : row++;
        if (y >= h || (!status && y >= h - 1)) {
            continue;
        }
        attr_t a = A_NORMAL;
        short pair = 0;
        switch (l.how) {
        case style::title:
            a = A_BOLD;
            pair = pair_title;
            break;
        case style::statement:
            a = A_BOLD;
            break;
        case style::statement_other:
            pair = pair_other;
            break;
        case style::selected:
            a = A_BOLD | A_REVERSE;
            pair = pair_selected;
            break;
        case style::status:
            a = A_REVERSE;
            pair = pair_status;
            break;
        case style::option:
        case style::note:
            break;
        }
        if (colour_ && pair != 0) {
            a |= COLOR_PAIR(pair);
            a &= ~static_cast<attr_t>(A_REVERSE);
        }
        attron(a);
        std::string const text = l.centred ? centre(l.text, w) : l.text;
        mvaddnstr(y, 0, text.c_str(), static_cast<int>(text.size()));
        if (status) {
            for (int x = display_width(text); x < w; ++x) {
                mvaddch(y, x, ' ');
            }
        }
        attroff(a);
    }
    refresh();
}

void terminal_ui::read(std::int64_t now_ms, std::vector<input_event>& out) {
    key_codes const codes{KEY_LEFT, KEY_RIGHT, KEY_ENTER};
    for (int ch = getch(); ch != ERR; ch = getch()) {
        if (ch == KEY_RESIZE) {
            resized_ = true;
            continue;
        }
        int key = ch;
        if (ch == KEY_UP) {
            key = KEY_LEFT;
        } else if (ch == KEY_DOWN) {
            key = KEY_RIGHT;
        }
        if (auto e = map_key(key, codes, allow_quit_, now_ms)) {
            out.push_back(*e);
        }
    }
}

bool terminal_ui::take_resized() {
    bool const r = resized_;
    resized_ = false;
    return r;
}

} // namespace cylch::kiosk
