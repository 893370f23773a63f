#include "server/auth/accounts.hpp"

#include "server/auth/tokens.hpp"
#include "server/log.hpp"

#include <algorithm>
#include <cctype>

namespace cylch::auth {
namespace {

store::time_ms to_ms(clock::time_point t) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

clock::time_point from_ms(store::time_ms ms) {
    return clock::time_point(std::chrono::milliseconds(ms));
}

std::string lower(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

} // namespace

accounts::accounts(std::string const& db_path, account_options options)
    : options_(options)
    , db_(db_path) {
    auto const now = to_ms(clock::now());
    for (auto const& s : db_.live_sessions(now)) {
        auto user = db_.user_by_id(s.user_id);
        if (user && !user->disabled) {
            sessions_.emplace(s.id_hash, session_info{user->id, user->name, user->role, s.csrf,
                                                      from_ms(s.expires_at)});
        }
    }
    for (auto const& a : db_.access()) {
        access_[a.workshop_id][a.user_id] =
            a.owner ? workshop_access_kind::owner : workshop_access_kind::shared;
    }
    worker_ = std::thread([this] { run(); });
}

accounts::~accounts() {
    stop();
}

void accounts::stop() {
    {
        std::lock_guard lock(mutex_);
        if (stopping_) {
            return;
        }
        stopping_ = true;
    }
    wake_.notify_all();
    if (worker_.joinable()) {
        worker_.join();
    }
}

bool accounts::post(std::function<void(store::account_store&)> job) {
    {
        std::lock_guard lock(mutex_);
        if (stopping_ || queue_.size() >= options_.max_queued) {
            return false;
        }
        queue_.push_back(std::move(job));
    }
    wake_.notify_one();
    return true;
}

void accounts::run() {
    for (;;) {
        std::function<void(store::account_store&)> job;
        {
            std::unique_lock lock(mutex_);
            wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
            if (queue_.empty()) {
                return;
            }
            job = std::move(queue_.front());
            queue_.pop_front();
        }
        try {
            job(db_);
        } catch (std::exception const& e) {
            // A job reports its own failures; reaching here is a defect, logged, not fatal.
            log::error("account job failed", {{"error", e.what()}});
        }
    }
}

std::optional<session_info> accounts::session(std::string_view token, clock::time_point now) const {
    if (token.empty()) {
        return std::nullopt;
    }
    auto const key = hash_token(token);
    std::lock_guard lock(mutex_);
    auto it = sessions_.find(key);
    if (it == sessions_.end() || it->second.expires <= now) {
        return std::nullopt;
    }
    return it->second;
}

std::optional<workshop_access_kind> accounts::access(std::string_view user_id,
                                                     std::string_view workshop_id) const {
    std::lock_guard lock(mutex_);
    auto w = access_.find(workshop_id);
    if (w == access_.end()) {
        return std::nullopt;
    }
    auto u = w->second.find(user_id);
    if (u == w->second.end()) {
        return std::nullopt;
    }
    return u->second;
}

void accounts::forget_workshop(std::string_view workshop_id) {
    std::lock_guard lock(mutex_);
    if (auto w = access_.find(workshop_id); w != access_.end()) {
        access_.erase(w);
    }
}

std::optional<std::string> accounts::owner_of(std::string_view workshop_id) const {
    std::lock_guard lock(mutex_);
    auto w = access_.find(workshop_id);
    if (w != access_.end()) {
        for (auto const& [user, kind] : w->second) {
            if (kind == workshop_access_kind::owner) {
                return user;
            }
        }
    }
    return std::nullopt;
}

std::optional<std::chrono::milliseconds> accounts::locked(std::string const& key,
                                                          clock::time_point now) const {
    std::lock_guard lock(mutex_);
    auto it = failures_.find(key);
    if (it == failures_.end() || it->second.until <= now) {
        return std::nullopt;
    }
    return std::chrono::duration_cast<std::chrono::milliseconds>(it->second.until - now);
}

void accounts::record_failure(std::string const& key, clock::time_point now) {
    std::lock_guard lock(mutex_);
    if (failures_.size() >= options_.max_sessions && !failures_.contains(key)) {
        // Bounded: forget entries whose wait is over (at worst, every entry).
        std::erase_if(failures_, [now](auto const& f) { return f.second.until <= now; });
        if (failures_.size() >= options_.max_sessions) {
            failures_.clear();
        }
    }
    auto& f = failures_[key];
    ++f.count;
    if (f.count >= options_.failures_before_lock) {
        auto const doublings = std::min(f.count - options_.failures_before_lock, 20);
        auto wait = std::chrono::seconds(1LL << doublings);
        f.until = now + std::min<std::chrono::seconds>(wait, options_.max_lock);
    }
}

void accounts::login(std::string name, std::string password, clock::time_point now,
                     std::function<void(login_result)> done) {
    auto const key = lower(name);
    if (auto wait = locked(key, now)) {
        done(login_locked{*wait});
        return;
    }
    auto job = [this, key, name = std::move(name), password = std::move(password), now,
                done](store::account_store& db) {
        try {
            auto user = db.user_by_name(name);
            // The same work whether or not the name exists: names are not probed by timing.
            static std::string const decoy = hash_password("not a password of anyone");
            bool const match =
                verify_password(user ? user->password_hash : decoy, password) && user;
            if (!match || user->disabled) {
                record_failure(key, now);
                done(login_refused{user ? std::optional<std::string>(user->name) : std::nullopt});
                return;
            }
            {
                std::lock_guard lock(mutex_);
                failures_.erase(key);
            }
            auto token = new_token();
            store::session_row row{hash_token(token), user->id, new_token(), to_ms(now),
                                   to_ms(now + options_.session_lifetime)};
            session_info info{user->id, user->name, user->role, row.csrf,
                              now + options_.session_lifetime};
            {
                std::lock_guard lock(mutex_);
                if (sessions_.size() >= options_.max_sessions) {
                    std::erase_if(sessions_,
                                  [now](auto const& s) { return s.second.expires <= now; });
                }
                if (sessions_.size() >= options_.max_sessions) {
                    done(worker_busy{});
                    return;
                }
            }
            db.add_session(row);
            {
                std::lock_guard lock(mutex_);
                sessions_.emplace(row.id_hash, info);
            }
            done(login_ok{std::move(token), std::move(info)});
        } catch (std::exception const& e) {
            log::error("login failed in the database", {{"error", e.what()}});
            done(worker_busy{});
        }
    };
    if (!post(std::move(job))) {
        done(worker_busy{});
    }
}

void accounts::logout(std::string_view token) {
    if (token.empty()) {
        return;
    }
    auto key = hash_token(token);
    {
        std::lock_guard lock(mutex_);
        if (sessions_.erase(key) == 0) {
            return;
        }
    }
    post([key](store::account_store& db) { db.revoke_session(key); });
}

void accounts::add_user(std::string name, account_role role, std::string password,
                        clock::time_point now, std::function<void(add_user_result)> done) {
    auto job = [name = std::move(name), role, password = std::move(password), now,
                done](store::account_store& db) {
        try {
            store::user_row u{new_id("u"), name, role, hash_password(password), false, to_ms(now)};
            if (!db.add_user(u)) {
                done(name_taken{});
                return;
            }
            done(user_made{std::move(u)});
        } catch (std::exception const& e) {
            log::error("adding a user failed", {{"error", e.what()}});
            done(worker_busy{});
        }
    };
    if (!post(std::move(job))) {
        done(worker_busy{});
    }
}

void accounts::list_users(std::function<void(std::optional<std::vector<store::user_row>>)> done) {
    auto job = [done](store::account_store& db) {
        try {
            done(db.users());
        } catch (std::exception const& e) {
            log::error("listing users failed", {{"error", e.what()}});
            done(std::nullopt);
        }
    };
    if (!post(job)) {
        done(std::nullopt);
    }
}

void accounts::update_user(
    std::string id, std::optional<account_role> role, std::optional<bool> disabled,
    std::function<void(std::variant<std::optional<store::user_row>, worker_busy>)> done) {
    auto job = [this, id = std::move(id), role, disabled, done](store::account_store& db) {
        try {
            if (!db.update_user(id, role, disabled)) {
                done(std::optional<store::user_row>());
                return;
            }
            auto user = db.user_by_id(id);
            if (user && (user->disabled || role)) {
                // A disabled account signs out everywhere at once; a new role takes effect
                // at the next sign-in (the sessions carry the role they were opened with).
                db.revoke_sessions_of(id);
                std::lock_guard lock(mutex_);
                std::erase_if(sessions_, [&id](auto const& s) { return s.second.user_id == id; });
            }
            done(std::move(user));
        } catch (std::exception const& e) {
            log::error("changing a user failed", {{"error", e.what()}});
            done(worker_busy{});
        }
    };
    if (!post(job)) {
        done(worker_busy{});
    }
}

void accounts::set_owner(std::string workshop_id, std::string user_id) {
    {
        std::lock_guard lock(mutex_);
        access_[workshop_id][user_id] = workshop_access_kind::owner;
    }
    post([row = store::access_row{std::move(workshop_id), std::move(user_id), true}](
             store::account_store& db) {
        try {
            db.set_access(row);
        } catch (std::exception const& e) {
            log::error("recording a workshop's owner failed",
                       {{"workshop", row.workshop_id}, {"error", e.what()}});
        }
    });
}

void accounts::share(
    std::string workshop_id, std::string user_name,
    std::function<void(std::variant<std::optional<store::user_row>, worker_busy>)> done) {
    auto job = [this, workshop_id = std::move(workshop_id), user_name = std::move(user_name),
                done](store::account_store& db) {
        try {
            auto user = db.user_by_name(user_name);
            if (!user || user->disabled || user->role != account_role::facilitator) {
                done(std::optional<store::user_row>());
                return;
            }
            {
                std::lock_guard lock(mutex_);
                auto& users = access_[workshop_id];
                if (users.contains(user->id)) { // the owner stays owner
                    done(std::move(user));
                    return;
                }
                users[user->id] = workshop_access_kind::shared;
            }
            db.set_access({workshop_id, user->id, false});
            done(std::move(user));
        } catch (std::exception const& e) {
            log::error("sharing a workshop failed", {{"error", e.what()}});
            done(worker_busy{});
        }
    };
    if (!post(job)) {
        done(worker_busy{});
    }
}

void accounts::list_workshops(
    std::function<void(
        std::optional<std::vector<std::pair<store::workshop_brief, std::optional<std::string>>>>)>
        done) {
    auto job = [this, done](store::account_store& db) {
        try {
            std::map<std::string, std::string> names;
            for (auto const& u : db.users()) {
                names.emplace(u.id, u.name);
            }
            std::vector<std::pair<store::workshop_brief, std::optional<std::string>>> out;
            for (auto& w : db.workshops()) {
                std::optional<std::string> owner;
                if (auto id = owner_of(w.id); id && names.contains(*id)) {
                    owner = names[*id];
                }
                out.emplace_back(std::move(w), std::move(owner));
            }
            done(std::move(out));
        } catch (std::exception const& e) {
            log::error("listing workshops failed", {{"error", e.what()}});
            done(std::nullopt);
        }
    };
    if (!post(job)) {
        done(std::nullopt);
    }
}

void accounts::set_archived(std::string workshop_id, std::optional<std::int64_t> at,
                            std::function<void(std::variant<bool, worker_busy>)> done) {
    auto job = [workshop_id = std::move(workshop_id), at, done](store::account_store& db) {
        try {
            done(db.set_archived(workshop_id, at));
        } catch (std::exception const& e) {
            log::error("archiving a workshop failed", {{"error", e.what()}});
            done(worker_busy{});
        }
    };
    if (!post(job)) {
        done(worker_busy{});
    }
}

void accounts::definition_of(std::string workshop_id,
                             std::function<void(std::optional<std::string>)> done) {
    auto job = [workshop_id = std::move(workshop_id), done](store::account_store& db) {
        try {
            done(db.definition(workshop_id));
        } catch (std::exception const& e) {
            log::error("reading a workshop file failed", {{"error", e.what()}});
            done(std::nullopt);
        }
    };
    if (!post(job)) {
        done(std::nullopt);
    }
}

} // namespace cylch::auth
