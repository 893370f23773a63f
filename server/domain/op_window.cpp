#include "server/domain/op_window.hpp"

#include <algorithm>

namespace cylch::domain {

op_window::op_window(std::size_t per_actor)
    : per_actor_(std::max<std::size_t>(1, per_actor)) {}

bool op_window::contains(std::string const& key) const {
    return keys_.contains(key);
}

void op_window::insert(std::string key) {
    auto const [it, inserted] = keys_.insert(std::move(key));
    if (!inserted) {
        return;
    }
    std::string_view const actor = std::string_view(*it).substr(0, it->find('\n'));
    auto at = by_actor_.find(actor);
    if (at == by_actor_.end()) {
        at = by_actor_.emplace(std::string(actor), ring{}).first;
    }
    auto& r = at->second;
    if (r.keys.size() < per_actor_) {
        r.keys.push_back(&*it);
        return;
    }
    keys_.erase(keys_.find(*r.keys[r.next]));
    r.keys[r.next] = &*it;
    r.next = (r.next + 1) % per_actor_;
}

} // namespace cylch::domain
