// The typed messages of the Cylch wire protocol, version 1 (docs/protocol.md).
//
// Client messages are produced only by decode_client() (codec.hpp), which has already checked
// every field's type, range and length; handlers never see raw JSON. Server messages are
// plain data that encode() turns into one JSON text frame.
#pragma once

#include "shared/protocol/types.hpp"
#include "shared/stats/likert.hpp"

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

struct workshop_end {
    std::string op;
};

using client_message =
    std::variant<hello, profile, vote, vote_clear, activity_command, workshop_end>;

// The op of a state-changing message; empty for hello.
std::string_view op_of(client_message const&);
// The wire name of a message ("vote", "activity.open", …).
std::string_view type_name(client_message const&);

// ---- server → client -------------------------------------------------------------------

struct scale_view {
    int points = 5;
    std::map<std::string, std::vector<std::string>, std::less<>> labels; // language -> labels
};

struct activity_view {
    std::string id;
    std::string kind{"likert"};
    int position = 0; // 0-based place in the agenda
    activity_state state = activity_state::pending;
    text_map statement;
    scale_view scale;
    results_visibility results = results_visibility::live;
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
};

// The participant's own answers to one activity.
struct mine_view {
    std::optional<int> value;
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

struct summary_part {
    int n = 0;
    std::vector<int> counts;
};

// A Likert summary. `full` is false for participants while results are not visible to them:
// then only `n` is encoded. Participants never get `breakdowns`: with groups of a few people a
// breakdown could reveal one person's answer, and phones do not show it.
struct summary {
    std::string activity;
    bool full = true;
    bool breakdowns = true; // by_group and by_channel (staff only)
    stats::likert_summary overall;
    std::vector<std::pair<std::string, stats::likert_summary>> by_group; // in workshop order
    std::vector<std::pair<std::string, stats::likert_summary>> by_channel;
};

struct presence {
    int online = 0;
    int ungrouped = 0;                                 // online without a group
    std::vector<std::pair<std::string, int>> by_group; // in workshop order, 0 included
};

struct ack {
    std::string op;
};

struct error {
    std::optional<std::string> op;
    error_code code = error_code::bad_request;
    std::string message;
};

std::string encode(welcome const&);
std::string encode(activity_push const&);
std::string encode(workshop_push const&);
std::string encode(summary const&);
std::string encode(presence const&);
std::string encode(ack const&);
std::string encode(error const&);

} // namespace cylch::protocol
