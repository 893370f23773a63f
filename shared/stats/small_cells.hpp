// Small-cell suppression (docs/protocol.md, "Small cells"): which cells of a breakdown a shared
// screen withholds so that no one's answer can be read off it.
//
// Thread-safety: none needed; pure functions.
#pragma once

#include <cstddef>
#include <span>
#include <vector>

namespace cylch::stats {

// The workshop file's default and largest `min_cell`.
inline constexpr int default_min_cell = 3;
inline constexpr int max_min_cell = 100;

// The indices (ascending) of the cells to withhold, given each cell's number of respondents.
// A cell with fewer than `min_cell` respondents is withheld. Then, because the total is shown
// (and with it every count summed over the cells), the withheld cells together must hold either
// nobody or at least `min_cell` respondents; while they hold 1..min_cell-1 the smallest shown
// cell (the first of equals) is withheld too. `min_cell` <= 1 withholds nothing.
std::vector<std::size_t> small_cells(std::span<int const> ns, int min_cell);

// True when a whole set of answers is too small to show more than its size. `min_cell` <= 1
// turns suppression off, so even an activity nobody has answered yet shows its (empty) chart.
inline bool too_few(int n, int min_cell) {
    return min_cell > 1 && n < min_cell;
}

} // namespace cylch::stats
