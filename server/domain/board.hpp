// A sticky-note board's own state (docs/protocol.md, Boards): its settings, notes with
// versions, clusters, dots and the lock. Plain data; the rules are the workshop's, in board.cpp.
#pragma once

#include "server/store/records.hpp"
#include "shared/protocol/workshop_file.hpp"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace cylch::domain {

struct note {
    std::string id;
    std::string author; // participant id
    std::string text;
    std::string colour;
    std::optional<std::string> column;
    double x = 0;
    double y = 0;
    std::int64_t version = 1;
    std::optional<std::string> cluster;
    bool hidden = false;
    store::time_ms created_at = 0;
    store::time_ms updated_at = 0;
    int dots = 0;                       // total
    std::map<std::string, int> dots_by; // participant id -> dots on this note
};

struct cluster {
    std::string id;
    protocol::text_map label;
    int position = 0;
};

struct board {
    protocol::board_spec spec;
    bool locked = false;
    std::vector<note> notes;                        // in order of creation
    std::vector<cluster> clusters;                  // in order of creation
    std::unordered_map<std::string, int> dots_used; // participant id -> dots given in all
    int next_cluster_position = 0;

    note* find(std::string_view id) {
        for (auto& n : notes) {
            if (n.id == id) {
                return &n;
            }
        }
        return nullptr;
    }
    note const* find(std::string_view id) const { return const_cast<board*>(this)->find(id); }
    cluster* find_cluster(std::string_view id) {
        for (auto& c : clusters) {
            if (c.id == id) {
                return &c;
            }
        }
        return nullptr;
    }
    int notes_by(std::string const& author) const {
        int n = 0;
        for (auto const& x : notes) {
            n += x.author == author ? 1 : 0;
        }
        return n;
    }
};

inline constexpr int max_notes_per_person = 50;
inline constexpr int max_notes_per_board = 2000;
inline constexpr std::size_t max_clusters = 100;

} // namespace cylch::domain
