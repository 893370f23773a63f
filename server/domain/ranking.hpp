// A ranking question's own state: its settings and every respondent's order of its items.
// Plain data; the rules are the workshop's, in ranking.cpp.
#pragma once

#include "server/store/records.hpp"
#include "shared/protocol/workshop_file.hpp"

#include <string>
#include <unordered_map>
#include <vector>

namespace cylch::domain {

struct ranking_entry {
    std::vector<std::size_t> order; // item indices, first = rank 1; every item once
    store::time_ms at = 0;
};

struct ranking {
    protocol::ranking_spec spec;
    std::unordered_map<std::string, ranking_entry> answers; // participant id -> order
};

} // namespace cylch::domain
