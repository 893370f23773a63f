#include "server/domain/op_window.hpp"

#include <algorithm>
#include <utility>

namespace cylch::domain {

op_window::op_window(std::size_t per_actor)
    : per_actor_(std::max<std::size_t>(1, per_actor)) {}

namespace {

// A key's actor and op: the parts before and after its first '\n'.
std::pair<std::string_view, std::string_view> split(std::string_view key) {
    auto const cut = key.find('\n');
    if (cut == std::string_view::npos) {
        return {key, {}};
    }
    return {key.substr(0, cut), key.substr(cut + 1)};
}

std::size_t hash_of(std::string_view op) {
    return std::hash<std::string_view>{}(op);
}

} // namespace

bool op_window::ring::has(std::size_t hash, std::string_view op) const {
    for (std::size_t i = 0; i < hashes.size(); ++i) {
        if (hashes[i] == hash && ops[i] == op) {
            return true;
        }
    }
    return false;
}

bool op_window::contains(std::string const& key) const {
    auto const [actor, op] = split(key);
    auto const at = by_actor_.find(actor);
    return at != by_actor_.end() && at->second.has(hash_of(op), op);
}

void op_window::insert(std::string key) {
    auto const [actor, op] = split(key);
    auto at = by_actor_.find(actor);
    if (at == by_actor_.end()) {
        at = by_actor_.emplace(std::string(actor), ring{}).first;
    }
    auto& r = at->second;
    auto const hash = hash_of(op);
    if (r.has(hash, op)) {
        return;
    }
    if (r.ops.size() < per_actor_) {
        r.hashes.push_back(hash);
        r.ops.emplace_back(op);
        ++size_;
        return;
    }
    r.hashes[r.next] = hash;
    r.ops[r.next].assign(op);
    r.next = (r.next + 1) % per_actor_;
}

} // namespace cylch::domain
