#include "shared/protocol/user_text.hpp"

#include <boost/test/unit_test.hpp>

#include "shared/protocol/codec.hpp"

#include <nlohmann/json.hpp>

#include <ostream>
#include <string>
#include <variant>
#include <vector>

namespace cylch::protocol {
inline std::ostream& boost_test_print_type(std::ostream& os, text_problem p) {
    return os << describe(p, 0);
}
inline std::ostream& boost_test_print_type(std::ostream& os, error_code c) {
    return os << to_string(c);
}
} // namespace cylch::protocol

namespace {

namespace cp = cylch::protocol;
using cp::line_breaks;
using cp::text_problem;

// The bytes of a text in hexadecimal, for messages about ill-formed UTF-8.
std::string hex(std::string const& bytes) {
    static char const digits[] = "0123456789ABCDEF";
    std::string out;
    for (unsigned char b : bytes) {
        out += digits[b >> 4];
        out += digits[b & 0xF];
        out += ' ';
    }
    return out;
}

// The cleaned text, or "<refused: reason>" so that a failure shows what happened.
std::string clean(std::string const& text, std::size_t max = 280,
                  line_breaks breaks = line_breaks::allowed) {
    text_problem why{};
    auto out = cp::clean_user_text(text, max, breaks, &why);
    return out ? *out : "<refused: " + cp::describe(why, max) + ">";
}

// Why the text is refused; fails the test when it is accepted.
text_problem refused(std::string const& text, std::size_t max = 280,
                     line_breaks breaks = line_breaks::allowed) {
    text_problem why{};
    auto out = cp::clean_user_text(text, max, breaks, &why);
    BOOST_TEST(!out.has_value(), "accepted: \"" << out.value_or("") << '"');
    return why;
}

} // namespace

BOOST_AUTO_TEST_SUITE(user_text)

BOOST_AUTO_TEST_CASE(ordinary_text_is_kept_and_trimmed_of_white_space_at_both_ends) {
    BOOST_TEST(clean("Mwy o amser i siarad") == "Mwy o amser i siarad");
    BOOST_TEST(clean("  padded \t\r\n") == "padded");
    // Unicode white space too: no-break space, ideographic space, line feeds at the ends.
    BOOST_TEST(clean("\u00A0\u3000two words\u2003\n\n") == "two words");
    BOOST_TEST(clean("first line\nsecond line") == "first line\nsecond line");
    BOOST_TEST(clean("a < b, and <3") == "a < b, and <3");
    // Emoji sequences with joiners and tag characters (the flag of Wales) stay whole.
    BOOST_TEST(clean("\U0001F469\u200D\U0001F4BB") == "\U0001F469\u200D\U0001F4BB");
    std::string const wales =
        "\U0001F3F4\U000E0067\U000E0062\U000E0077\U000E006C\U000E0073\U000E007F";
    BOOST_TEST(clean(wales) == wales);
}

BOOST_AUTO_TEST_CASE(text_is_normalised_to_nfc) {
    BOOST_TEST(clean("Cafe\u0301") == "Caf\u00E9");
    BOOST_TEST(clean("w\u0302yl") == "\u0175yl");        // Welsh ŵ typed as w + circumflex
    BOOST_TEST(clean("\u212B") == "\u00C5");             // the Ångström sign becomes Å
    BOOST_TEST(clean("\u1E0B\u0323") == "\u1E0D\u0307"); // marks put in canonical order
    // Already normal text comes back byte for byte.
    BOOST_TEST(clean("Caf\u00E9 \u0175") == "Caf\u00E9 \u0175");
}

