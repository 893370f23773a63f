// De-identified CSV export of a workshop: one row per response.
//
// Participants appear only as respondent numbers (r1, r2, … in order of joining), never by
// id or token; groups are the participants' self-chosen groups. RFC 4180 quoting; a leading
// '=', '+', '-' or '@' in a text is prefixed with an apostrophe so that spreadsheets do not
// run it as a formula.
#pragma once

#include "server/domain/workshop.hpp"

#include "shared/protocol/api.hpp"

#include <string>
#include <unordered_map>
#include <vector>

namespace cylch::export_ {

// Who results are for (docs/protocol.md, "Small cells"): the workshop's staff (everything;
// the default of the staff-only API) or publication (`?publishable=1`: what a shared screen
// may show; small cells withheld).
enum class audience { staff, publication };

// For publication: the group (or channel) of a respondent whose group (or channel) cell is
// withheld in that activity reads "suppressed"; activities with fewer than min_cell answers
// have no rows; answers the facilitator hid are left out.
std::string results_csv(domain::workshop const& ws, audience to = audience::staff);

// One row per note of every board (docs/protocol.md, Boards): workshop, activity_position,
// activity, prompt, note, respondent, group, column, cluster, cluster_label, colour, text, dots,
// hidden, x, y, created_at.
// For publication (`?publishable=1`): notes the facilitator hid are left out, as on the shared
// screens, and the group column reads "suppressed" (as results_of leaves boards' groups out).
std::string boards_csv(domain::workshop const& ws, audience to = audience::staff);

// The rows of those two files, for export.json (the same fields).
std::vector<protocol::response_row> response_rows(domain::workshop const& ws,
                                                  audience to = audience::staff);
std::vector<protocol::note_row> note_rows(domain::workshop const& ws,
                                          audience to = audience::staff);

// Respondent numbers (1, 2, …) by order of joining (ties by id), so exports are stable.
std::unordered_map<std::string, std::size_t> respondent_numbers(domain::workshop const& ws);

// Every activity with its full summary, or for boards every note with its respondent number,
// for GET /api/workshops/{id}/results. For publication: each summary as the presenter's screen
// has it (small cells withheld, no comments, only shown open-text answers), boards without
// hidden notes and without the authors' groups.
std::vector<protocol::activity_result> results_of(domain::workshop const& ws,
                                                  audience to = audience::staff);

// The audit log as CSV (GET /api/audit.csv), in the order given: id, at (UTC, RFC 3339),
// at_ms, actor_kind, actor, action, workshop, detail, address. Same quoting and formula guard.
std::string audit_csv(std::vector<protocol::audit_entry> const& entries);

// Retention (docs/protocol.md, "Retention"): the results kept when the responses are purged:
// those for publication, without any text a participant wrote (no comments, no open-text
// answers, no notes; a board keeps nothing, not even its clusters).
std::vector<protocol::activity_result> kept_results_of(domain::workshop const& ws);

// An RFC 3339 UTC time ("2026-11-28T04:00:00Z") of milliseconds since the Unix epoch.
std::string iso_time(store::time_ms ms);

// One CSV field, quoted when needed.
std::string csv_field(std::string_view text);

} // namespace cylch::export_
