// Consistent copies of the database while the server runs (`cylch-server backup`,
// docs/operations.md, "Backups").
//
// Thread-safety: none needed; it opens its own connections. Safe beside a running server: it
// reads a snapshot through SQLite's online backup API (in WAL mode readers never block the
// writer), and the copy reflects the database at or after the moment it was started.
#pragma once

#include <string>

namespace cylch::store {

struct backup_result {
    int pages = 0;    // pages copied
    int restarts = 0; // times a write by the server made the copy start again
};

// Copies the database at `db_path` to `file` (written as file + ".partial", synced, checked
// with PRAGMA integrity_check, then renamed over `file`). Copies `pages_per_step` pages at a
// time; when the server's writes keep restarting the copy, the rest is taken in one step.
// Throws std::runtime_error with the reason when the copy cannot be made.
backup_result backup(std::string const& db_path, std::string const& file, int pages_per_step = 256);

} // namespace cylch::store
