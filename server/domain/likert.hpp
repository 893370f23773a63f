// A Likert statement's own state: its settings, every participant's vote and the running
// tallies behind its summaries (updated in O(1) per vote). Plain data; the rules are the
// workshop's, in likert.cpp.
#pragma once

#include "server/store/records.hpp"
#include "shared/protocol/workshop_file.hpp"

#include <array>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace cylch::domain {

struct vote_entry {
    int value = 0;
    store::time_ms at = 0;
    std::optional<std::string> comment{};
};

struct likert {
    // Empty tallies for a workshop with `groups` groups.
    likert(protocol::likert_spec s, std::size_t groups);

    protocol::likert_spec spec;
    std::unordered_map<std::string, vote_entry> votes; // participant id -> vote
    std::vector<int> counts;                           // per category
    std::vector<std::vector<int>> group_counts;        // per workshop group, per category
    std::array<std::vector<int>, 2> channel_counts;    // web, kiosk
};

} // namespace cylch::domain
