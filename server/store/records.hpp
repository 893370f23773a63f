// Plain records that the workshop domain hands to the store, and the snapshots the store
// gives back at start-up. No behaviour: the store's whole vocabulary.
#pragma once

#include "shared/protocol/audit.hpp"
#include "shared/protocol/types.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace cylch::store {

using time_ms = std::int64_t; // milliseconds since the Unix epoch
using protocol::activity_state;
using protocol::channel;
using protocol::workshop_state;

struct workshop_created {
    std::string id;
    std::string code;
    std::string definition; // the workshop file as imported (JSON text)
    std::string facilitator_token_hash;
    std::string presenter_token_hash;
    std::vector<std::string> activity_ids; // in agenda order
    time_ms at = 0;
};

// Insert or update of a participant (kiosk respondents are participants on channel kiosk).
struct participant_saved {
    std::string workshop;
    std::string id;
    std::string token_hash; // empty for respondents without a token (kiosk presses)
    protocol::channel channel = channel::web;
    std::optional<std::string> group;
    std::optional<std::string> lang;
    bool consent = false;
    time_ms created_at = 0;
};

struct vote_saved {
    std::string workshop;
    std::string activity;
    std::string participant;
    int value = 0;
    time_ms at = 0;
    std::optional<std::string> comment{};
};

// Insert or update of a respondent's whole answer to a choice, ranking or open-text activity.
struct answer_saved {
    std::string workshop;
    std::string activity;
    std::string participant;
    std::string id;   // open text: the answer's id ("t_…"); other kinds: empty
    std::string body; // choice: chosen option ids, ranking: item ids first to last, each
                      // list joined with ' '; open text: the text
    std::optional<std::string> comment;
    time_ms shown_at = 0; // open text: on the shared screens since; 0: not shown
    bool hidden = false;  // open text: hidden by the facilitator
    time_ms at = 0;
};

struct answer_cleared {
    std::string workshop;
    std::string activity;
    std::string participant;
};

struct vote_cleared {
    std::string workshop;
    std::string activity;
    std::string participant;
};

// An activity's state after a change, with its times (0: never; stored as NULL).
struct activity_state_saved {
    std::string workshop;
    std::string activity;
    activity_state state = activity_state::pending;
    time_ms at = 0;          // when this change was made
    time_ms opened_at = 0;   // last opened
    time_ms closed_at = 0;   // last closed after that opening
    time_ms revealed_at = 0; // results revealed (they stay revealed when reopened)
};

struct current_activity_saved {
    std::string workshop;
    std::optional<std::string> activity;
};

struct workshop_state_saved {
    std::string workshop;
    workshop_state state = workshop_state::live;
    time_ms at = 0;
};

// An op id that was applied, so that a resent request is acknowledged and not applied twice.
// Remembered within a window: the last ops_remembered_per_actor ops of each actor (the
// workshop in memory, domain/op_window.hpp; the store keeps at least as many, store.hpp).
inline constexpr std::size_t ops_remembered_per_actor = 64;
struct op_saved {
    std::string workshop;
    std::string actor;
    std::string op;
    time_ms at = 0;
};

// A kiosk registered or rebound (insert or update of name, workshop and token hash).
struct kiosk_saved {
    std::string id;
    std::string name;
    std::string workshop;
    std::string token_hash;
    time_ms at = 0;
};

// ---- boards (docs/protocol.md, Boards) ----

// Insert or update of a whole note (its dots are kept in dot rows).
struct note_saved {
    std::string workshop;
    std::string activity;
    std::string id;
    std::string author; // participant id
    std::string text;
    std::string colour;
    std::optional<std::string> column;
    double x = 0;
    double y = 0;
    std::int64_t version = 1;
    std::optional<std::string> cluster;
    bool hidden = false;
    time_ms created_at = 0;
    time_ms updated_at = 0;
};

// A note deleted, with its dots.
struct note_deleted {
    std::string workshop;
    std::string id;
};

// How many dots a participant has on a note (0: none; the row goes).
struct dots_saved {
    std::string workshop;
    std::string note;
    std::string participant;
    int count = 0;
};

// Insert or update of a cluster; `label` is a text object as JSON (written by shared/protocol).
struct cluster_saved {
    std::string workshop;
    std::string activity;
    std::string id;
    std::string label;
    int position = 0; // order of creation
};

struct cluster_deleted {
    std::string workshop;
    std::string activity;
    std::string id;
};

struct board_lock_saved {
    std::string workshop;
    std::string activity;
    bool locked = false;
};

// ---- withdrawal and erasure (docs/protocol.md, "Withdrawal and erasure") ----

// Who asked for a respondent's data to be erased.
enum class withdrawal_by { participant, staff };

// A respondent withdrew or was erased by staff: every vote, answer (with its comment), note
// (with the dots on it), dot and applied op of theirs is deleted; the participant row stays,
// stripped of group, language and consent and marked withdrawn, so that respondent numbers in
// exports do not shift and the token is refused. The same transaction appends the audit entry
// "withdrawn" (by the participant) or "erased" (by staff) with the respondent number and no
// answer content.
struct participant_withdrawn {
    std::string workshop;
    std::string participant;
    withdrawal_by by = withdrawal_by::participant;
    time_ms at = 0;
    std::size_t respondent = 0; // the number in exports ("r7" is 7)
    std::string staff{};        // by staff: who (an account name or "admin token", …)
};

