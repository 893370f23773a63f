#include "server/live/registry.hpp"

#include "server/auth/tokens.hpp"
#include "server/log.hpp"

#include <boost/asio/post.hpp>

#include <algorithm>

namespace cylch::live {

namespace asio = boost::asio;

registry::registry(asio::any_io_executor executor, store::store& store, actor_options options,
                   cylch::metrics& metrics, registry_options registry_opts)
    : executor_(std::move(executor))
    , store_(store)
    , options_(options)
    , metrics_(metrics)
    , registry_options_(registry_opts)
    , sweep_strand_(asio::make_strand(executor_))
    , sweep_timer_(sweep_strand_) {
    asio::post(sweep_strand_, [this] { schedule_sweep(); });
}

void registry::count_loaded() {
    auto const n = std::count_if(workshops_.begin(), workshops_.end(),
                                 [](auto const& w) { return w.second.actor != nullptr; });
    metrics_.workshops.store(static_cast<std::int64_t>(n));
}

std::shared_ptr<workshop_actor> registry::add(std::unique_ptr<domain::workshop> ws) {
    auto actor =
        std::make_shared<workshop_actor>(executor_, std::move(ws), store_, options_, metrics_);
    std::lock_guard lock(mutex_);
    auto& e = workshops_[actor->id()];
    e.code = actor->code();
    e.facilitator_token_hash = actor->facilitator_token_hash();
    e.actor = actor;
    e.used = std::chrono::steady_clock::now();
    ids_by_code_[actor->code()] = actor->id();
    reserved_codes_.erase(actor->code());
    count_loaded();
    actor->start(); // self-paced: opens or closes by its dates
    return actor;
}

void registry::restore(std::vector<store::workshop_snapshot> const& live,
                       std::vector<store::workshop_entry> const& ended) {
    for (auto const& s : live) {
        add(std::make_unique<domain::workshop>(s));
    }
    std::lock_guard lock(mutex_);
    for (auto const& w : ended) {
        auto& e = workshops_[w.id];
        e.code = w.code;
        e.facilitator_token_hash = w.facilitator_token_hash;
        ids_by_code_[w.code] = w.id;
    }
}

void registry::rotate_links(std::string const& id,
                            std::function<void(std::optional<created_workshop>)> done) {
    find_by_id(id, [this, done = std::move(done)](std::shared_ptr<workshop_actor> actor) {
        if (!actor) {
            done(std::nullopt);
            return;
        }
        created_workshop out{actor->id(), actor->code(), auth::new_token(), {}};
        out.presenter_token = auth::derive_token(out.facilitator_token, "presenter");
        auto const facilitator_hash = auth::hash_token(out.facilitator_token);
        actor->rotate_links(facilitator_hash, auth::hash_token(out.presenter_token),
                            [this, out, facilitator_hash, done](bool ok) {
                                if (!ok) {
                                    done(std::nullopt);
                                    return;
                                }
                                {
                                    std::lock_guard lock(mutex_);
                                    workshops_[out.id].facilitator_token_hash = facilitator_hash;
                                }
                                done(out);
                            });
    });
}

void registry::remove(std::string const& id, std::string by,
                      std::function<void(remove_outcome)> done) {
    {
        std::unique_lock lock(mutex_);
        if (!workshops_.contains(id)) {
            lock.unlock();
            done(remove_outcome::not_found);
            return;
        }
        if (std::any_of(kiosks_.begin(), kiosks_.end(),
                        [&](auto const& k) { return k.second.workshop == id; })) {
            lock.unlock();
            done(remove_outcome::kiosks_bound);
            return;
        }
    }
    find_by_id(id, [this, id, by = std::move(by),
                    done = std::move(done)](std::shared_ptr<workshop_actor> actor) {
        if (!actor) {
            done(remove_outcome::failed);
            return;
        }
        // On the strand: the title for the audit entry, then the erasure of the responses.
        actor->inspect([this, actor, id, by, done](domain::workshop const& ws) {
            auto const view = ws.view();
            auto title = view.title.empty() ? std::string() : view.title.begin()->second;
            if (!view.languages.empty()) {
                if (auto t = view.title.find(view.languages.front()); t != view.title.end()) {
                    title = t->second;
                }
            }
            using purged = workshop_actor::purge_outcome;
            auto nothing = [](domain::workshop const&) { return std::optional<std::string>{}; };
            actor->purge(
                store::audit_now(), nothing,
                [this, actor, id, by, title, done](purged o, std::size_t) {
                    if (o == purged::live) {
                        done(remove_outcome::live);
                        return;
                    }
                    if (o == purged::failed) {
                        done(remove_outcome::failed);
                        return;
                    }
                    std::vector<store::record> batch;
                    batch.emplace_back(store::workshop_deleted{id, store::audit_now(), by, title});
                    auto committed = [this, actor, id, done](bool ok) {
                        if (!ok) {
                            done(remove_outcome::failed);
                            return;
                        }
                        std::vector<found_handler> waiting; // finds of a load under way
                        {
                            std::lock_guard lock(mutex_);
                            if (auto it = workshops_.find(id); it != workshops_.end()) {
                                waiting.swap(it->second.waiting);
                                ids_by_code_.erase(it->second.code);
                                workshops_.erase(it);
                            }
                            count_loaded();
                        }
                        for (auto& found : waiting) {
                            found(nullptr);
                        }
                        log::info("workshop deleted", {{"workshop", id}});
                        actor->close_all();
                        actor->halt();
                        done(remove_outcome::removed);
                    };
                    if (!store_.try_persist(std::move(batch), committed)) {
                        done(remove_outcome::failed);
                    }
                },
                by);
        });
    });
}

void registry::find_by_id(std::string const& id, found_handler found) {
    find(id, std::move(found), std::unique_lock(mutex_));
}

void registry::find_by_code(std::string const& code, found_handler found) {
    std::unique_lock lock(mutex_);
    auto it = ids_by_code_.find(code);
    if (it == ids_by_code_.end()) {
        lock.unlock();
        found(nullptr);
        return;
    }
    auto const id = it->second;
    find(id, std::move(found), std::move(lock));
}

void registry::find(std::string const& id, found_handler found, std::unique_lock<std::mutex> lock) {
    auto it = workshops_.find(id);
    if (it == workshops_.end() || it->second.actor) {
        std::shared_ptr<workshop_actor> actor;
        if (it != workshops_.end()) {
            it->second.used = std::chrono::steady_clock::now(); // not swept before it is used
            actor = it->second.actor;
        }
        lock.unlock();
        found(std::move(actor));
        return;
    }
    it->second.waiting.push_back(std::move(found));
    if (it->second.waiting.size() > 1) {
        return; // a load is under way: this find is answered with it
    }
    lock.unlock();
    store_.load_async(id, [this, id](std::optional<store::workshop_snapshot> snapshot) {
        // Built on an I/O thread, not on the store's writer.
        asio::post(executor_, [this, id, snapshot = std::move(snapshot)]() mutable {
            loaded(id, std::move(snapshot));
        });
    });
}

void registry::loaded(std::string const& id, std::optional<store::workshop_snapshot> snapshot) {
    std::shared_ptr<workshop_actor> actor;
    if (snapshot) {
        try {
            actor = std::make_shared<workshop_actor>(executor_,
                                                     std::make_unique<domain::workshop>(*snapshot),
                                                     store_, options_, metrics_);
        } catch (std::exception const& e) {
            log::error("an ended workshop could not be loaded",
                       {{"workshop", id}, {"error", e.what()}});
        }
    } else {
        log::error("an ended workshop could not be read", {{"workshop", id}});
    }
    std::vector<found_handler> waiting;
    {
        std::lock_guard lock(mutex_);
        auto it = workshops_.find(id);
        if (it == workshops_.end()) {
            // Deleted while it was being read (remove): it is no longer to be found.
            actor.reset();
        } else {
            it->second.actor = actor;
            it->second.used = std::chrono::steady_clock::now();
            waiting.swap(it->second.waiting);
            count_loaded();
        }
    }
    if (actor) {
        log::info("ended workshop loaded", {{"workshop", id}});
    }
    for (auto& found : waiting) {
        found(actor);
    }
}

void registry::schedule_sweep() {
    if (halted_) {
        return;
    }
    // A quarter of the idle time, within 10 ms and a minute.
    auto const every = std::clamp(registry_options_.ended_idle / 4, std::chrono::milliseconds(10),
                                  std::chrono::milliseconds(60'000));
    sweep_timer_.expires_after(every);
    sweep_timer_.async_wait([this](boost::system::error_code ec) {
        if (!ec) {
            sweep();
        }
    });
}

void registry::sweep() {
    auto const now = std::chrono::steady_clock::now();
    std::vector<std::shared_ptr<workshop_actor>> idle;
    {
        std::lock_guard lock(mutex_);
        for (auto& [id, e] : workshops_) {
            // A find touches `used` under this mutex before it hands the actor out, so an actor
            // dropped here is not about to be joined.
            if (e.actor && e.actor->ended() && e.actor->member_count() == 0 &&
                now - e.used >= registry_options_.ended_idle) {
                idle.push_back(std::move(e.actor));
            }
        }
        if (!idle.empty()) {
            count_loaded();
        }
    }
    for (auto const& a : idle) {
        a->halt();
        log::info("ended workshop unloaded", {{"workshop", a->id()}});
    }
    schedule_sweep();
}

void registry::halt() {
    asio::post(sweep_strand_, [this] {
        halted_ = true;
        sweep_timer_.cancel();
    });
    for (auto const& a : all()) {
        a->halt();
    }
}

void registry::create(protocol::workshop_spec spec, std::string definition,
                      std::function<void(std::optional<created_workshop>)> done) {
    created_workshop out;
    out.id = auth::new_id("w");
    {
        std::lock_guard lock(mutex_);
        do {
            out.code = auth::new_join_code();
        } while (ids_by_code_.contains(out.code) || reserved_codes_.contains(out.code));
        reserved_codes_.insert(out.code);
    }
    out.facilitator_token = auth::new_token();
    out.presenter_token = auth::derive_token(out.facilitator_token, "presenter");
    domain::workshop_identity identity{out.id,
                                       out.code,
                                       auth::hash_token(out.facilitator_token),
                                       auth::hash_token(out.presenter_token),
                                       {}};
    for (std::size_t i = 0; i < spec.activities.size(); ++i) {
        identity.activity_ids.push_back(auth::new_id("a"));
    }
    store::record creation;
    auto ws =
        std::make_shared<std::unique_ptr<domain::workshop>>(std::make_unique<domain::workshop>(
            std::move(identity), std::move(spec), std::move(definition),
            std::chrono::duration_cast<std::chrono::milliseconds>(
                std::chrono::system_clock::now().time_since_epoch())
                .count(),
            creation));
    auto code = out.code;
    bool queued = store_.try_persist({std::move(creation)}, [this, ws, out, done](bool ok) {
        if (!ok) {
            std::lock_guard lock(mutex_);
            reserved_codes_.erase(out.code);
            done(std::nullopt);
            return;
        }
        add(std::move(*ws));
        log::info("workshop created", {{"workshop", out.id}, {"code", out.code}});
        done(out);
    });
    if (!queued) {
        std::lock_guard lock(mutex_);
        reserved_codes_.erase(code);
        done(std::nullopt);
    }
}

void registry::restore_kiosks(std::vector<store::kiosk_row> const& rows) {
    std::lock_guard lock(mutex_);
    for (auto const& r : rows) {
        kiosks_[r.id] = kiosk_entry{r.id, r.name, r.workshop, r.token_hash};
    }
}

void registry::save_kiosk(kiosk_entry k, std::string_view event,
                          std::function<void(std::optional<kiosk_entry>)> done) {
    store::kiosk_saved record{k.id, k.name, k.workshop, k.token_hash,
                              std::chrono::duration_cast<std::chrono::milliseconds>(
                                  std::chrono::system_clock::now().time_since_epoch())
                                  .count()};
    bool queued = store_.try_persist({record}, [this, k, event, done](bool ok) {
        if (!ok) {
            done(std::nullopt);
            return;
        }
        {
            std::lock_guard lock(mutex_);
            kiosks_[k.id] = k;
        }
        log::info(event, {{"kiosk", k.id}, {"workshop", k.workshop}});
        done(k);
    });
    if (!queued) {
        done(std::nullopt);
    }
}

void registry::register_kiosk(
    std::string name, std::string workshop,
    std::function<void(std::optional<std::pair<kiosk_entry, std::string>>)> done) {
    auto token = auth::new_token();
    kiosk_entry k{auth::new_id("k"), std::move(name), std::move(workshop), auth::hash_token(token)};
    save_kiosk(std::move(k), "kiosk registered", [token, done](std::optional<kiosk_entry> saved) {
        if (!saved) {
            done(std::nullopt);
        } else {
            done(std::pair(std::move(*saved), token));
        }
    });
}

void registry::rebind_kiosk(std::string const& id, std::optional<std::string> name,
                            std::string workshop,
                            std::function<void(std::optional<kiosk_entry>)> done) {
    auto current = kiosk(id);
    if (!current) {
        done(std::nullopt);
        return;
    }
    if (name) {
        current->name = std::move(*name);
    }
    current->workshop = std::move(workshop);
    save_kiosk(std::move(*current), "kiosk rebound", std::move(done));
}

std::optional<kiosk_entry> registry::kiosk(std::string const& id) const {
    std::lock_guard lock(mutex_);
    auto it = kiosks_.find(id);
    if (it == kiosks_.end()) {
        return std::nullopt;
    }
    return it->second;
}

std::optional<std::string> registry::facilitator_token_hash(std::string const& id) const {
    std::lock_guard lock(mutex_);
    auto it = workshops_.find(id);
    if (it == workshops_.end()) {
        return std::nullopt;
    }
    return it->second.facilitator_token_hash;
}

std::size_t registry::count() const {
    std::lock_guard lock(mutex_);
    return workshops_.size();
}

std::vector<std::shared_ptr<workshop_actor>> registry::all() const {
    std::lock_guard lock(mutex_);
    std::vector<std::shared_ptr<workshop_actor>> out;
    for (auto const& [id, e] : workshops_) {
        if (e.actor) {
            out.push_back(e.actor);
        }
    }
    return out;
}

void registry::close_all() {
    for (auto const& a : all()) {
        a->close_all();
    }
}

} // namespace cylch::live
