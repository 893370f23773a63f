// Text that people write into a workshop (notes, cluster labels, comments, open answers): the
// one check and clean-up that every such field goes through before it is stored or shown.
//
// clean_user_text() trims the text, refuses what could deceive a reader or break a display,
// and returns it in Unicode Normalization Form C, so that the same words are always the same
// bytes (one length, one sort order, one line in the CSV). The exact list is in
// docs/security.md, "Text written by people". Pure (Unicode data from ICU); thread-safe.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace cylch::protocol {

// Why a text was refused. Each is a message to the writer, not a silent repair.
enum class text_problem {
    invalid_utf8, // not well-formed UTF-8 (overlong forms, surrogates, past U+10FFFF)
    empty,        // nothing but white space and invisible characters
    too_long,     // more code points than allowed (counted after normalisation)
    control,      // a control character: C0 (but line feed where line breaks are allowed),
                  // DEL, C1 (U+0080–U+009F), or the line and paragraph separators U+2028/9
    bidi_control, // a bidirectional control: U+061C, U+200E, U+200F, U+202A–U+202E,
                  // U+2066–U+2069
    noncharacter, // U+FDD0–U+FDEF, or the last two code points of a plane (U+FFFE, U+1FFFF…)
    markup,       // '<' followed by a letter, '/', '!' or '?': plain text only, no HTML tags
};

// Whether a field may span lines (U+000A, line feed; never CR or other breaks).
enum class line_breaks { refused, allowed };

// The text trimmed of white space at both ends and normalised to NFC, or nullopt (and the
// reason in *why, when why is not null) when it is refused. At most max_code_points code
// points, at least one visible character.
std::optional<std::string> clean_user_text(std::string_view text, std::size_t max_code_points,
                                           line_breaks breaks, text_problem* why = nullptr);

// An English sentence for an error message ("must not contain bidirectional controls…").
std::string describe(text_problem problem, std::size_t max_code_points);

} // namespace cylch::protocol
