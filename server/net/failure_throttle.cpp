#include "server/net/failure_throttle.hpp"

#include "server/log.hpp"

#include <algorithm>
#include <cmath>

namespace cylch::net {
namespace {

std::chrono::milliseconds wait_for(double tokens, double rate) {
    double const seconds = rate > 0 ? (1.0 - tokens) / rate : 3600.0;
    return std::chrono::milliseconds(static_cast<long long>(std::ceil(seconds * 1000.0)));
}

} // namespace

void failure_throttle::refill(bucket& b, double rate, double burst, clock::time_point now) const {
    if (b.at == clock::time_point{}) {
        b.at = now;
        return;
    }
    std::chrono::duration<double> const elapsed = now - b.at;
    if (elapsed.count() > 0) {
        b.tokens = std::min(burst, b.tokens + elapsed.count() * rate);
        b.at = now;
    }
}

failure_throttle::bucket* failure_throttle::find_or_add(std::string const& address,
                                                        clock::time_point now) {
    if (auto it = addresses_.find(address); it != addresses_.end()) {
        return &it->second;
    }
    if (addresses_.size() >= options_.max_addresses &&
        now - last_sweep_ >= std::chrono::seconds(1)) {
        last_sweep_ = now;
        for (auto it = addresses_.begin(); it != addresses_.end();) {
            refill(it->second, options_.address_rate, options_.address_burst, now);
            it = it->second.tokens >= options_.address_burst ? addresses_.erase(it) : std::next(it);
        }
    }
    if (addresses_.size() >= options_.max_addresses) {
        return nullptr;
    }
    return &addresses_.emplace(address, bucket{options_.address_burst, now}).first->second;
}

std::optional<std::chrono::milliseconds> failure_throttle::check(std::string const& address,
                                                                 clock::time_point now) {
    std::optional<std::chrono::milliseconds> wait;
    {
        std::lock_guard lock(mutex_);
        auto it = addresses_.find(address);
        if (it == addresses_.end() && addresses_.size() < options_.max_addresses) {
            return std::nullopt; // no recent failure from here: neither bucket applies
        }
        refill(global_, options_.global_rate, options_.global_burst, now);
        auto* b = it == addresses_.end() ? nullptr : &it->second;
        if (b) {
            refill(*b, options_.address_rate, options_.address_burst, now);
        }
        if (b && b->tokens < 1.0) {
            b->tokens = std::max(-options_.address_burst, b->tokens - 1.0);
            wait = wait_for(b->tokens, options_.address_rate);
        } else if (global_.tokens < 1.0) {
            wait = wait_for(global_.tokens, options_.global_rate);
        }
    }
    if (wait) {
        if (auto n = refusal_log_.note(now)) {
            log::warn("attempts refused while throttled",
                      {{"count", std::to_string(*n)},
                       {"last_address", address},
                       {"retry_ms", std::to_string(wait->count())}});
        }
    }
    return wait;
}

void failure_throttle::record_failure(std::string const& address, std::string_view what,
                                      clock::time_point now) {
    {
        std::lock_guard lock(mutex_);
        refill(global_, options_.global_rate, options_.global_burst, now);
        global_.tokens = std::max(0.0, global_.tokens - 1.0);
        if (auto* b = find_or_add(address, now)) {
            refill(*b, options_.address_rate, options_.address_burst, now);
            b->tokens = std::max(-options_.address_burst, b->tokens - 1.0);
        }
    }
    if (auto n = failure_log_.note(now)) {
        log::info("failed codes or tokens", {{"count", std::to_string(*n)},
                                             {"last_address", address},
                                             {"last_kind", std::string(what)}});
    }
}

std::size_t failure_throttle::addresses() const {
    std::lock_guard lock(mutex_);
    return addresses_.size();
}

} // namespace cylch::net
