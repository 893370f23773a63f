// One workshop as a pure state machine: its agenda of activities (each of its own kind:
// activity.hpp), participants, and what they answered.
//
// No sockets, no SQL, no clock and no randomness of its own: time, new ids and token hashes
// are passed in. Every change is applied to memory at once (so the next request is checked
// against it) and described as store records in the returned effects; the caller persists
// them and acknowledges only after the commit.
//
// Thread-safety: none; the owning actor calls it from its strand only.
#pragma once

#include "server/domain/activity.hpp"
#include "server/domain/op_window.hpp"
#include "server/store/records.hpp"
#include "shared/protocol/messages.hpp"
#include "shared/protocol/workshop_file.hpp"

#include <list>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace cylch::domain {

using protocol::activity_state;
using protocol::role;
using store::time_ms;

struct participant {
    std::string id;
    std::string token_hash;
    protocol::channel channel = protocol::channel::web;
    std::optional<std::string> group;
    std::optional<std::string> lang;
    bool consent = false;
    time_ms created_at = 0;
    time_ms withdrawn_at = 0; // withdrawn (or erased by staff): no data left, token refused
    bool withdrawn() const { return withdrawn_at != 0; }
};

// Who sends a request: a participant (by id) or a workshop-level role.
struct actor {
    protocol::role role = role::participant;
    std::string id; // participant or kiosk id; "facilitator" / "presenter" for those roles
    time_ms clock_offset = 0; // kiosks: server clock minus kiosk clock, measured at hello
    std::string account{};    // staff admitted by a sign-in: the account's name (for the audit)
};

// A kiosk press that reaches the server after its activity closed still counts when, by the
// kiosk's clock corrected with the offset measured at its hello, it was pressed while the
// activity was open (its last opening; up to late_press_tolerance after the close, for clock
// error) and it arrives within late_press_window of the close.
inline constexpr time_ms late_press_tolerance = 2'000;
inline constexpr time_ms late_press_window = 24 * 60 * 60 * 1000;

// What a request did. When `error` is set nothing changed and nothing is to be persisted.
struct effects {
    std::optional<protocol::error> error;
    std::vector<store::record> to_persist;
    bool duplicate = false;        // op applied before: acknowledge again, change nothing
    bool summary_dirty = false;    // the current activity's tallies changed
    bool activity_changed = false; // an activity's state or the current activity changed
    std::optional<std::string> changed_activity; // which activity changed state
    bool workshop_changed = false;               // the workshop's state changed
    bool presence_changed = false;               // a participant's group changed
    // Boards: what changed, for the pushes to each recipient as they may see it.
    struct board_change {
        enum class kind { note, reset }; // one note upserted/removed; the whole board anew
        kind what = kind::note;
        std::string activity;
        std::string note;
        // For notes: who wrote it and whether it was hidden before this change, so that a
        // participant is told of a removal only when they could see the note before.
        std::string author{};
        bool was_hidden{false};
        bool created{false}; // the note is new: nobody saw it before
    };
    std::vector<board_change> board_changes;
    std::optional<std::string> created_note; // note.add: the new note's id, for the ack
    // Boards: what single participants are told about their own notes and dots (a hidden
    // note, dots given back), each for the participant named.
    struct notice_to {
        std::string participant;
        protocol::notice notice;
    };
    std::vector<notice_to> notices;
};

// The effects of a refused request: the error, and nothing changed.
effects refusal(protocol::error_code code, std::string message, std::string_view op);

// Participants who joined but have not acted yet and have no open connection: at most this
// many are remembered per workshop (docs/security.md).
inline constexpr std::size_t max_idle_unstored = 1000;

// Parameters of a new workshop, chosen by the caller (ids and secrets come from auth).
struct workshop_identity {
    std::string id;
    std::string code;
    std::string facilitator_token_hash;
    std::string presenter_token_hash;
    std::vector<std::string> activity_ids; // one per activity of the spec
};

