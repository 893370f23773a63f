// The kiosk's durable offline queue: every counted press is committed to a local SQLite
// database (WAL, synchronous = FULL) before the kiosk shows it as counted, and leaves the
// queue only when the server acknowledges its op (or rejects it for good). Ops are unique,
// so a press resent after a crash, a power cut or a lost ack is applied once by the server.
//
// The file's schema is versioned (PRAGMA user_version) and migrated forward when opened, so a
// queue written by an older kiosk keeps its presses: they are sent as they were recorded.
#pragma once

#include "kiosk/core/press_answer.hpp"

#include <SQLiteCpp/Database.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cylch::kiosk {

struct press {
    std::string op;
    std::string activity;
    press_answer answer;
    std::int64_t pressed_at = 0;       // ms since the Unix epoch, the kiosk's clock
    std::optional<std::string> pass{}; // self-paced: the person's pass (one respondent)
};

struct rejected_press {
    press what;
    std::string code;
    std::string message;
};

class press_queue {
public:
    // Opens (creating when absent) the queue at `path` (":memory:" for a throwaway queue).
    // Migrates an older queue file to the current schema, keeping its presses. Throws
    // SQLite::Exception when the file cannot be opened or is not a queue.
    explicit press_queue(std::string const& path);

    // Commits a new press and returns it with its fresh op id. Durable when this returns.
    press enqueue(std::string_view activity, press_answer answer, std::int64_t pressed_at,
                  std::optional<std::string> pass = std::nullopt);

    // Pending presses, oldest first.
    std::vector<press> pending(std::size_t limit = 10'000) const;
    std::size_t pending_count() const;
    std::size_t rejected_count() const;
    std::vector<rejected_press> rejected() const;

    // The server acknowledged `op`: it leaves the queue. False when `op` is not pending.
    bool acknowledge(std::string_view op, std::int64_t now_ms);
    // The server refused `op` for good (e.g. `closed`): it leaves the queue, kept as rejected
    // so that the kiosk can report it. False when `op` is not pending.
    bool reject(std::string_view op, std::string_view code, std::string_view message,
                std::int64_t now_ms);

    // Forgets acknowledged presses older than `before_ms` (the queue keeps a short history).
    int prune_acknowledged(std::int64_t before_ms);

    // A small key-value store beside the queue (e.g. the last activity seen, for a restart
    // while offline).
    void put_setting(std::string_view key, std::string_view value);
    std::optional<std::string> setting(std::string_view key) const;

    // The schema version of the open file (PRAGMA user_version), after migration.
    int schema_version() const;

private:
    std::string new_op();

    mutable SQLite::Database db_;
    std::string op_prefix_;
    std::uint64_t counter_ = 0;
};

} // namespace cylch::kiosk
