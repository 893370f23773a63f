#include "shared/stats/small_cells.hpp"

#include <optional>

namespace cylch::stats {

std::vector<std::size_t> small_cells(std::span<int const> ns, int min_cell) {
    std::vector<std::size_t> out;
    if (min_cell <= 1) {
        return out;
    }
    std::vector<bool> withheld(ns.size(), false);
    int pool = 0;
    for (std::size_t i = 0; i < ns.size(); ++i) {
        if (ns[i] < min_cell) {
            withheld[i] = true;
            pool += ns[i];
        }
    }
    // Complementary suppression: total minus the shown cells gives the withheld cells' sum.
    while (pool > 0 && pool < min_cell) {
        std::optional<std::size_t> smallest;
        for (std::size_t i = 0; i < ns.size(); ++i) {
            if (!withheld[i] && (!smallest || ns[i] < ns[*smallest])) {
                smallest = i;
            }
        }
        if (!smallest) {
            break; // every cell is withheld already
        }
        withheld[*smallest] = true;
        pool += ns[*smallest];
    }
    for (std::size_t i = 0; i < ns.size(); ++i) {
        if (withheld[i]) {
            out.push_back(i);
        }
    }
    return out;
}

} // namespace cylch::stats
