// A choice question's own state: its settings and every respondent's picks. Summaries are
// computed from the answers when they are sent (at most one per flush), so a group change
// needs no re-tally. Plain data; the rules are the workshop's, in choice.cpp.
#pragma once

#include "server/store/records.hpp"
#include "shared/protocol/workshop_file.hpp"

#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace cylch::domain {

struct choice_entry {
    std::vector<std::size_t> picks; // option indices, in the activity's order, no repeats
    std::optional<std::string> comment;
    store::time_ms at = 0;
};

struct choice {
    protocol::choice_spec spec;
    std::unordered_map<std::string, choice_entry> answers; // participant id -> answer

    // The index of an option id; nullopt when the activity has none such.
    std::optional<std::size_t> option_index(std::string_view id) const;
};

} // namespace cylch::domain
