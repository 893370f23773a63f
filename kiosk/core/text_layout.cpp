#include "kiosk/core/text_layout.hpp"

#include <cstdint>

namespace cylch::kiosk {
namespace {

// One character of UTF-8 text: its byte length and code point (U+FFFD when invalid).
struct utf8_char {
    std::size_t bytes = 1;
    char32_t cp = 0xFFFD;
};

utf8_char next_char(std::string_view s, std::size_t at) {
    auto const b0 = static_cast<unsigned char>(s[at]);
    if (b0 < 0x80) {
        return {1, b0};
    }
    std::size_t len = 0;
    char32_t cp = 0;
    if ((b0 & 0xE0) == 0xC0) {
        len = 2;
        cp = b0 & 0x1F;
    } else if ((b0 & 0xF0) == 0xE0) {
        len = 3;
        cp = b0 & 0x0F;
    } else if ((b0 & 0xF8) == 0xF0) {
        len = 4;
        cp = b0 & 0x07;
    } else {
        return {};
    }
    if (at + len > s.size()) {
        return {};
    }
    for (std::size_t i = 1; i < len; ++i) {
        auto const b = static_cast<unsigned char>(s[at + i]);
        if ((b & 0xC0) != 0x80) {
            return {};
        }
        cp = (cp << 6) | (b & 0x3F);
    }
    return {len, cp};
}

int char_width(char32_t cp) {
    auto in = [cp](char32_t lo, char32_t hi) { return cp >= lo && cp <= hi; };
    if (in(0x0300, 0x036F) || in(0x1AB0, 0x1AFF) || in(0x1DC0, 0x1DFF) || in(0x20D0, 0x20FF) ||
        in(0xFE20, 0xFE2F) || cp == 0x200B || cp == 0x200D) {
        return 0;
    }
    if (in(0x1100, 0x115F) || in(0x2E80, 0xA4CF) || in(0xAC00, 0xD7A3) || in(0xF900, 0xFAFF) ||
        in(0xFE30, 0xFE4F) || in(0xFF00, 0xFF60) || in(0xFFE0, 0xFFE6) || in(0x1F300, 0x1F64F) ||
        in(0x1F900, 0x1F9FF) || in(0x20000, 0x3FFFD)) {
        return 2;
    }
    return 1;
}

// Appends `word` to `lines`, cutting it into pieces when it is wider than `width`.
void place_word(std::string_view word, int width, std::vector<std::string>& lines, int& used) {
    int const w = display_width(word);
    if (used > 0 && used + 1 + w <= width) {
        lines.back() += ' ';
        lines.back() += word;
        used += 1 + w;
        return;
    }
    if (w <= width) {
        lines.emplace_back(word);
        used = w;
        return;
    }
    // Too wide for any line: cut at character boundaries, combining marks kept with their base.
    std::string piece;
    int piece_w = 0;
    for (std::size_t at = 0; at < word.size();) {
        auto const c = next_char(word, at);
        int const cw = char_width(c.cp);
        if (piece_w + cw > width && !piece.empty()) {
            lines.push_back(std::move(piece));
            piece.clear();
            piece_w = 0;
        }
        piece.append(word.substr(at, c.bytes));
        piece_w += cw;
        at += c.bytes;
    }
    lines.push_back(std::move(piece));
    used = piece_w;
}

} // namespace

int display_width(std::string_view text) {
    int w = 0;
    for (std::size_t at = 0; at < text.size();) {
        auto const c = next_char(text, at);
        w += char_width(c.cp);
        at += c.bytes;
    }
    return w;
}

std::vector<std::string> wrap(std::string_view text, int width) {
    if (width < 1) {
        width = 1;
    }
    std::vector<std::string> lines;
    std::size_t start = 0;
    while (start <= text.size()) {
        std::size_t const nl = text.find('\n', start);
        std::string_view const para =
            text.substr(start, nl == std::string_view::npos ? std::string_view::npos : nl - start);
        int used = 0;
        bool placed = false;
        std::size_t at = 0;
        while (at < para.size()) {
            std::size_t const sp = para.find_first_not_of(" \t\r", at);
            if (sp == std::string_view::npos) {
                break;
            }
            std::size_t const end = para.find_first_of(" \t\r", sp);
            std::string_view const word =
                para.substr(sp, end == std::string_view::npos ? std::string_view::npos : end - sp);
            if (!placed) {
                used = 0;
            }
            place_word(word, width, lines, used);
            placed = true;
            at = end == std::string_view::npos ? para.size() : end;
        }
        if (!placed && nl != std::string_view::npos) {
            lines.emplace_back(); // an empty paragraph between two line breaks
        }
        if (nl == std::string_view::npos) {
            break;
        }
        start = nl + 1;
    }
    return lines;
}

std::string centre(std::string_view line, int width) {
    int const w = display_width(line);
    if (w >= width) {
        return std::string(line);
    }
    return std::string(static_cast<std::size_t>((width - w) / 2), ' ') + std::string(line);
}

} // namespace cylch::kiosk
