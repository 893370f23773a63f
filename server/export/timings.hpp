// When things happened in a workshop, for the review workspace (GET …/results, staff view):
// each activity's last opening and close and its first and last answer, and how long
// respondents took from their first answer to their last.
#pragma once

#include "server/domain/workshop.hpp"
#include "shared/protocol/api.hpp"

namespace cylch::export_ {

protocol::results_timings timings_of(domain::workshop const& ws);

} // namespace cylch::export_