class workshop {
public:
    // A new workshop from a parsed file; `creation` receives the record that stores it.
    workshop(workshop_identity identity, protocol::workshop_spec spec, std::string definition,
             time_ms now, store::record& creation);
    // A workshop as the store kept it. Throws std::runtime_error when the snapshot does not
    // fit its own definition (a corrupt database is not served half-read).
    explicit workshop(store::workshop_snapshot const& snapshot);

    // ---- participants ----
    struct join_result {
        participant const* who = nullptr;
        bool created = false;
        std::vector<store::record> to_persist;
    };
    // Finds the participant with this token hash (stored or not); nullptr when none.
    participant const* find_by_token_hash(std::string const& token_hash) const;
    participant const* find_participant(std::string const& id) const;
    // Adds a new participant with the id and token hash the caller chose, stored at once.
    join_result add_participant(std::string id, std::string token_hash,
                                std::optional<std::string> lang, protocol::channel channel,
                                time_ms now);

    // A participant who joined with the code (web channel) is not stored until they act: a
    // bare hello writes nothing. The first request of theirs that is applied (profile, vote,
    // note…) puts their record before its own in the effects. Until then they are "unstored":
    // found by token and id like the others, but not in participants(), and lost on restart
    // (they had answered nothing; their token then gets a new identity).
    participant const* join_unstored(std::string id, std::string token_hash,
                                     std::optional<std::string> lang, time_ms now);
    bool is_stored(std::string const& participant_id) const {
        return participants_.contains(participant_id);
    }
    // The caller counts connections: the participant's first one opened / last one closed. An
    // unstored participant without connections is idle; the oldest idle ones beyond
    // max_idle_unstored are forgotten.
    void participant_online(std::string const& participant_id);
    void participant_offline(std::string const& participant_id);
    std::size_t unstored_count() const { return unstored_.size(); }

    // ---- requests ----
    // Applies one decoded request (not hello) from the given actor. `fresh_id` is the id for a
    // new anonymous respondent, used when a kiosk's vote creates one.
    effects apply(actor const& who, protocol::client_message const& message, time_ms now,
                  std::string const& fresh_id = {});

    // ---- withdrawal and erasure ----
    // Erases every vote, answer, comment, note and dot of the participant (dots others gave to
    // their notes go back to the givers), strips and marks them withdrawn so that their token
    // is refused, and describes it all as one participant_withdrawn record. Every summary that
    // changed is marked dirty and every board that changed is reset. Refused with not_found for
    // an unknown or already withdrawn participant.
    effects withdraw(std::string const& participant_id, store::withdrawal_by by, time_ms now,
                     std::string_view op = {});
    // Every stored participant (withdrawn ones too) in the order of the exports' respondent
    // numbers: by joining time, then id ("r1" is the first).
    std::vector<participant const*> respondents() const;
    // The participant of an export's respondent number ("r7" is 7), nullptr when none.
    participant const* respondent(std::size_t number) const;

    // ---- self-paced (docs/protocol.md, "Self-paced workshops") ----
    bool self_paced() const;
    // The state every activity should have at `now` (pending, open or closed).
    activity_state window_state(time_ms now) const;
    // Opens or closes every activity as the window says at `now` (nothing for a live
    // workshop, or when they already are); the caller calls it at the window's times, after a
    // load and after an edit.
    effects apply_window(time_ms now);
    // When apply_window next has something to do; nullopt: never (live, ended, or past).
    std::optional<time_ms> next_window_change(time_ms now) const;
    // Every activity as participants and kiosks see them once the questionnaire has opened;
    // empty before.
    std::vector<protocol::activity_view> questionnaire() const;
    // The participant's own answers, by activity id, to the activities they answered.
    std::vector<std::pair<std::string, protocol::mine_view>>
    answers_of(std::string const& participant_id) const;

