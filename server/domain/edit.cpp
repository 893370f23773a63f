#include "server/domain/edit.hpp"

#include <algorithm>
#include <map>
#include <set>

namespace cylch::domain {
namespace {

std::vector<std::string> ids_of(std::vector<protocol::option_spec> const& options) {
    std::vector<std::string> out;
    out.reserve(options.size());
    for (auto const& o : options) {
        out.push_back(o.id);
    }
    return out;
}

std::vector<std::string> ids_of(std::vector<protocol::column_spec> const& columns) {
    std::vector<std::string> out;
    out.reserve(columns.size());
    for (auto const& c : columns) {
        out.push_back(c.id);
    }
    return out;
}

// What of an answered activity's settings may not change (kinds already equal): empty when the
// new settings keep every stored answer meaningful, otherwise what changed.
struct scale_check {
    activity_body const& next;

    std::string operator()(likert const& l) const {
        return std::get<likert>(next).spec.points == l.spec.points
                   ? ""
                   : "the number of points of its scale";
    }
    std::string operator()(choice const& c) const {
        auto const& n = std::get<choice>(next).spec;
        if (ids_of(n.options) != ids_of(c.spec.options)) {
            return "its options (their ids and order; labels may change)";
        }
        return n.max < c.spec.max ? "how many options one may pick (it may grow)" : "";
    }
    std::string operator()(ranking const& r) const {
        return ids_of(std::get<ranking>(next).spec.items) == ids_of(r.spec.items)
                   ? ""
                   : "its items (their ids and order; labels may change)";
    }
    std::string operator()(open_text const& o) const {
        return std::get<open_text>(next).spec.max_length < o.spec.max_length
                   ? "its longest answer (it may grow)"
                   : "";
    }
    std::string operator()(board const& b) const {
        auto const& n = std::get<board>(next).spec;
        if (ids_of(n.columns) != ids_of(b.spec.columns)) {
            return "its columns (their ids and order; titles may change)";
        }
        if (n.dots_per_person < b.spec.dots_per_person || n.dots_per_note < b.spec.dots_per_note) {
            return "its dots (they may grow)";
        }
        return "";
    }
};

std::string activity_path(std::size_t i) {
    return "$.activities[" + std::to_string(i) + "]";
}

} // namespace

std::string_view to_string(edit_problem p) {
    switch (p) {
    case edit_problem::unknown_activity:
        return "unknown_activity";
    case edit_problem::repeated_activity:
        return "repeated_activity";
    case edit_problem::answered_kind:
        return "answered_kind";
    case edit_problem::answered_scale:
        return "answered_scale";
    case edit_problem::answered_removed:
        return "answered_removed";
    case edit_problem::current_removed:
        return "current_removed";
    case edit_problem::group_in_use:
        return "group_in_use";
    case edit_problem::does_not_fit:
        return "does_not_fit";
    }
    return "unknown_activity";
}

bool has_responses(activity const& a) {
    struct visitor {
        bool operator()(likert const& l) const { return !l.votes.empty(); }
        bool operator()(choice const& c) const { return !c.answers.empty(); }
        bool operator()(ranking const& r) const { return !r.answers.empty(); }
        bool operator()(open_text const& o) const { return !o.answers.empty(); }
        bool operator()(board const& b) const { return !b.notes.empty(); }
    };
    return std::visit(visitor{}, a.body);
}

std::variant<edit_plan, edit_refusal> plan_edit(workshop const& ws,
                                                protocol::workshop_spec const& next,
                                                std::function<std::string()> const& new_id) {
    edit_plan plan;
    std::set<std::string> kept;
    for (std::size_t i = 0; i < next.activities.size(); ++i) {
        auto const& spec = next.activities[i];
        if (!spec.id) {
            plan.order.push_back(new_id());
            plan.added.push_back(plan.order.back());
            continue;
        }
        auto const* old = ws.find_activity(*spec.id);
        if (old == nullptr) {
            return edit_refusal{edit_problem::unknown_activity, activity_path(i) + ".id",
                                "\"" + *spec.id + "\" is not an activity of this workshop"};
        }
        if (!kept.insert(*spec.id).second) {
            return edit_refusal{edit_problem::repeated_activity, activity_path(i) + ".id",
                                "\"" + *spec.id + "\" is listed twice"};
        }
        plan.order.push_back(*spec.id);
        if (!has_responses(*old)) {
            continue;
        }
        if (spec.kind() != old->kind()) {
            return edit_refusal{edit_problem::answered_kind, activity_path(i) + ".kind",
                                "this activity has answers: its kind cannot change"};
        }
        auto const body = make_body(spec, next.groups.size());
        if (auto what = std::visit(scale_check{body}, old->body); !what.empty()) {
            return edit_refusal{edit_problem::answered_scale, activity_path(i),
                                "this activity has answers: " + what + " cannot change"};
        }
    }
    for (auto const& a : ws.activities()) {
        if (kept.contains(a.id)) {
            continue;
        }
        if (has_responses(a)) {
            return edit_refusal{edit_problem::answered_removed, "$.activities",
                                "activity " + std::to_string(a.position + 1) +
                                    " has answers: it cannot be removed"};
        }
        if (ws.current() == &a) {
            return edit_refusal{edit_problem::current_removed, "$.activities",
                                "activity " + std::to_string(a.position + 1) +
                                    " is the current one: show another first"};
        }
        plan.removed.push_back(a.id);
    }
    for (auto const& [id, p] : ws.participants()) {
        if (p.group && std::none_of(next.groups.begin(), next.groups.end(),
                                    [&](auto const& g) { return g.id == *p.group; })) {
            return edit_refusal{edit_problem::group_in_use, "$.groups",
                                "participants chose the group \"" + *p.group +
                                    "\": it cannot be removed"};
        }
    }
    return plan;
}

store::workshop_snapshot edited_snapshot(store::workshop_snapshot stored, std::string definition,
                                         edit_plan const& plan) {
    std::map<std::string, store::activity_row> rows;
    for (auto& row : stored.activities) {
        rows.emplace(row.id, std::move(row));
    }
    stored.activities.clear();
    for (std::size_t i = 0; i < plan.order.size(); ++i) {
        auto it = rows.find(plan.order[i]);
        auto row = it != rows.end() ? std::move(it->second) : store::activity_row{plan.order[i]};
        row.position = static_cast<int>(i);
        stored.activities.push_back(std::move(row));
    }
    auto const removed = [&](std::string const& activity) {
        return std::find(plan.removed.begin(), plan.removed.end(), activity) != plan.removed.end();
    };
    std::erase_if(stored.clusters, [&](auto const& c) { return removed(c.activity); });
    std::erase_if(stored.locks, [&](auto const& l) { return removed(l.activity); });
    stored.definition = std::move(definition);
    return stored;
}

} // namespace cylch::domain
