// The durable store: one SQLite database (WAL) written by one writer thread.
//
// Callers hand batches of records to try_persist(); the writer thread takes every batch that
// is waiting, writes them in one transaction (group commit) and then calls each batch's
// completion with the outcome, on the writer thread. Batches complete in the order they were
// queued, so a completion also means every earlier batch is durable.
//
// Thread-safety: try_persist(), load_async() and the counters may be called from any thread.
// open-time reads (load_all, setting) are for start-up, before serving. The queue is bounded:
// at the bound try_persist() refuses the batch and queues nothing.
//
// Applied ops (op_saved) are kept within a window: each actor's last ops_remembered_per_actor.
// The writer remembers the row ids of each actor's last ops (per workshop, read from the table
// at the workshop's first op after a start); the insert that takes an actor past the window
// deletes the actor's oldest row in the same transaction. So the table holds at most
// actors × ops_remembered_per_actor rows per workshop, however many requests it took, at the
// cost of one delete by row id per request (rows that old sit together at the start of the
// table): no scan, no sort, no pause.
#pragma once

#include "server/store/audit.hpp"
#include "server/store/records.hpp"

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <unordered_map>
#include <variant>
#include <vector>

namespace SQLite {
class Database;
}

namespace cylch::store {

struct store_options {
    std::string path;                 // database file; created when missing
    std::size_t max_queued = 100'000; // batches waiting for the writer
    std::size_t max_group = 4096;     // batches written in one transaction at most
    bool synchronous_full = true;     // PRAGMA synchronous=FULL (else NORMAL)
};

// An ended workshop that is not loaded at start-up: enough to find it by id or code and to check
// a facilitator token before it is read (live::registry loads it on demand).
struct workshop_entry {
    std::string id;
    std::string code;
    std::string facilitator_token_hash;
};

// An ended workshop whose responses have not been purged (retention reads its definition).
struct ended_workshop {
    std::string id;
    std::string definition;
    time_ms ended_at = 0;
};

struct store_counters {
    std::atomic<std::uint64_t> commits{0};       // transactions committed
    std::atomic<std::uint64_t> batches{0};       // batches made durable
    std::atomic<std::uint64_t> records{0};       // records written
    std::atomic<std::uint64_t> failures{0};      // batches that could not be written
    std::atomic<std::uint64_t> commit_micros{0}; // summed time inside commits
    std::atomic<std::uint64_t> queued{0};        // batches waiting now
};

// A setting read straight from the database file (read-only, no migration): for commands that
// must not open the store of a running server. nullopt: no such setting.
std::optional<std::string> read_setting(std::string const& path, std::string const& key);

class store {
public:
    // Called on the writer thread: true when the batch is durable.
    using completion = std::function<void(bool ok)>;
    using load_completion = std::function<void(std::optional<workshop_snapshot>)>;
    using image_completion = std::function<void(std::optional<image_row>)>;
    using audit_completion = std::function<void(std::optional<std::vector<audit_entry>>)>;
    using ended_completion = std::function<void(std::optional<std::vector<ended_workshop>>)>;

    // Opens (or creates) the database and brings its schema up to date; starts the writer.
    // Throws std::exception when the database cannot be opened or migrated.
    explicit store(store_options options);
    ~store();
    store(store const&) = delete;
    store& operator=(store const&) = delete;

    // Queues a batch; false (and nothing queued) when the queue is at its bound or stopped.
    // An empty batch completes after every batch queued before it.
    bool try_persist(std::vector<record> batch, completion done);
    // True while there is room for more batches (a hint for callers before they change state).
    bool has_room() const;

    // Reads one workshop on the writer thread after every batch queued before it.
    void load_async(std::string workshop_id, load_completion done);

    // Reads audit entries on the writer thread, after every batch queued before it (so an entry
    // queued before is in the answer). nullopt: the queue is at its bound, stopped, or it failed.
    // A read of q.limit rows holds the writer for its time: callers bound q.limit
    // (audit_page_max, audit_csv_max).
    void load_audit_async(audit_query query, audit_completion done);
    // Reads, on the writer thread after every batch queued before, the ended workshops whose
    // responses are still there (nullopt: the read failed or the writer has stopped).
    void ended_unpurged_async(ended_completion done);

    // Reads one image on the writer thread (nullopt: there is none such, or it failed).
    void load_image_async(std::string id, image_completion done);

    // Start-up reads on the caller's thread (before serving). load_live: the workshops that
    // have not ended, whole; load_ended: the others, only their entries.
    std::vector<workshop_snapshot> load_all();
    std::vector<workshop_snapshot> load_live();
    std::vector<workshop_entry> load_ended();
    std::vector<std::string> load_image_ids();
    std::vector<kiosk_row> load_kiosks();
    std::optional<std::string> setting(std::string const& key);
    void set_setting(std::string const& key, std::string const& value);

    // Finishes every queued batch, then stops the writer. Idempotent.
    void stop();

    store_counters const& counters() const { return counters_; }
    std::string const& path() const { return options_.path; }

private:
    struct batch_job {
        std::vector<record> records;
        completion done;
    };
    struct load_job {
        std::string workshop_id;
        load_completion done;
    };
    struct image_job {
        std::string id;
        image_completion done;
    };
    struct audit_job {
        audit_query query;
        audit_completion done;
    };

    struct ended_job {
        ended_completion done;
    };
    using job = std::variant<batch_job, load_job, image_job, audit_job, ended_job>;
    // Queues a read for the writer thread; false when the writer has stopped.
    bool enqueue_read(job j);

    void run();
    std::vector<workshop_snapshot> load_workshops(bool live_only);
    void write_group(std::vector<batch_job>& group);
    void write_records(std::vector<record> const& records);
    // After a commit that erased a respondent: PRAGMA wal_checkpoint(TRUNCATE).
    void checkpoint_after_erasure();
    void purge_workshop(workshop_purged const& p);     // in the writer's open transaction
    void delete_workshop(std::string const& workshop); // in the writer's open transaction
    void edit_workshop(workshop_edited const& e);      // in the writer's open transaction
    template <class Run>
    void write_note(note_saved const& n, Run const& run);

    // Constant after construction.
    store_options const options_;
    std::unique_ptr<SQLite::Database> db_; // used by the writer thread only (and before start)

    struct statements;
    std::unique_ptr<statements> stmts_;

    mutable std::mutex mutex_;
    std::condition_variable wake_;
    std::deque<job> queue_; // guarded by mutex_
    bool stopping_ = false; // guarded by mutex_
    std::thread writer_;
    store_counters counters_;
    // Writer thread only: per workshop (those written to since the start), per actor, the row
    // ids of the actor's ops in the table, oldest first from `next` once full. Forgotten for a
    // workshop when its rows are deleted, purged or a respondent erased, and for every workshop
    // when a transaction fails (it may have undone inserts and deletes): read again when needed.
    struct op_rows {
        std::vector<std::int64_t> ids;
        std::size_t next = 0;
    };
    using actor_op_rows = std::unordered_map<std::string, op_rows>;
    std::unordered_map<std::string, actor_op_rows> op_rows_;
    actor_op_rows& op_rows_of(std::string const& workshop);
    // Adds a row id to an actor's ring; the id it pushes out of the window (0: none).
    static std::int64_t remember_op_row(op_rows& r, std::int64_t id);
    // Writer thread only: the transaction being written erased a respondent.
    bool erased_ = false;
};

} // namespace cylch::store
