#include "server/store/audit.hpp"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <chrono>
#include <stdexcept>

namespace cylch::store {
namespace {

void bind_optional(SQLite::Statement& st, int index, std::optional<std::string> const& v) {
    if (v) {
        st.bind(index, *v);
    } else {
        st.bind(index);
    }
}

std::optional<std::string> optional_text(SQLite::Column const& c) {
    if (c.isNull()) {
        return std::nullopt;
    }
    return c.getString();
}

} // namespace

void append_audit(SQLite::Database& db, audit_entry const& e) {
    SQLite::Statement st(db, "INSERT INTO audit (at, actor_kind, actor, action, workshop_id, "
                             "detail, address) VALUES (?, ?, ?, ?, ?, ?, ?)");
    st.bind(1, static_cast<std::int64_t>(e.at));
    st.bind(2, std::string(protocol::to_string(e.actor_kind)));
    st.bind(3, e.actor);
    st.bind(4, std::string(protocol::to_string(e.action)));
    bind_optional(st, 5, e.workshop);
    bind_optional(st, 6, e.detail);
    bind_optional(st, 7, e.address);
    st.exec();
}

void append_audit(std::string const& db_path, audit_entry const& e) {
    SQLite::Database db(db_path, SQLite::OPEN_READWRITE);
    db.setBusyTimeout(5000);
    append_audit(db, e);
}

time_ms audit_now() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

std::vector<audit_entry> read_audit(SQLite::Database& db, audit_query const& q) {
    std::string sql = "SELECT id, at, actor_kind, actor, action, workshop_id, detail, address "
                      "FROM audit WHERE 1";
    if (q.action) {
        sql += " AND action = :action";
    }
    if (q.workshop) {
        sql += " AND workshop_id = :workshop";
    }
    if (q.actor) {
        sql += " AND actor = :actor COLLATE NOCASE";
    }
    if (q.from != 0) {
        sql += " AND at >= :from";
    }
    if (q.to != 0) {
        sql += " AND at < :to";
    }
    if (q.before != 0) {
        sql += " AND id < :before";
    }
    sql += " ORDER BY id DESC LIMIT :limit";
    SQLite::Statement st(db, sql);
    if (q.action) {
        st.bind(":action", std::string(protocol::to_string(*q.action)));
    }
    if (q.workshop) {
        st.bind(":workshop", *q.workshop);
    }
    if (q.actor) {
        st.bind(":actor", *q.actor);
    }
    if (q.from != 0) {
        st.bind(":from", static_cast<std::int64_t>(q.from));
    }
    if (q.to != 0) {
        st.bind(":to", static_cast<std::int64_t>(q.to));
    }
    if (q.before != 0) {
        st.bind(":before", q.before);
    }
    st.bind(":limit", static_cast<std::int64_t>(q.limit));
    std::vector<audit_entry> out;
    while (st.executeStep()) {
        audit_entry e;
        e.id = st.getColumn(0).getInt64();
        e.at = st.getColumn(1).getInt64();
        auto kind = protocol::audit_actor_from_string(st.getColumn(2).getString());
        auto action = protocol::audit_action_from_string(st.getColumn(4).getString());
        if (!kind || !action) {
            throw std::runtime_error("the audit log holds an unknown action or actor kind");
        }
        e.actor_kind = *kind;
        e.actor = st.getColumn(3).getString();
        e.action = *action;
        e.workshop = optional_text(st.getColumn(5));
        e.detail = optional_text(st.getColumn(6));
        e.address = optional_text(st.getColumn(7));
        out.push_back(std::move(e));
    }
    return out;
}

} // namespace cylch::store
