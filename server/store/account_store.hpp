// Staff accounts, their sessions and workshop access in the database (schema migration 7).
//
// Its own SQLite connection, used by one thread at a time (auth::accounts' worker, or the
// `cylch-server user` command): account writes are rare and small, so they do not go through
// the answers' group-commit writer. Open it after store::store has brought the schema up to
// date. Every function throws std::exception when the database fails.
#pragma once

#include "server/store/records.hpp"

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace SQLite {
class Database;
}

namespace cylch::store {

using protocol::account_role;

struct user_row {
    std::string id;
    std::string name;
    account_role role = account_role::facilitator;
    std::string password_hash; // Argon2id, libsodium's crypto_pwhash_str format
    bool disabled = false;
    time_ms created_at = 0;
};

struct session_row {
    std::string id_hash; // hash of the session id; the id itself is only in the cookie
    std::string user_id;
    std::string csrf;
    time_ms created_at = 0;
    time_ms expires_at = 0;
};

struct access_row {
    std::string workshop_id;
    std::string user_id;
    bool owner = false; // else shared with this user by the owner or an admin
};

// What the workshop list shows of each stored workshop.
struct workshop_brief {
    std::string id;
    std::string definition;
    workshop_state state = workshop_state::live;
    time_ms created_at = 0;
    std::int64_t participants = 0;
    time_ms purged_at = 0;   // responses purged (retention); 0: not purged
    time_ms archived_at = 0; // archived by staff; 0: not archived
    // Participants (stored, not withdrawn) per group id they chose; those who chose none are
    // not listed.
    std::vector<std::pair<std::string, std::int64_t>> by_group;
};

class account_store {
public:
    explicit account_store(std::string const& path);
    ~account_store();
    account_store(account_store const&) = delete;
    account_store& operator=(account_store const&) = delete;

    std::optional<user_row> user_by_name(std::string_view name);
    std::optional<user_row> user_by_id(std::string_view id);
    std::vector<user_row> users();
    // False (and nothing written) when the name is taken, whatever its case.
    bool add_user(user_row const& u);
    // Changes role and/or disabled; false when there is no such user.
    bool update_user(std::string_view id, std::optional<account_role> role,
                     std::optional<bool> disabled);

    void add_session(session_row const& s);
    void revoke_session(std::string_view id_hash);
    void revoke_sessions_of(std::string_view user_id);
    // Sessions neither revoked nor expired at `now`.
    std::vector<session_row> live_sessions(time_ms now);

    std::vector<access_row> access();
    void set_access(access_row const& a);

    std::vector<workshop_brief> workshops();
    // Archives an ended workshop at `at` (nullopt: takes it out of the archive). False when
    // there is no such workshop, or it is live (only ended ones are archived).
    bool set_archived(std::string const& workshop_id, std::optional<time_ms> at);
    // The workshop file a workshop was made from; nullopt when there is no such workshop.
    std::optional<std::string> definition(std::string_view workshop_id);

private:
    std::unique_ptr<SQLite::Database> db_;
};

} // namespace cylch::store