    // ---- views ----
    protocol::workshop_view view() const;
    // The current activity as this role may see it (participants: not while pending).
    std::optional<protocol::activity_view> current_for(role r) const;
    protocol::activity_view view_of(activity const& a) const;
    std::vector<protocol::activity_view> agenda() const;
    protocol::mine_view mine(std::string const& participant_id) const;
    // The summary frame of an activity as this role may see it, for the kinds that have one
    // (boards have their board frames instead: nullopt). The facilitator gets everything,
    // with comments and every open-text answer; the presenter (a shared screen) the same
    // without those texts; participants and kiosks no breakdowns, and only the number of
    // answers while the results are not visible to them.
    std::optional<protocol::summary> summary_of(activity const& a, role r) const;
    // Which cells of a summary shared screens withhold (docs/protocol.md, "Small cells"), to be
    // withheld or only marked by the rule.
    protocol::small_cells small_cells_of(protocol::summary const& s,
                                         protocol::small_cell_rule rule) const;
    // The summary participants and kiosks may see now.
    std::optional<protocol::summary> participant_summary(activity const& a) const {
        return summary_of(a, role::participant);
    }
    // True when participants may see the activity's results now (a board: its dot totals).
    static bool results_visible_to_participants(activity const& a);

    // Boards: a note as a recipient may see it (nullopt: not at all), and the whole board.
    // `viewer` is the participant id for participants.
    std::optional<protocol::note_view> note_for(activity const& a, board const& b, note const& n,
                                                role r, std::string const& viewer) const;
    protocol::board_push board_for(activity const& a, board const& b, role r,
                                   std::string const& viewer) const;
    // Who took part in a board, for the facilitator's reach: participants who have a note on
    // it (hidden ones too) or a dot on one of its notes, in all and per group.
    protocol::board_reach reach_of(activity const& a, board const& b) const;
    // A note by id with its activity and board; all nullptr when there is none.
    template <class Activity, class Board, class Note>
    struct note_place {
        Activity* activity = nullptr;
        Board* board = nullptr;
        Note* note = nullptr;
    };
    note_place<activity const, board const, note const> find_note(std::string_view id) const;

    activity const* current() const;
    activity const* find_activity(std::string const& id) const;
    std::vector<activity> const& activities() const { return activities_; }
    std::unordered_map<std::string, participant> const& participants() const {
        return participants_;
    }
    // Index of a group in the workshop's list; nullopt for no group or an unknown one.
    std::optional<std::size_t> group_index(std::optional<std::string> const& group) const;

    std::string const& id() const { return id_; }
    std::string const& code() const { return code_; }
    std::string const& definition() const { return definition_; }
    protocol::workshop_spec const& spec() const { return spec_; }
    protocol::workshop_state state() const { return state_; }
    std::string const& facilitator_token_hash() const { return facilitator_token_hash_; }
    std::string const& presenter_token_hash() const { return presenter_token_hash_; }
    // New links (POST /api/workshops/{id}/links), once stored: the old tokens stop working.
    void set_link_hashes(std::string facilitator_hash, std::string presenter_hash) {
        facilitator_token_hash_ = std::move(facilitator_hash);
        presenter_token_hash_ = std::move(presenter_hash);
    }
    time_ms created_at() const { return created_at_; }
    // Retention (docs/protocol.md): when the responses were purged (0: not purged), and the
    // results kept then (JSON from shared/protocol; nullopt: none were kept).
    time_ms purged_at() const { return purged_at_; }
    std::optional<std::string> const& kept_results() const { return kept_; }

private:
    effects on_profile(participant& p, protocol::profile const& m, time_ms now);
    effects on_command(protocol::activity_command const& m, time_ms now);
    effects on_end(std::string_view op, time_ms now);
    // Refuses a kind's request for an activity that is missing or of another kind; returns
    // the activity and its kind's state when it fits.
    template <class Kind>
    std::variant<effects, std::pair<activity*, Kind*>>
    activity_of_kind(std::string const& id, std::string_view op, std::string_view wrong_kind);

