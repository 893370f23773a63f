// The database schema as an ordered list of migrations. The schema version is SQLite's
// `PRAGMA user_version`: migration i (1-based) brings version i-1 to i.
#pragma once

#include <SQLiteCpp/Database.h>

namespace cylch::store {

// The version this build writes.
int schema_version();

// Applies every migration newer than the database's version, each in its own transaction.
// Throws std::runtime_error when the database is newer than this build knows.
void migrate(SQLite::Database& db);

// Migrates only up to `target` (tests of the migrations themselves).
void migrate(SQLite::Database& db, int target);

} // namespace cylch::store
