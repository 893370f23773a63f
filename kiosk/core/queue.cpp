#include "kiosk/core/queue.hpp"

#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

#include <array>
#include <cstdio>
#include <random>

namespace cylch::kiosk {
namespace {

constexpr char const* schema = R"sql(
CREATE TABLE IF NOT EXISTS presses (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  op TEXT NOT NULL UNIQUE,
  activity TEXT NOT NULL,
  value INTEGER NOT NULL,
  pressed_at INTEGER NOT NULL,
  state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'acked', 'rejected')),
  code TEXT,
  message TEXT,
  settled_at INTEGER
);
CREATE INDEX IF NOT EXISTS presses_state ON presses(state, seq);
CREATE TABLE IF NOT EXISTS settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
)sql";

// 64 random bits from the system's entropy source, as hex: with a per-run counter this makes
// op ids unique across restarts and kiosks without coordination.
std::string random_hex() {
    std::random_device rd;
    std::uint64_t const bits = (std::uint64_t{rd()} << 32) ^ rd();
    std::array<char, 17> buf{};
    std::snprintf(buf.data(), buf.size(), "%016llx", static_cast<unsigned long long>(bits));
    return std::string(buf.data(), 16);
}

press read_press(SQLite::Statement& s) {
    return press{s.getColumn(0).getString(), s.getColumn(1).getString(), s.getColumn(2).getInt(),
                 s.getColumn(3).getInt64()};
}

} // namespace

press_queue::press_queue(std::string const& path)
    : db_(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE)
    , op_prefix_("kq-" + random_hex()) {
    // Wait for another connection's lock (e.g. a tool reading the queue) before anything else.
    db_.setBusyTimeout(5000);
    db_.exec("PRAGMA journal_mode = WAL");
    db_.exec("PRAGMA synchronous = FULL");
    db_.exec(schema);
}

std::string press_queue::new_op() {
    return op_prefix_ + "-" + std::to_string(++counter_);
}

press press_queue::enqueue(std::string_view activity, int value, std::int64_t pressed_at) {
    press p{new_op(), std::string(activity), value, pressed_at};
    SQLite::Statement s(db_,
                        "INSERT INTO presses(op, activity, value, pressed_at) VALUES (?, ?, ?, ?)");
    s.bind(1, p.op);
    s.bind(2, p.activity);
    s.bind(3, p.value);
    s.bind(4, p.pressed_at);
    s.exec(); // autocommit: durable (synchronous = FULL) when exec returns
    return p;
}

std::vector<press> press_queue::pending(std::size_t limit) const {
    SQLite::Statement s(db_, "SELECT op, activity, value, pressed_at FROM presses "
                             "WHERE state = 'pending' ORDER BY seq LIMIT ?");
    s.bind(1, static_cast<std::int64_t>(limit));
    std::vector<press> out;
    while (s.executeStep()) {
        out.push_back(read_press(s));
    }
    return out;
}

std::size_t press_queue::pending_count() const {
    return static_cast<std::size_t>(
        db_.execAndGet("SELECT count(*) FROM presses WHERE state = 'pending'").getInt64());
}

std::size_t press_queue::rejected_count() const {
    return static_cast<std::size_t>(
        db_.execAndGet("SELECT count(*) FROM presses WHERE state = 'rejected'").getInt64());
}

std::vector<rejected_press> press_queue::rejected() const {
    SQLite::Statement s(db_, "SELECT op, activity, value, pressed_at, code, message FROM presses "
                             "WHERE state = 'rejected' ORDER BY seq");
    std::vector<rejected_press> out;
    while (s.executeStep()) {
        out.push_back(
            rejected_press{read_press(s), s.getColumn(4).getString(), s.getColumn(5).getString()});
    }
    return out;
}

bool press_queue::acknowledge(std::string_view op, std::int64_t now_ms) {
    SQLite::Statement s(db_, "UPDATE presses SET state = 'acked', settled_at = ? "
                             "WHERE op = ? AND state = 'pending'");
    s.bind(1, now_ms);
    s.bind(2, std::string(op));
    return s.exec() == 1;
}

bool press_queue::reject(std::string_view op, std::string_view code, std::string_view message,
                         std::int64_t now_ms) {
    SQLite::Statement s(db_, "UPDATE presses SET state = 'rejected', code = ?, message = ?, "
                             "settled_at = ? WHERE op = ? AND state = 'pending'");
    s.bind(1, std::string(code));
    s.bind(2, std::string(message));
    s.bind(3, now_ms);
    s.bind(4, std::string(op));
    return s.exec() == 1;
}

int press_queue::prune_acknowledged(std::int64_t before_ms) {
    SQLite::Statement s(db_, "DELETE FROM presses WHERE state = 'acked' AND settled_at < ?");
    s.bind(1, before_ms);
    return s.exec();
}

void press_queue::put_setting(std::string_view key, std::string_view value) {
    SQLite::Statement s(db_, "INSERT INTO settings(key, value) VALUES (?, ?) "
                             "ON CONFLICT(key) DO UPDATE SET value = excluded.value");
    s.bind(1, std::string(key));
    s.bind(2, std::string(value));
    s.exec();
}

std::optional<std::string> press_queue::setting(std::string_view key) const {
    SQLite::Statement s(db_, "SELECT value FROM settings WHERE key = ?");
    s.bind(1, std::string(key));
    if (s.executeStep()) {
        return s.getColumn(0).getString();
    }
    return std::nullopt;
}

} // namespace cylch::kiosk
