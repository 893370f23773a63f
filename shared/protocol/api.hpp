// JSON bodies of the HTTP API (docs/protocol.md, "HTTP API"). Encoding only: requests to
// the API are workshop files (workshop_file.hpp) or carry no body.
#pragma once

#include "shared/protocol/messages.hpp"

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
std::string encode_workshop_detail(workshop_view const& w, std::vector<activity_view> const& agenda,
                                   std::optional<std::string> const& current);

struct activity_result {
    activity_view activity;
    summary result; // full summary, as pushed to the facilitator
};
// GET /api/workshops/{id}/results.
std::string encode_results(workshop_view const& w, std::vector<activity_result> const& results);

} // namespace cylch::protocol
