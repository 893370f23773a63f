// The workshops of this process, by id and by join code.
//
// Live workshops are held in memory (an actor each) from start-up on. Ended ones are not: at
// start-up only their id, code and facilitator token hash are read; an ended workshop's actor
// is loaded from the database when it is asked for (results, exports, a hello) and dropped
// again once it has had no connection and no use for registry_options::ended_idle.
//
// Thread-safety: every function may be called from any thread; the maps are guarded by a
// mutex that is held only for lookups and inserts (never across I/O or a workshop's work).
#pragma once

#include "server/live/workshop_actor.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace cylch::live {

struct created_workshop {
    std::string id;
    std::string code;
    std::string facilitator_token;
    std::string presenter_token;
};

// A kiosk device: bound to one workshop; its token is known only by hash.
struct kiosk_entry {
    std::string id;
    std::string name;
    std::string workshop;
    std::string token_hash;
};

struct registry_options {
    // An ended workshop in memory with no connection is dropped after this long without use.
    std::chrono::milliseconds ended_idle{std::chrono::minutes(10)};
};

class registry {
public:
    registry(boost::asio::any_io_executor executor, store::store& store, actor_options options,
             cylch::metrics& metrics, registry_options registry_opts = {});

    // Start-up: rebuilds the live workshops read from the store (throws when one is corrupt)
    // and notes the ended ones, to be loaded when asked for.
    void restore(std::vector<store::workshop_snapshot> const& live,
                 std::vector<store::workshop_entry> const& ended = {});

    // Creates a workshop from a parsed file. `done` runs on the store's writer thread once the
    // workshop is durable (with nullopt when it could not be stored); post from it.
    void create(protocol::workshop_spec spec, std::string definition,
                std::function<void(std::optional<created_workshop>)> done);

    // New facilitator and presenter links for a workshop (its old ones stop working). `done`
    // gets the workshop's id, code and new tokens, or nullopt when there is no such workshop
    // or the change could not be stored; it runs on the workshop's strand or the caller's
    // thread.
    void rotate_links(std::string const& id,
                      std::function<void(std::optional<created_workshop>)> done);

    // Deletes an ended workshop (DELETE /api/workshops/{id}): its responses are erased as a
    // staff erasure (workshop_actor::purge), then the workshop itself is deleted from the
    // store (store::workshop_deleted, audited as by `by`); once that is durable it is
    // forgotten here (its id, code and links no longer found) and every connection to it is
    // closed with 1001. `done` runs on the workshop's strand, the store's writer thread or the
    // caller's thread: removed; not_found; live (end it first); kiosks_bound (a kiosk is bound
    // to it: bind the kiosk elsewhere first); failed (the store refused; nothing deleted, or
    // only its responses erased).
    enum class remove_outcome { removed, not_found, live, kiosks_bound, failed };
    void remove(std::string const& id, std::string by, std::function<void(remove_outcome)> done);

    // Kiosks. register_kiosk and rebind_kiosk need an existing workshop (checked by the
    // caller); `done` runs on the store's writer thread after the commit (nullopt: not stored).
    // A rebinding takes effect at the kiosk's next hello.
    void restore_kiosks(std::vector<store::kiosk_row> const& rows);
    void
    register_kiosk(std::string name, std::string workshop,
                   std::function<void(std::optional<std::pair<kiosk_entry, std::string>>)> done);
    void rebind_kiosk(std::string const& id, std::optional<std::string> name, std::string workshop,
                      std::function<void(std::optional<kiosk_entry>)> done);
    std::optional<kiosk_entry> kiosk(std::string const& id) const;

    // Finds a workshop by id or join code and hands its actor to `found` (nullptr: there is
    // none, or an ended one could not be read). A workshop in memory, or none, is reported at
    // once on the caller's thread; an ended one not in memory is loaded first and reported on
    // an I/O thread. Post from `found` to the caller's own strand.
    using found_handler = std::function<void(std::shared_ptr<workshop_actor>)>;
    void find_by_id(std::string const& id, found_handler found);
    void find_by_code(std::string const& code, found_handler found);
    // The hash of a workshop's facilitator token, in memory or not; nullopt: no such workshop.
    // Lets a token be checked before an ended workshop is loaded.
    std::optional<std::string> facilitator_token_hash(std::string const& id) const;
    // Every workshop, in memory or not.
    std::size_t count() const;
    // The workshops in memory.
    std::vector<std::shared_ptr<workshop_actor>> all() const;

    void close_all();
    // Server stop: no more sweeps, and every actor in memory stops its flush timer.
    void halt();

private:
    struct entry {
        std::string code;
        std::string facilitator_token_hash;
        std::shared_ptr<workshop_actor> actor; // null: ended and not in memory
        std::vector<found_handler> waiting;    // finds waiting for a load under way
        std::chrono::steady_clock::time_point used{};
    };

    std::shared_ptr<workshop_actor> add(std::unique_ptr<domain::workshop> ws);
    // The find of an entry (under mutex_ held by `lock`); loads it when needed.
    void find(std::string const& id, found_handler found, std::unique_lock<std::mutex> lock);
    void loaded(std::string const& id, std::optional<store::workshop_snapshot> snapshot);
    // Drops ended workshops that have been idle for ended_idle, then waits for the next sweep.
    void sweep();
    void schedule_sweep();
    void count_loaded(); // under mutex_
    // Stores a kiosk (insert or update; the first creation time stays) and, once committed,
    // puts it in the map. `event` is a string literal for the log.
    void save_kiosk(kiosk_entry k, std::string_view event,
                    std::function<void(std::optional<kiosk_entry>)> done);

    // Constant after construction.
    boost::asio::any_io_executor executor_;
    store::store& store_;
    actor_options const options_;
    cylch::metrics& metrics_;
    registry_options const registry_options_;

    // The sweep timer, on its own strand.
    boost::asio::strand<boost::asio::any_io_executor> sweep_strand_;
    boost::asio::steady_timer sweep_timer_;
    bool halted_ = false; // on sweep_strand_

    mutable std::mutex mutex_;
    std::unordered_map<std::string, entry> workshops_;         // guarded; by id (remove erases)
    std::unordered_map<std::string, std::string> ids_by_code_; // guarded
    std::unordered_set<std::string> reserved_codes_;           // guarded
    std::unordered_map<std::string, kiosk_entry> kiosks_;      // guarded
};

} // namespace cylch::live
