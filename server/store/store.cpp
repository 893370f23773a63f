#include "server/store/store.hpp"

#include "server/store/audit.hpp"
#include "server/store/schema.hpp"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

#include <algorithm>
#include <chrono>
#include <stdexcept>
#include <utility>

namespace cylch::store {
namespace {

template <class... Ts>
struct overloaded : Ts... {
    using Ts::operator()...;
};

std::unique_ptr<SQLite::Database> open_database(std::string const& path, int flags) {
    auto db = std::make_unique<SQLite::Database>(path, flags);
    db->setBusyTimeout(5000);
    db->exec("PRAGMA foreign_keys = ON");
    return db;
}

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

template <class Enum>
Enum parse_enum(std::optional<Enum> v, std::string const& what) {
    if (!v) {
        throw std::runtime_error("the database holds an unknown " + what);
    }
    return *v;
}

void read_boards(SQLite::Database& db, workshop_snapshot& s) {
    SQLite::Statement n(db, "SELECT activity_id, id, author_id, text, colour, column_id, x, y, "
                            "version, cluster_id, hidden, created_at, updated_at FROM notes "
                            "WHERE workshop_id = ? ORDER BY created_at, rowid");
    n.bind(1, s.id);
    while (n.executeStep()) {
        note_saved r;
        r.workshop = s.id;
        r.activity = n.getColumn(0).getString();
        r.id = n.getColumn(1).getString();
        r.author = n.getColumn(2).getString();
        r.text = n.getColumn(3).getString();
        r.colour = n.getColumn(4).getString();
        r.column = optional_text(n.getColumn(5));
        r.x = n.getColumn(6).getDouble();
        r.y = n.getColumn(7).getDouble();
        r.version = n.getColumn(8).getInt64();
        r.cluster = optional_text(n.getColumn(9));
        r.hidden = n.getColumn(10).getInt() != 0;
        r.created_at = n.getColumn(11).getInt64();
        r.updated_at = n.getColumn(12).getInt64();
        s.notes.push_back(std::move(r));
    }
    SQLite::Statement d(db,
                        "SELECT note_id, participant_id, count FROM dots WHERE workshop_id = ?");
    d.bind(1, s.id);
    while (d.executeStep()) {
        s.dots.push_back(
            {d.getColumn(0).getString(), d.getColumn(1).getString(), d.getColumn(2).getInt()});
    }
    SQLite::Statement c(db, "SELECT activity_id, id, label, position FROM clusters WHERE "
                            "workshop_id = ? ORDER BY position");
    c.bind(1, s.id);
    while (c.executeStep()) {
        s.clusters.push_back({s.id, c.getColumn(0).getString(), c.getColumn(1).getString(),
                              c.getColumn(2).getString(), c.getColumn(3).getInt()});
    }
    SQLite::Statement l(db, "SELECT activity_id, locked FROM board_locks WHERE workshop_id = ?");
    l.bind(1, s.id);
    while (l.executeStep()) {
        s.locks.push_back({s.id, l.getColumn(0).getString(), l.getColumn(1).getInt() != 0});
    }
}

workshop_snapshot read_workshop(SQLite::Database& db, SQLite::Statement& w) {
    workshop_snapshot s;
    s.id = w.getColumn(0).getString();
    s.code = w.getColumn(1).getString();
    s.definition = w.getColumn(2).getString();
    s.facilitator_token_hash = w.getColumn(3).getString();
    s.presenter_token_hash = w.getColumn(4).getString();
    s.state = parse_enum(protocol::workshop_state_from_string(w.getColumn(5).getString()),
                         "workshop state");
    s.current_activity = optional_text(w.getColumn(6));
    s.created_at = w.getColumn(7).getInt64();
    s.purged_at = w.getColumn(8).getInt64();
    if (s.purged_at != 0) {
        SQLite::Statement k(db, "SELECT results FROM kept_results WHERE workshop_id = ?");
        k.bind(1, s.id);
        if (k.executeStep()) {
            s.kept = k.getColumn(0).getString();
        }
    }

    SQLite::Statement a(db, "SELECT id, position, state, coalesce(opened_at, 0), "
                            "coalesce(closed_at, 0), coalesce(revealed_at, 0) FROM activities "
                            "WHERE workshop_id = ? ORDER BY position");
    a.bind(1, s.id);
    while (a.executeStep()) {
        s.activities.push_back(
            {a.getColumn(0).getString(), a.getColumn(1).getInt(),
             parse_enum(protocol::activity_state_from_string(a.getColumn(2).getString()),
                        "activity state"),
             a.getColumn(3).getInt64(), a.getColumn(4).getInt64(), a.getColumn(5).getInt64()});
    }
    SQLite::Statement p(db, "SELECT id, token_hash, channel, grp, lang, consent, created_at, "
                            "coalesce(withdrawn_at, 0) FROM participants WHERE workshop_id = ? "
                            "ORDER BY created_at, id");
    p.bind(1, s.id);
    while (p.executeStep()) {
        participant_row r;
        r.id = p.getColumn(0).getString();
        r.token_hash = p.getColumn(1).isNull() ? std::string() : p.getColumn(1).getString();
        r.channel =
            parse_enum(protocol::channel_from_string(p.getColumn(2).getString()), "channel");
        r.group = optional_text(p.getColumn(3));
        r.lang = optional_text(p.getColumn(4));
        r.consent = p.getColumn(5).getInt() != 0;
        r.created_at = p.getColumn(6).getInt64();
        r.withdrawn_at = p.getColumn(7).getInt64();
        s.participants.push_back(std::move(r));
    }
    SQLite::Statement v(db, "SELECT activity_id, participant_id, value, at, comment FROM votes "
                            "WHERE workshop_id = ?");
    v.bind(1, s.id);
    while (v.executeStep()) {
        s.votes.push_back({v.getColumn(0).getString(), v.getColumn(1).getString(),
                           v.getColumn(2).getInt(), v.getColumn(3).getInt64(),
                           optional_text(v.getColumn(4))});
    }
    SQLite::Statement q(db, "SELECT activity_id, participant_id, id, body, comment, "
                            "coalesce(shown_at, 0), hidden, at FROM answers WHERE workshop_id = ? "
                            "ORDER BY at, participant_id");
    q.bind(1, s.id);
    while (q.executeStep()) {
        answer_row r;
        r.activity = q.getColumn(0).getString();
        r.participant = q.getColumn(1).getString();
        r.id = q.getColumn(2).getString();
        r.body = q.getColumn(3).getString();
        r.comment = optional_text(q.getColumn(4));
        r.shown_at = q.getColumn(5).getInt64();
        r.hidden = q.getColumn(6).getInt() != 0;
        r.at = q.getColumn(7).getInt64();
        s.answers.push_back(std::move(r));
    }
    // Each op once, in the order applied (last time stored): the workshop keeps each actor's
    // last ones.
    SQLite::Statement o(db, "SELECT actor_id, op FROM ops WHERE workshop_id = ? GROUP BY "
                            "actor_id, op ORDER BY max(rowid)");
    o.bind(1, s.id);
    while (o.executeStep()) {
        s.ops.push_back({o.getColumn(0).getString(), o.getColumn(1).getString()});
    }
    read_boards(db, s);
    return s;
}

constexpr char const* workshop_columns =
    "SELECT id, code, definition, facilitator_token_hash, presenter_token_hash, state, "
    "current_activity, created_at, coalesce(purged_at, 0) FROM workshops";

// Runs a prepared statement once and resets it, also when it fails, so that it can be used for
// the next record.
void run_and_reset(SQLite::Statement& st) {
    try {
        st.exec();
    } catch (...) {
        st.tryReset();
        st.clearBindings();
        throw;
    }
    st.reset();
    st.clearBindings();
}

std::vector<ended_workshop> read_ended_unpurged(SQLite::Database& db) {
    std::vector<ended_workshop> out;
    SQLite::Statement q(db, "SELECT id, definition, ended_at FROM workshops WHERE state = ? AND "
                            "ended_at IS NOT NULL AND purged_at IS NULL ORDER BY ended_at, id");
    q.bind(1, std::string(protocol::to_string(protocol::workshop_state::ended)));
    while (q.executeStep()) {
        out.push_back(
            {q.getColumn(0).getString(), q.getColumn(1).getString(), q.getColumn(2).getInt64()});
    }
    return out;
}

} // namespace

// Prepared once on the writer's connection, reused for every record.
struct store::statements {
    explicit statements(SQLite::Database& db)
        : insert_workshop(db,
                          "INSERT INTO workshops (id, code, definition, facilitator_token_hash, "
                          "presenter_token_hash, state, created_at) VALUES (?, ?, ?, ?, ?, "
                          "'live', ?)")
        , insert_activity(db, "INSERT INTO activities (id, workshop_id, position, state) VALUES "
                              "(?, ?, ?, 'pending')")
        , upsert_participant(
              db, "INSERT INTO participants (id, workshop_id, token_hash, channel, grp, "
                  "lang, consent, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON "
                  "CONFLICT (id) DO UPDATE SET grp = excluded.grp, lang = excluded.lang, "
                  "consent = excluded.consent")
        , upsert_vote(db, "INSERT INTO votes (activity_id, participant_id, workshop_id, value, at, "
                          "comment) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (activity_id, "
                          "participant_id) DO UPDATE SET value = excluded.value, at = "
                          "excluded.at, comment = excluded.comment")
        , delete_vote(db, "DELETE FROM votes WHERE activity_id = ? AND participant_id = ?")
        , upsert_answer(db, "INSERT INTO answers (activity_id, participant_id, workshop_id, id, "
                            "body, comment, shown_at, hidden, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, "
                            "nullif(?7, 0), ?8, ?9) ON CONFLICT (activity_id, participant_id) DO "
                            "UPDATE SET id = excluded.id, body = excluded.body, comment = "
                            "excluded.comment, shown_at = excluded.shown_at, hidden = "
                            "excluded.hidden, at = excluded.at")
        , delete_answer(db, "DELETE FROM answers WHERE activity_id = ? AND participant_id = ?")
        , insert_image(db, "INSERT INTO images (id, content_type, bytes, created_at) VALUES (?, ?, "
                           "?, ?) ON CONFLICT (id) DO NOTHING")
        , update_activity(db, "UPDATE activities SET state = ?1, opened_at = nullif(?2, 0), "
                              "closed_at = nullif(?3, 0), revealed_at = nullif(?4, 0) "
                              "WHERE id = ?5 AND workshop_id = ?6")
        , update_current(db, "UPDATE workshops SET current_activity = ? WHERE id = ?")
        , update_workshop_state(db, "UPDATE workshops SET state = ?1, ended_at = CASE WHEN ?1 = "
                                    "'ended' THEN ?2 ELSE ended_at END WHERE id = ?3")
        , delete_op_row(db, "DELETE FROM ops WHERE rowid = ?")
        , insert_op(db, "INSERT INTO ops (workshop_id, actor_id, op, at) VALUES (?, ?, "
                        "?, ?)")
        , upsert_kiosk(db, "INSERT INTO kiosks (id, name, workshop_id, token_hash, created_at) "
                           "VALUES (?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET name = "
                           "excluded.name, workshop_id = excluded.workshop_id, token_hash = "
                           "excluded.token_hash")
        , upsert_note(db, "INSERT INTO notes (id, workshop_id, activity_id, author_id, text, "
                          "colour, column_id, x, y, version, cluster_id, hidden, created_at, "
                          "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON "
                          "CONFLICT (id) DO UPDATE SET text = excluded.text, colour = "
                          "excluded.colour, column_id = excluded.column_id, x = excluded.x, y = "
                          "excluded.y, version = excluded.version, cluster_id = "
                          "excluded.cluster_id, hidden = excluded.hidden, updated_at = "
                          "excluded.updated_at")
        , delete_note_dots(db, "DELETE FROM dots WHERE note_id = ?")
        , delete_note(db, "DELETE FROM notes WHERE id = ? AND workshop_id = ?")
        , upsert_dots(db, "INSERT INTO dots (note_id, participant_id, workshop_id, count) VALUES "
                          "(?, ?, ?, ?) ON CONFLICT (note_id, participant_id) DO UPDATE SET "
                          "count = excluded.count")
        , delete_dots(db, "DELETE FROM dots WHERE note_id = ? AND participant_id = ?")
        , upsert_cluster(db, "INSERT INTO clusters (workshop_id, activity_id, id, label, "
                             "position) VALUES (?, ?, ?, ?, ?) ON CONFLICT (activity_id, id) DO "
                             "UPDATE SET label = excluded.label")
        , delete_cluster(db, "DELETE FROM clusters WHERE activity_id = ? AND id = ?")
        , upsert_lock(db, "INSERT INTO board_locks (activity_id, workshop_id, locked) VALUES (?, "
                          "?, ?) ON CONFLICT (activity_id) DO UPDATE SET locked = "
                          "excluded.locked")
        , erase_dots_on_notes_of(db, "DELETE FROM dots WHERE note_id IN (SELECT id FROM notes "
                                     "WHERE author_id = ?1 AND workshop_id = ?2)")
        , erase_dots_of(db, "DELETE FROM dots WHERE participant_id = ?1 AND workshop_id = ?2")
        , erase_notes_of(db, "DELETE FROM notes WHERE author_id = ?1 AND workshop_id = ?2")
        , erase_votes_of(db, "DELETE FROM votes WHERE participant_id = ?1 AND workshop_id = ?2")
        , erase_answers_of(db, "DELETE FROM answers WHERE participant_id = ?1 AND workshop_id = ?2")
        , erase_ops_of(db, "DELETE FROM ops WHERE actor_id = ?1 AND workshop_id = ?2")
        , mark_withdrawn(db, "UPDATE participants SET grp = NULL, lang = NULL, consent = 0, "
                             "withdrawn_at = ?3 WHERE id = ?1 AND workshop_id = ?2")
        , update_links(db, "UPDATE workshops SET facilitator_token_hash = ?, "
                           "presenter_token_hash = ? WHERE id = ?") {}

