#include "server/live/registry.hpp"

#include "server/auth/tokens.hpp"
#include "server/log.hpp"

namespace cylch::live {

registry::registry(boost::asio::any_io_executor executor, store::store& store,
                   actor_options options, cylch::metrics& metrics)
    : executor_(std::move(executor))
    , store_(store)
    , options_(options)
    , metrics_(metrics) {}

std::shared_ptr<workshop_actor> registry::add(std::unique_ptr<domain::workshop> ws) {
    auto actor =
        std::make_shared<workshop_actor>(executor_, std::move(ws), store_, options_, metrics_);
    std::lock_guard lock(mutex_);
    by_id_[actor->id()] = actor;
    by_code_[actor->code()] = actor;
    reserved_codes_.erase(actor->code());
    metrics_.workshops.store(static_cast<std::int64_t>(by_id_.size()));
    return actor;
}

void registry::restore(std::vector<store::workshop_snapshot> const& snapshots) {
    for (auto const& s : snapshots) {
        add(std::make_unique<domain::workshop>(s));
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
        } while (by_code_.contains(out.code) || reserved_codes_.contains(out.code));
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

std::shared_ptr<workshop_actor> registry::by_code(std::string const& code) const {
    std::lock_guard lock(mutex_);
    auto it = by_code_.find(code);
    return it == by_code_.end() ? nullptr : it->second;
}

std::shared_ptr<workshop_actor> registry::by_id(std::string const& id) const {
    std::lock_guard lock(mutex_);
    auto it = by_id_.find(id);
    return it == by_id_.end() ? nullptr : it->second;
}

std::vector<std::shared_ptr<workshop_actor>> registry::all() const {
    std::lock_guard lock(mutex_);
    std::vector<std::shared_ptr<workshop_actor>> out;
    for (auto const& [id, a] : by_id_) {
        out.push_back(a);
    }
    return out;
}

void registry::close_all() {
    for (auto const& a : all()) {
        a->close_all();
    }
}

} // namespace cylch::live