BOOST_AUTO_TEST_CASE(length_is_counted_in_code_points_after_normalisation) {
    BOOST_TEST(clean(std::string(280, 'a')) == std::string(280, 'a'));
    BOOST_TEST(refused(std::string(281, 'a')) == text_problem::too_long);
    // 280 decomposed é (560 code points) are 280 once composed.
    std::string decomposed;
    std::string composed;
    for (int i = 0; i < 280; ++i) {
        decomposed += "e\u0301";
        composed += "\u00E9";
    }
    BOOST_TEST(clean(decomposed) == composed);
    BOOST_TEST(refused(decomposed + "e") == text_problem::too_long);
    // Four-byte characters count once.
    std::string emoji;
    for (int i = 0; i < 60; ++i) {
        emoji += "\U0001F600";
    }
    BOOST_TEST(clean(emoji, 60) == emoji);
    BOOST_TEST(refused(emoji + "!", 60) == text_problem::too_long);
    // Trimmed white space does not count.
    BOOST_TEST(clean("   " + std::string(60, 'x') + "   ", 60) == std::string(60, 'x'));
}

BOOST_AUTO_TEST_CASE(empty_and_invisible_only_text_is_refused) {
    for (std::string text : {
             "", "   \n\t ",
             "\u200B",                   // zero-width space
             "\u200B\u200C\u200D\u2060", // zero-width (non-)joiners, word joiner
             "\uFEFF",                   // zero-width no-break space (BOM)
             "\u3164\u115F",             // Hangul fillers
             "\u2800\u2800",             // blank Braille pattern
             "\U000E0041\U000E0020",     // tag characters alone
             " \u00AD ",                 // a soft hyphen alone
             "\uFE0F",                   // a variation selector alone
         }) {
        BOOST_TEST_CONTEXT(nlohmann::json(text).dump()) {
            BOOST_TEST(refused(text) == text_problem::empty);
        }
    }
    // One visible character among them is enough.
    BOOST_TEST(clean("\u200B.\u200B") == "\u200B.\u200B");
}

BOOST_AUTO_TEST_CASE(control_characters_are_refused_but_the_documented_line_feed) {
    for (std::string const& text : {
             std::string("a\0b", 3),
             std::string("bell\a!"),
             std::string("tab\tinside"),
             std::string("carriage\rreturn"),
             std::string("form\ffeed"),
             std::string("del\x7F"),
             std::string("nel\u0085inside"),
             std::string("\u0085 at the start"), // a C1 control is not white space to trim
             std::string("at the end \u0085"),
             std::string("c1 \u0080 and \u009F"),
             std::string("line\u2028separator"),
             std::string("paragraph\u2029separator"),
         }) {
        BOOST_TEST_CONTEXT(nlohmann::json(text).dump()) {
            BOOST_TEST(refused(text) == text_problem::control);
        }
    }
    // A label is one line: the line feed is refused there, but still trimmed at the ends.
    BOOST_TEST(refused("two\nlines", 60, line_breaks::refused) == text_problem::control);
    BOOST_TEST(clean("one line\n", 60, line_breaks::refused) == "one line");
}

BOOST_AUTO_TEST_CASE(bidirectional_controls_are_refused) {
    for (std::string control : {"\u061C", "\u200E", "\u200F", "\u202A", "\u202B", "\u202C",
                                "\u202D", "\u202E", "\u2066", "\u2067", "\u2068", "\u2069"}) {
        BOOST_TEST_CONTEXT(hex(control)) {
            // "invoice" U+202E "fdp.exe" would show as "invoiceexe.pdf".
            BOOST_TEST(refused("invoice" + control + "fdp.exe") == text_problem::bidi_control);
        }
    }
    // Right-to-left text itself is welcome.
    BOOST_TEST(clean("\u05E9\u05DC\u05D5\u05DD") == "\u05E9\u05DC\u05D5\u05DD");
}

BOOST_AUTO_TEST_CASE(noncharacters_are_refused) {
    for (std::string text :
         {"\uFDD0", "x\uFDEF", "\uFFFE", "end\uFFFF", "\U0001FFFE", "\U0001FFFF", "\U0010FFFF"}) {
        BOOST_TEST_CONTEXT(nlohmann::json(text).dump()) {
            BOOST_TEST(refused(text) == text_problem::noncharacter);
        }
    }
    // Their neighbours are ordinary characters.
    BOOST_TEST(clean("\uFDCF\uFDF0\uFFFD") == "\uFDCF\uFDF0\uFFFD");
}

