// The live workshops of this process, by id and by join code.
//
// Thread-safety: every function may be called from any thread; the maps are guarded by a
// mutex that is held only for lookups and inserts (never across I/O or a workshop's work).
#pragma once

#include "server/live/workshop_actor.hpp"

#include <boost/asio/any_io_executor.hpp>

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

class registry {
public:
    registry(boost::asio::any_io_executor executor, store::store& store, actor_options options,
             cylch::metrics& metrics);

    // Rebuilds the workshops read from the store at start-up. Throws when one is corrupt.
    void restore(std::vector<store::workshop_snapshot> const& snapshots);

    // Creates a workshop from a parsed file. `done` runs on the store's writer thread once the
    // workshop is durable (with nullopt when it could not be stored); post from it.
    void create(protocol::workshop_spec spec, std::string definition,
                std::function<void(std::optional<created_workshop>)> done);

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

    std::shared_ptr<workshop_actor> by_code(std::string const& code) const;
    std::shared_ptr<workshop_actor> by_id(std::string const& id) const;
    std::vector<std::shared_ptr<workshop_actor>> all() const;

    void close_all();

private:
    std::shared_ptr<workshop_actor> add(std::unique_ptr<domain::workshop> ws);
    // Stores a kiosk (insert or update; the first creation time stays) and, once committed,
    // puts it in the map. `event` is a string literal for the log.
    void save_kiosk(kiosk_entry k, std::string_view event,
                    std::function<void(std::optional<kiosk_entry>)> done);

    // Constant after construction.
    boost::asio::any_io_executor executor_;
    store::store& store_;
    actor_options const options_;
    cylch::metrics& metrics_;

    mutable std::mutex mutex_;
    std::unordered_map<std::string, std::shared_ptr<workshop_actor>> by_id_;   // guarded
    std::unordered_map<std::string, std::shared_ptr<workshop_actor>> by_code_; // guarded
    std::unordered_set<std::string> reserved_codes_;                           // guarded
    std::unordered_map<std::string, kiosk_entry> kiosks_;                      // guarded
};

} // namespace cylch::live
