#include "server/store/account_store.hpp"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <stdexcept>
#include <unordered_map>

namespace cylch::store {
namespace {

user_row read_user(SQLite::Statement& q) {
    user_row u;
    u.id = q.getColumn(0).getString();
    u.name = q.getColumn(1).getString();
    auto role = protocol::account_role_from_string(q.getColumn(2).getString());
    if (!role) {
        throw std::runtime_error("the database holds an unknown account role");
    }
    u.role = *role;
    u.password_hash = q.getColumn(3).getString();
    u.disabled = q.getColumn(4).getInt() != 0;
    u.created_at = q.getColumn(5).getInt64();
    return u;
}

constexpr char const* user_columns =
    "SELECT id, name, role, password_hash, disabled, created_at FROM users ";

} // namespace

account_store::account_store(std::string const& path)
    : db_(std::make_unique<SQLite::Database>(path, SQLite::OPEN_READWRITE)) {
    db_->setBusyTimeout(5000);
    db_->exec("PRAGMA foreign_keys = ON");
}

account_store::~account_store() = default;

std::optional<user_row> account_store::user_by_name(std::string_view name) {
    SQLite::Statement q(*db_, std::string(user_columns) + "WHERE name = ?");
    q.bind(1, std::string(name));
    if (!q.executeStep()) {
        return std::nullopt;
    }
    return read_user(q);
}

std::optional<user_row> account_store::user_by_id(std::string_view id) {
    SQLite::Statement q(*db_, std::string(user_columns) + "WHERE id = ?");
    q.bind(1, std::string(id));
    if (!q.executeStep()) {
        return std::nullopt;
    }
    return read_user(q);
}

std::vector<user_row> account_store::users() {
    SQLite::Statement q(*db_, std::string(user_columns) + "ORDER BY name");
    std::vector<user_row> out;
    while (q.executeStep()) {
        out.push_back(read_user(q));
    }
    return out;
}

bool account_store::add_user(user_row const& u) {
    SQLite::Statement q(*db_, "INSERT INTO users (id, name, role, password_hash, disabled, "
                              "created_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING");
    q.bind(1, u.id);
    q.bind(2, u.name);
    q.bind(3, std::string(protocol::to_string(u.role)));
    q.bind(4, u.password_hash);
    q.bind(5, u.disabled ? 1 : 0);
    q.bind(6, static_cast<std::int64_t>(u.created_at));
    return q.exec() == 1;
}

bool account_store::update_user(std::string_view id, std::optional<account_role> role,
                                std::optional<bool> disabled) {
    SQLite::Statement q(*db_, "UPDATE users SET role = coalesce(?, role), "
                              "disabled = coalesce(?, disabled) WHERE id = ?");
    if (role) {
        q.bind(1, std::string(protocol::to_string(*role)));
    } else {
        q.bind(1);
    }
    if (disabled) {
        q.bind(2, *disabled ? 1 : 0);
    } else {
        q.bind(2);
    }
    q.bind(3, std::string(id));
    return q.exec() == 1;
}

void account_store::add_session(session_row const& s) {
    SQLite::Statement q(*db_, "INSERT INTO sessions (id_hash, user_id, csrf, created_at, "
                              "expires_at) VALUES (?, ?, ?, ?, ?)");
    q.bind(1, s.id_hash);
    q.bind(2, s.user_id);
    q.bind(3, s.csrf);
    q.bind(4, static_cast<std::int64_t>(s.created_at));
    q.bind(5, static_cast<std::int64_t>(s.expires_at));
    q.exec();
}

void account_store::revoke_session(std::string_view id_hash) {
    SQLite::Statement q(*db_, "UPDATE sessions SET revoked = 1 WHERE id_hash = ?");
    q.bind(1, std::string(id_hash));
    q.exec();
}

void account_store::revoke_sessions_of(std::string_view user_id) {
    SQLite::Statement q(*db_, "UPDATE sessions SET revoked = 1 WHERE user_id = ?");
    q.bind(1, std::string(user_id));
    q.exec();
}

std::vector<session_row> account_store::live_sessions(time_ms now) {
    // Expired and revoked sessions are of no further use: they go first.
    SQLite::Statement gone(*db_, "DELETE FROM sessions WHERE revoked = 1 OR expires_at <= ?");
    gone.bind(1, static_cast<std::int64_t>(now));
    gone.exec();
    SQLite::Statement q(*db_, "SELECT s.id_hash, s.user_id, s.csrf, s.created_at, s.expires_at "
                              "FROM sessions s JOIN users u ON u.id = s.user_id "
                              "WHERE u.disabled = 0");
    std::vector<session_row> out;
    while (q.executeStep()) {
        out.push_back({q.getColumn(0).getString(), q.getColumn(1).getString(),
                       q.getColumn(2).getString(), q.getColumn(3).getInt64(),
                       q.getColumn(4).getInt64()});
    }
    return out;
}

std::vector<access_row> account_store::access() {
    SQLite::Statement q(*db_, "SELECT workshop_id, user_id, access FROM workshop_access");
    std::vector<access_row> out;
    while (q.executeStep()) {
        out.push_back({q.getColumn(0).getString(), q.getColumn(1).getString(),
                       q.getColumn(2).getString() == "owner"});
    }
    return out;
}

void account_store::set_access(access_row const& a) {
    SQLite::Statement q(*db_, "INSERT INTO workshop_access (workshop_id, user_id, access) "
                              "VALUES (?, ?, ?) ON CONFLICT (workshop_id, user_id) DO UPDATE "
                              "SET access = excluded.access");
    q.bind(1, a.workshop_id);
    q.bind(2, a.user_id);
    q.bind(3, a.owner ? "owner" : "shared");
    q.exec();
}

std::vector<workshop_brief> account_store::workshops() {
    SQLite::Statement q(*db_,
                        "SELECT w.id, w.definition, w.state, w.created_at, "
                        "(SELECT count(*) FROM participants p WHERE p.workshop_id = w.id "
                        "AND p.withdrawn_at IS NULL), "
                        "coalesce(w.purged_at, 0), coalesce(w.archived_at, 0) FROM workshops w "
                        "ORDER BY w.created_at DESC, w.id");
    std::vector<workshop_brief> out;
    while (q.executeStep()) {
        workshop_brief b;
        b.id = q.getColumn(0).getString();
        b.definition = q.getColumn(1).getString();
        b.state = protocol::workshop_state_from_string(q.getColumn(2).getString())
                      .value_or(workshop_state::live);
        b.created_at = q.getColumn(3).getInt64();
        b.participants = q.getColumn(4).getInt64();
        b.purged_at = q.getColumn(5).getInt64();
        b.archived_at = q.getColumn(6).getInt64();
        out.push_back(std::move(b));
    }
    SQLite::Statement groups(*db_, "SELECT workshop_id, grp, count(*) FROM participants WHERE "
                                   "withdrawn_at IS NULL AND grp IS NOT NULL "
                                   "GROUP BY workshop_id, grp");
    std::unordered_map<std::string, workshop_brief*> by_id;
    for (auto& b : out) {
        by_id.emplace(b.id, &b);
    }
    while (groups.executeStep()) {
        if (auto it = by_id.find(groups.getColumn(0).getString()); it != by_id.end()) {
            it->second->by_group.emplace_back(groups.getColumn(1).getString(),
                                              groups.getColumn(2).getInt64());
        }
    }
    return out;
}

bool account_store::set_archived(std::string const& workshop_id, std::optional<time_ms> at) {
    SQLite::Statement q(*db_, at ? "UPDATE workshops SET archived_at = ? WHERE id = ? AND "
                                   "state = 'ended'"
                                 : "UPDATE workshops SET archived_at = NULL WHERE id = ?");
    int i = 1;
    if (at) {
        q.bind(i++, static_cast<std::int64_t>(*at));
    }
    q.bind(i, workshop_id);
    return q.exec() == 1;
}

std::optional<std::string> account_store::definition(std::string_view workshop_id) {
    SQLite::Statement q(*db_, "SELECT definition FROM workshops WHERE id = ?");
    q.bind(1, std::string(workshop_id));
    if (!q.executeStep()) {
        return std::nullopt;
    }
    return q.getColumn(0).getString();
}

} // namespace cylch::store
