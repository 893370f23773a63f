// Staff accounts (admin, facilitator, reviewer), their sign-in sessions and who may see
// which workshop (docs/protocol.md, "Accounts"; docs/security.md, "Accounts").
//
// Sessions and workshop access are held in memory (loaded at start), so checking a request
// never waits for the disk. Everything slow — Argon2id hashing, reading and writing account
// rows — runs on one worker thread with a bounded queue; the completions are called there.
//
// Thread-safety: every public function may be called from any thread.
#pragma once

#include "server/store/account_store.hpp"

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <unordered_map>
#include <variant>
#include <vector>

namespace cylch::auth {

using protocol::account_role;
using clock = std::chrono::system_clock;

struct account_options {
    std::chrono::seconds session_lifetime{std::chrono::hours(12)};
    std::size_t max_queued = 256;       // worker jobs waiting; beyond, requests are refused
    int failures_before_lock = 5;       // wrong passwords in a row before an account waits
    std::chrono::seconds max_lock{900}; // the longest wait (doubling from 1 s)
    std::size_t max_sessions = 10'000;  // live sessions in all
};

// A signed-in staff member, as a request sees them.
struct session_info {
    std::string user_id;
    std::string name;
    account_role role = account_role::facilitator;
    std::string csrf;
    clock::time_point expires{};
};

enum class workshop_access_kind { owner, shared };

struct login_ok {
    std::string session_token; // goes in the cookie; only its hash is kept
    session_info session;
};
// Wrong name or password, or a disabled account (indistinguishable to the client). For the
// audit log only: the account's stored name when the name is one (else nullopt: what was typed
// may be a password typed in the wrong box, and is not kept).
struct login_refused {
    std::optional<std::string> account{};
};
struct login_locked { // too many wrong passwords for this account just now
    std::chrono::milliseconds retry_after{};
};
struct worker_busy {}; // the queue is full, or the database failed
using login_result = std::variant<login_ok, login_refused, login_locked, worker_busy>;

struct user_made {
    store::user_row user;
};
struct name_taken {};
using add_user_result = std::variant<user_made, name_taken, worker_busy>;

class accounts {
public:
    // Opens its own connection to the (already migrated) database, loads the live sessions
    // and the workshop access, and starts the worker. Throws std::exception on failure.
    accounts(std::string const& db_path, account_options options = {});
    ~accounts();
    accounts(accounts const&) = delete;
    accounts& operator=(accounts const&) = delete;

    // Memory only. The session whose cookie value is `token`, if it is live at `now`.
    std::optional<session_info> session(std::string_view token, clock::time_point now) const;
    // Memory only. How `user_id` may reach `workshop_id` (nullopt: not as owner or shared).
    std::optional<workshop_access_kind> access(std::string_view user_id,
                                               std::string_view workshop_id) const;
    // Memory only. The owner's user id of a workshop made by an account.
    std::optional<std::string> owner_of(std::string_view workshop_id) const;

    void login(std::string name, std::string password, clock::time_point now,
               std::function<void(login_result)> done);
    // Revokes the session of this cookie value (no-op when there is none).
    void logout(std::string_view token);

    void add_user(std::string name, account_role role, std::string password, clock::time_point now,
                  std::function<void(add_user_result)> done);
    // nullopt: busy or failed.
    void list_users(std::function<void(std::optional<std::vector<store::user_row>>)> done);
    // Changes a user's role or disables them (their sessions end at once). The result: the
    // user as now stored; nullopt when there is no such user; worker_busy on failure.
    void update_user(
        std::string id, std::optional<account_role> role, std::optional<bool> disabled,
        std::function<void(std::variant<std::optional<store::user_row>, worker_busy>)> done);

    // Memory only: a deleted workshop's owner and sharers (the store deleted their rows).
    void forget_workshop(std::string_view workshop_id);
    // Records the owner of a workshop an account made (kept in memory at once).
    void set_owner(std::string workshop_id, std::string user_id);
    // Shares a workshop with the facilitator named; the result: the user it was shared with,
    // nullopt when there is no such active facilitator, worker_busy on failure.
    void share(std::string workshop_id, std::string user_name,
               std::function<void(std::variant<std::optional<store::user_row>, worker_busy>)> done);
    // Every stored workshop with its owner's name (nullopt: busy or failed).
    void list_workshops(
        std::function<void(std::optional<std::vector<
                               std::pair<store::workshop_brief, std::optional<std::string>>>>)>
            done);

    // Archives an ended workshop (at: when) or takes it out of the archive (nullopt); `done`
    // gets false when there is no such workshop or it is live.
    void set_archived(std::string workshop_id, std::optional<std::int64_t> at,
                      std::function<void(std::variant<bool, worker_busy>)> done);

    // The workshop file of a stored workshop (nullopt: none such, busy or failed).
    void definition_of(std::string workshop_id,
                       std::function<void(std::optional<std::string>)> done);

    // Finishes the queued jobs and stops the worker. Idempotent.
    void stop();

private:
    bool post(std::function<void(store::account_store&)> job);
    void run();
    // The wait, if any, before `name` may try a password again.
    std::optional<std::chrono::milliseconds> locked(std::string const& key,
                                                    clock::time_point now) const;
    void record_failure(std::string const& key, clock::time_point now);

    account_options const options_;
    store::account_store db_; // the worker's only

    mutable std::mutex mutex_;
    std::condition_variable wake_;
    std::deque<std::function<void(store::account_store&)>> queue_; // guarded
    bool stopping_ = false;                                        // guarded
    // Guarded: live sessions by the hash of their token.
    std::unordered_map<std::string, session_info> sessions_;
    // Guarded: workshop id → user id → access.
    std::map<std::string, std::map<std::string, workshop_access_kind, std::less<>>, std::less<>>
        access_;
    struct failures {
        int count = 0;
        clock::time_point until{};
    };
    // Guarded: wrong passwords per account name (lower case); bounded by max_sessions.
    std::unordered_map<std::string, failures> failures_;
    std::thread worker_;
};

} // namespace cylch::auth
