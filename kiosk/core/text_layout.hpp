// Laying text out on a character terminal: display widths of UTF-8 text and word wrapping
// that never splits a character and breaks words longer than a line (long Welsh place names,
// URLs) at the line's width.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace cylch::kiosk {

// Columns a text takes: 1 per character, 0 for combining marks, 2 for wide (CJK, emoji)
// characters. Invalid UTF-8 bytes count 1 each (they are shown as replacement characters).
int display_width(std::string_view text);

// Splits `text` into lines of at most `width` columns (width ≥ 1). Words are separated by
// spaces; runs of spaces collapse; '\n' starts a new line; a word wider than the line is cut
// into pieces of `width` columns. An empty text gives no lines.
std::vector<std::string> wrap(std::string_view text, int width);

// Pads (or cuts) `line` to centre it in `width` columns.
std::string centre(std::string_view line, int width);

} // namespace cylch::kiosk
