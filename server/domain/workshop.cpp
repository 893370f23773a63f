#include "server/domain/workshop.hpp"

#include "shared/stats/small_cells.hpp"

#include <algorithm>
#include <stdexcept>

namespace cylch::domain {
namespace {

using protocol::error_code;

std::string op_key(actor const& who, std::string_view op) {
    std::string key = who.id;
    key += '\n';
    key += op;
    return key;
}

bool is_board_request(protocol::client_message const& m) {
    return std::holds_alternative<protocol::note_add>(m) ||
           std::holds_alternative<protocol::note_edit>(m) ||
           std::holds_alternative<protocol::note_move>(m) ||
           std::holds_alternative<protocol::note_delete>(m) ||
           std::holds_alternative<protocol::dot>(m) ||
           std::holds_alternative<protocol::note_hide>(m) ||
           std::holds_alternative<protocol::cluster_set>(m) ||
           std::holds_alternative<protocol::cluster_dissolve>(m) ||
           std::holds_alternative<protocol::board_lock>(m);
}

} // namespace

effects refusal(error_code code, std::string message, std::string_view op) {
    effects e;
    e.error = protocol::error{std::string(op), code, std::move(message)};
    return e;
}

activity_body make_body(protocol::activity_spec const& spec, std::size_t groups) {
    struct maker {
        std::size_t groups;
        activity_body operator()(protocol::likert_spec const& l) const { return likert(l, groups); }
        activity_body operator()(protocol::board_spec const& b) const {
            board out;
            out.spec = b;
            return out;
        }
        activity_body operator()(protocol::choice_spec const& c) const { return choice{c, {}}; }
        activity_body operator()(protocol::ranking_spec const& r) const { return ranking{r, {}}; }
        activity_body operator()(protocol::open_text_spec const& o) const {
            return open_text{o, {}, {}};
        }
    };
    return std::visit(maker{groups}, spec.body);
}

workshop::workshop(workshop_identity identity, protocol::workshop_spec spec, std::string definition,
                   time_ms now, store::record& creation)
    : id_(std::move(identity.id))
    , code_(std::move(identity.code))
    , definition_(std::move(definition))
    , spec_(std::move(spec))
    , facilitator_token_hash_(std::move(identity.facilitator_token_hash))
    , presenter_token_hash_(std::move(identity.presenter_token_hash))
    , created_at_(now) {
    if (identity.activity_ids.size() != spec_.activities.size()) {
        throw std::logic_error("one activity id is needed per activity");
    }
    for (std::size_t i = 0; i < spec_.activities.size(); ++i) {
        activities_.push_back(activity{identity.activity_ids[i], static_cast<int>(i),
                                       activity_state::pending, 0, 0, 0,
                                       make_body(spec_.activities[i], spec_.groups.size())});
    }
    creation = store::workshop_created{id_,
                                       code_,
                                       definition_,
                                       facilitator_token_hash_,
                                       presenter_token_hash_,
                                       std::move(identity.activity_ids),
                                       now};
}

workshop::workshop(store::workshop_snapshot const& s)
    : id_(s.id)
    , code_(s.code)
    , definition_(s.definition)
    , facilitator_token_hash_(s.facilitator_token_hash)
    , presenter_token_hash_(s.presenter_token_hash)
    , created_at_(s.created_at)
    , purged_at_(s.purged_at)
    , kept_(s.kept)
    , state_(s.state) {
    auto parsed = protocol::parse_workshop_file(definition_);
    if (auto const* err = std::get_if<protocol::workshop_file_error>(&parsed)) {
        throw std::runtime_error("workshop " + id_ +
                                 " has a definition that no longer parses: " + err->what());
    }
    spec_ = std::get<protocol::workshop_spec>(std::move(parsed));
    if (s.activities.size() != spec_.activities.size()) {
        throw std::runtime_error("workshop " + id_ + " has " + std::to_string(s.activities.size()) +
                                 " stored activities but its definition lists " +
                                 std::to_string(spec_.activities.size()));
    }
    for (auto const& row : s.activities) {
        if (row.position < 0 || static_cast<std::size_t>(row.position) >= spec_.activities.size()) {
            throw std::runtime_error("activity " + row.id + " has an impossible position");
        }
        activities_.push_back(
            activity{row.id, row.position, row.state, row.opened_at, row.closed_at,
                     // a revealed activity always has its time (rows written before it did:
                     // the close stands for it)
                     row.revealed_at != 0 || row.state != activity_state::revealed
                         ? row.revealed_at
                         : std::max<time_ms>(row.closed_at, 1),
                     make_body(spec_.activities[static_cast<std::size_t>(row.position)],
                               spec_.groups.size())});
    }
    if (s.current_activity) {
        for (std::size_t i = 0; i < activities_.size(); ++i) {
            if (activities_[i].id == *s.current_activity) {
                current_ = i;
            }
        }
    }
    for (auto const& row : s.participants) {
        participant p{row.id,   row.token_hash, row.channel,    row.group,
                      row.lang, row.consent,    row.created_at, row.withdrawn_at};
        if (!p.token_hash.empty()) {
            by_token_hash_.emplace(p.token_hash, p.id);
        }
        participants_.emplace(p.id, std::move(p));
    }
    for (auto const& o : s.ops) {
        applied_ops_.insert(o.actor + '\n' + o.op);
    }
    restore_votes(s);
    restore_answers(s);
    restore_boards(s);
}

// ---- participants ------------------------------------------------------------------------------

participant const* workshop::find_by_token_hash(std::string const& token_hash) const {
    auto it = by_token_hash_.find(token_hash);
    return it == by_token_hash_.end() ? nullptr : find_participant(it->second);
}

participant const* workshop::find_participant(std::string const& id) const {
    if (auto it = participants_.find(id); it != participants_.end()) {
        return &it->second;
    }
    auto it = unstored_.find(id);
    return it == unstored_.end() ? nullptr : &it->second.who;
}

participant const* workshop::join_unstored(std::string id, std::string token_hash,
                                           std::optional<std::string> lang, time_ms now) {
    if (lang &&
        std::find(spec_.languages.begin(), spec_.languages.end(), *lang) == spec_.languages.end()) {
        lang.reset(); // a language the workshop does not offer: use its first
    }
    by_token_hash_.emplace(token_hash, id);
    auto& u = unstored_[id];
    u.who = participant{id,
                        std::move(token_hash),
                        protocol::channel::web,
                        std::nullopt,
                        lang,
                        !spec_.consent.required,
                        now};
    return &u.who;
}

void workshop::participant_online(std::string const& participant_id) {
    auto it = unstored_.find(participant_id);
    if (it != unstored_.end() && it->second.idle) {
        idle_unstored_.erase(*it->second.idle);
        it->second.idle.reset();
    }
}

void workshop::participant_offline(std::string const& participant_id) {
    auto it = unstored_.find(participant_id);
    if (it == unstored_.end() || it->second.idle) {
        return;
    }
    it->second.idle = idle_unstored_.insert(idle_unstored_.end(), participant_id);
    while (idle_unstored_.size() > max_idle_unstored) {
        auto const oldest = unstored_.find(idle_unstored_.front());
        by_token_hash_.erase(oldest->second.who.token_hash);
        unstored_.erase(oldest);
        idle_unstored_.pop_front();
    }
}

workshop::join_result workshop::add_participant(std::string id, std::string token_hash,
                                                std::optional<std::string> lang,
                                                protocol::channel channel, time_ms now) {
    if (lang &&
        std::find(spec_.languages.begin(), spec_.languages.end(), *lang) == spec_.languages.end()) {
        lang.reset(); // a language the workshop does not offer: use its first
    }
    participant p{id, token_hash, channel, std::nullopt, lang, !spec_.consent.required, now};
    if (!token_hash.empty()) {
        by_token_hash_.emplace(token_hash, id);
    }
    auto [it, inserted] = participants_.emplace(id, std::move(p));
    join_result r;
    r.who = &it->second;
    r.created = inserted;
    r.to_persist.push_back(participant_record(it->second));
    return r;
}

store::participant_saved workshop::participant_record(participant const& p) const {
    return store::participant_saved{id_,     p.id,   p.token_hash, p.channel,
                                    p.group, p.lang, p.consent,    p.created_at};
}

std::optional<std::size_t> workshop::group_index(std::optional<std::string> const& group) const {
    if (!group) {
        return std::nullopt;
    }
    for (std::size_t i = 0; i < spec_.groups.size(); ++i) {
        if (spec_.groups[i].id == *group) {
            return i;
        }
    }
    return std::nullopt;
}

// ---- requests ----------------------------------------------------------------------------------

namespace {

// A kiosk's pass on a participant's request: refused, not ignored.
bool has_pass(protocol::client_message const& message) {
    if (auto const* v = std::get_if<protocol::vote>(&message)) {
        return v->pass.has_value();
    }
    if (auto const* c = std::get_if<protocol::choose>(&message)) {
        return c->pass.has_value();
    }
    return false;
}

} // namespace

effects workshop::apply(actor const& who, protocol::client_message const& message, time_ms now,
                        std::string const& fresh_id) {
    auto const op = protocol::op_of(message);
    if (std::holds_alternative<protocol::hello>(message)) {
        return refusal(error_code::bad_request, "hello was already received on this connection",
                       op);
    }
    if (applied_ops_.contains(op_key(who, op))) {
        effects e;
        e.duplicate = true;
        return e;
    }
    effects e;
    if (who.role == role::participant) {
        if (std::holds_alternative<protocol::withdraw>(message)) {
            return withdraw(who.id, store::withdrawal_by::participant, now, op);
        }
        auto it = participants_.find(who.id);
        // An unstored participant's first request is applied to them as a stored one; they
        // stay stored only if it is applied (a refused request changes nothing).
        auto const first = it == participants_.end() ? unstored_.find(who.id) : unstored_.end();
        if (first != unstored_.end()) {
            it = participants_.emplace(who.id, first->second.who).first;
        }
        if (it == participants_.end()) {
            return refusal(error_code::not_allowed, "unknown participant", op);
        }
        auto& p = it->second;
        if (p.withdrawn()) {
            return refusal(error_code::not_found, "you have withdrawn from this workshop", op);
        }
        if (has_pass(message)) {
            e = refusal(error_code::bad_request, "a pass is for kiosks", op);
        } else if (auto const* m = std::get_if<protocol::profile>(&message)) {
            e = on_profile(p, *m, now);
        } else if (auto const* v = std::get_if<protocol::vote>(&message)) {
            e = on_vote(p, *v, now);
        } else if (auto const* c = std::get_if<protocol::vote_clear>(&message)) {
            e = on_clear(p, *c, now);
        } else if (auto const* ch = std::get_if<protocol::choose>(&message)) {
            e = on_choose(p, *ch, now);
        } else if (auto const* r = std::get_if<protocol::rank>(&message)) {
            e = on_rank(p, *r, now);
        } else if (auto const* t = std::get_if<protocol::answer>(&message)) {
            e = on_answer(p, *t, now, fresh_id);
        } else if (is_board_request(message)) {
            e = on_board_request(who, message, now, fresh_id);
        } else {
            e = refusal(
                error_code::not_allowed,
                "only the facilitator may send " + std::string(protocol::type_name(message)), op);
        }
        if (first != unstored_.end()) {
            if (e.error) {
                participants_.erase(it);
            } else {
                e.to_persist.insert(e.to_persist.begin(), participant_record(p));
                if (first->second.idle) {
                    idle_unstored_.erase(*first->second.idle);
                }
                unstored_.erase(first);
            }
        }
    } else if (who.role == role::kiosk) {
        if (auto const* v = std::get_if<protocol::vote>(&message)) {
            e = on_kiosk_vote(who, *v, now, fresh_id);
        } else if (auto const* c = std::get_if<protocol::choose>(&message)) {
            e = on_kiosk_choose(who, *c, now, fresh_id);
        } else {
            return refusal(error_code::not_allowed,
                           "a kiosk may only send votes and choices, not " +
                               std::string(protocol::type_name(message)),
                           op);
        }
    } else if (who.role == role::facilitator) {
        if (auto const* c = std::get_if<protocol::activity_command>(&message)) {
            e = on_command(*c, now);
        } else if (std::holds_alternative<protocol::workshop_end>(message)) {
            e = on_end(op, now);
        } else if (auto const* show = std::get_if<protocol::answer_show>(&message)) {
            e = on_answer_show(*show, now);
        } else if (auto const* hide = std::get_if<protocol::answer_hide>(&message)) {
            e = on_answer_hide(*hide, now);
        } else if (is_board_request(message)) {
            e = on_board_request(who, message, now, fresh_id);
        } else {
            return refusal(
                error_code::not_allowed,
                "a facilitator may not send " + std::string(protocol::type_name(message)), op);
        }
    } else {
        return refusal(error_code::not_allowed,
                       std::string("the ") + std::string(protocol::to_string(who.role)) +
                           " role may not send " + std::string(protocol::type_name(message)),
                       op);
    }
    if (!e.error) {
        applied_ops_.insert(op_key(who, op));
        e.to_persist.push_back(store::op_saved{id_, who.id, std::string(op), now});
    }
    return e;
}

effects workshop::on_profile(participant& p, protocol::profile const& m, time_ms) {
    if (m.set_group && m.group && !group_index(m.group)) {
        return refusal(error_code::bad_request,
                       "there is no group \"" + *m.group + "\" in this workshop", m.op);
    }
    if (m.lang && std::find(spec_.languages.begin(), spec_.languages.end(), *m.lang) ==
                      spec_.languages.end()) {
        return refusal(error_code::bad_request,
                       "this workshop is not offered in \"" + *m.lang + "\"", m.op);
    }
    effects e;
    if (m.set_group && m.group != p.group) {
        retally_group(p, m.group);
        e.summary_dirty = true;
        e.presence_changed = true;
    }
    if (m.lang) {
        p.lang = m.lang;
    }
    if (m.consent) {
        p.consent = *m.consent;
    }
    e.to_persist.push_back(participant_record(p));
    return e;
}

effects workshop::on_command(protocol::activity_command const& m, time_ms now) {
    using verb = protocol::activity_command::verb;
    if (state_ == protocol::workshop_state::ended) {
        return refusal(error_code::not_allowed, "the workshop has ended", m.op);
    }
    auto* a = find_activity_mut(m.activity);
    if (a == nullptr) {
        return refusal(error_code::not_found,
                       "there is no activity \"" + m.activity + "\" in this workshop", m.op);
    }
    if (self_paced() && m.what != verb::reveal) {
        return refusal(error_code::not_allowed,
                       "a self-paced workshop opens and closes its activities by its dates", m.op);
    }
    auto const state_name = std::string(protocol::to_string(a->state));
    effects e;
    auto make_current = [&] {
        auto index = static_cast<std::size_t>(a->position);
        if (current_ != index) {
            current_ = index;
            e.activity_changed = true;
            e.summary_dirty = true;
            e.to_persist.push_back(store::current_activity_saved{id_, a->id});
            if (a->as<board>() != nullptr) {
                e.board_changes.push_back({effects::board_change::kind::reset, a->id, {}});
            }
        }
    };
    switch (m.what) {
    case verb::open:
        // Pending, closed, or revealed (reopened: the results stay revealed).
        if (a->state == activity_state::open) {
            return refusal(error_code::not_allowed, "this activity is open already", m.op);
        }
        make_current();
        a->state = activity_state::open;
        a->opened_at = now;
        a->closed_at = 0;
        announce(*a, now, e);
        break;
    case verb::close:
        if (a->state != activity_state::open) {
            return refusal(error_code::not_allowed,
                           "only an open activity can be closed; this one is " + state_name, m.op);
        }
        close(*a, now, e);
        break;
    case verb::reveal:
        if (a->revealed()) {
            return refusal(error_code::not_allowed, "this activity is revealed already", m.op);
        }
        if (a->state == activity_state::open && !reveals_while_open(*a)) {
            return refusal(error_code::not_allowed,
                           "close the activity before revealing it; it is " + state_name, m.op);
        }
        if (a->state == activity_state::pending) {
            return refusal(error_code::not_allowed,
                           "open and close the activity before revealing it; it is " + state_name,
                           m.op);
        }
        // A closed activity becomes revealed; an open board stays open (dots go on).
        a->revealed_at = now;
        if (a->state == activity_state::closed) {
            a->state = activity_state::revealed;
        }
        announce(*a, now, e);
        break;
    case verb::go_to:
        make_current();
        break;
    }
    return e;
}

effects workshop::on_end(std::string_view op, time_ms now) {
    if (state_ == protocol::workshop_state::ended) {
        return refusal(error_code::not_allowed, "the workshop has already ended", op);
    }
    effects e;
    for (auto& a : activities_) {
        if (a.state == activity_state::open) {
            close(a, now, e);
        }
    }
    state_ = protocol::workshop_state::ended;
    e.workshop_changed = true;
    e.to_persist.push_back(store::workshop_state_saved{id_, state_, now});
    return e;
}

bool workshop::reveals_while_open(activity const& a) {
    struct rule {
        bool operator()(likert const&) const { return false; } // close first: final answers
        bool operator()(board const&) const { return true; }   // brainstorm, reveal, then dots
        bool operator()(choice const&) const { return false; }
        bool operator()(ranking const&) const { return false; }
        bool operator()(open_text const&) const { return false; } // shown answer by answer
    };
    return std::visit(rule{}, a.body);
}

void workshop::close(activity& a, time_ms now, effects& e) {
    a.state = a.revealed() ? activity_state::revealed : activity_state::closed;
    a.closed_at = now;
    announce(a, now, e);
}

void workshop::announce(activity& a, time_ms now, effects& e) {
    e.activity_changed = true;
    e.summary_dirty = true;
    e.changed_activity = a.id;
    e.to_persist.push_back(store::activity_state_saved{id_, a.id, a.state, now, a.opened_at,
                                                       a.closed_at, a.revealed_at});
    if (a.as<board>() != nullptr) {
        // Opening shows the board to participants; revealing may show every note.
        e.board_changes.push_back({effects::board_change::kind::reset, a.id, {}});
    }
}

activity* workshop::find_activity_mut(std::string const& id) {
    for (auto& a : activities_) {
        if (a.id == id) {
            return &a;
        }
    }
    return nullptr;
}

activity const* workshop::find_activity(std::string const& id) const {
    return const_cast<workshop*>(this)->find_activity_mut(id);
}

activity const* workshop::current() const {
    // A self-paced workshop has none (one made current while it ran live is forgotten).
    return current_ && !self_paced() ? &activities_[*current_] : nullptr;
}

// ---- views -------------------------------------------------------------------------------------

protocol::workshop_view workshop::view() const {
    protocol::workshop_view v;
    v.id = id_;
    v.code = code_;
    v.title = spec_.title;
    v.state = state_;
    v.languages = spec_.languages;
    for (auto const& g : spec_.groups) {
        v.groups.push_back({g.id, g.label, g.target});
    }
    v.consent = {spec_.consent.required, spec_.consent.text, spec_.consent.info_url};
    v.min_cell = spec_.min_cell;
    v.mode = spec_.mode;
    v.opens_at = spec_.opens_at;
    v.closes_at = spec_.closes_at;
    return v;
}

protocol::activity_view workshop::view_of(activity const& a) const {
    protocol::activity_view v;
    v.id = a.id;
    v.position = a.position;
    v.state = a.state;
    v.revealed = a.revealed();
    struct kind_view {
        protocol::activity_view& v;
        static protocol::question_extras extras(std::optional<protocol::card_spec> const& card,
                                                std::optional<protocol::comment_spec> const& c) {
            protocol::question_extras x;
            if (card) {
                x.card = protocol::card_view{card->title, card->body, card->image, card->alt};
            }
            if (c) {
                x.comment_prompt = c->prompt;
            }
            return x;
        }
        static std::vector<protocol::option_view>
        options(std::vector<protocol::option_spec> const& list) {
            std::vector<protocol::option_view> out;
            for (auto const& o : list) {
                out.push_back({o.id, o.label});
            }
            return out;
        }
        void operator()(likert const& l) const {
            v.body = protocol::likert_view{l.spec.statement,
                                           protocol::scale_view{l.spec.points, l.spec.labels},
                                           l.spec.results, extras(l.spec.card, l.spec.comment)};
        }
        void operator()(choice const& c) const {
            v.body = protocol::choice_view{c.spec.question, options(c.spec.options), c.spec.max,
                                           c.spec.results, extras(c.spec.card, c.spec.comment)};
        }
        void operator()(ranking const& k) const {
            v.body = protocol::ranking_view{k.spec.question, options(k.spec.items), k.spec.results,
                                            extras(k.spec.card, std::nullopt)};
        }
        void operator()(open_text const& o) const {
            v.body = protocol::open_text_view{o.spec.question, o.spec.max_length,
                                              extras(o.spec.card, std::nullopt)};
        }
        void operator()(board const& b) const {
            protocol::board_settings_view bv;
            bv.prompt = b.spec.prompt;
            for (auto const& c : b.spec.columns) {
                bv.columns.push_back(protocol::column_view{c.id, c.title});
            }
            bv.dots_per_person = b.spec.dots_per_person;
            bv.dots_per_note = b.spec.dots_per_note;
            bv.dot_totals = b.spec.dot_totals;
            bv.hidden_until_reveal = b.spec.hidden_until_reveal;
            bv.locked = b.locked;
            v.body = std::move(bv);
        }
    };
    std::visit(kind_view{v}, a.body);
    return v;
}

std::optional<protocol::activity_view> workshop::current_for(role r) const {
    auto const* a = current();
    if (a == nullptr) {
        return std::nullopt;
    }
    bool const staff = r == role::facilitator || r == role::presenter;
    if (!staff && a->state == activity_state::pending) {
        return std::nullopt;
    }
    return view_of(*a);
}

std::vector<protocol::activity_view> workshop::agenda() const {
    std::vector<protocol::activity_view> out;
    out.reserve(activities_.size());
    for (auto const& a : activities_) {
        out.push_back(view_of(a));
    }
    return out;
}

protocol::mine_view workshop::mine(std::string const& participant_id) const {
    auto const* a = current();
    return a == nullptr ? protocol::mine_view{} : mine_in(*a, participant_id);
}

protocol::mine_view workshop::mine_in(activity const& a, std::string const& participant_id) const {
    protocol::mine_view m;
    struct own_answer {
        protocol::mine_view& m;
        std::string const& pid;
        void operator()(likert const& l) const {
            if (auto it = l.votes.find(pid); it != l.votes.end()) {
                m.value = it->second.value;
                m.comment = it->second.comment;
            }
        }
        void operator()(board const&) const {} // a board's own notes come with the board
        void operator()(choice const& c) const {
            if (auto it = c.answers.find(pid); it != c.answers.end()) {
                m.options.emplace();
                for (auto i : it->second.picks) {
                    m.options->push_back(c.spec.options[i].id);
                }
                m.comment = it->second.comment;
            }
        }
        void operator()(ranking const& k) const {
            if (auto it = k.answers.find(pid); it != k.answers.end()) {
                m.order.emplace();
                for (auto i : it->second.order) {
                    m.order->push_back(k.spec.items[i].id);
                }
            }
        }
        void operator()(open_text const& o) const {
            if (auto it = o.answers.find(pid); it != o.answers.end()) {
                m.text = it->second.text;
            }
        }
    };
    std::visit(own_answer{m, participant_id}, a.body);
    return m;
}

bool workshop::results_visible_to_participants(activity const& a) {
    struct setting {
        protocol::results_visibility operator()(likert const& l) const { return l.spec.results; }
        protocol::results_visibility operator()(board const& b) const { return b.spec.dot_totals; }
        protocol::results_visibility operator()(choice const& c) const { return c.spec.results; }
        protocol::results_visibility operator()(ranking const& k) const { return k.spec.results; }
        // Only what the facilitator shows, and the number of answers.
        protocol::results_visibility operator()(open_text const&) const {
            return protocol::results_visibility::live;
        }
    };
    auto const visibility = std::visit(setting{}, a.body);
    switch (visibility) {
    case protocol::results_visibility::live:
        return a.state != activity_state::pending;
    case protocol::results_visibility::on_reveal:
        return a.revealed();
    case protocol::results_visibility::hidden:
        return false;
    }
    return false;
}

std::optional<protocol::summary> workshop::summary_of(activity const& a, role r) const {
    bool const staff = r == role::facilitator || r == role::presenter;
    protocol::summary s;
    s.activity = a.id;
    s.full = staff || results_visible_to_participants(a);
    s.breakdowns = staff;
    s.private_texts = r == role::facilitator;
    struct by_kind {
        workshop const& ws;
        protocol::summary& s;
        bool operator()(likert const& l) const {
            s.body = ws.likert_summary(l, s.full && s.breakdowns);
            if (s.private_texts) {
                s.comments = ws.likert_comments(l);
            }
            return true;
        }
        bool operator()(board const&) const {
            return false; // boards are seen through their board frames
        }
        bool operator()(choice const& c) const {
            s.body = ws.choice_summary(c, s.full && s.breakdowns);
            if (s.private_texts) {
                s.comments = ws.choice_comments(c);
            }
            return true;
        }
        bool operator()(ranking const& k) const {
            s.body = ws.ranking_summary(k, s.full && s.breakdowns);
            return true;
        }
        bool operator()(open_text const& o) const {
            s.body = ws.open_text_summary(o, s.private_texts);
            return true;
        }
    };
    if (!std::visit(by_kind{*this, s}, a.body)) {
        return std::nullopt;
    }
    s.small = small_cells_of(s, r == role::facilitator ? protocol::small_cell_rule::mark
                                                       : protocol::small_cell_rule::withhold);
    return s;
}

protocol::small_cells workshop::small_cells_of(protocol::summary const& s,
                                               protocol::small_cell_rule rule) const {
    protocol::small_cells small;
    small.min_cell = spec_.min_cell;
    small.rule = rule;
    // Open-text summaries have no counts to withhold: their number of answers, and the answers
    // the facilitator chose to show.
    if (!s.full || std::holds_alternative<protocol::open_text_results>(s.body)) {
        return small;
    }
    small.overall = stats::too_few(s.n(), spec_.min_cell);
    if (!s.breakdowns) {
        return small;
    }
    auto withheld = [&](auto const& parts) {
        std::vector<int> ns;
        for (auto const& [id, part] : parts) {
            ns.push_back(part.n);
        }
        std::vector<std::string> ids;
        for (auto i : stats::small_cells(ns, spec_.min_cell)) {
            ids.push_back(parts[i].first);
        }
        return ids;
    };
    struct cells {
        decltype(withheld)& of;
        protocol::small_cells& small;
        void operator()(protocol::likert_results const& r) const {
            small.by_group = of(r.by_group);
            small.by_channel = of(r.by_channel);
        }
        void operator()(protocol::choice_results const& r) const {
            small.by_group = of(r.by_group);
            small.by_channel = of(r.by_channel);
        }
        void operator()(protocol::ranking_results const& r) const {
            small.by_group = of(r.by_group);
        }
        void operator()(protocol::open_text_results const&) const {}
    };
    std::visit(cells{withheld, small}, s.body);
    return small;
}

} // namespace cylch::domain
