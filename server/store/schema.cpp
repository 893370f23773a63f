#include "server/store/schema.hpp"

#include <SQLiteCpp/Transaction.h>

#include <stdexcept>
#include <string>

namespace cylch::store {
namespace {

// Never edit a migration that has shipped: add a new one.
constexpr char const* migrations[] = {
    // 1: workshops, Likert activities, participants, votes, applied ops, settings.
    R"sql(
CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE workshops (
    id                     TEXT PRIMARY KEY,
    code                   TEXT NOT NULL,
    definition             TEXT NOT NULL,
    facilitator_token_hash TEXT NOT NULL,
    presenter_token_hash   TEXT NOT NULL,
    state                  TEXT NOT NULL,
    current_activity       TEXT,
    created_at             INTEGER NOT NULL,
    ended_at               INTEGER
);
CREATE TABLE activities (
    id          TEXT PRIMARY KEY,
    workshop_id TEXT NOT NULL REFERENCES workshops(id),
    position    INTEGER NOT NULL,
    state       TEXT NOT NULL,
    opened_at   INTEGER,
    closed_at   INTEGER,
    revealed_at INTEGER,
    UNIQUE (workshop_id, position)
);
CREATE TABLE participants (
    id          TEXT PRIMARY KEY,
    workshop_id TEXT NOT NULL REFERENCES workshops(id),
    token_hash  TEXT,
    channel     TEXT NOT NULL,
    grp         TEXT,
    lang        TEXT,
    consent     INTEGER NOT NULL,
    created_at  INTEGER NOT NULL
);
CREATE INDEX participants_by_workshop ON participants (workshop_id);
CREATE TABLE votes (
    activity_id    TEXT NOT NULL REFERENCES activities(id),
    participant_id TEXT NOT NULL REFERENCES participants(id),
    workshop_id    TEXT NOT NULL REFERENCES workshops(id),
    value          INTEGER NOT NULL,
    at             INTEGER NOT NULL,
    PRIMARY KEY (activity_id, participant_id)
) WITHOUT ROWID;
CREATE INDEX votes_by_workshop ON votes (workshop_id);
CREATE TABLE ops (
    workshop_id TEXT NOT NULL,
    actor_id    TEXT NOT NULL,
    op          TEXT NOT NULL,
    at          INTEGER NOT NULL,
    PRIMARY KEY (workshop_id, actor_id, op)
) WITHOUT ROWID;
)sql",
    // 2: kiosks, each bound to one workshop; only the hash of the device token is kept.
    R"sql(
CREATE TABLE kiosks (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    workshop_id TEXT NOT NULL REFERENCES workshops(id),
    token_hash  TEXT NOT NULL,
    created_at  INTEGER NOT NULL
);
)sql",
    // 3: sticky-note boards: notes (with their version), dots per giver, clusters, locks.
    R"sql(
CREATE TABLE notes (
    id          TEXT PRIMARY KEY,
    workshop_id TEXT NOT NULL REFERENCES workshops(id),
    activity_id TEXT NOT NULL REFERENCES activities(id),
    author_id   TEXT NOT NULL REFERENCES participants(id),
    text        TEXT NOT NULL,
    colour      TEXT NOT NULL,
    column_id   TEXT,
    x           REAL NOT NULL,
    y           REAL NOT NULL,
    version     INTEGER NOT NULL,
    cluster_id  TEXT,
    hidden      INTEGER NOT NULL,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
);
CREATE INDEX notes_by_workshop ON notes (workshop_id, created_at);
CREATE TABLE dots (
    note_id        TEXT NOT NULL REFERENCES notes(id),
    participant_id TEXT NOT NULL REFERENCES participants(id),
    workshop_id    TEXT NOT NULL REFERENCES workshops(id),
    count          INTEGER NOT NULL CHECK (count > 0),
    PRIMARY KEY (note_id, participant_id)
) WITHOUT ROWID;
CREATE INDEX dots_by_workshop ON dots (workshop_id);
CREATE TABLE clusters (
    workshop_id TEXT NOT NULL REFERENCES workshops(id),
    activity_id TEXT NOT NULL REFERENCES activities(id),
    id          TEXT NOT NULL,
    label       TEXT NOT NULL,
    position    INTEGER NOT NULL,
    PRIMARY KEY (activity_id, id)
) WITHOUT ROWID;
CREATE TABLE board_locks (
    activity_id TEXT PRIMARY KEY REFERENCES activities(id),
    workshop_id TEXT NOT NULL REFERENCES workshops(id),
    locked      INTEGER NOT NULL
);
)sql",
    // 4: applied ops become an append-only log. The workshop keeps the set of applied ops in
    // memory (loaded at start) and never stores one twice, so the table needs no key on the
    // op: appending touches the last pages only, where a key on random op ids dirtied one
    // page per vote (and read it back when it had left the cache).
    R"sql(
