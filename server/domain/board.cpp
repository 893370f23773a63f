// Sticky-note boards (docs/protocol.md, Boards): the workshop's rules for notes, dots, clusters
// and the lock, and what each recipient may see. Part of the workshop state machine
// (workshop.hpp).
#include "server/domain/workshop.hpp"

#include "shared/protocol/store_codec.hpp"

#include <algorithm>
#include <set>
#include <stdexcept>

namespace cylch::domain {
namespace {

using protocol::error_code;
using change = effects::board_change;

bool staff(role r) {
    return r == role::facilitator || r == role::presenter;
}

// While on, participants see only their own notes.
bool hiding(activity const& a, board const& b) {
    return b.spec.hidden_until_reveal && !a.revealed();
}

bool totals_visible(activity const& a, board const& b) {
    return b.spec.dot_totals == protocol::results_visibility::live || a.revealed();
}

bool has_column(board const& b, std::optional<std::string> const& column) {
    if (!column) {
        return true;
    }
    auto const& cols = b.spec.columns;
    return std::any_of(cols.begin(), cols.end(), [&](auto const& c) { return c.id == *column; });
}

} // namespace

// ---- views ---------------------------------------------------------------------------------

protocol::board_reach workshop::reach_of(activity const& a, board const& b) const {
    std::set<std::string_view> took_part;
    for (auto const& n : b.notes) {
        took_part.insert(n.author);
        for (auto const& [giver, count] : n.dots_by) {
            if (count > 0) {
                took_part.insert(giver);
            }
        }
    }
    auto const& groups = spec_.groups;
    std::vector<int> counts(groups.size(), 0);
    protocol::board_reach r;
    r.activity = a.id;
    for (auto const id : took_part) {
        auto const* p = find_participant(std::string(id));
        if (p == nullptr) {
            continue; // not a participant (a note the facilitator wrote)
        }
        ++r.n;
        if (auto g = group_index(p->group)) {
            ++counts[*g];
        }
    }
    for (std::size_t i = 0; i < groups.size(); ++i) {
        r.by_group.emplace_back(groups[i].id, counts[i]);
    }
    return r;
}

std::optional<protocol::note_view> workshop::note_for(activity const& a, board const& b,
                                                      note const& n, role r,
                                                      std::string const& viewer) const {
    bool const is_staff = staff(r);
    bool const mine = r == role::participant && n.author == viewer;
    if (!is_staff) {
        if (r != role::participant || n.hidden || (hiding(a, b) && !mine)) {
            return std::nullopt;
        }
    }
    protocol::note_view v;
    v.id = n.id;
    v.text = n.text;
    v.colour = n.colour;
    v.column = n.column;
    v.x = n.x;
    v.y = n.y;
    v.version = n.version;
    v.cluster = n.cluster;
    if (is_staff || totals_visible(a, b)) {
        v.dots = n.dots;
    }
    if (!is_staff) {
        auto it = n.dots_by.find(viewer);
        v.my_dots = it == n.dots_by.end() ? 0 : it->second;
    }
    v.mine = mine;
    if (is_staff) {
        v.hidden = n.hidden;
    }
    return v;
}

protocol::board_push workshop::board_for(activity const& a, board const& b, role r,
                                         std::string const& viewer) const {
    protocol::board_push out;
    out.activity = a.id;
    out.locked = b.locked;
    for (auto const& n : b.notes) {
        if (auto v = note_for(a, b, n, r, viewer)) {
            out.notes.push_back(std::move(*v));
        }
    }
    for (auto const& c : b.clusters) {
        out.clusters.push_back(protocol::cluster_view{c.id, c.label});
    }
    return out;
}

workshop::note_place<activity const, board const, note const>
workshop::find_note(std::string_view id) const {
    auto at = const_cast<workshop*>(this)->find_note_mut(id);
    return {at.activity, at.board, at.note};
}

workshop::note_place<activity, board, note> workshop::find_note_mut(std::string_view id) {
    for (auto& a : activities_) {
        if (auto* b = a.as<board>()) {
            if (auto* n = b->find(id)) {
                return {&a, b, n};
            }
        }
    }
    return {};
}

store::note_saved workshop::note_record(activity const& a, note const& n) const {
    return store::note_saved{id_, a.id, n.id,      n.author,  n.text,   n.colour,     n.column,
                             n.x, n.y,  n.version, n.cluster, n.hidden, n.created_at, n.updated_at};
}

void workshop::restore_boards(store::workshop_snapshot const& s) {
    for (auto const& row : s.notes) {
        auto* a = find_activity_mut(row.activity);
        auto* b = a != nullptr ? a->as<board>() : nullptr;
        if (b == nullptr) {
            throw std::runtime_error("workshop " + id_ + " has a note that fits no board");
        }
        note n;
        n.id = row.id;
        n.author = row.author;
        n.text = row.text;
        n.colour = row.colour;
        n.column = row.column;
        n.x = row.x;
        n.y = row.y;
        n.version = row.version;
        n.cluster = row.cluster;
        n.hidden = row.hidden;
        n.created_at = row.created_at;
        n.updated_at = row.updated_at;
        b->notes.push_back(std::move(n));
    }
    for (auto const& d : s.dots) {
        auto [a, b, n] = find_note_mut(d.note);
        if (n == nullptr || d.count < 0) {
            throw std::runtime_error("workshop " + id_ + " has dots on a note it does not have");
        }
        n->dots_by[d.participant] += d.count;
        n->dots += d.count;
        b->dots_used[d.participant] += d.count;
    }
    for (auto const& c : s.clusters) {
        auto* a = find_activity_mut(c.activity);
        auto* b = a != nullptr ? a->as<board>() : nullptr;
        if (b == nullptr) {
            throw std::runtime_error("workshop " + id_ + " has a cluster that fits no board");
        }
        auto label = protocol::decode_text_map(c.label);
        if (!label) {
            throw std::runtime_error("workshop " + id_ +
                                     " has a cluster label that does not parse");
        }
        b->clusters.push_back(cluster{c.id, std::move(*label), c.position});
        b->next_cluster_position = std::max(b->next_cluster_position, c.position + 1);
    }
    for (auto const& l : s.locks) {
        if (auto* a = find_activity_mut(l.activity); a != nullptr && a->as<board>() != nullptr) {
            a->as<board>()->locked = l.locked;
        }
    }
}

// ---- requests ------------------------------------------------------------------------------

effects workshop::on_board_request(actor const& who, protocol::client_message const& m, time_ms now,
                                   std::string const& fresh_id) {
    auto const op = protocol::op_of(m);
    if (state_ == protocol::workshop_state::ended) {
        return refusal(error_code::closed, "the workshop has ended", op);
    }
    if (who.role == role::participant) {
        auto const& p = participants_.at(who.id);
        if (spec_.consent.required && !p.consent) {
            return refusal(error_code::not_allowed, "please agree to take part first", op);
        }
        if (auto const* a = std::get_if<protocol::note_add>(&m)) {
            return on_note_add(p, *a, now, fresh_id);
        }
        if (auto const* e = std::get_if<protocol::note_edit>(&m)) {
            return on_note_edit(p, *e, now);
        }
        if (auto const* mv = std::get_if<protocol::note_move>(&m)) {
            return on_note_move(who, *mv, now);
        }
        if (auto const* d = std::get_if<protocol::note_delete>(&m)) {
            return on_note_delete(who, *d);
        }
        if (auto const* d = std::get_if<protocol::dot>(&m)) {
            return on_dot(p, *d);
        }
        return refusal(error_code::not_allowed,
                       "only the facilitator may send " + std::string(protocol::type_name(m)), op);
    }
    // The facilitator.
    if (auto const* mv = std::get_if<protocol::note_move>(&m)) {
        return on_note_move(who, *mv, now);
    }
    if (auto const* d = std::get_if<protocol::note_delete>(&m)) {
        return on_note_delete(who, *d);
    }
    if (auto const* h = std::get_if<protocol::note_hide>(&m)) {
        return on_note_hide(*h, now);
    }
    if (auto const* c = std::get_if<protocol::cluster_set>(&m)) {
        return on_cluster_set(*c, now);
    }
    if (auto const* c = std::get_if<protocol::cluster_dissolve>(&m)) {
        return on_cluster_dissolve(*c, now);
    }
    if (auto const* l = std::get_if<protocol::board_lock>(&m)) {
        return on_board_lock(*l);
    }
    return refusal(error_code::not_allowed,
                   "the facilitator does not write notes or give dots; participants do (" +
                       std::string(protocol::type_name(m)) + ")",
                   op);
}

namespace {

// Participants change a board only while it is open and not locked.
std::optional<effects> refuse_participant(activity const& a, board const& b, std::string_view op) {
    if (a.state != activity_state::open) {
        return refusal(error_code::closed,
                       a.state == activity_state::pending ? "This board is not open yet."
                                                          : "This board is closed.",
                       op);
    }
    if (b.locked) {
        return refusal(error_code::closed, "The facilitator has locked this board.", op);
    }
    return std::nullopt;
}

} // namespace

effects workshop::on_note_add(participant const& p, protocol::note_add const& m, time_ms now,
                              std::string const& fresh_id) {
    auto found =
        activity_of_kind<board>(m.activity, m.op, "this activity is a statement, not a board");
    if (auto* refused = std::get_if<effects>(&found)) {
        return std::move(*refused);
    }
    auto [a, b] = std::get<1>(found);
    if (auto refused = refuse_participant(*a, *b, m.op)) {
        return std::move(*refused);
    }
    if (b->spec.columns.empty() ? m.column.has_value() : !has_column(*b, m.column)) {
        return refusal(error_code::bad_request,
                       b->spec.columns.empty()
                           ? "this board has no columns"
                           : "there is no column \"" + m.column.value_or("") + "\" on this board",
                       m.op);
    }
    if (b->notes_by(p.id) >= max_notes_per_person) {
        return refusal(error_code::not_allowed,
                       "you have written the most notes one person may write on a board (" +
                           std::to_string(max_notes_per_person) + ")",
                       m.op);
    }
    if (b->notes.size() >= static_cast<std::size_t>(max_notes_per_board)) {
        return refusal(error_code::not_allowed, "this board is full", m.op);
    }
    if (fresh_id.empty()) {
        throw std::logic_error("note.add needs a fresh note id");
    }
    note n;
    n.id = fresh_id;
    n.author = p.id;
    n.text = m.text;
    n.colour = m.colour;
    n.column = m.column;
    n.x = m.x;
    n.y = m.y;
    n.created_at = now;
    n.updated_at = now;
    effects e;
    e.to_persist.push_back(note_record(*a, n));
    e.board_changes.push_back({change::kind::note, a->id, n.id, p.id, false, true});
    e.created_note = n.id;
    b->notes.push_back(std::move(n));
    return e;
}

effects workshop::on_note_edit(participant const& p, protocol::note_edit const& m, time_ms now) {
    auto [a, b, n] = find_note_mut(m.note);
    if (n == nullptr || !note_for(*a, *b, *n, role::participant, p.id)) {
        return refusal(error_code::not_found, "there is no note \"" + m.note + "\" you can see",
                       m.op);
    }
    if (n->author != p.id) {
        return refusal(error_code::not_allowed, "only its author may change a note's text", m.op);
    }
    if (auto refused = refuse_participant(*a, *b, m.op)) {
        return std::move(*refused);
    }
    if (m.version != n->version) {
        effects e = refusal(error_code::conflict,
                            "the note was changed meanwhile (version " +
                                std::to_string(n->version) + "); here is the newer one",
                            m.op);
        e.error->note = note_for(*a, *b, *n, role::participant, p.id);
        return e;
    }
    effects e;
    if (n->text == m.text) {
        return e;
    }
    n->text = m.text;
    ++n->version;
    n->updated_at = now;
    e.to_persist.push_back(note_record(*a, *n));
    e.board_changes.push_back({change::kind::note, a->id, n->id, n->author, n->hidden});
    return e;
}

// Moves and deletes: the facilitator may touch any note; a participant only their own, while
// the board is open and not locked, and only one they can see.
std::optional<effects> workshop::refuse_note_change(actor const& who,
                                                    note_place<activity, board, note> const& at,
                                                    std::string const& note_id, std::string_view op,
                                                    std::string_view verb) const {
    bool const facilitator = who.role == role::facilitator;
    if (at.note == nullptr ||
        (!facilitator && !note_for(*at.activity, *at.board, *at.note, role::participant, who.id))) {
        return refusal(error_code::not_found, "there is no note \"" + note_id + "\" you can see",
                       op);
    }
    if (facilitator) {
        return std::nullopt;
    }
    if (at.note->author != who.id) {
        return refusal(error_code::not_allowed,
                       "only its author or the facilitator may " + std::string(verb) + " a note",
                       op);
    }
    return refuse_participant(*at.activity, *at.board, op);
}

effects workshop::on_note_move(actor const& who, protocol::note_move const& m, time_ms now) {
    auto at = find_note_mut(m.note);
    if (auto refused = refuse_note_change(who, at, m.note, m.op, "move")) {
        return std::move(*refused);
    }
    auto [a, b, n] = at;
    if (m.set_column &&
        (b->spec.columns.empty() ? m.column.has_value() : !has_column(*b, m.column))) {
        return refusal(error_code::bad_request,
                       b->spec.columns.empty()
                           ? "this board has no columns"
                           : "there is no column \"" + m.column.value_or("") + "\" on this board",
                       m.op);
    }
    // Last writer wins per field: only the fields named change; a stale version is no conflict.
    effects e;
    bool changed = false;
    if (m.set_column && m.column != n->column) {
        n->column = m.column;
        changed = true;
    }
    if (m.x && (*m.x != n->x || *m.y != n->y)) {
        n->x = *m.x;
        n->y = *m.y;
        changed = true;
    }
    if (!changed) {
        return e;
    }
    ++n->version;
    n->updated_at = now;
    e.to_persist.push_back(note_record(*a, *n));
    e.board_changes.push_back({change::kind::note, a->id, n->id, n->author, n->hidden});
    return e;
}

effects workshop::on_note_delete(actor const& who, protocol::note_delete const& m) {
    auto at = find_note_mut(m.note);
    if (auto refused = refuse_note_change(who, at, m.note, m.op, "delete")) {
        return std::move(*refused);
    }
    auto [a, b, n] = at;
    effects e;
    for (auto const& [giver, count] : n->dots_by) {
        b->dots_used[giver] -= count; // the dots go back to their givers
        if (giver != who.id && count > 0) {
            e.notices.push_back(
                {giver, {protocol::notice_code::dots_returned, a->id, n->id, count}});
        }
    }
    e.to_persist.push_back(store::note_deleted{id_, n->id});
    e.board_changes.push_back({change::kind::note, a->id, n->id, n->author, n->hidden});
    auto& notes = b->notes;
    notes.erase(std::find_if(notes.begin(), notes.end(), [&](auto const& x) { return &x == n; }));
    return e;
}

effects workshop::on_dot(participant const& p, protocol::dot const& m) {
    auto [a, b, n] = find_note_mut(m.note);
    if (n == nullptr || !note_for(*a, *b, *n, role::participant, p.id)) {
        return refusal(error_code::not_found, "there is no note \"" + m.note + "\" you can see",
                       m.op);
    }
    if (auto refused = refuse_participant(*a, *b, m.op)) {
        return std::move(*refused);
    }
    auto const& rules = b->spec;
    if (rules.dots_per_person == 0) {
        return refusal(error_code::not_allowed, "this board has no dot-voting", m.op);
    }
    int& used = b->dots_used[p.id];
    int& on_note = n->dots_by[p.id];
    effects e;
    if (m.on) {
        if (used >= rules.dots_per_person) {
            return refusal(error_code::not_allowed,
                           "you have used all your " + std::to_string(rules.dots_per_person) +
                               " dots; take one back to give it elsewhere",
                           m.op);
        }
        if (on_note >= rules.dots_per_note) {
            return refusal(error_code::not_allowed,
                           rules.dots_per_note == 1
                               ? std::string("one dot per note on this board")
                               : "at most " + std::to_string(rules.dots_per_note) +
                                     " dots per note on this board",
                           m.op);
        }
        ++used;
        ++on_note;
        ++n->dots;
    } else {
        if (on_note == 0) {
            return refusal(error_code::not_found, "you have no dot on this note to take back",
                           m.op);
        }
        --used;
        --on_note;
        --n->dots;
    }
    e.to_persist.push_back(store::dots_saved{id_, n->id, p.id, on_note});
    if (on_note == 0) {
        n->dots_by.erase(p.id);
    }
    e.board_changes.push_back({change::kind::note, a->id, n->id, n->author, n->hidden});
    return e;
}

effects workshop::on_note_hide(protocol::note_hide const& m, time_ms now) {
    auto [a, b, n] = find_note_mut(m.note);
    if (n == nullptr) {
        return refusal(error_code::not_found, "there is no note \"" + m.note + "\"", m.op);
    }
    effects e;
    if (n->hidden == m.hidden) {
        return e;
    }
    e.board_changes.push_back({change::kind::note, a->id, n->id, n->author, n->hidden});
    if (m.hidden) {
        // Its givers can no longer see the note: their dots go back to them, as on a delete.
        // Showing the note again does not put them back.
        for (auto const& [giver, count] : n->dots_by) {
            b->dots_used[giver] -= count;
            e.to_persist.push_back(store::dots_saved{id_, n->id, giver, 0});
            if (count > 0) {
                e.notices.push_back(
                    {giver, {protocol::notice_code::dots_returned, a->id, n->id, count}});
            }
        }
        n->dots_by.clear();
        n->dots = 0;
        e.notices.push_back({n->author, {protocol::notice_code::note_hidden, a->id, n->id, 0}});
    }
    n->hidden = m.hidden;
    ++n->version;
    n->updated_at = now;
    e.to_persist.push_back(note_record(*a, *n));
    return e;
}

effects workshop::on_cluster_set(protocol::cluster_set const& m, time_ms now) {
    auto found = activity_of_kind<board>(m.activity, m.op, "this activity is not a board");
    if (auto* refused = std::get_if<effects>(&found)) {
        return std::move(*refused);
    }
    auto [a, b] = std::get<1>(found);
    if (m.label) {
        for (auto const& [lang, text] : *m.label) {
            if (std::find(spec_.languages.begin(), spec_.languages.end(), lang) ==
                spec_.languages.end()) {
                return refusal(error_code::bad_request,
                               "this workshop is not offered in \"" + lang + "\"", m.op);
            }
        }
    }
    cluster* c = m.cluster ? b->find_cluster(*m.cluster) : nullptr;
    if (m.cluster && c == nullptr) {
        if (!m.label) {
            return refusal(error_code::bad_request, "a new cluster needs a label", m.op);
        }
        if (b->clusters.size() >= max_clusters) {
            return refusal(error_code::not_allowed,
                           "a board has at most " + std::to_string(max_clusters) + " clusters",
                           m.op);
        }
    }
    std::vector<note*> notes;
    for (auto const& id : m.notes) {
        note* n = b->find(id);
        if (n == nullptr) {
            return refusal(error_code::not_found, "there is no note \"" + id + "\" on this board",
                           m.op);
        }
        notes.push_back(n);
    }
    // Checked: now change.
    effects e;
    if (m.cluster) {
        if (c == nullptr) {
            b->clusters.push_back(cluster{*m.cluster, *m.label, b->next_cluster_position++});
            c = &b->clusters.back();
        } else if (m.label) {
            c->label = *m.label;
        }
        e.to_persist.push_back(store::cluster_saved{
            id_, a->id, c->id, protocol::encode_text_map(c->label), c->position});
    }
    for (note* n : notes) {
        if (n->cluster != m.cluster) {
            n->cluster = m.cluster;
            ++n->version;
            n->updated_at = now;
            e.to_persist.push_back(note_record(*a, *n));
        }
    }
    e.board_changes.push_back({change::kind::reset, a->id, {}});
    return e;
}

effects workshop::on_cluster_dissolve(protocol::cluster_dissolve const& m, time_ms now) {
    auto found = activity_of_kind<board>(m.activity, m.op, "this activity is not a board");
    if (auto* refused = std::get_if<effects>(&found)) {
        return std::move(*refused);
    }
    auto [a, b] = std::get<1>(found);
    auto& clusters = b->clusters;
    auto it = std::find_if(clusters.begin(), clusters.end(),
                           [&](auto const& c) { return c.id == m.cluster; });
    if (it == clusters.end()) {
        return refusal(error_code::not_found,
                       "there is no cluster \"" + m.cluster + "\" on this board", m.op);
    }
    effects e;
    for (auto& n : b->notes) {
        if (n.cluster == m.cluster) {
            n.cluster.reset();
            ++n.version;
            n.updated_at = now;
            e.to_persist.push_back(note_record(*a, n));
        }
    }
    clusters.erase(it);
    e.to_persist.push_back(store::cluster_deleted{id_, a->id, m.cluster});
    e.board_changes.push_back({change::kind::reset, a->id, {}});
    return e;
}

effects workshop::on_board_lock(protocol::board_lock const& m) {
    auto found = activity_of_kind<board>(m.activity, m.op, "this activity is not a board");
    if (auto* refused = std::get_if<effects>(&found)) {
        return std::move(*refused);
    }
    auto [a, b] = std::get<1>(found);
    effects e;
    if (b->locked == m.locked) {
        return e;
    }
    b->locked = m.locked;
    e.to_persist.push_back(store::board_lock_saved{id_, a->id, m.locked});
    e.activity_changed = true;
    e.changed_activity = a->id;
    return e;
}

} // namespace cylch::domain
