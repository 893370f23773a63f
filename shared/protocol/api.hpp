// JSON bodies of the HTTP API (docs/protocol.md, "HTTP API"). Encoding only: requests to
// the API are workshop files (workshop_file.hpp) or carry no body.
#pragma once

#include "shared/protocol/messages.hpp"
#include "shared/protocol/workshop_file.hpp"

#include <string>
#include <vector>

namespace cylch::protocol {

// {"error":{"code":"…","message":"…"}}
std::string encode_api_error(error_code code, std::string const& message);
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
// GET /api/workshops/{id}/results.
std::string encode_results(workshop_view const& w, std::vector<activity_result> const& results);

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

} // namespace cylch::protocol
