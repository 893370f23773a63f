#include "server/store/backup.hpp"

#include <sqlite3.h>

#include <fcntl.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <memory>
#include <stdexcept>
#include <thread>

namespace cylch::store {
namespace {

struct closer {
    void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
using connection = std::unique_ptr<sqlite3, closer>;

connection open(std::string const& path, int flags) {
    sqlite3* db = nullptr;
    int const rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
    connection c(db);
    if (rc != SQLITE_OK) {
        throw std::runtime_error("cannot open " + path + ": " +
                                 (db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc)));
    }
    sqlite3_busy_timeout(db, 5000);
    return c;
}

void sync_file(std::string const& path) {
    int const fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0 || ::fsync(fd) != 0) {
        if (fd >= 0) {
            ::close(fd);
        }
        throw std::runtime_error("cannot sync " + path);
    }
    ::close(fd);
}

} // namespace

backup_result backup(std::string const& db_path, std::string const& file, int pages_per_step) {
    // The source must exist: a backup never creates an empty database.
    auto source = open(db_path, SQLITE_OPEN_READONLY);
    auto const partial = file + ".partial";
    std::remove(partial.c_str());
    backup_result result;
    {
        auto target = open(partial, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
        auto* b = sqlite3_backup_init(target.get(), "main", source.get(), "main");
        if (b == nullptr) {
            throw std::runtime_error("cannot start the backup: " +
                                     std::string(sqlite3_errmsg(target.get())));
        }
        int last_remaining = -1;
        int rc = SQLITE_OK;
        for (;;) {
            // After a few restarts (the server writes often), the rest goes in one step: one
            // read transaction, which in WAL mode does not hold the server's writer up.
            rc = sqlite3_backup_step(b, result.restarts >= 3 ? -1 : pages_per_step);
            int const remaining = sqlite3_backup_remaining(b);
            if (last_remaining >= 0 && remaining > last_remaining) {
                ++result.restarts;
            }
            last_remaining = remaining;
            if (rc == SQLITE_DONE) {
                break;
            }
            if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) {
                std::this_thread::sleep_for(std::chrono::milliseconds(20));
                continue;
            }
            if (rc != SQLITE_OK) {
                break;
            }
        }
        result.pages = sqlite3_backup_pagecount(b);
        sqlite3_backup_finish(b);
        if (rc != SQLITE_DONE) {
            std::remove(partial.c_str());
            throw std::runtime_error("the backup failed: " + std::string(sqlite3_errstr(rc)));
        }
        // The copy is a plain database (no WAL beside it), checked before it replaces `file`.
        sqlite3_exec(target.get(), "PRAGMA journal_mode = DELETE", nullptr, nullptr, nullptr);
        sqlite3_stmt* check = nullptr;
        sqlite3_prepare_v2(target.get(), "PRAGMA integrity_check", -1, &check, nullptr);
        bool const ok =
            check != nullptr && sqlite3_step(check) == SQLITE_ROW &&
            std::string(reinterpret_cast<char const*>(sqlite3_column_text(check, 0))) == "ok";
        sqlite3_finalize(check);
        if (!ok) {
            std::remove(partial.c_str());
            throw std::runtime_error("the copy did not pass PRAGMA integrity_check");
        }
    }
    sync_file(partial);
    if (std::rename(partial.c_str(), file.c_str()) != 0) {
        throw std::runtime_error("cannot rename " + partial + " to " + file);
    }
    return result;
}

} // namespace cylch::store
