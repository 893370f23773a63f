// An open-text question's own state: its settings, every respondent's answer, and which
// answers the facilitator shows on the shared screens or hid. Plain data; the rules are the
// workshop's, in open_text.cpp.
#pragma once

#include "server/store/records.hpp"
#include "shared/protocol/workshop_file.hpp"

#include <string>
#include <unordered_map>

namespace cylch::domain {

struct open_text_entry {
    std::string id; // "t_…": what the facilitator shows or hides by
    std::string text;
    store::time_ms at = 0;
    store::time_ms shown_at = 0; // on the shared screens since; 0: not shown
    bool hidden = false;         // hidden by the facilitator (never shown while so)
};

// At most this many answers of one activity are shown at once.
inline constexpr std::size_t max_shown_answers = 100;

struct open_text {
    protocol::open_text_spec spec;
    std::unordered_map<std::string, open_text_entry> answers; // participant id -> answer
    std::unordered_map<std::string, std::string> by_id;       // answer id -> participant id
};

} // namespace cylch::domain
