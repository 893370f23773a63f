// The load generator's view of the wire protocol (docs/protocol.md): client frames built
// from shared/protocol's vocabulary, and a fast, allocation-free scan of the few fields of
// server frames it needs. Server frames are written by shared/protocol's encoder with keys in
// a fixed order ("type" first; a summary's own "n" and "counts" before "by_group"), which is
// what makes a scan instead of a full parse sound.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace cylch::bench {

// The fields of one server frame that the load generator reads.
struct server_frame {
    std::string_view type;     // "welcome", "ack", "error", "summary", "activity", …
    std::string_view op;       // ack, error (and a baseline echo of a vote)
    std::string_view note;     // ack of a note.add: the new note's id
    std::string_view code;     // error
    std::string_view activity; // summary: its activity; activity push: activity.id
    std::string_view state;    // activity push: activity.state
    int n = -1;                // summary
    int points = 0;            // summary: how many entries of `counts` were read
    std::array<int, 11> counts{};
};

// Reads `text` into `out`; false when it is not a JSON object with a "type".
bool scan(std::string_view text, server_frame& out);

// Client frames.
std::string hello_participant(std::string_view code);
std::string hello_staff(std::string_view role, std::string_view workshop, std::string_view token);
std::string profile_frame(std::string_view op, std::string_view group);
std::string vote_frame(std::string_view op, std::string_view activity, int value);
// Board requests; x and y are written with three decimals, column "" as null.
std::string note_add_frame(std::string_view op, std::string_view activity, std::string_view text,
                           std::string_view colour, std::string_view column, double x, double y);
std::string note_move_frame(std::string_view op, std::string_view note, std::string_view column,
                            double x, double y);
std::string activity_command(std::string_view verb, std::string_view op, std::string_view activity);

// A valid op (16–128 visible ASCII, see protocol::valid_op) unique per (process tag, client,
// sequence number).
std::string make_op(unsigned tag, std::uint32_t client, std::uint32_t seq);
// The sequence number encoded by make_op, when `op` came from this (tag, client).
std::optional<std::uint32_t> op_sequence(std::string_view op);

} // namespace cylch::bench
