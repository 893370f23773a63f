// JSON bodies of the HTTP API (docs/protocol.md, "HTTP API"). Encoding only: requests to
// the API are workshop files (workshop_file.hpp) or carry no body.
#pragma once

#include "shared/protocol/audit.hpp"
#include "shared/protocol/messages.hpp"
#include "shared/protocol/workshop_file.hpp"

#include <string>
#include <vector>

namespace cylch::protocol {

// {"error":{"code":"…","message":"…"}}
std::string encode_api_error(error_code code, std::string const& message);
// The same with the JSON path of the field it is about and, for a refused edit, why
// (docs/protocol.md, "Editing a workshop"): {"error":{"code","message","path","problem"}}.
std::string encode_api_error(error_code code, std::string const& message, std::string const& path,
                             std::string_view problem = {});
// GET /api/workshops/{id}/file: the workshop file as stored, every activity with its "id",
// and "answered": the activities that have responses (their kind and scale are kept).
std::string encode_file_for_editing(std::string_view definition,
                                    std::vector<std::string> const& activity_ids,
                                    std::vector<std::string> const& answered);
// 200 body of PUT /api/workshops/{id}: the activities' ids in the new agenda order.
std::string encode_edited(std::string const& id, std::vector<std::string> const& activity_ids);
// {"status":"ok"}
std::string encode_health();
// 201 body of POST /api/workshops.
std::string encode_created(std::string const& id, std::string const& code,
                           std::string const& facilitator_token,
                           std::string const& presenter_token);

// GET /api/workshops/{id}: the workshop, its agenda and which activity is current.
// 201 (or 200 for one already stored) body of POST /api/images.
std::string encode_image_created(std::string const& id);
std::string encode_workshop_detail(workshop_view const& w, std::vector<activity_view> const& agenda,
                                   std::optional<std::string> const& current);

// A note in the results: as the facilitator sees it, with its author de-identified.
struct board_note_result {
    note_view note;
    std::string respondent; // "r3", numbered as in the CSV export
    std::optional<std::string> group;
    std::int64_t created_at = 0; // ms since the Unix epoch
};

struct board_result {
    std::vector<board_note_result> notes;
    std::vector<cluster_view> clusters;
};

struct activity_result {
    activity_view activity;
    // Likert: the full summary, as pushed to the facilitator; boards: every note, hidden ones
    // too. One alternative per kind.
    using kind_result = std::variant<summary, board_result>;
    kind_result result;
};
// When things happened (GET …/results, staff view only): each activity's last opening and
// close, how many answered it and their first and last answer (as last changed), all in ms
// since the Unix epoch (0: never); and each respondent's time from their first answer to their
// last, as median and quartiles over the respondents who answered anything.
struct activity_timing {
    std::string activity;
    std::int64_t opened_at = 0;
    std::int64_t closed_at = 0;
    std::int64_t answers = 0;
    std::int64_t first_answer_at = 0;
    std::int64_t last_answer_at = 0;
};
struct results_timings {
    std::vector<activity_timing> activities;
    std::int64_t respondents = 0;
    struct quartiles {
        std::int64_t median = 0;
        std::int64_t q1 = 0;
        std::int64_t q3 = 0;
    };
    std::optional<quartiles> span_ms; // none: nobody answered
};
// One response of a question kind, and one note of a board, as the exports have them
// (export.csv, boards.csv and export.json share these fields and their names; the data
// dictionary describes them). Respondents are numbers ("r3"), never ids.
struct response_row {
    std::string workshop;
    int activity_position = 0; // 1-based
    std::string activity;
    std::string statement; // the question in the workshop's first language
    std::string respondent;
    std::string group;   // "" none; "suppressed" for publication where withheld
    std::string channel; // web, kiosk, or "suppressed"
    std::string language;
    std::string value; // a point, option ids joined with '|', an order, or the text
    std::string label;
    std::int64_t answered_at = 0; // ms since the Unix epoch
    std::string comment;
    bool hidden = false; // an open-text answer the facilitator hid
};
struct note_row {
    std::string workshop;
    int activity_position = 0;
    std::string activity;
    std::string prompt;
    std::string note;
    std::string respondent;
    std::string group;
    std::string column;
    std::string cluster;
    std::string cluster_label;
    std::string colour;
    std::string text;
    int dots = 0;
    bool hidden = false;
    double x = 0;
    double y = 0;
    std::int64_t created_at = 0;
};
// GET /api/workshops/{id}/export.json: {"workshop","responses":[…],"notes":[…]}, each row an
// object keyed by the CSV columns' names (numbers as numbers, hidden as a boolean, times as
// RFC 3339 UTC text).
std::string encode_export(std::string const& workshop, std::vector<response_row> const& responses,
                          std::vector<note_row> const& notes);

// GET /api/workshops/{id}/results; `timings` only in the staff view.
std::string encode_results(workshop_view const& w, std::vector<activity_result> const& results,
                           std::optional<results_timings> const& timings = std::nullopt);
// 200 body of POST /api/purge: {"result":"purged 2 workshops: w_…, w_…"}.
std::string encode_purge_summary(std::string const& result);
// Its reading by `cylch-server purge` (lenient); nullopt when it is not one.
std::optional<std::string> parse_purge_summary(std::string_view body);
// Retention (docs/protocol.md, "Retention"): the results kept when a workshop's responses are
// purged, as the JSON array of GET …/results' "activities" (stored by the server).
std::string encode_kept_results(std::vector<activity_result> const& results);
// GET /api/workshops/{id}/results of a purged workshop: `purged` says when (ms and an RFC 3339
// date) and whether results were kept; "activities" are the kept ones (`kept`, as
// encode_kept_results wrote them), or empty. Throws nothing: unreadable kept text counts as none.
std::string encode_purged_results(workshop_view const& w, std::int64_t purged_at,
                                  std::string const& purged_date,
                                  std::optional<std::string> const& kept);

// Body of POST /api/kiosks ({"name":"…","workshop":"w_…"}) and PUT /api/kiosks/{id}
// ({"workshop":"w_…"}, name optional). Strict: unknown keys are errors with their path.
struct kiosk_request {
    std::optional<std::string> name; // 1..100 characters
    std::string workshop;
};
std::variant<kiosk_request, workshop_file_error> parse_kiosk_request(std::string_view body,
                                                                     bool name_required);
// 201 body of POST /api/kiosks: the token is shown this once.
std::string encode_kiosk_created(std::string const& id, std::string const& token,
                                 std::string const& workshop);
// 200 body of PUT /api/kiosks/{id}.
std::string encode_kiosk(std::string const& id, std::string const& name,
                         std::string const& workshop);

// ---- Accounts (docs/protocol.md, "Accounts, sessions, workshops") ----

// Body of POST /api/login.
struct login_request {
    std::string name;     // 1..64 characters
    std::string password; // 1..1024 bytes
};
std::variant<login_request, workshop_file_error> parse_login(std::string_view body);

// Body of POST /api/users ({"name","role","password"}) and PUT /api/users/{id}
// ({"role"}, {"disabled"} or both; name and password absent).
struct user_request {
    std::optional<std::string> name;
    std::optional<account_role> role;
    std::optional<std::string> password;
    std::optional<bool> disabled;
};
std::variant<user_request, workshop_file_error> parse_user_request(std::string_view body,
                                                                   bool create);
// Body of POST /api/workshops/{id}/share: {"user":"name"}.
std::variant<std::string, workshop_file_error> parse_share_request(std::string_view body);

// GET /api/me.
std::string encode_me(std::string const& name, account_role role, std::string const& csrf);

struct user_listing {
    std::string id;
    std::string name;
    account_role role = account_role::facilitator;
    bool disabled = false;
    std::int64_t created_at = 0; // ms since the Unix epoch
};
// GET /api/users ({"users":[…]}) and the 201/200 body for one user.
std::string encode_users(std::vector<user_listing> const& users);
std::string encode_user(user_listing const& user);

// Which of a workshop's staff the caller is.
enum class workshop_access { owner, shared, all };
struct workshop_listing {
    std::string id;
    text_map title;
    std::vector<std::string> languages;
    workshop_state state = workshop_state::live;
    std::int64_t created_at = 0;
    std::int64_t participants = 0;
    std::optional<std::string> owner; // the owner's account name; none for script-made ones
    std::int64_t purged_at = 0;       // responses purged (retention); 0: not purged
    workshop_access access = workshop_access::all;
    std::string programme;        // empty: none
    std::int64_t archived_at = 0; // archived by staff; 0: not archived
    workshop_mode mode = workshop_mode::live;
    std::optional<std::int64_t> opens_at{}; // self-paced: its window
    std::optional<std::int64_t> closes_at{};
    struct group_reach {
        std::string group;
        text_map label;
        std::optional<int> target;
        std::int64_t reached = 0; // participants (stored, not withdrawn) who chose it
    };
    std::vector<group_reach> reach; // every group of the workshop, in its order
};
// GET /api/compare (docs/protocol.md, "Comparing workshops"): the same Likert statement in
// several workshops side by side, pooled, and the reach of each group against its target.
struct compared_workshop {
    std::string id;
    text_map title;
    std::vector<std::string> languages;
    std::string programme;
    workshop_state state = workshop_state::live;
    std::int64_t participants = 0; // stored, not withdrawn
};
struct compared_row {
    std::string workshop;
    std::string activity;
    stats::likert_summary summary;
};
struct compared_statement {
    text_map statement; // as the first workshop that has it words it
    int points = 5;
    std::vector<compared_row> rows; // in the order the workshops were asked for
    stats::likert_summary pooled;   // every row's answers together
};
struct compared_reach {
    std::string group;
    text_map label;
    std::int64_t reached = 0;           // participants who chose it, in all the workshops
    std::optional<std::int64_t> target; // the sum of the workshops' targets; none: no target
    std::vector<std::pair<std::string, std::int64_t>> by_workshop; // workshop id, reached
};
struct comparison {
    std::vector<compared_workshop> workshops;
    std::vector<compared_statement> statements;
    std::vector<compared_reach> reach;
};
std::string encode_comparison(comparison const& c);

// GET /api/workshops.
std::string encode_workshop_list(std::vector<workshop_listing> const& workshops);
// GET /api/audit: {"entries":[{"id","at","actor_kind","actor","action","workshop","detail",
// "address"}], "next_before": id or null}. `next_before` is the last entry's id when the page
// is full (there may be more: ask again with before=<it>), else null.
std::string encode_audit_page(std::vector<audit_entry> const& entries, std::size_t limit);

} // namespace cylch::protocol
