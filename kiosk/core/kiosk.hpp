// The kiosk's screens as a pure state machine: what the server said (welcome, activity and
// workshop pushes), what the person in front of it did (input events) and the clock go in;
// the screen to draw and the presses to record come out. No I/O here: the program
// (kiosk/main.cpp) records presses in the durable queue, talks to the server and draws.
#pragma once

#include "kiosk/core/input.hpp"
#include "kiosk/core/press_answer.hpp"
#include "shared/protocol/messages.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace cylch::kiosk {

struct kiosk_settings {
    std::int64_t thanks_ms = 5000;       // thank-you screen, then ready for the next person
    std::int64_t min_interval_ms = 3000; // misuse guard between counted presses
    std::vector<std::string> languages;  // preferred display order (e.g. {"cy", "en"})
    // How many answer buttons the kiosk has (keys 1..9, or GPIO lines): a single-answer choice
    // with more options than this is answered on phones. Arrows + Enter reach every option.
    int buttons = 7;
    // Self-paced workshops: a person who stops answering part-way is gone after this long, and
    // the kiosk starts again at the first question for the next person (a new pass).
    std::int64_t pass_timeout_ms = 60'000;
    // Passes are named prefix-1, prefix-2, …: the program gives a random prefix per run, so
    // that no two passes of this kiosk share a name (docs/protocol.md, "Self-paced workshops").
    std::string pass_prefix = "pass";
};

struct screen_line {
    enum class style { title, statement, statement_other, option, selected, note, status };
    std::string text;
    style how = style::note;
    bool centred = false;
};

// A press the program must record (durably) before calling counted().
struct press_request {
    std::string activity;
    press_answer answer;
    std::optional<std::string> pass{}; // self-paced: the person's pass through the questions
};

class kiosk_screens {
public:
    enum class mode {
        connecting, // nothing known yet (first start, never connected)
        waiting,    // no activity open
        question,   // a Likert statement is open: presses count
        choice,     // a single-answer choice with at most `buttons` options is open: a press
                    // chooses one option and counts
        use_phone,  // an activity the kiosk cannot take is open (a board, ranking, open text,
                    // a multiple-answer choice, a choice with more options than buttons, or a
                    // kind this kiosk does not know): answered on phones
        thanks,     // a press was counted; back to the question after thanks_ms
        ended,      // the workshop has ended
    };

    explicit kiosk_screens(kiosk_settings settings);

    void on_welcome(protocol::welcome const&, std::int64_t now_ms);
    void on_activity(protocol::activity_push const&, std::int64_t now_ms);
    void on_workshop(protocol::workshop_push const&, std::int64_t now_ms);
    // Self-paced: the questionnaire opened or closed.
    void on_activities(protocol::activities_push const&, std::int64_t now_ms);
    // Self-paced, while a question shows: its place in the pass (1-based) and how many the
    // pass has; nullopt otherwise.
    std::optional<std::pair<int, int>> progress() const;
    void set_connection(bool online, std::size_t waiting, std::size_t rejected);

    // An input event. Returns the press to record when the event is a counted press: a
    // question or choice is showing, the button is one of its points or options, and the
    // misuse interval has passed.
    std::optional<press_request> handle(input_event const&);
    // The program recorded the press: show thanks until now + thanks_ms.
    void counted(std::int64_t now_ms);
    // The program could not record it (e.g. the disk failed): say so; nothing was counted.
    void not_recorded(std::int64_t now_ms);
    // Moves on from timed screens (thanks, notes). Returns true when the screen changed.
    bool tick(std::int64_t now_ms);
    // The next time tick() has something to do, if any.
    std::optional<std::int64_t> next_deadline() const;

    mode current() const { return mode_; }
    int selected() const { return selected_; }
    std::optional<protocol::activity_view> const& activity() const { return activity_; }
    // The open activity's Likert fields when it is a Likert statement; nullptr otherwise.
    protocol::likert_view const* question() const;
    // The open activity's choice fields when it is a choice; nullptr otherwise.
    protocol::choice_view const* choice() const;
    // The workshop's languages in display order.
    std::vector<std::string> const& languages() const { return languages_; }

    // The screen for a terminal of width × height characters, the status line last.
    std::vector<screen_line> render(int width, int height) const;

private:
    mode settled_mode() const;
    // How many points or options the showing question has (0: none is showing).
    int answer_count() const;
    // The answer behind button `n` (1-based) of the showing question.
    press_answer answer_at(int n) const;
    void show_note(std::string key, std::int64_t until_ms);
    // Self-paced: the activities a pass goes through (open, of a kind the kiosk takes), in
    // agenda order.
    std::vector<protocol::activity_view const*> pass_steps() const;
    // Self-paced: a new person; shows the first question of a new pass.
    void start_pass();
    // Self-paced: shows the pass's current step (none when the questionnaire is not open).
    void show_step();
    bool takes(protocol::activity_view const& a) const;
    std::vector<std::string> texts(std::string_view key) const;

    kiosk_settings settings_;
    press_guard guard_;
    std::optional<protocol::workshop_view> workshop_;
    std::optional<protocol::activity_view> activity_;
    std::vector<std::string> languages_{"en"};
    mode mode_ = mode::connecting;
    int selected_ = 0; // highlighted point or option for arrows + Enter (0: none)
    std::int64_t thanks_until_ = 0;
    std::string note_; // a message key shown for a moment ("too_soon", "not_saved")
    std::int64_t note_until_ = 0;
    // Self-paced (docs/kiosk.md, "Self-paced workshops").
    bool self_paced_ = false;
    std::vector<protocol::activity_view> questionnaire_;
    std::size_t step_ = 0;        // index into pass_steps()
    std::uint64_t passes_ = 0;    // the current pass is pass_prefix-passes_
    std::int64_t last_press_ = 0; // steady ms of the pass's last counted press
    bool online_ = false;
    std::size_t waiting_ = 0;
    std::size_t rejected_ = 0;
};

std::string_view to_string(kiosk_screens::mode);

} // namespace cylch::kiosk