CREATE TABLE ops_log (
    workshop_id TEXT NOT NULL,
    actor_id    TEXT NOT NULL,
    op          TEXT NOT NULL,
    at          INTEGER NOT NULL
);
INSERT INTO ops_log (workshop_id, actor_id, op, at)
    SELECT workshop_id, actor_id, op, at FROM ops ORDER BY at;
DROP TABLE ops;
ALTER TABLE ops_log RENAME TO ops;
CREATE INDEX ops_by_workshop ON ops (workshop_id);
)sql",
    // 5: choice, ranking and open-text answers (one row per respondent and activity), and
    // the optional comment given with a Likert vote.
    R"sql(
ALTER TABLE votes ADD COLUMN comment TEXT;
CREATE TABLE answers (
    activity_id    TEXT NOT NULL REFERENCES activities(id),
    participant_id TEXT NOT NULL REFERENCES participants(id),
    workshop_id    TEXT NOT NULL REFERENCES workshops(id),
    id             TEXT NOT NULL,
    body           TEXT NOT NULL,
    comment        TEXT,
    shown_at       INTEGER,
    hidden         INTEGER NOT NULL,
    at             INTEGER NOT NULL,
    PRIMARY KEY (activity_id, participant_id)
) WITHOUT ROWID;
CREATE INDEX answers_by_workshop ON answers (workshop_id);
)sql",
    // 6: uploaded images (cards), kept in the database so that backups include them.
    R"sql(
CREATE TABLE images (
    id           TEXT PRIMARY KEY,
    content_type TEXT NOT NULL,
    bytes        BLOB NOT NULL,
    created_at   INTEGER NOT NULL
);
)sql",
    // 7: staff accounts (Argon2id password hashes), their sessions (only a hash of each
    // session id), and which accounts own or share a workshop. No foreign key to workshops:
    // erasing a workshop removes its rows here in the same transaction.
    R"sql(
CREATE TABLE users (
    id            TEXT PRIMARY KEY,
    name          TEXT NOT NULL UNIQUE COLLATE NOCASE,
    role          TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    disabled      INTEGER NOT NULL DEFAULT 0,
    created_at    INTEGER NOT NULL
);
CREATE TABLE sessions (
    id_hash    TEXT PRIMARY KEY,
    user_id    TEXT NOT NULL REFERENCES users(id),
    csrf       TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    revoked    INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX sessions_by_user ON sessions (user_id);
CREATE TABLE workshop_access (
    workshop_id TEXT NOT NULL,
    user_id     TEXT NOT NULL REFERENCES users(id),
    access      TEXT NOT NULL,
    PRIMARY KEY (workshop_id, user_id)
) WITHOUT ROWID;
)sql",
    // 8: withdrawal and erasure: a withdrawn participant keeps a row (for stable respondent
    // numbers and to refuse their token) without any of their data.
    R"sql(
ALTER TABLE participants ADD COLUMN withdrawn_at INTEGER;
)sql",
    // 9: the audit trail (docs/data-protection.md, "Audit trail"): append-only, enforced here;
    // no foreign keys, so that erasing a workshop or a respondent keeps its entries.
    R"sql(
CREATE TABLE audit (
    id          INTEGER PRIMARY KEY,
    at          INTEGER NOT NULL,
    actor_kind  TEXT NOT NULL,
    actor       TEXT NOT NULL,
    action      TEXT NOT NULL,
    workshop_id TEXT,
    detail      TEXT,
    address     TEXT
);
CREATE INDEX audit_by_workshop ON audit (workshop_id, id);
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;
)sql",
    // 10: retention: when a workshop's responses were purged, and the results kept then (the
    // publishable ones, without participants' texts) when the workshop file asked for them.
    R"sql(
ALTER TABLE workshops ADD COLUMN purged_at INTEGER;
CREATE TABLE kept_results (
    workshop_id TEXT PRIMARY KEY REFERENCES workshops(id),
    results     TEXT NOT NULL,
    kept_at     INTEGER NOT NULL
);
)sql",
    // 11: staff archive ended workshops (kept, out of the way of the workshop list).
    R"sql(
ALTER TABLE workshops ADD COLUMN archived_at INTEGER;
)sql",
};

constexpr int latest = static_cast<int>(std::size(migrations));

} // namespace

int schema_version() {
    return latest;
}

void migrate(SQLite::Database& db) {
    migrate(db, latest);
}

void migrate(SQLite::Database& db, int target) {
    if (target < 0 || target > latest) {
        throw std::invalid_argument("no schema version " + std::to_string(target));
    }
    int version = db.execAndGet("PRAGMA user_version").getInt();
    if (version > latest) {
        throw std::runtime_error("the database has schema version " + std::to_string(version) +
                                 ", newer than this build's " + std::to_string(latest));
    }
    for (int v = version; v < target; ++v) {
        SQLite::Transaction tx(db);
        db.exec(migrations[v]);
        db.exec("PRAGMA user_version = " + std::to_string(v + 1));
        tx.commit();
    }
}

} // namespace cylch::store
