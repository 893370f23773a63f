// What a workshop actor sees of a connection: somewhere to deliver frames.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

namespace cylch::live {

// How a frame is queued by the connection.
enum class frame_kind {
    event,    // queued in order (acks, errors, activity changes)
    summary,  // latest wins: replaces an unsent summary
    presence, // latest wins: replaces an unsent presence
};

enum class close_reason { going_away, refused };

// A staff connection admitted by a staff sign-in rather than by a link's token.
struct signed_in {
    std::string account; // the account's name
};

// A frame shared by every recipient: serialised once, never copied per connection.
using shared_frame = std::shared_ptr<std::string const>;

// Implemented by websocket sessions. deliver() and close() may be called from any thread;
// the implementation posts to its own executor before touching its queue.
class subscriber {
public:
    virtual ~subscriber() = default;
    virtual void deliver(shared_frame frame, frame_kind kind) = 0;
    // Closes the connection after the frames already delivered: 1001 "going away" (server
    // stopping, workshop reloaded) or 1008 "policy" (the workshop refused the connection).
    virtual void close(close_reason why) = 0;
    // A process-unique number, stable for the connection's life.
    virtual std::uint64_t subscriber_id() const = 0;
};

inline shared_frame make_frame(std::string text) {
    return std::make_shared<std::string const>(std::move(text));
}

} // namespace cylch::live