BOOST_AUTO_TEST_CASE(ill_formed_utf8_is_refused) {
    for (std::string const& text : {
             std::string("\x80"),             // a continuation byte alone
             std::string("\xC0\xAF"),         // overlong '/'
             std::string("\xE0\x80\xAF"),     // overlong, three bytes
             std::string("\xED\xA0\x80"),     // a surrogate
             std::string("\xF4\x90\x80\x80"), // past U+10FFFF
             std::string("\xE2\x82"),         // cut short
             std::string("ok\xFF"),
         }) {
        BOOST_TEST_CONTEXT(hex(text)) {
            BOOST_TEST(refused(text) == text_problem::invalid_utf8);
        }
    }
}

BOOST_AUTO_TEST_CASE(html_tags_are_refused_as_markup) {
    BOOST_TEST(refused("<script>alert(1)</script>") == text_problem::markup);
    BOOST_TEST(refused("hi <img src=x>") == text_problem::markup);
    BOOST_TEST(refused("</p>") == text_problem::markup);
    BOOST_TEST(refused("<!-- x -->") == text_problem::markup);
    BOOST_TEST(refused("<?php") == text_problem::markup);
}

BOOST_AUTO_TEST_CASE(cleaning_twice_changes_nothing_more) {
    for (std::string text :
         {"  Cafe\u0301  ", "\u212B\nline", "\u1E0B\u0323 ", "plain", "\u00A0x\u00A0"}) {
        auto once = clean(text);
        BOOST_TEST(clean(once) == once);
    }
}

BOOST_AUTO_TEST_CASE(every_problem_has_a_message) {
    for (auto p : {text_problem::invalid_utf8, text_problem::empty, text_problem::too_long,
                   text_problem::control, text_problem::bidi_control, text_problem::noncharacter,
                   text_problem::markup}) {
        BOOST_TEST(!cp::describe(p, 280).empty());
    }
    BOOST_TEST(cp::describe(text_problem::too_long, 280) == "is longer than 280 characters");
}

// ---- the fields that use it -----------------------------------------------------------------

namespace {

std::string note_add(std::string const& text) {
    return nlohmann::json{{"type", "note.add"},
                          {"op", "op-0123456789abcdef"},
                          {"activity", "a_1"},
                          {"text", text},
                          {"colour", "yellow"},
                          {"x", 0.5},
                          {"y", 0.5}}
        .dump();
}

std::string label_set(std::string const& label) {
    return nlohmann::json{{"type", "cluster.set"},
                          {"op", "op-0123456789abcdef"},
                          {"activity", "a_1"},
                          {"cluster", "k_1"},
                          {"label", {{"en", label}}}}
        .dump();
}

} // namespace

BOOST_AUTO_TEST_CASE(note_text_is_cleaned_when_decoded) {
    auto ok = cp::decode_client(note_add("  Cafe\u0301\nsecond line  "));
    BOOST_TEST_REQUIRE(std::holds_alternative<cp::client_message>(ok));
    auto const& add = std::get<cp::note_add>(std::get<cp::client_message>(ok));
    BOOST_TEST(add.text == "Caf\u00E9\nsecond line");

    struct refusal {
        std::string text;
        std::string message;
    };
    for (auto const& r : std::vector<refusal>{
             {"evil\u202Etxt.exe", "$.text: bidirectional control characters (such as U+202E) "
                                   "are not allowed"},
             {"\u200B\u200B", "$.text: needs some text (white space and invisible characters alone "
                              "do not count)"},
             {"nel\u0085", "$.text: control characters are not allowed"},
             {"\uFFFF", "$.text: Unicode noncharacters (such as U+FFFF) are not allowed"},
             {std::string(281, 'a'), "$.text: is longer than 280 characters"},
         }) {
        BOOST_TEST_CONTEXT(r.message) {
            auto result = cp::decode_client(note_add(r.text));
            auto const* f = std::get_if<cp::decode_failure>(&result);
            BOOST_TEST_REQUIRE(f != nullptr);
            BOOST_TEST(f->code == cp::error_code::bad_request);
            BOOST_TEST(f->message == r.message);
            BOOST_TEST(f->op.value_or("") == "op-0123456789abcdef");
        }
    }
    // note.edit goes through the same check.
    auto edit = cp::decode_client(
        R"({"type":"note.edit","op":"op-0123456789abcdef","note":"n_1","version":1,"text":"\u202e"})");
    BOOST_TEST(std::holds_alternative<cp::decode_failure>(edit));
}

