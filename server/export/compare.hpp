// Comparing workshops (GET /api/compare; docs/protocol.md, "Comparing workshops"): the same
// Likert statement in each chosen workshop side by side and pooled, and how many people each
// group reached against its target across them.
//
// Each workshop's part is read on its own actor's strand (part_of); the comparison is then
// put together from the parts alone, on any thread (compare).
#pragma once

#include "server/domain/workshop.hpp"

#include "shared/protocol/api.hpp"

#include <string>
#include <vector>

namespace cylch::export_ {

struct compare_part {
    protocol::compared_workshop workshop;
    struct statement {
        std::string activity;
        protocol::text_map text;
        int points = 5;
        std::vector<int> counts; // per point of the scale
    };
    std::vector<statement> statements; // in agenda order
    struct group {
        std::string id;
        protocol::text_map label;
        std::optional<int> target;
        std::int64_t reached = 0; // participants (not withdrawn) who chose it
    };
    std::vector<group> groups;
};

compare_part part_of(domain::workshop const& ws);

// Statements are the same when their English text (else their first language's), with runs
// of spaces made one and the ends trimmed, and their number of points are. Listed in order of
// first appearance; pooled counts are the sums of the workshops' counts (each workshop's
// respondents are different people: a person who took part in two counts twice). Groups are
// the same when their ids are; a pooled target is the sum of the targets the workshops set
// (none when none set one).
protocol::comparison compare(std::vector<compare_part> const& parts);

} // namespace cylch::export_
