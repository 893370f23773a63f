// De-identified CSV export of a workshop: one row per response.
//
// Participants appear only as respondent numbers (r1, r2, … in order of joining), never by
// id or token; groups are the participants' self-chosen groups. RFC 4180 quoting; a leading
// '=', '+', '-' or '@' in a text is prefixed with an apostrophe so that spreadsheets do not
// run it as a formula.
#pragma once

#include "server/domain/workshop.hpp"

#include <string>

namespace cylch::export_ {

std::string results_csv(domain::workshop const& ws);

// One CSV field, quoted when needed.
std::string csv_field(std::string_view text);

} // namespace cylch::export_
