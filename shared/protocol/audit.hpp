// The audit trail's vocabulary (docs/protocol.md, "Audit trail"): what happened, who did it,
// and one entry as stored and listed. An entry never carries answer content: no note or answer
// text, no vote value, no comment, no password or token; `detail` is short and content-free
// (an activity id, a user name and role, an export's file name).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace cylch::protocol {

// What happened. Append new actions at the end: the stored names, not the numbers, are kept.
enum class audit_action {
    sign_in,             // a staff account signed in (actor: the account)
    sign_in_failed,      // a wrong name or password (actor: the account, or "unknown name")
    sign_out,            // a staff account signed out
    user_added,          // detail: "name role"
    user_changed,        // detail: "name role" and "disabled"/"enabled" when that changed
    workshop_created,    // workshop: the new one
    workshop_duplicated, // workshop: the copy; detail: the original's id
    workshop_shared,     // detail: the facilitator it was shared with
    workshop_ended,      // the facilitator ended it
    activity_opened,     // detail: the activity id
    activity_closed,     // detail: the activity id
    activity_revealed,   // detail: the activity id
    activity_reopened,   // opened again after it was closed or revealed; detail: activity id
    note_hidden,         // by staff; detail: the note id
    note_shown,          // hidden note shown again by staff; detail: the note id
    note_deleted,        // a note deleted by staff; detail: the note id
    exported,            // detail: "results.json", "export.csv" or "boards.csv", then
                         // " publishable" for a ?publishable=1 export
    audit_exported,      // GET /api/audit.csv; detail: the filters given
    withdrawn,           // a participant withdrew; actor and detail: the respondent number
    erased,              // staff erased a respondent; detail: the respondent number
    backup,              // `cylch-server backup`; detail: the copy's file name
    purged,              // `cylch-server purge` erased a workshop's responses
    links_rotated,       // new facilitator and presenter links; the old ones stopped working
    workshop_deleted,    // staff deleted an ended workshop (its responses erased, then itself);
                         // detail: its title (first language)
    workshop_edited,     // staff edited the workshop (PUT); detail: its title (first language)
    workshop_archived,   // staff archived an ended workshop (out of the list's way)
    workshop_unarchived, // … and took it out of the archive
};

// Who did it.
enum class audit_actor {
    participant, // actor: their respondent number ("r7")
    staff,       // actor: an account name, "admin token" or "facilitator token"
    operator_,   // a command on the server's machine (actor: "operator"); wire name "operator"
    system,      // the server itself (e.g. a timer's purge)
};

std::string_view to_string(audit_action);
std::string_view to_string(audit_actor);
std::optional<audit_action> audit_action_from_string(std::string_view);
std::optional<audit_actor> audit_actor_from_string(std::string_view);

// Every action, in enum order (for lists and tests).
inline constexpr std::size_t audit_action_count = 27;

// One entry of the audit log.
struct audit_entry {
    std::int64_t id = 0; // the log's order; given by the database (0 until stored)
    std::int64_t at = 0; // milliseconds since the Unix epoch
    audit_actor actor_kind = audit_actor::system;
    std::string actor{};
    audit_action action = audit_action::sign_in;
    std::optional<std::string> workshop{};
    std::optional<std::string> detail{};
    std::optional<std::string> address{}; // the client's address, for sign-in attempts
};

} // namespace cylch::protocol
