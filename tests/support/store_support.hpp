// Helpers for tests that use a real store: a temporary database file, and a synchronous
// persist.
#pragma once

#include "server/store/store.hpp"

#include <boost/test/unit_test.hpp>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <future>
#include <memory>
#include <string>
#include <vector>

#include <unistd.h>

namespace cylch::test {

// A database path in /tmp, unique within the process, whose files (with the WAL and shared
// memory files) are removed before use and afterwards.
struct temp_db {
    std::string path;
    temp_db() {
        static std::atomic<int> counter{0};
        path = "/tmp/cylch-test-" + std::to_string(::getpid()) + "-" + std::to_string(++counter) +
               ".db";
        remove_files();
    }
    ~temp_db() { remove_files(); }
    temp_db(temp_db const&) = delete;
    temp_db& operator=(temp_db const&) = delete;
    void remove_files() const {
        for (char const* suffix : {"", "-wal", "-shm", "-journal"}) {
            std::remove((path + suffix).c_str());
        }
    }
    store::store_options options() const { return store::store_options{path}; }
};

// Persists one batch and waits (at most 30 s) for its completion; its outcome.
inline bool persist(store::store& db, std::vector<store::record> batch) {
    auto done = std::make_shared<std::promise<bool>>();
    auto outcome = done->get_future();
    BOOST_TEST_REQUIRE(db.try_persist(std::move(batch), [done](bool ok) { done->set_value(ok); }));
    BOOST_TEST_REQUIRE((outcome.wait_for(std::chrono::seconds(30)) == std::future_status::ready));
    return outcome.get();
}

} // namespace cylch::test