    SQLite::Statement insert_workshop;
    SQLite::Statement insert_activity;
    SQLite::Statement upsert_participant;
    SQLite::Statement upsert_vote;
    SQLite::Statement delete_vote;
    SQLite::Statement upsert_answer;
    SQLite::Statement delete_answer;
    SQLite::Statement insert_image;
    SQLite::Statement update_activity;
    SQLite::Statement update_current;
    SQLite::Statement update_workshop_state;
    SQLite::Statement delete_op_row;
    SQLite::Statement insert_op;
    SQLite::Statement upsert_kiosk;
    SQLite::Statement upsert_note;
    SQLite::Statement delete_note_dots;
    SQLite::Statement delete_note;
    SQLite::Statement upsert_dots;
    SQLite::Statement delete_dots;
    SQLite::Statement upsert_cluster;
    SQLite::Statement delete_cluster;
    SQLite::Statement upsert_lock;
    // participant_withdrawn, in this order.
    SQLite::Statement erase_dots_on_notes_of;
    SQLite::Statement erase_dots_of;
    SQLite::Statement erase_notes_of;
    SQLite::Statement erase_votes_of;
    SQLite::Statement erase_answers_of;
    SQLite::Statement erase_ops_of;
    SQLite::Statement mark_withdrawn;
    SQLite::Statement update_links;
};

store::store(store_options options)
    : options_(std::move(options)) {
    db_ = open_database(options_.path,
                        SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE | SQLite::OPEN_FULLMUTEX);
    db_->exec("PRAGMA journal_mode = WAL");
    db_->exec(options_.synchronous_full ? "PRAGMA synchronous = FULL"
                                        : "PRAGMA synchronous = NORMAL");
    // Up to 32 MiB of pages stay cached (SQLite's default is 2 MiB): the votes of a
    // 50,000-person audience are ~5 MB, and a page that leaves the cache is read back for the
    // next vote on it. Memory is taken only as pages are used.
    db_->exec("PRAGMA cache_size = -32768");
    // Erasure is real (docs/data-protection.md): deleted content is overwritten with zeros in
    // the pages that held it, and the WAL is checkpointed and truncated after an erasure.
    db_->exec("PRAGMA secure_delete = ON");
    migrate(*db_);
    stmts_ = std::make_unique<statements>(*db_);
    writer_ = std::thread([this] { run(); });
}

store::~store() {
    stop();
}

void store::stop() {
    {
        std::lock_guard lock(mutex_);
        if (stopping_ && !writer_.joinable()) {
            return;
        }
        stopping_ = true;
    }
    wake_.notify_all();
    if (writer_.joinable()) {
        writer_.join();
    }
}

bool store::has_room() const {
    std::lock_guard lock(mutex_);
    return !stopping_ && queue_.size() < options_.max_queued;
}

bool store::try_persist(std::vector<record> batch, completion done) {
    {
        std::lock_guard lock(mutex_);
        if (stopping_ || queue_.size() >= options_.max_queued) {
            return false;
        }
        queue_.push_back(batch_job{std::move(batch), std::move(done)});
        counters_.queued.store(queue_.size(), std::memory_order_relaxed);
    }
    wake_.notify_one();
    return true;
}

bool store::enqueue_read(job j) {
    {
        std::lock_guard lock(mutex_);
        if (stopping_) {
            return false;
        }
        queue_.push_back(std::move(j));
    }
    wake_.notify_one();
    return true;
}

void store::load_async(std::string workshop_id, load_completion done) {
    if (!enqueue_read(load_job{std::move(workshop_id), done})) {
        done(std::nullopt); // the writer is gone: nothing can be read any more
    }
}

void store::load_audit_async(audit_query query, audit_completion done) {
    {
        std::lock_guard lock(mutex_);
        if (!stopping_ && queue_.size() < options_.max_queued) {
            queue_.push_back(audit_job{std::move(query), done});
            wake_.notify_one();
            return;
        }
    }
    done(std::nullopt);
}

void store::ended_unpurged_async(ended_completion done) {
    if (!enqueue_read(ended_job{done})) {
        done(std::nullopt);
    }
}

void store::load_image_async(std::string id, image_completion done) {
    if (!enqueue_read(image_job{std::move(id), done})) {
        done(std::nullopt);
    }
}

std::vector<std::string> store::load_image_ids() {
    std::vector<std::string> ids;
    SQLite::Statement q(*db_, "SELECT id FROM images ORDER BY created_at");
    while (q.executeStep()) {
        ids.push_back(q.getColumn(0).getString());
    }
    return ids;
}

void store::run() {
    for (;;) {
        std::deque<job> jobs;
        {
            std::unique_lock lock(mutex_);
            wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
            if (queue_.empty()) {
                return; // stopping, and everything queued is done
            }
            jobs.swap(queue_);
            counters_.queued.store(0, std::memory_order_relaxed);
        }
        std::vector<batch_job> group;
        auto flush = [&] {
            if (!group.empty()) {
                write_group(group);
                group.clear();
            }
        };
        for (auto& j : jobs) {
            if (auto* b = std::get_if<batch_job>(&j)) {
                group.push_back(std::move(*b));
                if (group.size() >= options_.max_group) {
                    flush();
                }
            } else if (auto* img = std::get_if<image_job>(&j)) {
                flush();
                std::optional<image_row> row;
                try {
                    SQLite::Statement q(*db_,
                                        "SELECT content_type, bytes FROM images WHERE id = ?");
                    q.bind(1, img->id);
                    if (q.executeStep()) {
                        auto const bytes = q.getColumn(1);
                        row = image_row{q.getColumn(0).getString(),
                                        std::string(static_cast<char const*>(bytes.getBlob()),
                                                    static_cast<std::size_t>(bytes.getBytes()))};
                    }
                } catch (std::exception const&) {
                    row.reset();
                }
                img->done(std::move(row));
            } else if (auto* a = std::get_if<audit_job>(&j)) {
                flush();
                std::optional<std::vector<audit_entry>> rows;
                try {
                    rows = read_audit(*db_, a->query);
                } catch (std::exception const&) {
                    rows.reset();
                }
                a->done(std::move(rows));
            } else if (auto* e = std::get_if<ended_job>(&j)) {
                flush();
                std::optional<std::vector<ended_workshop>> rows;
                try {
                    rows = read_ended_unpurged(*db_);
                } catch (std::exception const&) {
                    rows.reset();
                }
                e->done(std::move(rows));
            } else {
                flush();
                auto& l = std::get<load_job>(j);
                std::optional<workshop_snapshot> snapshot;
                try {
                    SQLite::Statement w(*db_, std::string(workshop_columns) + " WHERE id = ?");
                    w.bind(1, l.workshop_id);
                    if (w.executeStep()) {
                        snapshot = read_workshop(*db_, w);
                    }
                } catch (std::exception const&) {
                    snapshot.reset();
                }
                l.done(std::move(snapshot));
            }
        }
        flush();
    }
}

void store::write_group(std::vector<batch_job>& group) {
    auto const start = std::chrono::steady_clock::now();
    auto finish = [&](std::size_t batches) {
        auto micros = std::chrono::duration_cast<std::chrono::microseconds>(
                          std::chrono::steady_clock::now() - start)
                          .count();
        counters_.commits.fetch_add(1, std::memory_order_relaxed);
        counters_.batches.fetch_add(batches, std::memory_order_relaxed);
        counters_.commit_micros.fetch_add(static_cast<std::uint64_t>(micros),
                                          std::memory_order_relaxed);
    };
    try {
        SQLite::Transaction tx(*db_);
        std::size_t n = 0;
        for (auto const& b : group) {
            write_records(b.records);
            n += b.records.size();
        }
        tx.commit();
        counters_.records.fetch_add(n, std::memory_order_relaxed);
        finish(group.size());
        checkpoint_after_erasure();
        for (auto& b : group) {
            b.done(true);
        }
        return;
    } catch (std::exception const&) {
        // One batch spoiled the group: write each on its own so the others still land.
        erased_ = false;
        op_rows_.clear(); // the rollback undid inserts and deletes they counted
    }
    for (auto& b : group) {
        bool ok = false;
        try {
            SQLite::Transaction tx(*db_);
            write_records(b.records);
            tx.commit();
            counters_.records.fetch_add(b.records.size(), std::memory_order_relaxed);
            finish(1);
            checkpoint_after_erasure();
            ok = true;
        } catch (std::exception const&) {
            counters_.failures.fetch_add(1, std::memory_order_relaxed);
            erased_ = false;
            op_rows_.clear();
        }
        b.done(ok);
    }
}

void store::checkpoint_after_erasure() {
    if (!std::exchange(erased_, false)) {
        return;
    }
    // The erased rows' old page images are still in the WAL: copy the zeroed pages into the
    // database and truncate the WAL. Readers (start-up reads, loads) are short; the busy timeout
    // waits for them. A checkpoint that cannot finish now is finished by the next one.
    try {
        SQLite::Statement st(*db_, "PRAGMA wal_checkpoint(TRUNCATE)");
        if (st.executeStep() && st.getColumn(0).getInt() != 0) {
            erased_ = true; // busy: try again after the next commit
        }
    } catch (std::exception const&) {
        erased_ = true;
    }
}

std::int64_t store::remember_op_row(op_rows& r, std::int64_t id) {
    if (r.ids.size() < ops_remembered_per_actor) {
        r.ids.push_back(id);
        return 0;
    }
    auto const out = r.ids[r.next];
    r.ids[r.next] = id;
    r.next = (r.next + 1) % ops_remembered_per_actor;
    return out;
}

store::actor_op_rows& store::op_rows_of(std::string const& workshop) {
    if (auto it = op_rows_.find(workshop); it != op_rows_.end()) {
        return it->second;
    }
    // First op of this workshop since the start (or since its rows were forgotten): its rows,
    // oldest first. Rows beyond an actor's window (kept by an older server) go now.
    auto& actors = op_rows_[workshop];
    std::vector<std::int64_t> beyond;
    SQLite::Statement q(*db_, "SELECT actor_id, rowid FROM ops WHERE workshop_id = ? "
                              "ORDER BY rowid");
    q.bind(1, workshop);
    while (q.executeStep()) {
        if (auto out =
                remember_op_row(actors[q.getColumn(0).getString()], q.getColumn(1).getInt64());
            out != 0) {
            beyond.push_back(out);
        }
    }
    for (auto id : beyond) {
        stmts_->delete_op_row.bind(1, static_cast<std::int64_t>(id));
        run_and_reset(stmts_->delete_op_row);
    }
    return actors;
}

void store::write_records(std::vector<record> const& records) {
    auto& s = *stmts_;
    auto const run = run_and_reset;
    for (auto const& r : records) {
        std::visit(
            overloaded{
                [&](workshop_created const& w) {
                    s.insert_workshop.bind(1, w.id);
                    s.insert_workshop.bind(2, w.code);
                    s.insert_workshop.bind(3, w.definition);
                    s.insert_workshop.bind(4, w.facilitator_token_hash);
                    s.insert_workshop.bind(5, w.presenter_token_hash);
                    s.insert_workshop.bind(6, static_cast<std::int64_t>(w.at));
                    run(s.insert_workshop);
                    for (std::size_t i = 0; i < w.activity_ids.size(); ++i) {
                        s.insert_activity.bind(1, w.activity_ids[i]);
                        s.insert_activity.bind(2, w.id);
                        s.insert_activity.bind(3, static_cast<int>(i));
                        run(s.insert_activity);
                    }
                },
                [&](participant_saved const& p) {
                    auto& st = s.upsert_participant;
                    st.bind(1, p.id);
                    st.bind(2, p.workshop);
                    bind_optional(st, 3,
                                  p.token_hash.empty() ? std::nullopt
                                                       : std::optional<std::string>(p.token_hash));
                    st.bind(4, std::string(protocol::to_string(p.channel)));
                    bind_optional(st, 5, p.group);
                    bind_optional(st, 6, p.lang);
                    st.bind(7, p.consent ? 1 : 0);
                    st.bind(8, static_cast<std::int64_t>(p.created_at));
                    run(st);
                },
                [&](vote_saved const& v) {
                    auto& st = s.upsert_vote;
                    st.bind(1, v.activity);
                    st.bind(2, v.participant);
                    st.bind(3, v.workshop);
                    st.bind(4, v.value);
                    st.bind(5, static_cast<std::int64_t>(v.at));
                    bind_optional(st, 6, v.comment);
                    run(st);
                },
                [&](vote_cleared const& v) {
                    s.delete_vote.bind(1, v.activity);
                    s.delete_vote.bind(2, v.participant);
                    run(s.delete_vote);
                },
                [&](answer_saved const& a) {
                    auto& st = s.upsert_answer;
                    st.bind(1, a.activity);
                    st.bind(2, a.participant);
                    st.bind(3, a.workshop);
                    st.bind(4, a.id);
                    st.bind(5, a.body);
                    bind_optional(st, 6, a.comment);
                    st.bind(7, static_cast<std::int64_t>(a.shown_at));
                    st.bind(8, a.hidden ? 1 : 0);
                    st.bind(9, static_cast<std::int64_t>(a.at));
                    run(st);
                },
                [&](image_saved const& i) {
                    auto& st = s.insert_image;
                    st.bind(1, i.id);
                    st.bind(2, i.content_type);
                    st.bind(3, i.bytes.data(), static_cast<int>(i.bytes.size()));
                    st.bind(4, static_cast<std::int64_t>(i.at));
                    run(st);
                },
                [&](answer_cleared const& a) {
                    s.delete_answer.bind(1, a.activity);
                    s.delete_answer.bind(2, a.participant);
                    run(s.delete_answer);
                },
                [&](activity_state_saved const& a) {
                    auto& st = s.update_activity;
                    st.bind(1, std::string(protocol::to_string(a.state)));
                    st.bind(2, static_cast<std::int64_t>(a.opened_at));
                    st.bind(3, static_cast<std::int64_t>(a.closed_at));
                    st.bind(4, static_cast<std::int64_t>(a.revealed_at));
                    st.bind(5, a.activity);
                    st.bind(6, a.workshop);
                    run(st);
                },
                [&](current_activity_saved const& c) {
                    bind_optional(s.update_current, 1, c.activity);
                    s.update_current.bind(2, c.workshop);
                    run(s.update_current);
                },
                [&](workshop_state_saved const& w) {
                    auto& st = s.update_workshop_state;
                    st.bind(1, std::string(protocol::to_string(w.state)));
                    st.bind(2, static_cast<std::int64_t>(w.at));
                    st.bind(3, w.workshop);
                    run(st);
                    if (w.state == protocol::workshop_state::ended) {
                        op_rows_.erase(w.workshop); // few ops come after (read again for those)
                    }
                },
                [&](kiosk_saved const& k) {
                    auto& st = s.upsert_kiosk;
                    st.bind(1, k.id);
                    st.bind(2, k.name);
                    st.bind(3, k.workshop);
                    st.bind(4, k.token_hash);
                    st.bind(5, static_cast<std::int64_t>(k.at));
                    run(st);
                },
                [&](op_saved const& o) {
                    auto& rows = op_rows_of(o.workshop)[o.actor];
                    s.insert_op.bind(1, o.workshop);
                    s.insert_op.bind(2, o.actor);
                    s.insert_op.bind(3, o.op);
                    s.insert_op.bind(4, static_cast<std::int64_t>(o.at));
                    run(s.insert_op);
                    if (auto out = remember_op_row(rows, db_->getLastInsertRowid()); out != 0) {
                        s.delete_op_row.bind(1, static_cast<std::int64_t>(out));
                        run(s.delete_op_row);
                    }
                },
                [&](note_saved const& n) { write_note(n, run); },
                [&](note_deleted const& n) {
                    s.delete_note_dots.bind(1, n.id);
                    run(s.delete_note_dots);
                    s.delete_note.bind(1, n.id);
                    s.delete_note.bind(2, n.workshop);
                    run(s.delete_note);
                },
                [&](dots_saved const& d) {
                    if (d.count == 0) {
                        s.delete_dots.bind(1, d.note);
                        s.delete_dots.bind(2, d.participant);
                        run(s.delete_dots);
                        return;
                    }
                    s.upsert_dots.bind(1, d.note);
                    s.upsert_dots.bind(2, d.participant);
                    s.upsert_dots.bind(3, d.workshop);
                    s.upsert_dots.bind(4, d.count);
                    run(s.upsert_dots);
                },
                [&](cluster_saved const& c) {
                    s.upsert_cluster.bind(1, c.workshop);
                    s.upsert_cluster.bind(2, c.activity);
                    s.upsert_cluster.bind(3, c.id);
                    s.upsert_cluster.bind(4, c.label);
                    s.upsert_cluster.bind(5, c.position);
                    run(s.upsert_cluster);
                },
                [&](cluster_deleted const& c) {
                    s.delete_cluster.bind(1, c.activity);
                    s.delete_cluster.bind(2, c.id);
                    run(s.delete_cluster);
                },
                [&](board_lock_saved const& l) {
                    s.upsert_lock.bind(1, l.activity);
                    s.upsert_lock.bind(2, l.workshop);
                    s.upsert_lock.bind(3, l.locked ? 1 : 0);
                    run(s.upsert_lock);
                },
                [&](participant_withdrawn const& w) {
                    for (auto* st : {&s.erase_dots_on_notes_of, &s.erase_dots_of, &s.erase_notes_of,
                                     &s.erase_votes_of, &s.erase_answers_of, &s.erase_ops_of,
                                     &s.mark_withdrawn}) {
                        st->bind(1, w.participant);
                        st->bind(2, w.workshop);
                        if (st == &s.mark_withdrawn) {
                            st->bind(3, static_cast<std::int64_t>(w.at));
                        }
                        run(*st);
                    }
                    if (auto it = op_rows_.find(w.workshop); it != op_rows_.end()) {
                        it->second.erase(w.participant);
                    }
                    erased_ = true;
                    auto const number = "r" + std::to_string(w.respondent);
                    bool const staff = w.by == withdrawal_by::staff;
                    audit_entry a;
                    a.at = w.at;
                    a.actor_kind =
                        staff ? protocol::audit_actor::staff : protocol::audit_actor::participant;
                    a.actor = staff ? w.staff : number;
                    a.action =
                        staff ? protocol::audit_action::erased : protocol::audit_action::withdrawn;
                    a.workshop = w.workshop;
                    a.detail = number;
                    append_audit(*db_, a);
                },
                [&](audit_entry const& a) { append_audit(*db_, a); },
                [&](links_rotated const& l) {
                    auto& st = s.update_links;
                    st.bind(1, l.facilitator_token_hash);
                    st.bind(2, l.presenter_token_hash);
                    st.bind(3, l.workshop);
                    run(st);
                },
                [&](workshop_purged const& p) {
                    purge_workshop(p);
                    // In the same transaction: a purge is never without its entry.
                    audit_entry a;
                    a.at = p.at;
                    a.workshop = p.workshop;
                    if (p.erased_by) {
                        a.actor_kind = protocol::audit_actor::staff;
                        a.actor = *p.erased_by;
                        a.action = protocol::audit_action::erased;
                        a.detail = "all responses";
                    } else {
                        a.actor_kind = protocol::audit_actor::system;
                        a.actor = "retention";
                        a.action = protocol::audit_action::purged;
                        a.detail = p.kept ? "results kept" : "nothing kept";
                    }
                    append_audit(*db_, a);
                },
                [&](workshop_edited const& e) {
                    edit_workshop(e);
                    audit_entry a;
                    a.at = e.at;
                    a.actor_kind = protocol::audit_actor::staff;
                    a.actor = e.by;
                    a.action = protocol::audit_action::workshop_edited;
                    a.workshop = e.workshop;
                    a.detail = e.title;
                    append_audit(*db_, a);
                },
                [&](workshop_deleted const& d) {
                    delete_workshop(d.workshop);
                    audit_entry a;
                    a.at = d.at;
                    a.actor_kind = protocol::audit_actor::staff;
                    a.actor = d.by;
                    a.action = protocol::audit_action::workshop_deleted;
                    a.workshop = d.workshop;
                    a.detail = d.title;
                    append_audit(*db_, a);
                },
            },
            r);
    }
}

namespace {

// Every response of a workshop and what was kept of them, children before the rows they refer
// to (foreign keys are on). Rare: not prepared.
constexpr char const* responses_of_a_workshop[] = {
    "DELETE FROM dots WHERE workshop_id = ?",
    "DELETE FROM notes WHERE workshop_id = ?",
    "DELETE FROM clusters WHERE workshop_id = ?",
    "DELETE FROM board_locks WHERE workshop_id = ?",
    "DELETE FROM votes WHERE workshop_id = ?",
    "DELETE FROM answers WHERE workshop_id = ?",
    "DELETE FROM ops WHERE workshop_id = ?",
    "DELETE FROM participants WHERE workshop_id = ?",
    "DELETE FROM kept_results WHERE workshop_id = ?",
};
// Then, to delete the workshop itself: its own rows but the workshop's.
constexpr char const* rest_of_a_workshop[] = {
    "DELETE FROM activities WHERE workshop_id = ?",
    "DELETE FROM workshop_access WHERE workshop_id = ?",
};

template <std::size_t N>
void run_for(SQLite::Database& db, char const* const (&statements)[N], std::string const& id) {
    for (auto const* sql : statements) {
        SQLite::Statement st(db, sql);
        st.bind(1, id);
        st.exec();
    }
}

} // namespace

void store::delete_workshop(std::string const& workshop) {
    // Whatever a purge left (nothing, normally), then the workshop's own rows.
    run_for(*db_, responses_of_a_workshop, workshop);
    run_for(*db_, rest_of_a_workshop, workshop);
    SQLite::Statement gone(*db_, "DELETE FROM workshops WHERE id = ?");
    gone.bind(1, workshop);
    if (gone.exec() != 1) {
        throw std::runtime_error("there is no workshop " + workshop + " to delete");
    }
    op_rows_.erase(workshop);
    erased_ = true;
}

void store::edit_workshop(workshop_edited const& e) {
    SQLite::Statement definition(*db_, "UPDATE workshops SET definition = ? WHERE id = ?");
    definition.bind(1, e.definition);
    definition.bind(2, e.workshop);
    if (definition.exec() != 1) {
        throw std::runtime_error("there is no workshop " + e.workshop + " to edit");
    }
    // A removed activity has no responses (the domain checked): only its board state goes.
    constexpr char const* rows_of_an_activity[] = {
        "DELETE FROM clusters WHERE activity_id = ?",
        "DELETE FROM board_locks WHERE activity_id = ?",
        "DELETE FROM activities WHERE id = ?",
    };
    for (auto const& id : e.removed) {
        run_for(*db_, rows_of_an_activity, id);
    }
    // Out of the way first: positions are unique per workshop.
    SQLite::Statement aside(*db_, "UPDATE activities SET position = -1 - position "
                                  "WHERE workshop_id = ?");
    aside.bind(1, e.workshop);
    aside.exec();
    SQLite::Statement place(*db_, "UPDATE activities SET position = ? WHERE id = ? AND "
                                  "workshop_id = ?");
    for (std::size_t i = 0; i < e.order.size(); ++i) {
        auto const& id = e.order[i];
        if (std::find(e.added.begin(), e.added.end(), id) != e.added.end()) {
            SQLite::Statement add(*db_, "INSERT INTO activities (id, workshop_id, position, "
                                        "state) VALUES (?, ?, ?, 'pending')");
            add.bind(1, id);
            add.bind(2, e.workshop);
            add.bind(3, static_cast<int>(i));
            add.exec();
            continue;
        }
        place.bind(1, static_cast<int>(i));
        place.bind(2, id);
        place.bind(3, e.workshop);
        if (place.exec() != 1) {
            throw std::runtime_error("workshop " + e.workshop + " has no activity " + id);
        }
        place.reset();
    }
}

void store::purge_workshop(workshop_purged const& p) {
    run_for(*db_, responses_of_a_workshop, p.workshop);
    if (p.kept) {
        SQLite::Statement st(*db_, "INSERT INTO kept_results (workshop_id, results, kept_at) "
                                   "VALUES (?, ?, ?)");
        st.bind(1, p.workshop);
        st.bind(2, *p.kept);
        st.bind(3, static_cast<std::int64_t>(p.at));
        st.exec();
    }
    SQLite::Statement mark(*db_, "UPDATE workshops SET purged_at = ? WHERE id = ?");
    mark.bind(1, static_cast<std::int64_t>(p.at));
    mark.bind(2, p.workshop);
    if (mark.exec() != 1) {
        throw std::runtime_error("there is no workshop " + p.workshop + " to purge");
    }
    op_rows_.erase(p.workshop);
    erased_ = true;
}

template <class Run>
void store::write_note(note_saved const& n, Run const& run) {
    auto& st = stmts_->upsert_note;
    st.bind(1, n.id);
    st.bind(2, n.workshop);
    st.bind(3, n.activity);
    st.bind(4, n.author);
    st.bind(5, n.text);
    st.bind(6, n.colour);
    bind_optional(st, 7, n.column);
    st.bind(8, n.x);
    st.bind(9, n.y);
    st.bind(10, static_cast<std::int64_t>(n.version));
    bind_optional(st, 11, n.cluster);
    st.bind(12, n.hidden ? 1 : 0);
    st.bind(13, static_cast<std::int64_t>(n.created_at));
    st.bind(14, static_cast<std::int64_t>(n.updated_at));
    run(st);
}

std::vector<workshop_snapshot> store::load_all() {
    return load_workshops(false);
}

std::vector<workshop_snapshot> store::load_live() {
    return load_workshops(true);
}

std::vector<workshop_snapshot> store::load_workshops(bool live_only) {
    auto db = open_database(options_.path, SQLite::OPEN_READONLY);
    std::vector<workshop_snapshot> out;
    SQLite::Statement w(*db, std::string(workshop_columns) + (live_only ? " WHERE state = ?" : "") +
                                 " ORDER BY created_at, id");
    if (live_only) {
        w.bind(1, std::string(protocol::to_string(protocol::workshop_state::live)));
    }
    while (w.executeStep()) {
        out.push_back(read_workshop(*db, w));
    }
    return out;
}

std::vector<workshop_entry> store::load_ended() {
    auto db = open_database(options_.path, SQLite::OPEN_READONLY);
    std::vector<workshop_entry> out;
    SQLite::Statement w(*db, "SELECT id, code, facilitator_token_hash FROM workshops WHERE state "
                             "<> ? ORDER BY created_at, id");
    w.bind(1, std::string(protocol::to_string(protocol::workshop_state::live)));
    while (w.executeStep()) {
        out.push_back(
            {w.getColumn(0).getString(), w.getColumn(1).getString(), w.getColumn(2).getString()});
    }
    return out;
}

std::vector<kiosk_row> store::load_kiosks() {
    auto db = open_database(options_.path, SQLite::OPEN_READONLY);
    std::vector<kiosk_row> out;
    SQLite::Statement k(*db, "SELECT id, name, workshop_id, token_hash FROM kiosks ORDER BY id");
    while (k.executeStep()) {
        out.push_back({k.getColumn(0).getString(), k.getColumn(1).getString(),
                       k.getColumn(2).getString(), k.getColumn(3).getString()});
    }
    return out;
}

std::optional<std::string> read_setting(std::string const& path, std::string const& key) {
    auto db = open_database(path, SQLite::OPEN_READONLY);
    SQLite::Statement st(*db, "SELECT value FROM settings WHERE key = ?");
    st.bind(1, key);
    if (st.executeStep()) {
        return st.getColumn(0).getString();
    }
    return std::nullopt;
}

std::optional<std::string> store::setting(std::string const& key) {
    auto db = open_database(options_.path, SQLite::OPEN_READONLY);
    SQLite::Statement st(*db, "SELECT value FROM settings WHERE key = ?");
    st.bind(1, key);
    if (st.executeStep()) {
        return st.getColumn(0).getString();
    }
    return std::nullopt;
}

void store::set_setting(std::string const& key, std::string const& value) {
    auto db = open_database(options_.path, SQLite::OPEN_READWRITE);
    SQLite::Statement st(*db, "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) "
                              "DO UPDATE SET value = excluded.value");
    st.bind(1, key);
    st.bind(2, value);
    st.exec();
}

} // namespace cylch::store