    // Question kinds: finds an activity of this kind that the participant may answer now
    // (consent given, the activity open, the workshop live) or says why not.
    template <class Kind>
    std::variant<effects, std::pair<activity*, Kind*>>
    answerable(participant const& p, std::string const& id, std::string_view op,
               std::string_view wrong_kind);
    // Refuses an answer to an activity that is not open (or a workshop that ended).
    std::optional<effects> refuse_closed(activity const& a, std::string_view op) const;
    // A kiosk press that arrives after the close still counts when it was pressed while the
    // activity was open (see late_press_tolerance).
    bool late_press_counts(activity const& a, actor const& kiosk,
                           std::optional<std::int64_t> pressed_at, time_ms now) const;
    // A new anonymous respondent for a kiosk press; its record goes into `e`. A respondent of a
    // pass is found again by `pass_key` (kept where participants keep their token hash).
    participant const& add_kiosk_respondent(std::string const& fresh_id, time_ms now, effects& e,
                                            std::string pass_key);
    // The respondent of a kiosk press: the pass's (made at its first press), or a new one for
    // a press without a pass; the refusal when the pass's respondent was erased.
    std::variant<effects, participant const*>
    kiosk_respondent(actor const& kiosk, std::optional<std::string> const& pass,
                     std::string const& fresh_id, time_ms now, std::string_view op, effects& e);
    // The participant's own answer to one activity (only the fields of its kind).
    protocol::mine_view mine_in(activity const& a, std::string const& participant_id) const;

    // vote.clear: takes back the participant's answer of any question kind.
    effects on_clear(participant& p, protocol::vote_clear const& m, time_ms now);
    void restore_answers(store::workshop_snapshot const& s);

    // Likert statements (likert.cpp).
    effects on_vote(participant& p, protocol::vote const& m, time_ms now);
    effects on_kiosk_vote(actor const& kiosk, protocol::vote const& m, time_ms now,
                          std::string const& fresh_id);
    // Checks that a vote may go to the activity now; nullopt when it may.
    std::optional<effects> refuse_vote(activity const& a, likert const& l,
                                       protocol::vote const& m) const;
    void tally(likert& l, participant const& p, int value, int delta);
    // Moves a participant's Likert answers to the tallies of their new group.
    void retally_group(participant& p, std::optional<std::string> const& group);
    protocol::likert_results likert_summary(likert const& l, bool breakdowns) const;
    std::vector<protocol::comment_view> likert_comments(likert const& l) const;
    void restore_votes(store::workshop_snapshot const& s);

    // Choice questions (choice.cpp).
    effects on_choose(participant& p, protocol::choose const& m, time_ms now);
    effects on_kiosk_choose(actor const& kiosk, protocol::choose const& m, time_ms now,
                            std::string const& fresh_id);
    // The option indices of a request, or the refusal when they do not fit the activity.
    std::variant<effects, std::vector<std::size_t>> picks_of(choice const& c,
                                                             protocol::choose const& m) const;
    store::answer_saved choice_record(activity const& a, std::string const& participant,
                                      choice_entry const& entry) const;
    protocol::choice_results choice_summary(choice const& c, bool breakdowns) const;
    std::vector<protocol::comment_view> choice_comments(choice const& c) const;

    // Ranking questions (ranking.cpp).
    effects on_rank(participant& p, protocol::rank const& m, time_ms now);
    protocol::ranking_results ranking_summary(ranking const& k, bool breakdowns) const;

    // Open-text questions (open_text.cpp).
    effects on_answer(participant& p, protocol::answer const& m, time_ms now,
                      std::string const& fresh_id);
    effects on_answer_show(protocol::answer_show const& m, time_ms now);
    effects on_answer_hide(protocol::answer_hide const& m, time_ms now);
    store::answer_saved open_text_record(activity const& a, std::string const& participant,
                                         open_text_entry const& entry) const;
    protocol::open_text_results open_text_summary(open_text const& o, bool private_texts) const;

