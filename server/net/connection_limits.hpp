// Caps on open WebSocket connections: per client address and for the whole server. A slot is
// taken when an upgrade is accepted and given back when the session ends; an upgrade that
// finds no slot is answered 503 with Retry-After instead of being accepted.
//
// Thread-safety: acquire() from any thread; a slot may be released on any thread.
#pragma once

#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

namespace cylch::net {

class connection_limiter : public std::enable_shared_from_this<connection_limiter> {
public:
    // An open connection's place under the caps; given back on destruction.
    class slot {
    public:
        slot() = default;
        slot(slot&&) noexcept = default;
        slot& operator=(slot&&) noexcept = default;
        ~slot() { release(); }
        void release();
        explicit operator bool() const { return owner_ != nullptr; }

    private:
        friend class connection_limiter;
        slot(std::shared_ptr<connection_limiter> owner, std::string address)
            : owner_(std::move(owner))
            , address_(std::move(address)) {}
        std::shared_ptr<connection_limiter> owner_;
        std::string address_;
    };

    enum class refusal { none, per_address, global };

    // 0 means no cap.
    connection_limiter(std::size_t per_address, std::size_t global)
        : per_address_(per_address)
        , global_(global) {}

    // A slot for one more connection from `address`, or an empty slot and the cap that refused.
    std::pair<slot, refusal> acquire(std::string const& address);

    std::size_t open() const;
    std::size_t open_from(std::string const& address) const;

private:
    void give_back(std::string const& address);

    std::size_t const per_address_;
    std::size_t const global_;
    mutable std::mutex mutex_;
    std::size_t open_ = 0;                                    // guarded by mutex_
    std::unordered_map<std::string, std::size_t> by_address_; // guarded by mutex_; no zeros
};

} // namespace cylch::net
