// Kiosk input: the events the screens understand, whatever produced them (a keyboard or
// keypad on the terminal, GPIO buttons, a test), and the two filters between raw input and a
// counted press: a debouncer for mechanical buttons and the misuse guard (a minimum interval
// between counted presses).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <vector>

namespace cylch::kiosk {

struct input_event {
    enum class kind {
        choose,     // a scale point directly (digit key, GPIO button): `value` is 1-based
        move_left,  // move the highlight (arrow keys)
        move_right, //
        confirm,    // Enter: press the highlighted point
        quit,       // only from the keyboard, when the kiosk is run by hand (Ctrl-C is a signal)
    };
    kind what = kind::choose;
    int value = 0;
    std::int64_t at_ms = 0; // when it happened, ms on a steady clock
};

// Something the kiosk reads input from. Devices own a file descriptor that becomes readable
// when there is input; tests implement this without one.
class input_source {
public:
    virtual ~input_source() = default;
    // A descriptor to wait on for readability; -1 when the source has none.
    virtual int fd() const = 0;
    // Reads what is available without blocking and appends the events it makes.
    virtual void read(std::int64_t now_ms, std::vector<input_event>& out) = 0;
};

// Terminal keys, as ncurses reports them (KEY_LEFT etc. are passed in by the caller, so this
// file does not depend on curses).
struct key_codes {
    int left = 0;
    int right = 0;
    int enter = 0;
};
// Maps one key to an event: '1'..'9' choose that point; arrows move; Enter, '\n', '\r' and
// space confirm; 'q' quits only when `allow_quit`. Anything else: no event.
std::optional<input_event> map_key(int key, key_codes const& codes, bool allow_quit,
                                   std::int64_t at_ms);

// Mechanical buttons bounce: one push makes several edges within a few milliseconds. A press
// is the first "pressed" edge after the line has been quiet for `window_ms`; any edge less
// than `window_ms` after the previous edge of the same line is a bounce and is ignored.
class debouncer {
public:
    explicit debouncer(std::int64_t window_ms)
        : window_ms_(window_ms) {}
    // One edge of line `line` at `at_ms`; `pressed` is the level after the edge (already
    // corrected for active-low wiring). True when this edge is a press.
    bool edge(unsigned line, bool pressed, std::int64_t at_ms);

private:
    struct line_state {
        std::int64_t last_edge = 0;
        bool seen = false;
    };
    std::int64_t window_ms_;
    std::map<unsigned, line_state> lines_;
};

// The misuse guard: a counted press only when at least `min_interval_ms` passed since the
// last counted press, so that one person hammering a button counts once.
class press_guard {
public:
    explicit press_guard(std::int64_t min_interval_ms)
        : min_interval_ms_(min_interval_ms) {}
    // True (and remembered) when a press at `at_ms` may count.
    bool allow(std::int64_t at_ms);
    // How long until a press may count again (0 when it may now).
    std::int64_t wait_ms(std::int64_t at_ms) const;

private:
    std::int64_t min_interval_ms_;
    std::optional<std::int64_t> last_;
};

} // namespace cylch::kiosk
