// An advisory lock on the database file (flock, apart from SQLite's own locks) that says which
// process owns the database's workshops: a running server holds it shared for its lifetime;
// `cylch-server purge` takes it exclusive to work on the database itself, and finding it held
// knows that a server runs (which then purges by itself; docs/operations.md, "Retention").
#pragma once

#include <string>

namespace cylch::store {

class db_lock {
public:
    enum class mode { shared_wait, exclusive_try };
    // Opens `path` (created when missing) and takes the lock. held() is false when
    // exclusive_try found it held, or the file could not be opened.
    db_lock(std::string const& path, mode m);
    ~db_lock();
    db_lock(db_lock const&) = delete;
    db_lock& operator=(db_lock const&) = delete;

    bool held() const { return held_; }
    bool opened() const { return fd_ >= 0; }

private:
    int fd_ = -1;
    bool held_ = false;
};

} // namespace cylch::store