BOOST_AUTO_TEST_CASE(comments_and_open_answers_are_cleaned_when_decoded) {
    auto answer = cp::decode_client(
        R"({"type":"answer","op":"op-0123456789abcdef","activity":"a_1","text":" Cafe\u0301\nok "})");
    BOOST_TEST_REQUIRE(std::holds_alternative<cp::client_message>(answer));
    BOOST_TEST(std::get<cp::answer>(std::get<cp::client_message>(answer)).text == "Caf\u00E9\nok");
    auto choose = cp::decode_client(
        R"({"type":"choose","op":"op-0123456789abcdef","activity":"a_1","options":["a"],"comment":"Ide\u0301a"})");
    BOOST_TEST_REQUIRE(std::holds_alternative<cp::client_message>(choose));
    BOOST_TEST(std::get<cp::choose>(std::get<cp::client_message>(choose)).comment.value_or("") ==
               "Id\u00E9a");
    for (
        auto const& [frame, path] : std::vector<std::pair<std::string, std::string>>{
            {R"({"type":"answer","op":"op-0123456789abcdef","activity":"a_1","text":"\u200b"})",
             "$.text: "},
            {R"({"type":"answer","op":"op-0123456789abcdef","activity":"a_1","text":"x\u2066y"})",
             "$.text: "},
            {R"({"type":"vote","op":"op-0123456789abcdef","activity":"a_1","value":3,"comment":"\u0085"})",
             "$.comment: "},
            {R"({"type":"choose","op":"op-0123456789abcdef","activity":"a_1","options":["a"],"comment":"\ufdd0"})",
             "$.comment: "},
        }) {
        BOOST_TEST_CONTEXT(frame) {
            auto result = cp::decode_client(frame);
            auto const* f = std::get_if<cp::decode_failure>(&result);
            BOOST_TEST_REQUIRE(f != nullptr);
            BOOST_TEST(f->code == cp::error_code::bad_request);
            BOOST_TEST(f->message.starts_with(path), f->message);
        }
    }
}

BOOST_AUTO_TEST_CASE(cluster_labels_are_one_clean_line) {
    auto ok = cp::decode_client(label_set(" Ide\u0301as "));
    BOOST_TEST_REQUIRE(std::holds_alternative<cp::client_message>(ok));
    auto const& set = std::get<cp::cluster_set>(std::get<cp::client_message>(ok));
    BOOST_TEST(set.label->at("en") == "Id\u00E9as");
    for (std::string const& bad :
         std::vector<std::string>{"two\nlines", "\u2066x", " ", std::string(61, 'x')}) {
        BOOST_TEST_CONTEXT(nlohmann::json(bad).dump()) {
            auto result = cp::decode_client(label_set(bad));
            auto const* f = std::get_if<cp::decode_failure>(&result);
            BOOST_TEST_REQUIRE(f != nullptr);
            BOOST_TEST(f->code == cp::error_code::bad_request);
            BOOST_TEST(f->message.starts_with("$.label.en: "), f->message);
        }
    }
}

BOOST_AUTO_TEST_SUITE_END()