// One entry appended to the audit log (docs/protocol.md, "Audit trail"); `id` is ignored.
using audit_entry = protocol::audit_entry;
// ---- retention (docs/protocol.md, "Retention") ----

// A workshop's retention period ran out: every response of it is erased (votes, answers and
// their comments, notes, dots, clusters, board locks, applied ops, and the participant rows
// with their token hashes, groups and languages); when `kept` is set, it is stored as the
// workshop's kept results (JSON written by shared/protocol: the publishable results without
// any text written by participants). The workshop stays, marked purged at `at`.
struct workshop_purged {
    std::string workshop;
    time_ms at = 0;
    std::optional<std::string> kept{};
    // Erased on request by staff (who: an account name or "admin token", …); none: the
    // retention period's purge.
    std::optional<std::string> erased_by{};
};

// New facilitator and presenter links for a workshop (POST /api/workshops/{id}/links): the
// hashes of the new tokens replace the old ones, which stop working.
struct links_rotated {
    std::string workshop;
    std::string facilitator_token_hash;
    std::string presenter_token_hash;
};

// Staff deleted an ended workshop (DELETE /api/workshops/{id}), after its responses were
// erased (a workshop_purged before it): its activities, its sharing and the workshop itself go
// too, with secure_delete; the audit entry (by, title) is written in the same transaction.
struct workshop_deleted {
    std::string workshop;
    time_ms at = 0;
    std::string by;    // an account name or "admin token"
    std::string title; // for the audit entry (not a participant's words)
};

// Staff edited a workshop (PUT /api/workshops/{id}): its definition is replaced, `order` lists
// every activity's id in the new agenda order (`added` ones are new, pending), `removed` ones
// (without responses) go; the audit entry (by, title) is written in the same transaction.
struct workshop_edited {
    std::string workshop;
    std::string definition;
    std::vector<std::string> order;
    std::vector<std::string> added;
    std::vector<std::string> removed;
    time_ms at = 0;
    std::string by;
    std::string title;
};

// An uploaded image (a card's picture): kept once per content (its id is the content's hash).
struct image_saved {
    std::string id; // "img_…"
    std::string content_type;
    std::string bytes;
    time_ms at = 0;
};

using record =
    std::variant<workshop_created, participant_saved, vote_saved, vote_cleared, answer_saved,
                 answer_cleared, image_saved, activity_state_saved, current_activity_saved,
                 workshop_state_saved, op_saved, kiosk_saved, note_saved, note_deleted, dots_saved,
                 cluster_saved, cluster_deleted, board_lock_saved, participant_withdrawn,
                 audit_entry, workshop_purged, links_rotated, workshop_deleted, workshop_edited>;

// ---- what start-up reads back ----

struct activity_row {
    std::string id;
    int position = 0;
    activity_state state = activity_state::pending;
    time_ms opened_at = 0;   // last time it was opened; 0: never
    time_ms closed_at = 0;   // last time it was closed; 0: never
    time_ms revealed_at = 0; // results revealed; 0: never
};

struct participant_row {
    std::string id;
    std::string token_hash;
    protocol::channel channel = channel::web;
    std::optional<std::string> group;
    std::optional<std::string> lang;
    bool consent = false;
    time_ms created_at = 0;
    time_ms withdrawn_at = 0; // 0: not withdrawn
};

struct vote_row {
    std::string activity;
    std::string participant;
    int value = 0;
    time_ms at = 0;
    std::optional<std::string> comment{};
};

// An answer as answer_saved wrote it (`workshop` left empty).
using answer_row = answer_saved;

struct op_row {
    std::string actor;
    std::string op;
};

struct dots_row {
    std::string note;
    std::string participant;
    int count = 0;
};

struct workshop_snapshot {
    std::string id;
    std::string code;
    std::string definition;
    std::string facilitator_token_hash;
    std::string presenter_token_hash;
    workshop_state state = workshop_state::live;
    std::optional<std::string> current_activity;
    time_ms created_at = 0;
    std::vector<activity_row> activities; // in agenda order
    std::vector<participant_row> participants;
    std::vector<vote_row> votes;
    std::vector<answer_row> answers; // choice, ranking and open text, in order of answering
    std::vector<op_row> ops;
    std::vector<note_saved> notes; // in order of creation
    std::vector<dots_row> dots;
    std::vector<cluster_saved> clusters; // in order of position
    std::vector<board_lock_saved> locks; // locked boards
    time_ms purged_at = 0;               // responses purged (retention); 0: not purged
    std::optional<std::string> kept{};   // the results kept at the purge (workshop_purged)
};

struct image_row {
    std::string content_type;
    std::string bytes;
};

struct kiosk_row {
    std::string id;
    std::string name;
    std::string workshop;
    std::string token_hash;
};

} // namespace cylch::store
