#include "kiosk/core/queue.hpp"

#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

#include <array>
#include <cstdio>
#include <random>
#include <stdexcept>

namespace cylch::kiosk {
namespace {

// The schema as the first kiosk release made it: version 0 (user_version never set). Later
// versions are reached by the migrations below, in order, so that a file of any earlier
// version keeps its presses. A released step is never edited; a change is a new step.
constexpr char const* base_schema = R"sql(
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

// migrations[i] takes the file from version i to i + 1.
constexpr std::array<char const*, 2> migrations{{
    // 1: a press may answer a single-answer choice. `option_id` holds the chosen option's id
    // (`value` is then 0); NULL for a Likert press, as for every press queued before.
    "ALTER TABLE presses ADD COLUMN option_id TEXT",
    // 2: a press of a self-paced workshop belongs to a pass (one person going through the
    // questions); NULL for a press of its own, as for every press queued before.
    "ALTER TABLE presses ADD COLUMN pass TEXT",
}};

// 64 random bits from the system's entropy source, as hex: with a per-run counter this makes
// op ids unique across restarts and kiosks without coordination.
std::string random_hex() {
    std::random_device rd;
    std::uint64_t const bits = (std::uint64_t{rd()} << 32) ^ rd();
    std::array<char, 17> buf{};
    std::snprintf(buf.data(), buf.size(), "%016llx", static_cast<unsigned long long>(bits));
    return std::string(buf.data(), 16);
}

// The columns every press query selects first, in read_press's order.
constexpr std::string_view press_columns = "op, activity, value, option_id, pressed_at, pass";

press read_press(SQLite::Statement& s) {
    press_answer answer = scale_point{s.getColumn(2).getInt()};
    if (!s.getColumn(3).isNull()) {
        answer = chosen_option{s.getColumn(3).getString()};
    }
    std::optional<std::string> pass;
    if (!s.getColumn(5).isNull()) {
        pass = s.getColumn(5).getString();
    }
    return press{s.getColumn(0).getString(), s.getColumn(1).getString(), std::move(answer),
                 s.getColumn(4).getInt64(), std::move(pass)};
}

} // namespace

press_queue::press_queue(std::string const& path)
    : db_(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE)
    , op_prefix_("kq-" + random_hex()) {
    // Wait for another connection's lock (e.g. a tool reading the queue) before anything else.
    db_.setBusyTimeout(5000);
    db_.exec("PRAGMA journal_mode = WAL");
    db_.exec("PRAGMA synchronous = FULL");
    db_.exec(base_schema);
    int const version = schema_version();
    if (version > static_cast<int>(migrations.size())) {
        // Its presses may carry what this version cannot send: refuse rather than guess.
        throw std::runtime_error("the queue " + path + " was written by a newer cylch-kiosk " +
                                 "(schema " + std::to_string(version) + ", this one knows " +
                                 std::to_string(migrations.size()) + ")");
    }
    for (auto i = static_cast<std::size_t>(version); i < migrations.size(); ++i) {
        SQLite::Transaction t(db_, SQLite::TransactionBehavior::IMMEDIATE);
        db_.exec(migrations[i]);
        db_.exec("PRAGMA user_version = " + std::to_string(i + 1));
        t.commit();
    }
}

int press_queue::schema_version() const {
    return db_.execAndGet("PRAGMA user_version").getInt();
}

std::string press_queue::new_op() {
    return op_prefix_ + "-" + std::to_string(++counter_);
}

press press_queue::enqueue(std::string_view activity, press_answer answer, std::int64_t pressed_at,
                           std::optional<std::string> pass) {
    press p{new_op(), std::string(activity), std::move(answer), pressed_at, std::move(pass)};
    SQLite::Statement s(db_, "INSERT INTO presses(op, activity, value, option_id, pressed_at, "
                             "pass) VALUES (?, ?, ?, ?, ?, ?)");
    s.bind(1, p.op);
    s.bind(2, p.activity);
    if (auto const* point = std::get_if<scale_point>(&p.answer)) {
        s.bind(3, point->value);
        s.bind(4); // NULL: a Likert press
    } else {
        s.bind(3, 0);
        s.bind(4, std::get<chosen_option>(p.answer).id);
    }
    s.bind(5, p.pressed_at);
    if (p.pass) {
        s.bind(6, *p.pass);
    } else {
        s.bind(6);
    }
    s.exec(); // autocommit: durable (synchronous = FULL) when exec returns
    return p;
}

std::vector<press> press_queue::pending(std::size_t limit) const {
    SQLite::Statement s(db_, "SELECT " + std::string(press_columns) +
                                 " FROM presses WHERE state = 'pending' ORDER BY seq LIMIT ?");
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
    SQLite::Statement s(db_,
                        "SELECT " + std::string(press_columns) +
                            ", code, message FROM presses WHERE state = 'rejected' ORDER BY seq");
    std::vector<rejected_press> out;
    while (s.executeStep()) {
        out.push_back(
            rejected_press{read_press(s), s.getColumn(6).getString(), s.getColumn(7).getString()});
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
