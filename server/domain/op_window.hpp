// The ops a workshop remembers as applied, so that a resent request is acknowledged again and
// not applied twice, within a bounded window.
//
// Each actor (a participant, a kiosk, a staff role) keeps its last `per_actor` applied ops
// (store::ops_remembered_per_actor, 64): a resent op is recognised as long as the actor has
// had fewer than 64 other requests applied since. Clients resend only requests still waiting
// for their ack, and keep few of them in flight (web client 8, kiosk 32), so a resend always
// falls inside the window, also across reconnects and (the store keeps the same window, see
// store.hpp) server restarts. Memory: at most 64 ops per actor, whatever the number of
// requests; an actor's older ops are forgotten as its new ones arrive.
//
// Keys are `actor id + '\n' + op`, as the workshop builds them.
// Thread-safety: none; owned by the workshop, on its strand.
#pragma once

#include "server/store/records.hpp"

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace cylch::domain {

class op_window {
public:
    explicit op_window(std::size_t per_actor = store::ops_remembered_per_actor);

    // True when `key` is among its actor's remembered ops.
    bool contains(std::string const& key) const;
    // Remembers `key` (nothing when it already is); forgets the actor's oldest op when the
    // actor already has `per_actor`.
    void insert(std::string key);

    std::size_t size() const { return size_; }
    std::size_t actors() const { return by_actor_.size(); }

private:
    // An actor's remembered ops (the key after the actor), oldest first from `next` (a ring
    // once full), each with its hash: a look-up compares at most per_actor integers of one
    // actor, not strings in one large set (whose cache misses and compares were ~6 % of the
    // server's CPU under sustained votes).
    struct ring {
        std::vector<std::size_t> hashes;
        std::vector<std::string> ops;
        std::size_t next = 0;
        bool has(std::size_t hash, std::string_view op) const;
    };

    // Looks actors up by string_view: no string is built per request.
    struct actor_hash {
        using is_transparent = void;
        std::size_t operator()(std::string_view s) const noexcept {
            return std::hash<std::string_view>{}(s);
        }
    };

    std::size_t per_actor_;
    std::size_t size_ = 0;
    std::unordered_map<std::string, ring, actor_hash, std::equal_to<>> by_actor_;
};

} // namespace cylch::domain
