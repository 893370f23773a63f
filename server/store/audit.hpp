// The audit log in the database (schema migration 9; docs/data-protection.md, "Audit trail"):
// appending one entry and reading entries back, on a connection the caller owns.
//
// The server appends through its writer (an audit_entry record in a batch, store.hpp); a
// command with its own connection (`cylch-server user add`, `backup`, `purge`) calls
// append_audit() directly. The table refuses UPDATE and DELETE (triggers), so nothing here
// changes or removes an entry. Every function throws std::exception when the database fails.
#pragma once

#include "server/store/records.hpp"

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace SQLite {
class Database;
}

namespace cylch::store {

// Appends one entry (its `id` is ignored; the database gives the next one).
void append_audit(SQLite::Database& db, audit_entry const& e);
// The same on a connection of its own to the (already migrated) database at `db_path`, for a
// command run beside the server: waits up to 5 s for the server's writer.
void append_audit(std::string const& db_path, audit_entry const& e);

// The current time as the log records it (ms since the Unix epoch).
time_ms audit_now();

// Which entries to read, newest first.
struct audit_query {
    std::optional<protocol::audit_action> action{};
    std::optional<std::string> workshop{};
    std::optional<std::string> actor{}; // exact actor (an account name is compared without case)
    time_ms from = 0;                   // at >= from (0: no bound)
    time_ms to = 0;                     // at < to (0: no bound)
    std::int64_t before = 0;            // id < before (0: from the newest)
    std::size_t limit = 100;            // at most this many entries
};

inline constexpr std::size_t audit_page_max = 500;    // GET /api/audit's largest page
inline constexpr std::size_t audit_csv_max = 100'000; // GET /api/audit.csv's rows at most

std::vector<audit_entry> read_audit(SQLite::Database& db, audit_query const& q);

} // namespace cylch::store
