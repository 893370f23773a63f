// The typed messages of the Cylch wire protocol, version 1 (docs/protocol.md).
//
// Client messages are produced only by decode_client() (codec.hpp), which has already checked
// every field's type, range and length; handlers never see raw JSON. Server messages are
// plain data that encode() turns into one JSON text frame.
#pragma once

#include "shared/protocol/types.hpp"
#include "shared/stats/choice.hpp"
#include "shared/stats/likert.hpp"

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace cylch::protocol {

inline constexpr int protocol_version = 1;

// ---- client → server -------------------------------------------------------------------

struct hello {
    int v = protocol_version;
    protocol::role role = role::participant;
    std::optional<std::string> code;     // participant: join code
    std::optional<std::string> token;    // participant (resume), kiosk, facilitator, presenter
    std::optional<std::string> workshop; // facilitator, presenter
    std::optional<std::string> kiosk;    // kiosk device id
    std::optional<std::string> lang;     // preferred language, e.g. "cy"
    std::optional<std::int64_t> clock{}; // kiosk: its clock now, ms since the Unix epoch
};

// Changes the participant's own profile. Absent fields stay as they are.
struct profile {
    std::string op;
    bool set_group = false;           // "group" was present
    std::optional<std::string> group; // null: prefer not to say
    std::optional<bool> consent;
    std::optional<std::string> lang;
};

struct vote {
    std::string op;
    std::string activity;
    int value = 0; // 1..points, checked against the activity by the workshop
    // Kiosks: when the button was pressed, in ms since the Unix epoch on the kiosk's clock.
    std::optional<std::int64_t> pressed_at{};
    std::optional<std::string> comment{}; // 1..max_comment_length code points, checked text
    // Kiosks: the pass (one person going through the activities) the press belongs to; every
    // press of a pass is one respondent. None: the press is a respondent of its own.
    std::optional<std::string> pass{};
};

// ---- choice, ranking, open text (docs/protocol.md, Choice, ranking and open text) ----

struct choose {
    std::string op;
    std::string activity;
    std::vector<std::string> options; // 1..12 option ids, checked against the activity
    std::optional<std::string> comment{};
    std::optional<std::int64_t> pressed_at{}; // kiosks, as in vote
    std::optional<std::string> pass{};        // kiosks, as in vote
};

struct rank {
    std::string op;
    std::string activity;
    std::vector<std::string> order; // every item id once, first = rank 1
};

struct answer {
    std::string op;
    std::string activity;
    std::string text; // clean_user_text (user_text.hpp); length checked against the activity
};

struct answer_show {
    std::string op;
    std::string answer;
    bool shown = true;
};

struct answer_hide {
    std::string op;
    std::string answer;
    bool hidden = true;
};

struct vote_clear {
    std::string op;
    std::string activity;
};

// activity.open / activity.close / activity.reveal / activity.goto
struct activity_command {
    enum class verb { open, close, reveal, go_to };
    std::string op;
    verb what = verb::open;
    std::string activity;
};
std::string_view to_string(activity_command::verb);
std::optional<activity_command::verb> activity_command_verb_from_string(std::string_view);

struct workshop_end {
    std::string op;
};

// ---- boards (docs/protocol.md, Boards) ----

struct note_add {
    std::string op;
    std::string activity;
    std::string text; // clean_user_text (user_text.hpp): 1..max_note_length code points, NFC
    std::string colour;
    std::optional<std::string> column{};
    double x = 0;
    double y = 0;
};

struct note_edit {
    std::string op;
    std::string note;
    std::string text;
    std::int64_t version = 0;
};

struct note_move {
    std::string op;
    std::string note;
    bool set_column = false;             // "column" was present
    std::optional<std::string> column{}; // null: no column
    std::optional<double> x{};           // x and y come together
    std::optional<double> y{};
    std::optional<std::int64_t> version{};
};

struct note_delete {
    std::string op;
    std::string note;
};

struct dot {
    std::string op;
    std::string note;
    bool on = true;
};

struct note_hide {
    std::string op;
    std::string note;
    bool hidden = true;
};

struct cluster_set {
    std::string op;
    std::string activity;
    std::optional<std::string> cluster{}; // null: take `notes` out of their clusters
    std::optional<text_map> label{};      // each clean_user_text, one line
    std::vector<std::string> notes;
};

struct cluster_dissolve {
    std::string op;
    std::string activity;
    std::string cluster;
};

struct board_lock {
    std::string op;
    std::string activity;
    bool locked = true;
};

// A participant withdraws from the study (docs/protocol.md, "Withdrawal and erasure"): every
// answer, comment, note and dot of theirs is erased and their token stops working.
struct withdraw {
    std::string op;
};

using client_message =
    std::variant<hello, profile, vote, vote_clear, activity_command, workshop_end, note_add,
                 note_edit, note_move, note_delete, dot, note_hide, cluster_set, cluster_dissolve,
                 board_lock, choose, rank, answer, answer_show, answer_hide, withdraw>;

// The fixed palette of note colours.
inline constexpr std::array<std::string_view, 6> note_colours{"yellow", "pink",   "blue",
                                                              "green",  "orange", "purple"};
inline constexpr std::size_t max_note_length = 280;
inline constexpr std::size_t max_cluster_label_length = 60;
inline constexpr std::size_t max_cluster_notes = 500;

// The op of a state-changing message; empty for hello.
std::string_view op_of(client_message const&);
// The wire name of a message ("vote", "activity.open", …).
std::string_view type_name(client_message const&);

// ---- server → client -------------------------------------------------------------------

struct scale_view {
    int points = 5;
    std::map<std::string, std::vector<std::string>, std::less<>> labels; // language -> labels
};

struct column_view {
    std::string id;
    text_map title;
};

struct board_settings_view {
    text_map prompt;
    std::vector<column_view> columns;
    int dots_per_person = 0;
    int dots_per_note = 1;
    results_visibility dot_totals = results_visibility::live;
    bool hidden_until_reveal = false;
    bool locked = false;
};

struct card_view {
    text_map title;
    text_map body;
    std::optional<std::string> image;
    text_map alt;
};

// The parts every question kind may have: a card, and (Likert and choice) a comment prompt.
struct question_extras {
    std::optional<card_view> card;
    std::optional<text_map> comment_prompt;
};

struct likert_view {
    text_map statement;
    scale_view scale;
    results_visibility results = results_visibility::live;
    question_extras extras{};
};

struct option_view {
    std::string id;
    text_map label;
};

struct choice_view {
    text_map question;
    std::vector<option_view> options;
    int max = 1;
    results_visibility results = results_visibility::live;
    question_extras extras{};
};

struct ranking_view {
    text_map question;
    std::vector<option_view> items;
    results_visibility results = results_visibility::live;
    question_extras extras{};
};

struct open_text_view {
    text_map question;
    int max_length = 500;
    question_extras extras{};
};

// An activity of a kind this program was built without. Only a client decoding a newer
// server's frame makes one (and shows it as a kind it cannot take); the server never does.
struct foreign_kind_view {
    std::string kind;
};

// One activity as a recipient sees it: what every kind has, and its kind's own fields.
struct activity_view {
    std::string id;
    int position = 0; // 0-based place in the agenda
    activity_state state = activity_state::pending;
    // Its results (a board: notes and dot totals) were revealed; they stay so when it is
    // opened again, and a board may be revealed while open.
    bool revealed = false;
    std::variant<likert_view, board_settings_view, choice_view, ranking_view, open_text_view,
                 foreign_kind_view>
        body;
    // The wire name of the kind ("likert", "board", or a foreign kind's own name).
    std::string_view kind_name() const;
};

struct group_view {
    std::string id;
    text_map label;
    std::optional<int> target;
};

struct consent_view {
    bool required = false;
    text_map text;
    std::string info_url;
};

struct workshop_view {
    std::string id;
    std::string code;
    text_map title;
    workshop_state state = workshop_state::live;
    std::vector<std::string> languages;
    std::vector<group_view> groups;
    consent_view consent;
    int min_cell = 3; // small cells (docs/protocol.md)
    workshop_mode mode = workshop_mode::live;
    std::optional<std::int64_t> opens_at{}; // self-paced: ms since the Unix epoch
    std::optional<std::int64_t> closes_at{};
};

// The participant's own answer to one activity (only the fields of its kind are set).
struct mine_view {
    std::optional<int> value{};                        // likert
    std::optional<std::vector<std::string>> options{}; // choice
    std::optional<std::vector<std::string>> order{};   // ranking
    std::optional<std::string> text{};                 // open text
    std::optional<std::string> comment{};              // likert, choice
};

struct you_view {
    std::string id;
    std::optional<std::string> token;           // sent to participants only
    std::optional<std::string> presenter_token; // sent to the facilitator, for the presenter link
    protocol::role role = role::participant;
    std::optional<std::string> group;
    std::optional<std::string> lang;
    bool consent = false;
};

struct welcome {
    you_view you;
    workshop_view workshop;
    std::optional<activity_view> activity;            // current activity as this role may see it
    std::optional<mine_view> mine;                    // participants: own answer to it
    std::optional<std::vector<activity_view>> agenda; // facilitator and presenter: every activity
    // Self-paced, participants and kiosks: every activity once the questionnaire has opened,
    // and a participant's own answers by activity id.
    std::optional<std::vector<activity_view>> activities{};
    std::optional<std::vector<std::pair<std::string, mine_view>>> answers{};
};

// Self-paced, to participants and kiosks: the questionnaire opened or closed.
struct activities_push {
    std::vector<activity_view> activities;
};

// Pushed when the current activity or its state changes.
// For participants `activity` is the current activity (null while none is visible); the
// facilitator and presenter get every activity whose state changed, and `current` says
// which activity is current.
struct activity_push {
    std::optional<activity_view> activity;
    std::optional<mine_view> mine;
    std::optional<std::string> current;
};

// Pushed when the workshop's own state changes (e.g. ended).
struct workshop_push {
    workshop_state state = workshop_state::live;
};

// Breakdowns are listed in workshop order (groups) or web, kiosk (channels).
template <class Stats>
using breakdown = std::vector<std::pair<std::string, Stats>>;

struct likert_results {
    stats::likert_summary overall;
    breakdown<stats::likert_summary> by_group;
    breakdown<stats::likert_summary> by_channel;
};

struct choice_results {
    std::vector<std::string> options; // option ids, in the activity's order
    stats::choice_summary overall;
    breakdown<stats::choice_summary> by_group;
    breakdown<stats::choice_summary> by_channel;
};

struct ranking_results {
    std::vector<std::string> items; // item ids, in the activity's order
    stats::ranking_summary overall;
    breakdown<stats::ranking_summary> by_group;
};

// An open-text answer; `group`, `shown`, `hidden` and `at` are for the facilitator.
struct open_text_answer_view {
    std::string id;
    std::string text;
    std::optional<std::string> group;
    bool shown = false;
    bool hidden = false;
    std::int64_t at = 0;
};

struct open_text_results {
    int n = 0;
    std::vector<open_text_answer_view> shown;   // id and text, in the order they were shown
    std::vector<open_text_answer_view> answers; // facilitator only: every answer, newest last
};

// A comment given with a Likert or choice answer (facilitator only).
struct comment_view {
    std::string text;
    std::optional<std::string> group;
    std::variant<int, std::vector<std::string>> answer; // the value, or the chosen options
    std::int64_t at = 0;
};

// Small cells (docs/protocol.md, "Small cells"): what shared screens withhold of a summary.
// Shared screens (presenter, participants, kiosks) get it withheld; the facilitator gets
// everything, marked.
enum class small_cell_rule { withhold, mark };
struct small_cells {
    int min_cell = 1;
    small_cell_rule rule = small_cell_rule::withhold;
    bool overall = false;                // n < min_cell: only n on shared screens
    std::vector<std::string> by_group;   // ids of the withheld cells
    std::vector<std::string> by_channel; // "web", "kiosk"
    bool any() const { return overall || !by_group.empty() || !by_channel.empty(); }
};

// A summary frame. `full` is false for participants while results are not visible to them:
// then only `n` is encoded. Participants never get `breakdowns`: with groups of a few people a
// breakdown could reveal one person's answer, and phones do not show it. Only the facilitator
// gets `private_texts`: comments and every open-text answer with its group.
struct summary {
    std::string activity;
    bool full = true;
    bool breakdowns = true;     // by_group and by_channel (staff only)
    bool private_texts = false; // comments, open-text answers (the facilitator only)
    std::variant<likert_results, choice_results, ranking_results, open_text_results> body;
    std::vector<comment_view> comments;
    small_cells small{};

    int n() const;
    activity_kind kind() const;
    // The Likert results; throws std::bad_variant_access for another kind.
    likert_results const& likert() const { return std::get<likert_results>(body); }
};

struct presence {
    int online = 0;
    int ungrouped = 0;                                 // online without a group
    std::vector<std::pair<std::string, int>> by_group; // in workshop order, 0 included
};

// A note as one recipient may see it.
struct note_view {
    std::string id;
    std::string text;
    std::string colour;
    std::optional<std::string> column;
    double x = 0;
    double y = 0;
    std::int64_t version = 1;
    std::optional<std::string> cluster;
    std::optional<int> dots; // null: totals not visible to this recipient yet
    int my_dots = 0;
    bool mine = false;
    std::optional<bool> hidden; // staff only
};

struct cluster_view {
    std::string id;
    text_map label;
};

struct board_push {
    std::string activity;
    bool locked = false;
    std::vector<note_view> notes;
    std::vector<cluster_view> clusters;
};

// The changes to one board since the last flush, as this recipient may see them: notes added
// or changed (whole, as in `board`), then ids of notes removed or no longer visible to them.
struct board_changes {
    std::string activity;
    std::vector<note_view> notes;
    std::vector<std::string> removed;
};

// A board's reach for the facilitator: the participants who added a note or gave a dot, in all
// and per group (workshop order, 0 included). Pushed to the facilitator when it changes.
struct board_reach {
    std::string activity;
    int n = 0;
    std::vector<std::pair<std::string, int>> by_group{};
};

// Something one participant is told about their own notes or dots (docs/protocol.md, Notices).
enum class notice_code {
    note_hidden,   // the facilitator hid a note of theirs
    dots_returned, // dots they gave came back (the note was hidden or deleted)
};
std::string_view to_string(notice_code);

struct notice {
    notice_code code = notice_code::note_hidden;
    std::string activity;
    std::string note;
    int count = 0; // dots_returned: how many dots came back
};

struct ack {
    std::string op;
    std::optional<std::string> note{}; // note.add: the new note's id
};

struct error {
    std::optional<std::string> op;
    error_code code = error_code::bad_request;
    std::string message;
    std::optional<note_view> note{}; // conflict: the note as it is now
};

std::string encode(welcome const&);
std::string encode(activity_push const&);
std::string encode(workshop_push const&);
std::string encode(activities_push const&);
std::string encode(summary const&);
std::string encode(presence const&);
std::string encode(ack const&);
std::string encode(board_push const&);
std::string encode(board_changes const&);
std::string encode(error const&);
std::string encode(board_reach const&);
std::string encode(notice const&);

} // namespace cylch::protocol
