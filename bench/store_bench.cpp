// How many acknowledged votes per second the store commits, with synchronous=FULL and NORMAL,
// for a given number of concurrent writers (batches in flight). Measures, asserts nothing.
//
//   build/bench/store_bench [votes=20000] [in_flight=1,16,256]
#include "server/store/store.hpp"

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <mutex>
#include <sstream>
#include <string>
#include <vector>

#include <unistd.h>

using namespace cylch;

namespace {

double run(bool full, int votes, int in_flight) {
    auto path = std::filesystem::temp_directory_path() /
                ("cylch-store-bench-" + std::to_string(::getpid()) + ".db");
    std::filesystem::remove(path);
    double per_second = 0;
    {
        store::store db({path.string(), 1'000'000, 4096, full});
        store::workshop_created w{"w_bench", "123456", "{}", "f", "p", {"a_1"}, 0};
        std::vector<store::record> setup{w};
        for (int i = 0; i < votes; ++i) {
            setup.push_back(store::participant_saved{
                "w_bench", "p_" + std::to_string(i), "", {}, std::nullopt, std::nullopt, true, 0});
        }
        std::mutex m;
        std::condition_variable cv;
        int done = 0;
        db.try_persist(std::move(setup), [&](bool) {
            std::lock_guard l(m);
            ++done;
            cv.notify_all();
        });
        {
            std::unique_lock l(m);
            cv.wait(l, [&] { return done == 1; });
            done = 0;
        }
        // Each "client" sends its next vote when the previous one is acknowledged.
        auto const start = std::chrono::steady_clock::now();
        int next = 0;
        std::function<void()> send_one;
        send_one = [&] {
            int i = next++;
            db.try_persist(
                {store::vote_saved{"w_bench", "a_1", "p_" + std::to_string(i), 1 + i % 5, i},
                 store::op_saved{"w_bench", "p_" + std::to_string(i),
                                 "op-bench-" + std::to_string(i), i}},
                [&](bool) {
                    std::lock_guard l(m);
                    ++done;
                    if (next < votes) {
                        send_one();
                    }
                    cv.notify_all();
                });
        };
        {
            std::lock_guard l(m);
            for (int c = 0; c < in_flight && next < votes; ++c) {
                send_one();
            }
        }
        std::unique_lock l(m);
        cv.wait(l, [&] { return done == votes; });
        std::chrono::duration<double> secs = std::chrono::steady_clock::now() - start;
        per_second = votes / secs.count();
        auto const& c = db.counters();
        std::printf("sync=%-6s in_flight=%-4d votes=%d  %.0f votes/s  commits=%llu  "
                    "mean commit %.2f ms\n",
                    full ? "FULL" : "NORMAL", in_flight, votes, per_second,
                    static_cast<unsigned long long>(c.commits.load()),
                    c.commits.load() ? c.commit_micros.load() / 1000.0 / c.commits.load() : 0.0);
    }
    std::filesystem::remove(path);
    std::filesystem::remove(path.string() + "-wal");
    std::filesystem::remove(path.string() + "-shm");
    return per_second;
}

} // namespace

int main(int argc, char** argv) {
    int votes = argc > 1 ? std::stoi(argv[1]) : 20000;
    std::vector<int> in_flight{1, 16, 256};
    if (argc > 2) {
        in_flight.clear();
        std::stringstream list(argv[2]);
        for (std::string item; std::getline(list, item, ',');) {
            in_flight.push_back(std::stoi(item));
        }
    }
    for (int f : in_flight) {
        run(true, votes, f);
        run(false, votes, f);
    }
}
