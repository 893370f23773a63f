// Retention (docs/protocol.md, "Retention"; docs/data-protection.md, "Retention"): the
// responses of a workshop whose workshop file sets "retention_days" are erased that many days
// after it ended, keeping the publishable results only when it says "keep_aggregates".
//
// One path does it for the running server (at start, every day, POST /api/purge) and for the
// `cylch-server purge` command: the store lists the ended, unpurged workshops; each one that
// is due is found through the registry (an ended one is loaded) and purged by its actor, on its
// strand, one workshop at a time (so at most one extra workshop is in memory for it).
#pragma once

#include "server/live/registry.hpp"
#include "server/store/store.hpp"

#include "shared/protocol/workshop_file.hpp"

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cylch::retention {

using store::time_ms;

inline constexpr time_ms day_ms = 24LL * 60 * 60 * 1000;

// When a workshop that ended at `ended_at` is due for purging; nullopt: never (no
// retention_days in its file).
std::optional<time_ms> due_at(protocol::workshop_spec const& spec, time_ms ended_at);

struct purge_report {
    std::vector<std::string> purged; // workshop ids, in the order they were purged
    std::vector<std::string> failed; // due, but the store refused (tried again next time)
    bool listed = true;              // false: the ended workshops could not be read
};

// Purges every workshop due at `now`. `done` is called once, on a thread of the registry's
// executor or the store's writer, after the last purge is durable.
void purge_due(live::registry& registry, store::store& db, time_ms now,
               std::function<void(purge_report)> done);

// "purged 2 workshops: w_a, w_b" (and the failures), for the command and the log.
std::string describe(purge_report const& r);

} // namespace cylch::retention
