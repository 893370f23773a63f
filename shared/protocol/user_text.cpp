#include "shared/protocol/user_text.hpp"

#include <unicode/uchar.h>
#include <unicode/unorm2.h>

#include <algorithm>
#include <cstdint>

namespace cylch::protocol {
namespace {

// Strict UTF-8 (RFC 3629): no overlong forms, no surrogates, nothing past U+10FFFF.
bool decode_utf8(std::string_view s, std::u32string& out) {
    std::size_t i = 0;
    while (i < s.size()) {
        auto const b0 = static_cast<unsigned char>(s[i]);
        std::size_t n = 0;
        char32_t c = 0;
        char32_t min = 0;
        if (b0 < 0x80) {
            out.push_back(b0);
            ++i;
            continue;
        }
        if ((b0 & 0xE0) == 0xC0) {
            n = 1;
            c = b0 & 0x1F;
            min = 0x80;
        } else if ((b0 & 0xF0) == 0xE0) {
            n = 2;
            c = b0 & 0x0F;
            min = 0x800;
        } else if ((b0 & 0xF8) == 0xF0) {
            n = 3;
            c = b0 & 0x07;
            min = 0x10000;
        } else {
            return false; // a continuation byte without a lead, or 0xF8..0xFF
        }
        if (i + n >= s.size()) {
            return false; // cut short
        }
        for (std::size_t k = 1; k <= n; ++k) {
            auto const b = static_cast<unsigned char>(s[i + k]);
            if ((b & 0xC0) != 0x80) {
                return false;
            }
            c = (c << 6) | (b & 0x3F);
        }
        if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) {
            return false;
        }
        out.push_back(c);
        i += n + 1;
    }
    return true;
}

void append_utf8(std::string& out, char32_t c) {
    if (c < 0x80) {
        out += static_cast<char>(c);
    } else if (c < 0x800) {
        out += static_cast<char>(0xC0 | (c >> 6));
        out += static_cast<char>(0x80 | (c & 0x3F));
    } else if (c < 0x10000) {
        out += static_cast<char>(0xE0 | (c >> 12));
        out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (c & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (c >> 18));
        out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (c & 0x3F));
    }
}

// White space that trimming removes: Unicode's White_Space, but for U+0085 (NEL), which is a
// C1 control and refused as such wherever it is.
bool trimmed(char32_t c) {
    return c != 0x85 && u_isUWhiteSpace(static_cast<UChar32>(c));
}

bool is_control(char32_t c, line_breaks breaks) {
    if (c == '\n') {
        return breaks == line_breaks::refused;
    }
    return c < 0x20 || (c >= 0x7F && c <= 0x9F) || c == 0x2028 || c == 0x2029;
}

bool is_bidi_control(char32_t c) {
    return c == 0x061C || c == 0x200E || c == 0x200F || (c >= 0x202A && c <= 0x202E) ||
           (c >= 0x2066 && c <= 0x2069);
}

bool is_noncharacter(char32_t c) {
    return (c >= 0xFDD0 && c <= 0xFDEF) || (c & 0xFFFE) == 0xFFFE;
}

bool opens_tag(char32_t next) {
    return (next >= 'a' && next <= 'z') || (next >= 'A' && next <= 'Z') || next == '/' ||
           next == '!' || next == '?';
}

// Shows nothing by itself: white space, format characters (zero-width space and joiners,
// U+FEFF, tag characters…), default-ignorable code points (Hangul fillers, variation
// selectors…) and U+2800, the blank Braille pattern.
bool invisible(char32_t c) {
    auto const u = static_cast<UChar32>(c);
    return u_isUWhiteSpace(u) || u_charType(u) == U_FORMAT_CHAR ||
           u_hasBinaryProperty(u, UCHAR_DEFAULT_IGNORABLE_CODE_POINT) || c == 0x2800;
}

std::optional<text_problem> first_problem(std::u32string_view text, line_breaks breaks) {
    for (std::size_t i = 0; i < text.size(); ++i) {
        char32_t const c = text[i];
        if (is_control(c, breaks)) {
            return text_problem::control;
        }
        if (is_bidi_control(c)) {
            return text_problem::bidi_control;
        }
        if (is_noncharacter(c)) {
            return text_problem::noncharacter;
        }
        if (c == '<' && i + 1 < text.size() && opens_tag(text[i + 1])) {
            return text_problem::markup;
        }
    }
    if (std::all_of(text.begin(), text.end(), invisible)) {
        return text_problem::empty;
    }
    return std::nullopt;
}