    // Boards (board.cpp).
    effects on_board_request(actor const& who, protocol::client_message const& m, time_ms now,
                             std::string const& fresh_id);
    effects on_note_add(participant const& p, protocol::note_add const& m, time_ms now,
                        std::string const& fresh_id);
    effects on_note_edit(participant const& p, protocol::note_edit const& m, time_ms now);
    effects on_note_move(actor const& who, protocol::note_move const& m, time_ms now);
    effects on_note_delete(actor const& who, protocol::note_delete const& m);
    effects on_dot(participant const& p, protocol::dot const& m);
    effects on_note_hide(protocol::note_hide const& m, time_ms now);
    effects on_cluster_set(protocol::cluster_set const& m, time_ms now);
    effects on_cluster_dissolve(protocol::cluster_dissolve const& m, time_ms now);
    effects on_board_lock(protocol::board_lock const& m);
    note_place<activity, board, note> find_note_mut(std::string_view id);
    std::optional<effects> refuse_note_change(actor const& who,
                                              note_place<activity, board, note> const& at,
                                              std::string const& note_id, std::string_view op,
                                              std::string_view verb) const;
    store::note_saved note_record(activity const& a, note const& n) const;
    void restore_boards(store::workshop_snapshot const& s);

    activity* find_activity_mut(std::string const& id);
    // Whether the activity's kind may reveal while it is open (boards: notes and dot totals
    // shown, dot-voting goes on); others are closed first.
    static bool reveals_while_open(activity const& a);
    // Closes an open activity (revealed if its results were revealed before).
    void close(activity& a, time_ms now, effects& e);
    // Records and announces a change of the activity's state or times.
    void announce(activity& a, time_ms now, effects& e);
    store::participant_saved participant_record(participant const& p) const;

    // Constant after construction.
    std::string id_;
    std::string code_;
    std::string definition_;
    protocol::workshop_spec spec_;
    std::string facilitator_token_hash_;
    std::string presenter_token_hash_;
    time_ms created_at_ = 0;
    time_ms purged_at_ = 0;
    std::optional<std::string> kept_{};

    // Changed by requests.
    protocol::workshop_state state_ = protocol::workshop_state::live;
    std::vector<activity> activities_;
    std::optional<std::size_t> current_;
    std::unordered_map<std::string, participant> participants_; // stored
    // Joined but not acted yet (join_unstored); the idle ones in order of leaving, oldest first.
    struct unstored {
        participant who;
        std::optional<std::list<std::string>::iterator> idle;
    };
    std::unordered_map<std::string, unstored> unstored_;
    std::list<std::string> idle_unstored_;                       // size <= max_idle_unstored
    std::unordered_map<std::string, std::string> by_token_hash_; // token hash -> participant id
    op_window applied_ops_; // actor id + '\n' + op, the last 64 of each actor
};

template <class Kind>
std::variant<effects, std::pair<activity*, Kind*>>
workshop::answerable(participant const& p, std::string const& id, std::string_view op,
                     std::string_view wrong_kind) {
    if (spec_.consent.required && !p.consent && find_activity(id) != nullptr) {
        return refusal(protocol::error_code::not_allowed,
                       "please agree to take part before answering", op);
    }
    auto found = activity_of_kind<Kind>(id, op, wrong_kind);
    if (auto* ok = std::get_if<std::pair<activity*, Kind*>>(&found)) {
        if (auto refused = refuse_closed(*ok->first, op)) {
            return std::move(*refused);
        }
    }
    return found;
}

template <class Kind>
std::variant<effects, std::pair<activity*, Kind*>>
workshop::activity_of_kind(std::string const& id, std::string_view op,
                           std::string_view wrong_kind) {
    auto* a = find_activity_mut(id);
    if (a == nullptr) {
        return refusal(protocol::error_code::not_found,
                       "there is no activity \"" + id + "\" in this workshop", op);
    }
    auto* k = a->as<Kind>();
    if (k == nullptr) {
        return refusal(protocol::error_code::bad_request, std::string(wrong_kind), op);
    }
    return std::pair<activity*, Kind*>{a, k};
}

} // namespace cylch::domain
