#include "server/live/workshop_actor.hpp"

#include "server/auth/tokens.hpp"
#include "server/log.hpp"

#include <boost/asio/post.hpp>

#include <algorithm>
#include <string_view>
#include <unordered_set>
#include <utility>

namespace cylch::live {

namespace asio = boost::asio;
using protocol::error_code;
using protocol::role;

namespace {

// Participants whose own answers are alike get the same activity frame: this names an answer
// by its fields (ids and values have no control characters; texts are compared whole).
std::string answer_key(protocol::mine_view const& m) {
    std::string key;
    auto put = [&key](std::string_view part) {
        key += part;
        key += '\x1f';
    };
    put(m.value ? std::to_string(*m.value) : std::string());
    for (auto const* list : {&m.options, &m.order}) {
        put(*list ? std::to_string(list->value().size()) : std::string("-"));
        if (*list) {
            for (auto const& id : **list) {
                put(id);
            }
        }
    }
    put(m.text ? "t" + *m.text : std::string());
    put(m.comment ? "c" + *m.comment : std::string());
    return key;
}

} // namespace

workshop_actor::workshop_actor(asio::any_io_executor executor, std::unique_ptr<domain::workshop> ws,
                               store::store& store, actor_options options, cylch::metrics& metrics)
    : strand_(asio::make_strand(executor))
    , id_(ws->id())
    , code_(ws->code())
    , facilitator_token_hash_(ws->facilitator_token_hash())
    , store_(store)
    , options_(options)
    , metrics_(metrics)
    , ws_(std::move(ws))
    , flush_timer_(strand_)
    , window_timer_(strand_) {
    publish_status();
}

void workshop_actor::start() {
    asio::post(strand_, [self = shared_from_this()] { self->check_window(); });
}

void workshop_actor::check_window() {
    if (!ws_->self_paced() || halted_ || reloading_) {
        return;
    }
    auto const now = now_ms();
    auto e = ws_->apply_window(now);
    if (!e.to_persist.empty()) {
        persist_then(std::move(e.to_persist), [](bool) {}); // a refusal reloads the workshop
        broadcast_questionnaire();
        log::info("questionnaire window",
                  {{"workshop", id_},
                   {"state", std::string(protocol::to_string(ws_->window_state(now)))}});
    }
    auto const next = ws_->next_window_change(now);
    if (!next) {
        window_timer_.cancel();
        return;
    }
    // At most an hour at a time: the system clock may be changed while the timer runs.
    constexpr store::time_ms hour = 60 * 60 * 1000;
    window_timer_.expires_after(std::chrono::milliseconds(std::min(*next - now, hour)));
    window_timer_.async_wait([self = shared_from_this()](boost::system::error_code ec) {
        if (!ec) {
            self->check_window();
        }
    });
}

void workshop_actor::publish_status() {
    ended_.store(ws_->state() == protocol::workshop_state::ended, std::memory_order_relaxed);
    member_count_.store(members_.size(), std::memory_order_relaxed);
}

store::time_ms workshop_actor::now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

// ---- entry points (any thread) -------------------------------------------------------------

void workshop_actor::join(std::shared_ptr<subscriber> who, protocol::hello hello,
                          std::optional<signed_in> account) {
    asio::post(strand_, [self = shared_from_this(), who = std::move(who), hello = std::move(hello),
                         account = std::move(account)] { self->on_join(who, hello, account); });
}

void workshop_actor::request(std::uint64_t sid, protocol::client_message message) {
    asio::post(strand_, [self = shared_from_this(), sid, message = std::move(message)] {
        self->on_request(sid, message);
    });
}

void workshop_actor::leave(std::uint64_t sid) {
    asio::post(strand_, [self = shared_from_this(), sid] {
        auto it = self->members_.find(sid);
        if (it == self->members_.end()) {
            return;
        }
        if (it->second.who.role == role::participant) {
            auto o = self->online_.find(it->second.who.id);
            if (o != self->online_.end() && --o->second <= 0) {
                self->online_.erase(o);
                self->ws_->participant_offline(it->second.who.id);
            }
        }
        self->members_.erase(it);
        self->publish_status();
        self->mark_dirty(false, true);
    });
}

void workshop_actor::inspect(std::function<void(domain::workshop const&)> read) {
    asio::post(strand_, [self = shared_from_this(), read = std::move(read)] { read(*self->ws_); });
}

void workshop_actor::close_all() {
    asio::post(strand_, [self = shared_from_this()] {
        for (auto& [sid, m] : self->members_) {
            if (auto c = m.conn.lock()) {
                c->close(close_reason::going_away);
            }
        }
    });
}

void workshop_actor::halt() {
    asio::post(strand_, [self = shared_from_this()] {
        self->halted_ = true;
        self->flush_timer_.cancel();
        self->window_timer_.cancel();
    });
}

// ---- joining -------------------------------------------------------------------------------

void workshop_actor::on_join(std::shared_ptr<subscriber> const& s, protocol::hello const& h,
                             std::optional<signed_in> const& account) {
    auto refuse = [&](error_code code, std::string message) {
        s->deliver(make_frame(protocol::encode(protocol::error{std::nullopt, code, message})),
                   frame_kind::event);
        s->close(close_reason::refused);
        log::info("join refused", {{"workshop", id_},
                                   {"role", std::string(protocol::to_string(h.role))},
                                   {"code", std::string(protocol::to_string(code))}});
    };
    if (reloading_) {
        refuse(error_code::server_error, "the workshop is being reloaded; try again shortly");
        return;
    }
    check_window(); // self-paced: the window as it is now, even if the timer is late
    switch (h.role) {
    case role::facilitator:
    case role::presenter: {
        if (!h.token && account) {
            // Signed in, not by link: the console and screen work the same; the presenter
            // link is not derived (the staff list opens the projector by sign-in too).
            welcome(s,
                    domain::actor{h.role, std::string(protocol::to_string(h.role)), 0,
                                  account->account},
                    std::nullopt);
            return;
        }
        auto const& expected = h.role == role::facilitator ? ws_->facilitator_token_hash()
                                                           : ws_->presenter_token_hash();
        if (!h.token || !auth::equal_constant_time(auth::hash_token(*h.token), expected)) {
            refuse(error_code::not_allowed, "the token is not valid for this workshop");
            return;
        }
        std::optional<std::string> presenter_token;
        if (h.role == role::facilitator) {
            auto derived = auth::derive_token(*h.token, "presenter");
            if (auth::hash_token(derived) == ws_->presenter_token_hash()) {
                presenter_token = std::move(derived);
            }
        }
        welcome(s, domain::actor{h.role, std::string(protocol::to_string(h.role))},
                std::move(presenter_token));
        return;
    }
    case role::participant: {
        if (h.token) {
            if (auto const* p = ws_->find_by_token_hash(auth::hash_token(*h.token))) {
                if (p->withdrawn()) {
                    refuse(error_code::not_found,
                           "you have withdrawn from this workshop and your answers were deleted");
                    return;
                }
                welcome(s, domain::actor{role::participant, p->id}, std::nullopt);
                return;
            }
            log::info("unknown participant token, issuing a new identity", {{"workshop", id_}});
        }
        // Nothing is stored until the participant acts (workshop::join_unstored).
        auto token = auth::new_token();
        auto const* p =
            ws_->join_unstored(auth::new_id("p"), auth::hash_token(token), h.lang, now_ms());
        welcome(s, domain::actor{role::participant, p->id}, std::move(token));
        return;
    }
    case role::kiosk:
        // The connection has checked the kiosk's token and that it is bound to this workshop.
        welcome(s, domain::actor{role::kiosk, *h.kiosk, h.clock ? now_ms() - *h.clock : 0},
                std::nullopt);
        return;
    }
}

void workshop_actor::welcome(std::shared_ptr<subscriber> const& s, domain::actor const& who,
                             std::optional<std::string> secret) {
    auto const sid = s->subscriber_id();
    protocol::welcome w;
    w.workshop = ws_->view();
    w.activity = ws_->current_for(who.role);
    if (who.role == role::participant) {
        auto const* p = ws_->find_participant(who.id);
        if (p == nullptr) { // gone in a reload since the join was accepted
            s->close(close_reason::going_away);
            return;
        }
        w.you = {who.id, std::move(secret), std::nullopt, who.role, p->group, p->lang, p->consent};
        w.mine = ws_->mine(who.id);
        if (ws_->self_paced()) {
            w.activities = ws_->questionnaire();
            w.answers = ws_->answers_of(who.id);
        }
        if (++online_[who.id] == 1) {
            ws_->participant_online(who.id);
        }
    } else if (who.role == role::kiosk) {
        w.you = {who.id, std::nullopt, std::nullopt, who.role, std::nullopt, std::nullopt, true};
        if (ws_->self_paced()) {
            w.activities = ws_->questionnaire();
        }
    } else {
        w.you = {who.id,       std::nullopt, std::move(secret), who.role, std::nullopt,
                 std::nullopt, true};
        w.agenda = ws_->agenda();
    }
    members_[sid] = member{s, who};
    publish_status();
    s->deliver(make_frame(protocol::encode(w)), frame_kind::event);
    if (ws_->self_paced() && is_staff(members_[sid])) {
        // Staff see every activity's answers so far; participants and kiosks none. As events:
        // a connection keeps only its latest summary frame, and these are of different
        // activities (at most one each).
        for (auto const& a : ws_->activities()) {
            if (auto summary = ws_->summary_of(a, who.role)) {
                s->deliver(make_frame(protocol::encode(*summary)), frame_kind::event);
            }
        }
        return;
    }
    // The newcomer gets the current summary (as its role may see it) at once, or the board.
    if (auto const* a = ws_->current()) {
        if (auto const* b = a->as<domain::board>(); b != nullptr && sees_board(members_[sid], *a)) {
            s->deliver(make_frame(protocol::encode(ws_->board_for(*a, *b, who.role, who.id))),
                       frame_kind::event);
            if (who.role == role::facilitator) {
                s->deliver(make_frame(protocol::encode(ws_->reach_of(*a, *b))), frame_kind::event);
            }
        }
        bool const staff = who.role == role::facilitator || who.role == role::presenter;
        auto summary = staff || a->state != domain::activity_state::pending
                           ? ws_->summary_of(*a, who.role)
                           : std::nullopt;
        if (summary) {
            s->deliver(make_frame(protocol::encode(*summary)), frame_kind::summary);
        }
    }
    mark_dirty(false, true);
    log::debug(
        "joined",
        {{"workshop", id_}, {"role", std::string(protocol::to_string(who.role))}, {"who", who.id}});
}

// ---- requests ------------------------------------------------------------------------------

void workshop_actor::send_to(std::uint64_t sid, shared_frame frame, frame_kind kind) {
    auto it = members_.find(sid);
    if (it == members_.end()) {
        return;
    }
    if (auto c = it->second.conn.lock()) {
        c->deliver(std::move(frame), kind);
    }
}

void workshop_actor::send_error(std::uint64_t sid, protocol::error e) {
    metrics_.errors_sent.fetch_add(1, std::memory_order_relaxed);
    auto it = members_.find(sid);
    log::debug("request refused", {{"workshop", id_},
                                   {"who", it == members_.end() ? "?" : it->second.who.id},
                                   {"code", std::string(protocol::to_string(e.code))}});
    send_to(sid, make_frame(protocol::encode(e)), frame_kind::event);
}

void workshop_actor::persist_then(std::vector<store::record> records,
                                  std::function<void(bool)> after) {
    auto self = shared_from_this();
    auto queued = store_.try_persist(std::move(records), [self, after](bool ok) mutable {
        bool first = false;
        {
            std::lock_guard lock(self->completed_mutex_);
            self->completed_.push_back({std::move(after), ok});
            first = !std::exchange(self->completed_posted_, true);
        }
        if (first) {
            asio::post(self->strand_, [self] { self->run_completed(); });
        }
    });
    if (queued) {
        ++writes_in_flight_;
        last_write_at_ = std::chrono::steady_clock::now();
    } else {
        // Memory already holds a change the store refused: fail it and reload from disk.
        asio::post(strand_, [self, after = std::move(after)] {
            after(false);
            self->reload();
        });
    }
}

void workshop_actor::run_completed() {
    std::vector<completed> ready;
    {
        std::lock_guard lock(completed_mutex_);
        ready.swap(completed_);
        completed_posted_ = false;
    }
    bool failed = false;
    writes_in_flight_ -= std::min(writes_in_flight_, ready.size());
    for (auto& c : ready) {
        c.after(c.ok);
        failed = failed || !c.ok;
    }
    if (failed) {
        reload();
    }
    if (flush_settling_ && writes_in_flight_ == 0 && !halted_) {
        flush_scheduled_ = false;
        ++flush_generation_; // the wait armed while settling does nothing now
        flush_timer_.cancel();
        on_flush_due(); // flushes, or waits for the answers to pause
    }
}

void workshop_actor::on_request(std::uint64_t sid, protocol::client_message const& m) {
    auto it = members_.find(sid);
    if (it == members_.end()) {
        return; // left before the request was handled
    }
    auto const op = std::string(protocol::op_of(m));
    if (reloading_ || !store_.has_room()) {
        send_error(sid,
                   {op, error_code::rate_limited, "the server is busy; send it again shortly"});
        return;
    }
    check_window(); // self-paced: an answer after the close is refused even if the timer is late
    auto const who = it->second.who;
    // A kiosk's vote creates a new anonymous respondent; its id is chosen here.
    auto const fresh = who.role == role::kiosk                         ? auth::new_id("p")
                       : std::holds_alternative<protocol::note_add>(m) ? auth::new_id("n")
                       : std::holds_alternative<protocol::answer>(m)   ? auth::new_id("t")
                                                                       : std::string();
    std::optional<domain::activity_state> before;
    if (auto const* c = std::get_if<protocol::activity_command>(&m)) {
        if (auto const* a = ws_->find_activity(c->activity)) {
            before = a->state;
        }
    }
    auto const at = now_ms();
    auto e = ws_->apply(who, m, at, fresh);
    if (e.error) {
        send_error(sid, std::move(*e.error));
        return;
    }
    if (!e.duplicate) {
        if (auto entry = audit_of(who, m, before, at)) {
            e.to_persist.push_back(std::move(*entry)); // in the same transaction as the change
        }
    }
    bool const is_vote = std::holds_alternative<protocol::vote>(m) && !e.duplicate;
    bool const withdrawal = std::holds_alternative<protocol::withdraw>(m);
    auto const created_note = e.created_note;
    persist_then(std::move(e.to_persist),
                 [this, sid, op, is_vote, withdrawal, created_note, pid = who.id](bool ok) {
                     if (!ok) {
                         send_error(sid, {op, error_code::server_error,
                                          "the change could not be stored; send it again"});
                         return;
                     }
                     if (is_vote) {
                         metrics_.votes_applied.fetch_add(1, std::memory_order_relaxed);
                     }
                     metrics_.acks_sent.fetch_add(1, std::memory_order_relaxed);
                     send_to(sid, make_frame(protocol::encode(protocol::ack{op, created_note})),
                             frame_kind::event);
                     if (withdrawal) {
                         log::info("participant withdrew", {{"workshop", id_}});
                         close_participant(pid);
                     }
                 });
    if (e.duplicate) {
        return;
    }
    announce(e, &m);
}

void workshop_actor::staff_request(protocol::client_message m, std::string account,
                                   std::function<void(std::optional<protocol::error>)> done) {
    asio::post(strand_, [self = shared_from_this(), m = std::move(m), account = std::move(account),
                         done = std::move(done)] {
        auto const op = std::string(protocol::op_of(m));
        if (self->reloading_ || !self->store_.has_room()) {
            done(protocol::error{op, error_code::rate_limited, "the server is busy; try again"});
            return;
        }
        domain::actor const who{role::facilitator, "facilitator", 0, account};
        auto const at = now_ms();
        auto e = self->ws_->apply(who, m, at, {});
        if (e.error) {
            done(std::move(e.error));
            return;
        }
        if (auto entry = self->audit_of(who, m, std::nullopt, at)) {
            e.to_persist.push_back(std::move(*entry));
        }
        self->persist_then(std::move(e.to_persist), [done, op](bool ok) {
            done(ok ? std::nullopt
                    : std::optional(protocol::error{op, error_code::server_error,
                                                    "the change could not be stored; try again"}));
        });
        self->announce(e, &m);
    });
}

std::optional<store::audit_entry>
workshop_actor::audit_of(domain::actor const& who, protocol::client_message const& m,
                         std::optional<domain::activity_state> before, store::time_ms at) const {
    if (who.role != role::facilitator) {
        return std::nullopt; // participants' own changes are their answers, not audited
    }
    using action = protocol::audit_action;
    std::optional<action> what;
    std::optional<std::string> detail;
    if (auto const* c = std::get_if<protocol::activity_command>(&m)) {
        using verb = protocol::activity_command::verb;
        detail = c->activity;
        switch (c->what) {
        case verb::open:
            what = before == domain::activity_state::pending ? action::activity_opened
                                                             : action::activity_reopened;
            break;
        case verb::close:
            what = action::activity_closed;
            break;
        case verb::reveal:
            what = action::activity_revealed;
            break;
        case verb::go_to:
            break;
        }
    } else if (std::holds_alternative<protocol::workshop_end>(m)) {
        what = action::workshop_ended;
    } else if (auto const* h = std::get_if<protocol::note_hide>(&m)) {
        what = h->hidden ? action::note_hidden : action::note_shown;
        detail = h->note;
    } else if (auto const* d = std::get_if<protocol::note_delete>(&m)) {
        what = action::note_deleted;
        detail = d->note;
    }
    if (!what) {
        return std::nullopt;
    }
    store::audit_entry e;
    e.at = at;
    e.actor_kind = protocol::audit_actor::staff;
    // A console opened by a sign-in names the person; one opened by the link, the link.
    e.actor = who.account.empty() ? "facilitator token" : who.account;
    e.action = *what;
    e.workshop = id_;
    e.detail = std::move(detail);
    return e;
}

void workshop_actor::erase_respondent(std::size_t number, std::string by,
                                      std::function<void(erase_outcome)> done) {
    asio::post(strand_, [self = shared_from_this(), number, by = std::move(by),
                         done = std::move(done)] {
        auto const* p = self->ws_->respondent(number);
        if (p == nullptr || p->withdrawn() || self->reloading_) {
            done(p == nullptr || p->withdrawn() ? erase_outcome::not_found : erase_outcome::failed);
            return;
        }
        auto const pid = p->id;
        auto e = self->ws_->withdraw(pid, store::withdrawal_by::staff, now_ms());
        if (e.error) {
            done(erase_outcome::not_found);
            return;
        }
        for (auto& r : e.to_persist) {
            if (auto* w = std::get_if<store::participant_withdrawn>(&r)) {
                w->staff = by; // who, for the audit entry written with it
            }
        }
        self->persist_then(std::move(e.to_persist), [self, pid, done](bool ok) {
            if (ok) {
                log::info("respondent erased by staff", {{"workshop", self->id_}});
                self->close_participant(pid);
            }
            done(ok ? erase_outcome::erased : erase_outcome::failed);
        });
        self->announce(e, nullptr);
    });
}

void workshop_actor::purge(store::time_ms now, keep_function keep,
                           std::function<void(purge_outcome, std::size_t)> done,
                           std::optional<std::string> erased_by) {
    asio::post(strand_, [self = shared_from_this(), now, keep = std::move(keep),
                         done = std::move(done), erased_by = std::move(erased_by)] {
        auto const& ws = *self->ws_;
        if (ws.state() != protocol::workshop_state::ended) {
            done(purge_outcome::live, 0);
            return;
        }
        if (ws.purged_at() != 0) {
            done(purge_outcome::already, 0);
            return;
        }
        if (self->reloading_) {
            done(purge_outcome::failed, 0);
            return;
        }
        auto const respondents = ws.respondents().size();
        store::workshop_purged record{self->id_, now, keep(ws), erased_by};
        // The workshop as the database will hold it: agenda and states, no responses.
        store::workshop_snapshot purged;
        purged.id = ws.id();
        purged.code = ws.code();
        purged.definition = ws.definition();
        purged.facilitator_token_hash = ws.facilitator_token_hash();
        purged.presenter_token_hash = ws.presenter_token_hash();
        purged.state = ws.state();
        if (auto const* current = ws.current()) {
            purged.current_activity = current->id;
        }
        purged.created_at = ws.created_at();
        for (auto const& a : ws.activities()) {
            purged.activities.push_back(
                {a.id, a.position, a.state, a.opened_at, a.closed_at, a.revealed_at});
        }
        purged.purged_at = now;
        purged.kept = record.kept;
        try {
            self->adopt(std::make_unique<domain::workshop>(purged));
        } catch (std::exception const& e) {
            log::error("purge failed", {{"workshop", self->id_}, {"error", e.what()}});
            done(purge_outcome::failed, 0);
            return;
        }
        self->persist_then({std::move(record)}, [done, respondents](bool ok) {
            done(ok ? purge_outcome::purged : purge_outcome::failed, respondents);
        });
    });
}

void workshop_actor::rotate_links(std::string facilitator_hash, std::string presenter_hash,
                                  std::function<void(bool)> done) {
    asio::post(strand_, [self = shared_from_this(), f = std::move(facilitator_hash),
                         p = std::move(presenter_hash), done = std::move(done)]() mutable {
        if (self->reloading_) {
            done(false);
            return;
        }
        store::links_rotated record{self->id_, f, p};
        self->persist_then({std::move(record)}, [self, f, p, done](bool ok) {
            if (ok) {
                self->ws_->set_link_hashes(f, p);
                for (auto& [sid, m] : self->members_) {
                    if (self->is_staff(m)) {
                        if (auto c = m.conn.lock()) {
                            c->close(close_reason::going_away);
                        }
                    }
                }
                log::info("links rotated", {{"workshop", self->id_}});
            }
            done(ok);
        });
    });
}

void workshop_actor::close_participant(std::string const& participant_id) {
    for (auto& [sid, m] : members_) {
        if (m.who.role == role::participant && m.who.id == participant_id) {
            if (auto c = m.conn.lock()) {
                c->close(close_reason::refused);
            }
        }
    }
}

void workshop_actor::announce(domain::effects const& e, protocol::client_message const* m) {
    auto const request = m != nullptr ? std::string(protocol::type_name(*m)) : std::string("erase");
    if (e.activity_changed) {
        broadcast_activity(e.changed_activity);
        log::info("activity changed", {{"workshop", id_},
                                       {"request", request},
                                       {"activity", e.changed_activity.value_or("-")}});
    }
    if (e.workshop_changed) {
        publish_status();
        broadcast_workshop();
        log::info("workshop ended", {{"workshop", id_}});
    }
    if (!e.board_changes.empty()) {
        broadcast_board(e.board_changes);
        reach_dirty_ = true; // coalesced like summaries: a burst of dots costs one count
    }
    send_notices(e.notices);
    if (e.summary_dirty && ws_->self_paced()) {
        if (e.changed_activity) {
            answered_.insert(*e.changed_activity);
        } else { // a withdrawal: any activity may have changed
            for (auto const& a : ws_->activities()) {
                answered_.insert(a.id);
            }
        }
    }
    mark_dirty(e.summary_dirty, e.presence_changed);
}

void workshop_actor::reload() {
    if (reloading_) {
        return;
    }
    reloading_ = true;
    log::error("store refused a change; reloading the workshop from the database",
               {{"workshop", id_}});
    auto self = shared_from_this();
    store_.load_async(id_, [self](std::optional<store::workshop_snapshot> snapshot) {
        asio::post(self->strand_, [self, snapshot = std::move(snapshot)] {
            self->reloading_ = false;
            std::unique_ptr<domain::workshop> ws;
            if (snapshot) {
                try {
                    ws = std::make_unique<domain::workshop>(*snapshot);
                } catch (std::exception const& e) {
                    log::error("reload failed", {{"workshop", self->id_}, {"error", e.what()}});
                }
            }
            // Everyone reconnects and receives the state as stored.
            self->adopt(ws ? std::move(ws) : std::move(self->ws_));
        });
    });
}

void workshop_actor::adopt(std::unique_ptr<domain::workshop> ws) {
    ws_ = std::move(ws);
    if (fanout_) {
        fanout_->next = fanout_->to.size(); // its summaries are of the old state
    }
    online_.clear();
    for (auto& [sid, m] : members_) {
        if (auto c = m.conn.lock()) {
            c->close(close_reason::going_away);
        }
    }
    answered_.clear(); // the staff who reconnect get every summary with their welcome
    publish_status();
    check_window(); // after a reload (an edit checks once it is stored)
}

void workshop_actor::edit(protocol::workshop_spec spec, std::string definition, std::string by,
                          std::function<void(edit_outcome)> done) {
    asio::post(strand_, [self = shared_from_this(), spec = std::move(spec),
                         definition = std::move(definition), by = std::move(by),
                         done = std::move(done)]() mutable {
        if (self->reloading_) {
            done(edit_failed{});
            return;
        }
        auto plan = domain::plan_edit(*self->ws_, spec, [] { return auth::new_id("a"); });
        if (auto* refused = std::get_if<domain::edit_refusal>(&plan)) {
            done(std::move(*refused));
            return;
        }
        // From here until the edit is stored (or not), requests are refused as busy: the copy
        // read back below is what memory holds, and nothing may change it in between.
        self->reloading_ = true;
        auto finish = [self, done](edit_outcome outcome) {
            self->reloading_ = false;
            self->check_window(); // the edit may have moved the dates
            done(std::move(outcome));
        };
        store::workshop_edited record{
            self->id_,
            std::move(definition),
            std::get<domain::edit_plan>(plan).order,
            std::get<domain::edit_plan>(plan).added,
            std::get<domain::edit_plan>(plan).removed,
            now_ms(),
            std::move(by),
            spec.title.empty() ? std::string() : protocol::text_in(spec.title, "", spec.languages)};
        self->store_.load_async(self->id_, [self, finish, record = std::move(record),
                                            plan = std::get<domain::edit_plan>(std::move(plan))](
                                               std::optional<store::workshop_snapshot> stored) {
            asio::post(self->strand_, [self, finish, record = std::move(record),
                                       plan = std::move(plan),
                                       stored = std::move(stored)]() mutable {
                if (!stored) {
                    finish(edit_failed{});
                    return;
                }
                std::unique_ptr<domain::workshop> edited;
                try {
                    edited = std::make_unique<domain::workshop>(
                        domain::edited_snapshot(std::move(*stored), record.definition, plan));
                } catch (std::exception const& e) {
                    finish(domain::edit_refusal{domain::edit_problem::does_not_fit, "$",
                                                std::string("the edited workshop does not fit "
                                                            "what is stored: ") +
                                                    e.what()});
                    return;
                }
                // (std::function needs a copyable callback: the new workshop rides in a box.)
                auto box = std::make_shared<std::unique_ptr<domain::workshop>>(std::move(edited));
                self->persist_then({std::move(record)},
                                   [self, finish, box, order = plan.order](bool ok) mutable {
                                       if (!ok) {
                                           finish(edit_failed{});
                                           return; // persist_then reloads from the database
                                       }
                                       self->adopt(std::move(*box));
                                       log::info("workshop edited", {{"workshop", self->id_}});
                                       finish(std::move(order));
                                   });
            });
        });
    });
}

// ---- pushes --------------------------------------------------------------------------------

void workshop_actor::broadcast_activity(std::optional<std::string> const& changed) {
    if (ws_->self_paced()) {
        broadcast_questionnaire();
        return;
    }
    if (fanout_) {
        // The rest of a summary fan-out is about the activity as it was: it must not arrive
        // after this push. Those members get the next flush instead.
        fanout_->next = fanout_->to.size();
        summary_dirty_ = true;
    }
    auto const* current = ws_->current();
    std::optional<std::string> current_id;
    if (current) {
        current_id = current->id;
    }
    // Staff: the activity that changed (or the current one), with which one is current.
    protocol::activity_push staff;
    if (changed) {
        if (auto const* a = ws_->find_activity(*changed)) {
            staff.activity = ws_->view_of(*a);
        }
    } else if (current) {
        staff.activity = ws_->view_of(*current);
    }
    staff.current = current_id;
    auto staff_frame = make_frame(protocol::encode(staff));
    // Participants: the current activity as they may see it, and their own answer. The frame
    // differs only by the answer, so it is encoded once per possible answer.
    auto visible = ws_->current_for(role::participant);
    std::unordered_map<std::string, shared_frame> by_answer; // by the answer's own fields
    for (auto& [sid, m] : members_) {
        auto conn = m.conn.lock();
        if (!conn) {
            continue;
        }
        if (is_staff(m)) {
            conn->deliver(staff_frame, frame_kind::event);
            continue;
        }
        protocol::mine_view mine;
        if (visible) {
            mine = ws_->mine(m.who.id);
        }
        auto& frame = by_answer[answer_key(mine)];
        if (!frame) {
            protocol::activity_push p;
            p.activity = visible;
            p.current = visible ? current_id : std::nullopt;
            p.mine = std::move(mine);
            frame = make_frame(protocol::encode(p));
        }
        conn->deliver(frame, frame_kind::event);
    }
    if (current != nullptr) {
        send_reach(*current); // a board just made current: its reach so far
    }
}

void workshop_actor::broadcast_questionnaire() {
    std::vector<shared_frame> staff;
    staff.reserve(ws_->activities().size());
    for (auto const& a : ws_->activities()) {
        staff.push_back(make_frame(protocol::encode(
            protocol::activity_push{ws_->view_of(a), std::nullopt, std::nullopt})));
    }
    auto const others =
        make_frame(protocol::encode(protocol::activities_push{ws_->questionnaire()}));
    for (auto& [sid, m] : members_) {
        auto conn = m.conn.lock();
        if (!conn) {
            continue;
        }
        if (!is_staff(m)) {
            conn->deliver(others, frame_kind::event);
            continue;
        }
        for (auto const& frame : staff) {
            conn->deliver(frame, frame_kind::event);
        }
    }
}

// Sent as events, not summaries: a connection keeps only its latest summary frame, and these
// are of different activities (at most one per activity per flush, to a few staff).
void workshop_actor::send_answered_summaries() {
    for (auto const& id : answered_) {
        auto const* a = ws_->find_activity(id);
        if (a == nullptr) {
            continue;
        }
        std::array<shared_frame, 2> frames; // facilitator, presenter
        for (auto const& [sid, m] : members_) {
            if (!is_staff(m)) {
                continue;
            }
            auto conn = m.conn.lock();
            if (!conn) {
                continue;
            }
            auto const i = m.who.role == role::facilitator ? 0U : 1U;
            if (!frames[i]) {
                if (auto summary = ws_->summary_of(*a, m.who.role)) {
                    frames[i] = make_frame(protocol::encode(*summary));
                } else {
                    continue;
                }
            }
            conn->deliver(frames[i], frame_kind::event);
        }
    }
    if (!answered_.empty()) {
        metrics_.summaries_flushed.fetch_add(1, std::memory_order_relaxed);
    }
    answered_.clear();
}

bool workshop_actor::sees_board(member const& m, domain::activity const& a) const {
    if (is_staff(m)) {
        return true;
    }
    return m.who.role == role::participant && ws_->current() == &a &&
           a.state != domain::activity_state::pending;
}

// Each recipient gets the board as they may see it: the domain filters per recipient (hidden
// brainstorming, hidden notes, dot totals); a participant hears of a removed note only if they
// could see it before.
void workshop_actor::broadcast_board(std::vector<domain::effects::board_change> const& changes) {
    using kind = domain::effects::board_change::kind;
    for (auto const& c : changes) {
        auto const* a = ws_->find_activity(c.activity);
        auto const* b = a != nullptr ? a->as<domain::board>() : nullptr;
        if (b == nullptr) {
            continue;
        }
        if (c.what == kind::note) {
            // The window's first change says what recipients could see before it.
            board_pending_[c.activity].try_emplace(c.note,
                                                   pending_note{c.author, c.was_hidden, c.created});
            continue;
        }
        // The whole board carries every change so far: nothing of it is pending any more.
        // Serialised once per view: staff share one, participants without a note or a dot on
        // the board share one, the rest get their own.
        board_pending_.erase(c.activity);
        std::unordered_set<std::string_view> stake; // authors and dot givers: views of their own
        for (auto const& n : b->notes) {
            stake.insert(n.author);
        }
        for (auto const& [giver, count] : b->dots_used) {
            stake.insert(giver);
        }
        shared_frame staff_frame;
        shared_frame others_frame;
        for (auto& [sid, m] : members_) {
            auto conn = m.conn.lock();
            if (!conn || !sees_board(m, *a)) {
                continue;
            }
            bool const staff = is_staff(m);
            auto const own =
                m.who.role == role::kiosk || (!staff && stake.contains(std::string_view(m.who.id)));
            auto& shared = staff ? staff_frame : others_frame;
            if (own || !shared) {
                auto frame =
                    make_frame(protocol::encode(ws_->board_for(*a, *b, m.who.role, m.who.id)));
                if (own) {
                    conn->deliver(frame, frame_kind::event);
                    continue;
                }
                shared = std::move(frame);
            }
            conn->deliver(shared, frame_kind::event);
        }
    }
}

void workshop_actor::send_board_changes() {
    auto pending = std::exchange(board_pending_, {});
    for (auto const& [activity, notes] : pending) {
        auto const* a = ws_->find_activity(activity);
        auto const* b = a != nullptr ? a->as<domain::board>() : nullptr;
        if (b == nullptr) {
            continue;
        }
        bool const hiding = b->spec.hidden_until_reveal && !a->revealed();
        // Frames differ by recipient only in mine/my_dots and in what they saw before: staff
        // share one, participants with no stake in any changed note (not its author, no dot
        // on it) share another, computed once.
        std::unordered_set<std::string_view> stake;
        for (auto const& [id, first] : notes) {
            stake.insert(first.author);
            if (auto const* n = b->find(id)) {
                for (auto const& [giver, count] : n->dots_by) {
                    stake.insert(giver);
                }
            }
        }
        shared_frame staff_frame;
        shared_frame others_frame;
        bool others_empty = false;
        for (auto& [sid, m] : members_) {
            auto conn = m.conn.lock();
            if (!conn || !sees_board(m, *a)) {
                continue;
            }
            bool const staff = is_staff(m);
            bool const other =
                m.who.role == role::participant && !stake.contains(std::string_view(m.who.id));
            if (other && (others_frame || others_empty)) {
                if (others_frame) {
                    conn->deliver(others_frame, frame_kind::event);
                }
                continue;
            }
            if (staff && staff_frame) {
                conn->deliver(staff_frame, frame_kind::event);
                continue;
            }
            protocol::board_changes out{activity, {}, {}};
            bool own = !staff && !other; // a view of its own: never shared
            for (auto const& [id, first] : notes) {
                auto const* n = b->find(id);
                auto v = n != nullptr ? ws_->note_for(*a, *b, *n, m.who.role, m.who.id)
                                      : std::optional<protocol::note_view>();
                if (v) {
                    out.notes.push_back(std::move(*v));
                } else if (!first.created && (staff || (!first.was_hidden &&
                                                        (!hiding || first.author == m.who.id)))) {
                    out.removed.push_back(id); // they saw it before: it is gone for them now
                }
            }
            if (out.notes.empty() && out.removed.empty()) {
                others_empty = others_empty || other;
                continue;
            }
            auto& shared = staff ? staff_frame : others_frame;
            if (own || !shared) {
                auto frame = make_frame(protocol::encode(out));
                if (own) {
                    conn->deliver(frame, frame_kind::event);
                    continue;
                }
                shared = std::move(frame);
            }
            conn->deliver(shared, frame_kind::event);
        }
    }
}

void workshop_actor::send_reach(domain::activity const& a) {
    auto const* b = a.as<domain::board>();
    if (b == nullptr) {
        return;
    }
    shared_frame frame;
    for (auto& [sid, m] : members_) {
        auto conn = m.conn.lock();
        if (!conn || m.who.role != role::facilitator) {
            continue;
        }
        if (!frame) {
            frame = make_frame(protocol::encode(ws_->reach_of(a, *b)));
        }
        conn->deliver(frame, frame_kind::event);
    }
}

void workshop_actor::send_notices(std::vector<domain::effects::notice_to> const& notices) {
    for (auto const& n : notices) {
        shared_frame frame;
        for (auto& [sid, m] : members_) {
            auto conn = m.conn.lock();
            if (!conn || m.who.role != role::participant || m.who.id != n.participant) {
                continue;
            }
            if (!frame) {
                frame = make_frame(protocol::encode(n.notice));
            }
            conn->deliver(frame, frame_kind::event);
        }
    }
}

void workshop_actor::broadcast_workshop() {
    auto frame = make_frame(protocol::encode(protocol::workshop_push{ws_->state()}));
    for (auto& [sid, m] : members_) {
        if (auto c = m.conn.lock()) {
            c->deliver(frame, frame_kind::event);
        }
    }
}

void workshop_actor::mark_dirty(bool summary, bool presence) {
    summary_dirty_ = summary_dirty_ || summary;
    presence_dirty_ = presence_dirty_ || presence;
    if (halted_ || flush_scheduled_ || fanout_ ||
        (!summary_dirty_ && !presence_dirty_ && !reach_dirty_ && board_pending_.empty())) {
        return; // a fan-out under way schedules the next flush when it is done
    }
    auto const interval = flush_interval();
    auto const now = std::chrono::steady_clock::now();
    auto due = last_flush_ + interval;
    if (flush_owed_) {
        // The last flush went at its limit while answers kept coming: this one waits only for
        // them to pause (on_flush_due), so the tally after a stream comes as soon as it ends.
        due = now;
    } else if (due < now && interval > options_.flush_interval) {
        // A large audience's first tally after a quiet spell waits one interval: the answers
        // that an opening sets off go into it, rather than a tally of none going to everyone
        // just before them.
        due = now + interval;
    }
    arm_flush(std::max(due, now));
}

std::chrono::milliseconds workshop_actor::flush_interval() const {
    auto const stretched = std::chrono::duration_cast<std::chrono::milliseconds>(
        options_.flush_per_member * static_cast<long>(members_.size()));
    return std::max(options_.flush_interval, stretched);
}

void workshop_actor::arm_flush(std::chrono::steady_clock::time_point at) {
    flush_scheduled_ = true;
    auto const generation = ++flush_generation_;
    flush_timer_.expires_at(at);
    flush_timer_.async_wait([self = shared_from_this(), generation](boost::system::error_code ec) {
        if (generation != self->flush_generation_) {
            return; // re-armed, or flushed when the writes settled
        }
        self->flush_scheduled_ = false;
        if (!ec) {
            self->on_flush_due();
        }
    });
}

void workshop_actor::on_flush_due() {
    auto const now = std::chrono::steady_clock::now();
    if (!flush_settling_) {
        settle_until_ = now + flush_interval();
    }
    bool const committing = writes_in_flight_ > 0;
    // A pause is a tenth of the interval at least: under saturation the answers of a burst
    // are read in spurts, with gaps of a few ms between them.
    auto const quiet =
        std::max<std::chrono::steady_clock::duration>(options_.settle_quiet, flush_interval() / 10);
    bool const pouring = now - last_write_at_ < quiet;
    if (now < settle_until_ && (committing || pouring)) {
        // Answers are still arriving or being committed: wait until they have landed and
        // paused (run_completed looks again after each commit), but never longer than one more
        // interval, so a steady stream still sees its tally move.
        flush_settling_ = true;
        arm_flush(committing ? settle_until_ : std::min(settle_until_, last_write_at_ + quiet));
        return;
    }
    flush_owed_ = committing || pouring; // went at the limit: the next waits only for a pause
    flush_settling_ = false;
    flush();
}

void workshop_actor::flush() {
    last_flush_ = std::chrono::steady_clock::now();
    if (!board_pending_.empty() &&
        last_flush_ - last_board_flush_ >=
            options_.board_flush_per_member * static_cast<long>(members_.size())) {
        last_board_flush_ = last_flush_;
        send_board_changes(); // else they wait for a later flush (mark_dirty keeps one coming)
    }
    shared_frame presence_frame;
    auto const* a = ws_->current();
    if (reach_dirty_) {
        reach_dirty_ = false;
        if (a != nullptr) {
            send_reach(*a); // to the facilitator connections only: a few frames
        }
    }
    if (summary_dirty_ && !answered_.empty()) {
        send_answered_summaries(); // self-paced: to the few staff connections, at once
    }
    std::array<shared_frame, 3> summaries;
    if (summary_dirty_ && a != nullptr) {
        for (auto who : {audience::facilitator, audience::presenter, audience::participant}) {
            if (who == audience::participant && a->state == domain::activity_state::pending) {
                continue;
            }
            auto const r = who == audience::facilitator ? role::facilitator
                           : who == audience::presenter ? role::presenter
                                                        : role::participant;
            if (auto summary = ws_->summary_of(*a, r)) {
                summaries[static_cast<std::size_t>(who)] = make_frame(protocol::encode(*summary));
            }
        }
        if (summaries[0]) {
            metrics_.summaries_flushed.fetch_add(1, std::memory_order_relaxed);
        }
    }
    if (presence_dirty_) {
        protocol::presence p;
        auto const& groups = ws_->spec().groups;
        std::vector<int> counts(groups.size(), 0);
        for (auto const& [pid, n] : online_) {
            auto const* who = ws_->find_participant(pid);
            ++p.online;
            if (auto g = who ? ws_->group_index(who->group) : std::nullopt) {
                ++counts[*g];
            } else {
                ++p.ungrouped;
            }
        }
        for (std::size_t i = 0; i < groups.size(); ++i) {
            p.by_group.emplace_back(groups[i].id, counts[i]);
        }
        presence_frame = make_frame(protocol::encode(p));
    }
    summary_dirty_ = false;
    presence_dirty_ = false;
    if (!summaries[0] && !summaries[2] && !presence_frame) {
        mark_dirty(false, false); // board changes still waiting get a later flush
        return;
    }
    auto f = std::make_unique<fanout>();
    f->summary = std::move(summaries);
    f->presence = std::move(presence_frame);
    f->to.reserve(members_.size());
    for (auto const& [sid, m] : members_) {
        if (is_staff(m)) {
            f->to.emplace_back(m.conn, audience_of(m));
        }
    }
    for (auto const& [sid, m] : members_) {
        if (!is_staff(m)) {
            f->to.emplace_back(m.conn, audience::participant);
        }
    }
    fanout_ = std::move(f);
    deliver_slice();
}

workshop_actor::audience workshop_actor::audience_of(member const& m) {
    switch (m.who.role) {
    case role::facilitator:
        return audience::facilitator;
    case role::presenter:
        return audience::presenter;
    case role::participant:
    case role::kiosk:
        return audience::participant;
    }
    return audience::participant;
}

void workshop_actor::deliver_slice() {
    // 1,024 deliveries queue ~15 ms of socket writes: a read or a commit's acks wait behind one
    // slice, not behind the whole audience (10,000 members: ack p99 ~170 ms instead of ~400 ms
    // in the burst benchmark), while a workshop-sized audience still gets its summary in one
    // go (with 256 the acks were faster still but the last slice of 10,000 got the final
    // tally ~450 ms after the last vote; docs/benchmarks.md).
    constexpr std::size_t slice = 1024;
    auto& f = *fanout_;
    auto const end = std::min(f.to.size(), f.next + slice);
    for (; !halted_ && f.next < end; ++f.next) {
        auto const& [weak, who] = f.to[f.next];
        auto conn = weak.lock();
        if (!conn) {
            continue; // left since the flush began
        }
        if (auto const& frame = f.summary[static_cast<std::size_t>(who)]) {
            conn->deliver(frame, frame_kind::summary);
        }
        if (who != audience::participant && f.presence) {
            conn->deliver(f.presence, frame_kind::presence);
        }
    }
    if (!halted_ && f.next < f.to.size()) {
        asio::post(strand_, [self = shared_from_this()] { self->deliver_slice(); });
        return;
    }
    fanout_.reset();
    mark_dirty(false, false); // changes made during the fan-out go out in the next flush
}

} // namespace cylch::live