// NFC of checked text (every code point valid). ICU works in UTF-16.
std::optional<std::u32string> to_nfc(std::u32string_view text) {
    UErrorCode status = U_ZERO_ERROR;
    UNormalizer2 const* nfc = unorm2_getNFCInstance(&status);
    if (U_FAILURE(status)) {
        return std::nullopt;
    }
    std::u16string utf16;
    utf16.reserve(text.size());
    for (char32_t c : text) {
        if (c < 0x10000) {
            utf16 += static_cast<char16_t>(c);
        } else {
            utf16 += static_cast<char16_t>(0xD800 + ((c - 0x10000) >> 10));
            utf16 += static_cast<char16_t>(0xDC00 + ((c - 0x10000) & 0x3FF));
        }
    }
    auto const length = static_cast<std::int32_t>(utf16.size());
    if (unorm2_quickCheck(nfc, utf16.data(), length, &status) == UNORM_YES && U_SUCCESS(status)) {
        return std::u32string(text);
    }
    std::u16string normal(utf16.size() + 16, u'\0');
    std::int32_t n = 0;
    for (int attempt = 0; attempt < 2; ++attempt) { // the second with the size ICU asked for
        status = U_ZERO_ERROR;
        n = unorm2_normalize(nfc, utf16.data(), length, normal.data(),
                             static_cast<std::int32_t>(normal.size()), &status);
        if (status != U_BUFFER_OVERFLOW_ERROR) {
            break;
        }
        normal.assign(static_cast<std::size_t>(n), u'\0');
    }
    if (U_FAILURE(status)) {
        return std::nullopt;
    }
    std::u32string out;
    out.reserve(static_cast<std::size_t>(n));
    for (std::int32_t i = 0; i < n; ++i) {
        char32_t c = normal[static_cast<std::size_t>(i)];
        if (c >= 0xD800 && c <= 0xDBFF && i + 1 < n) {
            char32_t const low = normal[static_cast<std::size_t>(++i)];
            c = 0x10000 + ((c - 0xD800) << 10) + (low - 0xDC00);
        }
        out.push_back(c);
    }
    return out;
}

} // namespace

std::optional<std::string> clean_user_text(std::string_view text, std::size_t max_code_points,
                                           line_breaks breaks, text_problem* why) {
    auto refuse = [why](text_problem p) -> std::optional<std::string> {
        if (why != nullptr) {
            *why = p;
        }
        return std::nullopt;
    };
    std::u32string points;
    points.reserve(text.size());
    if (!decode_utf8(text, points)) {
        return refuse(text_problem::invalid_utf8);
    }
    std::u32string_view view(points);
    while (!view.empty() && trimmed(view.front())) {
        view.remove_prefix(1);
    }
    while (!view.empty() && trimmed(view.back())) {
        view.remove_suffix(1);
    }
    if (auto p = first_problem(view, breaks)) {
        return refuse(*p);
    }
    auto normal = to_nfc(view);
    if (!normal) {
        return refuse(text_problem::invalid_utf8); // ICU refused it: never stored unchecked
    }
    if (normal->size() > max_code_points) {
        return refuse(text_problem::too_long);
    }
    std::string out;
    out.reserve(normal->size() + 8);
    for (char32_t c : *normal) {
        append_utf8(out, c);
    }
    return out;
}

std::string describe(text_problem problem, std::size_t max_code_points) {
    switch (problem) {
    case text_problem::invalid_utf8:
        return "is not valid UTF-8";
    case text_problem::empty:
        return "needs some text (white space and invisible characters alone do not count)";
    case text_problem::too_long:
        return "is longer than " + std::to_string(max_code_points) + " characters";
    case text_problem::control:
        return "control characters are not allowed";
    case text_problem::bidi_control:
        return "bidirectional control characters (such as U+202E) are not allowed";
    case text_problem::noncharacter:
        return "Unicode noncharacters (such as U+FFFF) are not allowed";
    case text_problem::markup:
        return "is plain text: HTML tags are not allowed";
    }
    return "cannot be accepted";
}

} // namespace cylch::protocol
