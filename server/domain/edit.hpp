// Editing a workshop that exists (PUT /api/workshops/{id}; docs/protocol.md, "Editing a
// workshop"): which activities an edited workshop file keeps, adds and removes, and the rules
// that protect what participants already answered.
//
// An activity of the file with an "id" keeps that activity: its texts may change, and while it
// has no responses its kind and settings too. Once answered, its kind and its scale (Likert
// points; choice options and how many may be picked; ranking items; board columns and dots;
// open-text length) stay, because the stored answers are counted against them. An activity
// left out is removed, unless it has responses or is the current one. A group that a
// participant chose stays.
#pragma once

#include "server/domain/workshop.hpp"

#include <functional>
#include <string>
#include <variant>
#include <vector>

namespace cylch::domain {

enum class edit_problem {
    unknown_activity,  // an "id" that is not one of this workshop's activities
    repeated_activity, // the same "id" twice
    answered_kind,     // an answered activity would change its kind
    answered_scale,    // … or its scale
    answered_removed,  // an answered activity left out
    current_removed,   // the current activity left out
    group_in_use,      // a group that participants chose left out
    does_not_fit,      // what is stored does not fit the edited workshop (found building it)
};
std::string_view to_string(edit_problem);

struct edit_refusal {
    edit_problem problem = edit_problem::unknown_activity;
    std::string path; // JSON path in the edited file
    std::string message;
};

struct edit_plan {
    std::vector<std::string> order;   // every activity's id in the new agenda order
    std::vector<std::string> added;   // ids given to the new ones
    std::vector<std::string> removed; // ids of the activities that go
};

// True when the activity has responses (votes, answers, notes) that edits must respect.
bool has_responses(activity const& a);

// Checks `next` against the workshop as it is; new activities get ids from `new_id`.
std::variant<edit_plan, edit_refusal> plan_edit(workshop const& ws,
                                                protocol::workshop_spec const& next,
                                                std::function<std::string()> const& new_id);

// The workshop as the database holds it after the edit: `stored` (read back just before)
// with the new definition and agenda. Building a workshop from it checks it whole.
store::workshop_snapshot edited_snapshot(store::workshop_snapshot stored, std::string definition,
                                         edit_plan const& plan);

} // namespace cylch::domain
