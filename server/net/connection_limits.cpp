#include "server/net/connection_limits.hpp"

namespace cylch::net {

void connection_limiter::slot::release() {
    if (owner_) {
        owner_->give_back(address_);
        owner_.reset();
    }
}

std::pair<connection_limiter::slot, connection_limiter::refusal>
connection_limiter::acquire(std::string const& address) {
    std::lock_guard lock(mutex_);
    if (global_ != 0 && open_ >= global_) {
        return {slot(), refusal::global};
    }
    auto it = by_address_.find(address);
    std::size_t const from = it == by_address_.end() ? 0 : it->second;
    if (per_address_ != 0 && from >= per_address_) {
        return {slot(), refusal::per_address};
    }
    ++open_;
    if (it == by_address_.end()) {
        by_address_.emplace(address, 1);
    } else {
        ++it->second;
    }
    return {slot(shared_from_this(), address), refusal::none};
}

void connection_limiter::give_back(std::string const& address) {
    std::lock_guard lock(mutex_);
    --open_;
    auto it = by_address_.find(address);
    if (it != by_address_.end() && --it->second == 0) {
        by_address_.erase(it);
    }
}

std::size_t connection_limiter::open() const {
    std::lock_guard lock(mutex_);
    return open_;
}

std::size_t connection_limiter::open_from(std::string const& address) const {
    std::lock_guard lock(mutex_);
    auto it = by_address_.find(address);
    return it == by_address_.end() ? 0 : it->second;
}

} // namespace cylch::net
