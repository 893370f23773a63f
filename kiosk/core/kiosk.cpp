#include "kiosk/core/kiosk.hpp"

#include "kiosk/core/text_layout.hpp"

#include <algorithm>
#include <array>
#include <utility>

namespace cylch::kiosk {
namespace {

struct phrase {
    std::string_view key;
    std::string_view en;
    std::string_view cy;
};

// The kiosk's own words, in English and Welsh. "{n}" is replaced where used.
constexpr std::array<phrase, 18> phrases{{
    {"connecting", "Connecting to the workshop…", "Yn cysylltu â'r gweithdy…"},
    {"waiting", "Please wait for the next question.",
     "Arhoswch am y cwestiwn nesaf, os gwelwch yn dda."},
    {"consent", "By answering here you agree to take part:",
     "Drwy ateb yma rydych chi'n cytuno i gymryd rhan:"},
    {"anonymous", "Answers here are anonymous, so they cannot be withdrawn later.",
     "Mae'r atebion yma yn ddienw, felly does dim modd eu tynnu'n ôl wedyn."},
    {"board", "This activity is answered on phones. Please use your phone.",
     "Atebir y gweithgaredd hwn ar ffonau. Defnyddiwch eich ffôn, os gwelwch yn dda."},
    {"thanks", "Thank you! Your answer has been counted.", "Diolch! Mae eich ateb wedi'i gyfrif."},
    {"next", "Ready for the next person in a moment.",
     "Yn barod ar gyfer y person nesaf mewn eiliad."},
    {"ended", "The workshop has ended. Thank you for taking part.",
     "Mae'r gweithdy wedi dod i ben. Diolch am gymryd rhan."},
    {"hint", "Choose 1 to {n}", "Dewiswch 1 i {n}"},
    {"hint_one", "Press one button, 1 to {n}", "Pwyswch un botwm, 1 i {n}"},
    {"too_soon", "Please wait a moment before the next answer.",
     "Arhoswch eiliad cyn yr ateb nesaf, os gwelwch yn dda."},
    {"not_saved", "Sorry, that answer could not be saved. Please try again.",
     "Mae'n ddrwg gennym, nid oedd modd cadw'r ateb. Rhowch gynnig arall arni."},
    {"online", "Online", "Ar-lein"},
    {"not_open", "This questionnaire is not open yet.", "Nid yw'r holiadur hwn ar agor eto."},
    {"closed", "This questionnaire has closed. Thank you for taking part.",
     "Mae'r holiadur hwn wedi cau. Diolch am gymryd rhan."},
    {"progress", "Question {n} of {m}", "Cwestiwn {n} o {m}"},
    {"offline", "Offline", "All-lein"},
    {"queue", "{n} waiting to send, {r} not accepted", "{n} yn aros i'w hanfon, {r} heb eu derbyn"},
}};

std::string replace_all(std::string text, std::string_view what, std::string_view with) {
    for (std::size_t at = text.find(what); at != std::string::npos;
         at = text.find(what, at + with.size())) {
        text.replace(at, what.size(), with);
    }
    return text;
}

std::string const& text_in(protocol::text_map const& t, std::string const& lang,
                           std::vector<std::string> const& order) {
    if (auto it = t.find(lang); it != t.end() && !it->second.empty()) {
        return it->second;
    }
    for (auto const& l : order) { // the workshop's first language is always present
        if (auto it = t.find(l); it != t.end()) {
            return it->second;
        }
    }
    static std::string const none;
    return t.empty() ? none : t.begin()->second;
}

void add_wrapped(std::vector<screen_line>& out, std::string_view text, int width,
                 screen_line::style how, bool centred) {
    for (auto& l : wrap(text, width)) {
        out.push_back(screen_line{std::move(l), how, centred});
    }
}

// Adds one language's text to a button label ("Agree / Cytuno"), unless it says the same as
// a language already there (a text the workshop gave in one language only).
void add_language(std::string& label, std::string const& text) {
    if (!text.empty() && label.find(text) == std::string::npos) {
        label += (label.empty() ? "" : " / ") + text;
    }
}

} // namespace

std::string_view to_string(kiosk_screens::mode m) {
    constexpr std::array<std::string_view, 7> names{"connecting", "waiting", "question", "choice",
                                                    "board",      "thanks",  "ended"};
    return names[static_cast<std::size_t>(m)];
}

kiosk_screens::kiosk_screens(kiosk_settings settings)
    : settings_(std::move(settings))
    , guard_(settings_.min_interval_ms) {}

void kiosk_screens::on_welcome(protocol::welcome const& w, std::int64_t now_ms) {
    workshop_ = w.workshop;
    languages_.clear();
    for (auto const& l : settings_.languages) {
        if (std::ranges::find(w.workshop.languages, l) != w.workshop.languages.end()) {
            languages_.push_back(l);
        }
    }
    for (auto const& l : w.workshop.languages) {
        if (std::ranges::find(languages_, l) == languages_.end()) {
            languages_.push_back(l);
        }
    }
    if (languages_.empty()) {
        languages_.push_back("en");
    }
    self_paced_ = w.workshop.mode == protocol::workshop_mode::self_paced;
    if (self_paced_) {
        questionnaire_ = w.activities.value_or(std::vector<protocol::activity_view>{});
        // A reconnect part-way through a pass goes on with it when its question is still there.
        auto const steps = pass_steps();
        if (passes_ == 0 || step_ >= steps.size() || !activity_ ||
            steps[step_]->id != activity_->id) {
            start_pass();
        } else {
            show_step();
        }
        if (mode_ != mode::thanks || now_ms >= thanks_until_) {
            mode_ = settled_mode();
        }
        return;
    }
    questionnaire_.clear();
    on_activity(protocol::activity_push{w.activity, std::nullopt, std::nullopt}, now_ms);
}

void kiosk_screens::on_activities(protocol::activities_push const& p, std::int64_t now_ms) {
    if (!self_paced_) {
        return;
    }
    questionnaire_ = p.activities;
    auto const steps = pass_steps();
    if (step_ >= steps.size() || !activity_ || steps[step_]->id != activity_->id) {
        start_pass(); // opened, or closed: a pass begins again (or nothing shows)
    } else {
        show_step();
    }
    if (mode_ != mode::thanks || now_ms >= thanks_until_) {
        mode_ = settled_mode();
    }
}

bool kiosk_screens::takes(protocol::activity_view const& a) const {
    if (std::holds_alternative<protocol::likert_view>(a.body)) {
        return true;
    }
    auto const* c = std::get_if<protocol::choice_view>(&a.body);
    return c != nullptr && c->max == 1 && !c->options.empty() &&
           std::cmp_less_equal(c->options.size(), settings_.buttons);
}

std::vector<protocol::activity_view const*> kiosk_screens::pass_steps() const {
    std::vector<protocol::activity_view const*> out;
    for (auto const& a : questionnaire_) {
        if (a.state == protocol::activity_state::open && takes(a)) {
            out.push_back(&a);
        }
    }
    return out;
}

void kiosk_screens::start_pass() {
    ++passes_;
    step_ = 0;
    last_press_ = 0;
    show_step();
}

void kiosk_screens::show_step() {
    auto const steps = pass_steps();
    selected_ = 0;
    if (step_ < steps.size()) {
        activity_ = *steps[step_];
    } else {
        activity_.reset();
    }
}

std::optional<std::pair<int, int>> kiosk_screens::progress() const {
    if (!self_paced_ || (mode_ != mode::question && mode_ != mode::choice)) {
        return std::nullopt;
    }
    return std::pair<int, int>{static_cast<int>(step_) + 1, static_cast<int>(pass_steps().size())};
}

void kiosk_screens::on_activity(protocol::activity_push const& p, std::int64_t now_ms) {
    if (!p.activity || !activity_ || p.activity->id != activity_->id) {
        selected_ = 0;
    }
    activity_ = p.activity;
    if (mode_ != mode::thanks || now_ms >= thanks_until_) {
        mode_ = settled_mode();
    }
}

void kiosk_screens::on_workshop(protocol::workshop_push const& p, std::int64_t now_ms) {
    if (workshop_) {
        workshop_->state = p.state;
    }
    if (mode_ != mode::thanks || now_ms >= thanks_until_) {
        mode_ = settled_mode();
    }
}

void kiosk_screens::set_connection(bool online, std::size_t waiting, std::size_t rejected) {
    online_ = online;
    waiting_ = waiting;
    rejected_ = rejected;
}

kiosk_screens::mode kiosk_screens::settled_mode() const {
    if (!workshop_) {
        return mode::connecting;
    }
    if (workshop_->state == protocol::workshop_state::ended) {
        return mode::ended;
    }
    if (!activity_ || activity_->state != protocol::activity_state::open) {
        // A questionnaire that has closed says so (one not yet open: waiting, "not open yet").
        bool const closed = self_paced_ && !questionnaire_.empty() &&
                            std::ranges::none_of(questionnaire_, [](auto const& a) {
                                return a.state == protocol::activity_state::open;
                            });
        return closed ? mode::ended : mode::waiting;
    }
    struct by_kind {
        int buttons;
        mode operator()(protocol::likert_view const&) const { return mode::question; }
        mode operator()(protocol::board_settings_view const&) const { return mode::use_phone; }
        mode operator()(protocol::choice_view const& c) const {
            // One press is one answer: a multiple-answer choice needs a phone, and so does a
            // choice with more options than the kiosk has buttons.
            bool const fits =
                c.max == 1 && !c.options.empty() && std::cmp_less_equal(c.options.size(), buttons);
            return fits ? mode::choice : mode::use_phone;
        }
        mode operator()(protocol::ranking_view const&) const { return mode::use_phone; }
        mode operator()(protocol::open_text_view const&) const { return mode::use_phone; }
        mode operator()(protocol::foreign_kind_view const&) const { return mode::use_phone; }
    };
    return std::visit(by_kind{settings_.buttons}, activity_->body);
}

protocol::likert_view const* kiosk_screens::question() const {
    return activity_ ? std::get_if<protocol::likert_view>(&activity_->body) : nullptr;
}

protocol::choice_view const* kiosk_screens::choice() const {
    return activity_ ? std::get_if<protocol::choice_view>(&activity_->body) : nullptr;
}

int kiosk_screens::answer_count() const {
    if (auto const* q = question(); mode_ == mode::question && q != nullptr) {
        return q->scale.points;
    }
    if (auto const* c = choice(); mode_ == mode::choice && c != nullptr) {
        return static_cast<int>(c->options.size());
    }
    return 0;
}

press_answer kiosk_screens::answer_at(int n) const {
    if (mode_ == mode::choice) {
        return chosen_option{choice()->options.at(static_cast<std::size_t>(n - 1)).id};
    }
    return scale_point{n};
}

std::optional<press_request> kiosk_screens::handle(input_event const& e) {
    using kind = input_event::kind;
    int const points = answer_count();
    if (points == 0) {
        return std::nullopt;
    }
    int value = 0;
    switch (e.what) {
    case kind::move_left:
        selected_ = selected_ <= 1 ? (selected_ == 0 ? (points + 1) / 2 : 1) : selected_ - 1;
        return std::nullopt;
    case kind::move_right:
        selected_ = selected_ == 0 ? (points + 1) / 2 : std::min(points, selected_ + 1);
        return std::nullopt;
    case kind::confirm:
        value = selected_;
        break;
    case kind::choose:
        value = e.value;
        break;
    case kind::quit:
        return std::nullopt;
    }
    if (value < 1 || value > points) {
        return std::nullopt;
    }
    // The misuse guard is between people: within a pass one answer follows another at once.
    if ((!self_paced_ || step_ == 0) && !guard_.allow(e.at_ms)) {
        show_note("too_soon", e.at_ms + std::min<std::int64_t>(guard_.wait_ms(e.at_ms), 3000));
        return std::nullopt;
    }
    press_request request{activity_->id, answer_at(value)};
    if (self_paced_) {
        request.pass = settings_.pass_prefix + "-" + std::to_string(passes_);
    }
    return request;
}

void kiosk_screens::counted(std::int64_t now_ms) {
    selected_ = 0;
    note_.clear();
    if (self_paced_) {
        last_press_ = now_ms;
        ++step_;
        if (step_ < pass_steps().size()) {
            show_step(); // the next question of the same pass, at once
            mode_ = settled_mode();
            return;
        }
        start_pass(); // the last one: thanks, then the next person's pass
    }
    if (settings_.thanks_ms <= 0) {
        mode_ = settled_mode();
        return;
    }
    mode_ = mode::thanks;
    thanks_until_ = now_ms + settings_.thanks_ms;
}

void kiosk_screens::not_recorded(std::int64_t now_ms) {
    show_note("not_saved", now_ms + 5000);
}

void kiosk_screens::show_note(std::string key, std::int64_t until_ms) {
    note_ = std::move(key);
    note_until_ = until_ms;
}

bool kiosk_screens::tick(std::int64_t now_ms) {
    bool changed = false;
    if (mode_ == mode::thanks && now_ms >= thanks_until_) {
        mode_ = settled_mode();
        changed = true;
    }
    if (self_paced_ && step_ > 0 && now_ms >= last_press_ + settings_.pass_timeout_ms) {
        start_pass(); // the person walked away part-way: the next one starts at the beginning
        if (mode_ != mode::thanks) {
            mode_ = settled_mode();
        }
        changed = true;
    }
    if (!note_.empty() && now_ms >= note_until_) {
        note_.clear();
        changed = true;
    }
    return changed;
}

std::optional<std::int64_t> kiosk_screens::next_deadline() const {
    std::optional<std::int64_t> at;
    if (mode_ == mode::thanks) {
        at = thanks_until_;
    }
    if (self_paced_ && step_ > 0) {
        auto const gone = last_press_ + settings_.pass_timeout_ms;
        at = at ? std::min(*at, gone) : gone;
    }
    if (!note_.empty()) {
        at = at ? std::min(*at, note_until_) : note_until_;
    }
    return at;
}

std::vector<std::string> kiosk_screens::texts(std::string_view key) const {
    auto const it = std::ranges::find(phrases, key, &phrase::key);
    if (it == phrases.end()) {
        return {std::string(key)};
    }
    std::vector<std::string> out;
    for (auto const& l : languages_) {
        if (l == "en" || l == "cy") {
            std::string t(l == "cy" ? it->cy : it->en);
            if (std::ranges::find(out, t) == out.end()) {
                out.push_back(std::move(t));
            }
        }
    }
    if (out.empty()) {
        out.emplace_back(it->en);
    }
    return out;
}

std::vector<screen_line> kiosk_screens::render(int width, int height) const {
    using style = screen_line::style;
    width = std::max(width, 10);
    std::vector<screen_line> out;
    auto blank = [&out] { out.push_back(screen_line{"", style::note, false}); };
    auto say = [&](std::string_view key, style how, std::string_view n = {}) {
        for (auto const& t : texts(key)) {
            add_wrapped(out, replace_all(t, "{n}", n), width, how, true);
        }
    };
    // A question's text in every display language, the first one first and set apart; a
    // language that only repeats another (the workshop gave no translation) is left out.
    auto in_every_language = [&](protocol::text_map const& text) {
        std::vector<std::string const*> shown;
        for (auto const& l : languages_) {
            auto const& t = text_in(text, l, languages_);
            if (std::ranges::any_of(shown, [&t](auto const* s) { return *s == t; })) {
                continue;
            }
            if (!shown.empty()) {
                blank();
            }
            add_wrapped(out, t, width, shown.empty() ? style::statement : style::statement_other,
                        false);
            shown.push_back(&t);
        }
        blank();
    };
    // One line (or more, wrapped) per button: "[2] Disagree / Anghytuno", the highlighted one
    // marked, then a blank line.
    auto add_buttons = [&](std::vector<std::string> const& labels) {
        for (std::size_t i = 0; i < labels.size(); ++i) {
            bool const sel = static_cast<int>(i) + 1 == selected_;
            std::string const head =
                std::string(sel ? "> " : "  ") + "[" + std::to_string(i + 1) + "] ";
            int const indent = display_width(head);
            auto lines = wrap(labels[i], std::max(width - indent, 4));
            if (lines.empty()) {
                lines.emplace_back();
            }
            for (std::size_t j = 0; j < lines.size(); ++j) {
                out.push_back(screen_line{
                    (j == 0 ? head : std::string(static_cast<std::size_t>(indent), ' ')) + lines[j],
                    sel ? style::selected : style::option, false});
            }
        }
        blank();
    };
    // A question's card (a persona, a scenario) as text, after the buttons and the hint: on a
    // small screen it is what gets cut, never a button.
    auto add_card = [&](std::optional<protocol::card_view> const& card) {
        if (!card) {
            return;
        }
        for (auto const* part : {&card->title, &card->body}) {
            std::vector<std::string const*> shown;
            for (auto const& l : languages_) {
                if (part->empty()) {
                    break;
                }
                auto const& t = text_in(*part, l, languages_);
                if (std::ranges::none_of(shown, [&t](auto const* s) { return *s == t; })) {
                    add_wrapped(out, t, width,
                                part == &card->title ? style::statement_other : style::note, false);
                    shown.push_back(&t);
                }
            }
        }
    };
    // Self-paced: "Question 2 of 5" above the question.
    auto add_progress = [&] {
        if (auto p = progress()) {
            for (auto const& t : texts("progress")) {
                add_wrapped(out,
                            replace_all(replace_all(t, "{n}", std::to_string(p->first)), "{m}",
                                        std::to_string(p->second)),
                            width, style::note, true);
            }
            blank();
        }
    };
    if (workshop_) {
        add_wrapped(out, text_in(workshop_->title, languages_.front(), languages_), width,
                    style::title, true);
        blank();
    }
    switch (mode_) {
    case mode::connecting:
        say("connecting", style::statement);
        break;
    case mode::waiting:
        say(self_paced_ ? "not_open" : "waiting", style::statement);
        if (workshop_ && !workshop_->consent.text.empty()) {
            blank();
            say("consent", style::note);
            for (auto const& l : languages_) {
                if (auto it = workshop_->consent.text.find(l);
                    it != workshop_->consent.text.end()) {
                    add_wrapped(out, it->second, width, style::note, false);
                }
            }
            if (!workshop_->consent.info_url.empty()) {
                add_wrapped(out, workshop_->consent.info_url, width, style::note, false);
            }
        }
        blank();
        say("anonymous", style::note);
        break;
    case mode::use_phone:
        say("board", style::statement);
        break;
    case mode::thanks:
        say("thanks", style::statement);
        blank();
        say("next", style::note);
        break;
    case mode::ended:
        say(self_paced_ ? "closed" : "ended", style::statement);
        break;
    case mode::question: {
        auto const& a = *question(); // the mode is question only for a Likert activity
        add_progress();
        in_every_language(a.statement);
        std::vector<std::string> labels;
        for (int v = 1; v <= a.scale.points; ++v) {
            std::string& label = labels.emplace_back();
            for (auto const& l : languages_) {
                auto it = a.scale.labels.find(l);
                if (it != a.scale.labels.end() && static_cast<int>(it->second.size()) >= v) {
                    add_language(label, it->second[static_cast<std::size_t>(v - 1)]);
                }
            }
        }
        add_buttons(labels);
        say("hint", style::note, std::to_string(a.scale.points));
        add_card(a.extras.card);
        break;
    }
    case mode::choice: {
        auto const& c = *choice(); // the mode is choice only for a choice activity
        add_progress();
        in_every_language(c.question);
        std::vector<std::string> labels;
        for (auto const& option : c.options) {
            std::string& label = labels.emplace_back();
            for (auto const& l : languages_) {
                add_language(label, text_in(option.label, l, languages_));
            }
        }
        add_buttons(labels);
        say("hint_one", style::note, std::to_string(c.options.size()));
        add_card(c.extras.card);
        break;
    }
    }
    if (!note_.empty()) {
        blank();
        say(note_, style::note);
    }
    // The status line, in the first display language, always on the last row.
    std::string const lang = languages_.front() == "cy" ? "cy" : "en";
    auto const phrase_of = [&lang](std::string_view key) {
        auto const it = std::ranges::find(phrases, key, &phrase::key);
        return std::string(lang == "cy" ? it->cy : it->en);
    };
    std::string status = phrase_of(online_ ? "online" : "offline");
    if (waiting_ > 0 || rejected_ > 0) {
        status +=
            " · " + replace_all(replace_all(phrase_of("queue"), "{n}", std::to_string(waiting_)),
                                "{r}", std::to_string(rejected_));
    }
    if (height >= 1 && static_cast<int>(out.size()) > height - 1) {
        out.resize(static_cast<std::size_t>(std::max(height - 1, 0)));
    }
    out.push_back(screen_line{status, style::status, false});
    return out;
}

} // namespace cylch::kiosk
