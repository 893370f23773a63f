#include "shared/protocol/codec.hpp"

#include <boost/test/unit_test.hpp>

#include "shared/protocol/api.hpp"
#include "shared/stats/likert.hpp"

#include <nlohmann/json.hpp>

#include <optional>
#include <ostream>
#include <set>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

// Frames are written out as raw JSON so that each test shows exactly what a client sends.
// Every well-formed op in this file is kOp (19 visible ASCII characters).

namespace cylch::protocol {

// Let BOOST_TEST print the protocol's enums when a comparison fails.
inline std::ostream& boost_test_print_type(std::ostream& os, error_code c) {
    return os << to_string(c);
}
inline std::ostream& boost_test_print_type(std::ostream& os, role r) {
    return os << to_string(r);
}
inline std::ostream& boost_test_print_type(std::ostream& os, activity_command::verb v) {
    return os << to_string(v);
}

} // namespace cylch::protocol

namespace {

namespace cp = cylch::protocol;
using json = nlohmann::json;
using ordered_json = nlohmann::ordered_json;

constexpr std::string_view kOp = "op-0123456789abcdef";

// Passes when `part` occurs in `text`; on failure shows both.
boost::test_tools::predicate_result contains(std::string const& text, std::string_view part) {
    if (text.find(part) != std::string::npos) {
        return true;
    }
    boost::test_tools::predicate_result result(false);
    result.message() << '"' << text << "\" does not contain \"" << part << '"';
    return result;
}

// Passes when `actual` equals the JSON text `expected`; on failure shows both.
boost::test_tools::predicate_result same_json(json const& actual, std::string_view expected) {
    auto const want = json::parse(expected);
    if (actual == want) {
        return true;
    }
    boost::test_tools::predicate_result result(false);
    result.message() << actual.dump() << " != " << want.dump();
    return result;
}
boost::test_tools::predicate_result same_json(std::string const& actual_text,
                                              std::string_view expected) {
    return same_json(json::parse(actual_text), expected);
}

// The message of type T that the frame must decode to.
template <typename T>
T decode_as(std::string_view frame) {
    auto const result = cp::decode_client(frame);
    if (auto const* failure = std::get_if<cp::decode_failure>(&result)) {
        BOOST_FAIL("expected a message from " << frame << ", got " << to_string(failure->code)
                                              << ": " << failure->message);
    }
    auto const& message = std::get<cp::client_message>(result);
    BOOST_REQUIRE_MESSAGE(std::holds_alternative<T>(message),
                          frame << " decoded as " << cp::type_name(message));
    return std::get<T>(message);
}

// The failure that the frame must decode to.
cp::decode_failure reject(std::string_view frame, std::size_t max_frame = 16 * 1024) {
    auto const result = cp::decode_client(frame, max_frame);
    auto const* failure = std::get_if<cp::decode_failure>(&result);
    if (failure == nullptr) {
        BOOST_FAIL("expected " << frame << " to be rejected, but it decoded as "
                               << cp::type_name(std::get<cp::client_message>(result)));
    }
    return *failure;
}

// The op of a failure, or "<none>".
std::string op_or_none(cp::decode_failure const& f) {
    return f.op.value_or("<none>");
}

// A vote whose extra field "x" holds `brackets` nested arrays: the frame's depth is
// brackets + 1 (the frame object itself is the first level).
std::string vote_nested(int brackets) {
    return R"({"type":"vote","op":"op-0123456789abcdef","activity":"a_1","value":3,"x":)" +
           std::string(static_cast<std::size_t>(brackets), '[') +
           std::string(static_cast<std::size_t>(brackets), ']') + "}";
}

// ---- encoder fixtures -----------------------------------------------------------------------

cp::workshop_view demo_workshop() {
    cp::workshop_view w;
    w.id = "w_demo";
    w.code = "482913";
    w.title = {{"en", "Persona validation"}, {"cy", "Dilysu personas"}};
    w.state = cp::workshop_state::live;
    w.languages = {"en", "cy"};
    w.groups = {{"innovator", {{"en", "Innovator"}, {"cy", "Arloeswr"}}, 12},
                {"enabler", {{"en", "Enabler"}}, std::nullopt}};
    w.consent = {true, {{"en", "Answers are kept without names."}}, "https://example.org/info"};
    return w;
}

cp::activity_view likert_activity(std::string id, int position, cp::activity_state state) {
    cp::activity_view a;
    a.id = std::move(id);
    a.position = position;
    a.state = state;
    cp::likert_view l;
    l.statement = {{"en", "I would like to use these personas."}, {"cy", "Hoffwn eu defnyddio."}};
    l.scale.points = 5;
    l.scale.labels = {{"en",
                       {"Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree",
                        "Strongly agree"}}};
    l.results = cp::results_visibility::on_reveal;
    a.body = std::move(l);
    return a;
}

// The protocol's example: counts [0,1,2,6,5], split into two groups and two channels.
cp::summary example_summary() {
    cp::summary s;
    s.activity = "a_1";
    s.full = true;
    cp::likert_results r;
    r.overall = cylch::stats::summarise(std::vector<int>{0, 1, 2, 6, 5});
    r.by_group = {{"innovator", cylch::stats::summarise(std::vector<int>{0, 0, 1, 3, 2})},
                  {"enabler", cylch::stats::summarise(std::vector<int>{0, 1, 1, 3, 3})}};
    r.by_channel = {{"web", cylch::stats::summarise(std::vector<int>{0, 1, 2, 4, 4})},
                    {"kiosk", cylch::stats::summarise(std::vector<int>{0, 0, 0, 2, 1})}};
    s.body = std::move(r);
    return s;
}

// The keys of a JSON object in their order, joined by commas.
std::string keys_of(ordered_json const& j) {
    std::string out;
    for (auto const& item : j.items()) {
        out += (out.empty() ? "" : ",") + item.key();
    }
    return out;
}

} // namespace

// =============================================================================================

BOOST_AUTO_TEST_SUITE(protocol_decode)

// ---- every client message -------------------------------------------------------------------

// ---- choice, ranking, open text ----

BOOST_AUTO_TEST_CASE(choose_rank_and_answer_decode) {
    auto const c = decode_as<cp::choose>(
        R"({"type":"choose","op":"op-0000000000000001","activity":"a_1","options":["visionary","x-2"],"comment":"  Why not?\n"})");
    BOOST_TEST(c.options == (std::vector<std::string>{"visionary", "x-2"}),
               boost::test_tools::per_element());
    BOOST_TEST(c.comment.value_or("-") == "Why not?"); // trimmed
    auto const k = decode_as<cp::rank>(
        R"({"type":"rank","op":"op-0000000000000002","activity":"a_1","order":["b","a","c"]})");
    BOOST_TEST(k.order.size() == 3u);
    auto const t = decode_as<cp::answer>(
        R"({"type":"answer","op":"op-0000000000000003","activity":"a_1","text":"Mwy o enghreifftiau"})");
    BOOST_TEST(t.text == "Mwy o enghreifftiau");
    auto const show = decode_as<cp::answer_show>(
        R"({"type":"answer.show","op":"op-0000000000000004","answer":"t_1","shown":false})");
    BOOST_TEST(!show.shown);
    auto const hide = decode_as<cp::answer_hide>(
        R"({"type":"answer.hide","op":"op-0000000000000005","answer":"t_1"})");
    BOOST_TEST(hide.hidden); // defaults to true
    auto const v = decode_as<cp::vote>(
        R"({"type":"vote","op":"op-0000000000000006","activity":"a_1","value":4,"comment":"Because"})");
    BOOST_TEST(v.comment.value_or("-") == "Because");
}

BOOST_AUTO_TEST_CASE(bad_question_requests_are_refused_with_their_path) {
    std::string const op = R"("op":"op-0000000000000001",)";
    for (
        auto const& [frame, says] : std::vector<std::pair<std::string, std::string>>{
            {R"({"type":"choose",)" + op + R"("activity":"a_1","options":[]})", "1 to 12"},
            {R"({"type":"choose",)" + op + R"("activity":"a_1","options":"a"})", "array"},
            {R"({"type":"choose",)" + op + R"("activity":"a_1","options":["a b"]})", "valid id"},
            {R"({"type":"choose",)" + op +
                 R"("activity":"a_1","options":["a","b","c","d","e","f","g","h","i","j","k","l","m"]})",
             "1 to 12"},
            {R"({"type":"choose",)" + op + R"("activity":"a_1","options":["a"],"comment":""})",
             "needs some text"},
            {R"({"type":"choose",)" + op + R"("activity":"a_1","options":["a"],"comment":")" +
                 std::string(501, 'x') + R"("})",
             "longer than 500"},
            {R"({"type":"rank",)" + op + R"("activity":"a_1"})", "order"},
            {R"({"type":"answer",)" + op + R"("activity":"a_1","text":"<b>hi</b>"})", "HTML"},
            {R"({"type":"answer",)" + op + R"("activity":"a_1","text":"a\u0007b"})", "control"},
            {R"({"type":"answer.show",)" + op + R"("answer":"t_1","shown":"yes"})", "shown"},
        }) {
        BOOST_TEST_CONTEXT(frame) {
            auto const f = reject(frame);
            BOOST_TEST(cp::to_string(f.code) == "bad_request");
            BOOST_TEST(f.message.find(says) != std::string::npos, f.message);
        }
    }
}

BOOST_AUTO_TEST_CASE(hello_participant_without_token) {
    auto const h = decode_as<cp::hello>(
        R"({"type":"hello","v":1,"role":"participant","code":"482913","token":null,"lang":"cy"})");
    BOOST_TEST(h.v == 1);
    BOOST_TEST(h.role == cp::role::participant);
    BOOST_TEST(h.code.value_or("<none>") == "482913");
    BOOST_TEST(!h.token.has_value()); // null: a new identity
    BOOST_TEST(h.lang.value_or("<none>") == "cy");
    BOOST_TEST(!h.workshop.has_value());
    BOOST_TEST(!h.kiosk.has_value());

    // Leaving the token out means the same as null.
    auto const absent =
        decode_as<cp::hello>(R"({"type":"hello","v":1,"role":"participant","code":"482913"})");
    BOOST_TEST(!absent.token.has_value());
    BOOST_TEST(!absent.lang.has_value());
}

BOOST_AUTO_TEST_CASE(hello_participant_resuming_with_token) {
    auto const h = decode_as<cp::hello>(
        R"({"type":"hello","v":1,"role":"participant","code":"0042","token":"Tok_en-42"})");
    BOOST_TEST(h.role == cp::role::participant);
    BOOST_TEST(h.code.value_or("<none>") == "0042");
    BOOST_TEST(h.token.value_or("<none>") == "Tok_en-42");
    BOOST_TEST(!h.lang.has_value());
}

BOOST_AUTO_TEST_CASE(hello_facilitator_and_presenter) {
    auto const f = decode_as<cp::hello>(
        R"({"type":"hello","v":1,"role":"facilitator","workshop":"w_abc","token":"ftok_1"})");
    BOOST_TEST(f.role == cp::role::facilitator);
    BOOST_TEST(f.workshop.value_or("<none>") == "w_abc");
    BOOST_TEST(f.token.value_or("<none>") == "ftok_1");
    BOOST_TEST(!f.code.has_value());
    BOOST_TEST(!f.kiosk.has_value());
    BOOST_TEST(!f.lang.has_value());

    auto const p = decode_as<cp::hello>(
        R"({"type":"hello","v":1,"role":"presenter","workshop":"w_xyz","token":"ptok_2","lang":"en"})");
    BOOST_TEST(p.role == cp::role::presenter);
    BOOST_TEST(p.workshop.value_or("<none>") == "w_xyz");
    BOOST_TEST(p.token.value_or("<none>") == "ptok_2");
    BOOST_TEST(p.lang.value_or("<none>") == "en");
    BOOST_TEST(!p.code.has_value());
}

BOOST_AUTO_TEST_CASE(hello_kiosk) {
    auto const h = decode_as<cp::hello>(
        R"({"type":"hello","v":1,"role":"kiosk","kiosk":"k_lobby-1","token":"ktok_3","lang":"cy"})");
    BOOST_TEST(h.role == cp::role::kiosk);
    BOOST_TEST(h.kiosk.value_or("<none>") == "k_lobby-1");
    BOOST_TEST(h.token.value_or("<none>") == "ktok_3");
    BOOST_TEST(h.lang.value_or("<none>") == "cy");
    BOOST_TEST(!h.workshop.has_value());
    BOOST_TEST(!h.code.has_value());
}

BOOST_AUTO_TEST_CASE(profile_with_every_field) {
    auto const p = decode_as<cp::profile>(
        R"({"type":"profile","op":"op-0123456789abcdef","group":"innovator","consent":true,"lang":"cy"})");
    BOOST_TEST(p.op == kOp);
    BOOST_TEST(p.set_group);
    BOOST_TEST(p.group.value_or("<none>") == "innovator");
    BOOST_REQUIRE(p.consent.has_value());
    BOOST_TEST(*p.consent == true);
    BOOST_TEST(p.lang.value_or("<none>") == "cy");
}

BOOST_AUTO_TEST_CASE(profile_with_null_group_means_prefer_not_to_say) {
    auto const p =
        decode_as<cp::profile>(R"({"type":"profile","op":"op-0123456789abcdef","group":null})");
    BOOST_TEST(p.set_group);
    BOOST_TEST(!p.group.has_value());
    BOOST_TEST(!p.consent.has_value());
    BOOST_TEST(!p.lang.has_value());
}

BOOST_AUTO_TEST_CASE(profile_with_one_field_leaves_the_others_unset) {
    auto const c =
        decode_as<cp::profile>(R"({"type":"profile","op":"op-0123456789abcdef","consent":false})");
    BOOST_TEST(!c.set_group);
    BOOST_TEST(!c.group.has_value());
    BOOST_REQUIRE(c.consent.has_value());
    BOOST_TEST(*c.consent == false);
    BOOST_TEST(!c.lang.has_value());

    auto const l =
        decode_as<cp::profile>(R"({"type":"profile","op":"op-0123456789abcdef","lang":"en"})");
    BOOST_TEST(!l.set_group);
    BOOST_TEST(!l.consent.has_value());
    BOOST_TEST(l.lang.value_or("<none>") == "en");
}

BOOST_AUTO_TEST_CASE(vote) {
    auto const v = decode_as<cp::vote>(
        R"({"type":"vote","op":"op-0123456789abcdef","activity":"a_7Kx-2","value":4})");
    BOOST_TEST(v.op == kOp);
    BOOST_TEST(v.activity == "a_7Kx-2");
    BOOST_TEST(v.value == 4);
    // The codec's range is 1..11 (the largest scale); both ends are accepted.
    BOOST_TEST(decode_as<cp::vote>(
                   R"({"type":"vote","op":"op-0123456789abcdef","activity":"a_1","value":1})")
                   .value == 1);
    BOOST_TEST(decode_as<cp::vote>(
                   R"({"type":"vote","op":"op-0123456789abcdef","activity":"a_1","value":11})")
                   .value == 11);
}

BOOST_AUTO_TEST_CASE(vote_clear) {
    auto const v = decode_as<cp::vote_clear>(
        R"({"type":"vote.clear","op":"op-0123456789abcdef","activity":"a_9"})");
    BOOST_TEST(v.op == kOp);
    BOOST_TEST(v.activity == "a_9");
}

BOOST_AUTO_TEST_CASE(activity_commands_carry_their_verb) {
    using verb = cp::activity_command::verb;
    std::vector<std::pair<std::string, verb>> const cases{{"activity.open", verb::open},
                                                          {"activity.close", verb::close},
                                                          {"activity.reveal", verb::reveal},
                                                          {"activity.goto", verb::go_to}};
    for (auto const& [type, expected] : cases) {
        BOOST_TEST_CONTEXT("type " << type) {
            auto const frame =
                R"({"type":")" + type + R"(","op":"op-0123456789abcdef","activity":"a_3"})";
            auto const c = decode_as<cp::activity_command>(frame);
            BOOST_TEST(c.what == expected);
            BOOST_TEST(c.op == kOp);
            BOOST_TEST(c.activity == "a_3");
            BOOST_TEST(cp::type_name(cp::client_message{c}) == type);
        }
    }
}

BOOST_AUTO_TEST_CASE(workshop_end) {
    auto const e =
        decode_as<cp::workshop_end>(R"({"type":"workshop.end","op":"op-0123456789abcdef"})");
    BOOST_TEST(e.op == kOp);
    BOOST_TEST(cp::op_of(cp::client_message{e}) == kOp);
    BOOST_TEST(cp::type_name(cp::client_message{e}) == "workshop.end");
    BOOST_TEST(cp::op_of(cp::client_message{cp::hello{}}) == ""); // hello has no op
}

BOOST_AUTO_TEST_CASE(withdraw_carries_only_its_op) {
    auto const w = decode_as<cp::withdraw>(R"({"type":"withdraw","op":"op-0123456789abcdef"})");
    BOOST_TEST(w.op == kOp);
    BOOST_TEST(cp::type_name(cp::client_message{w}) == "withdraw");
    BOOST_TEST(reject(R"({"type":"withdraw"})").code == cp::error_code::bad_request);
    BOOST_TEST(reject(R"({"type":"withdraw","op":"op-0123456789abcdef","who":"p_1"})").code ==
               cp::error_code::bad_request);
}

// ---- too_large ------------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(frame_over_the_default_limit_is_too_large) {
    // A vote padded with spaces (valid JSON) to exactly 16 KiB is decoded; one byte more is not.
    std::string frame = R"({"type":"vote","op":"op-0123456789abcdef","activity":"a_1","value":2})";
    frame.append(16 * 1024 - frame.size(), ' ');
    BOOST_TEST(decode_as<cp::vote>(frame).value == 2);

    frame += ' ';
    auto const f = reject(frame);
    BOOST_TEST(f.code == cp::error_code::too_large);
    BOOST_TEST(f.message == "frame of 16385 bytes is larger than the limit of 16384");
    BOOST_TEST(op_or_none(f) == "<none>"); // not parsed, so no op
}

BOOST_AUTO_TEST_CASE(frame_over_a_custom_limit_is_too_large) {
    std::string const frame = R"({"type":"workshop.end","op":"op-0123456789abcdef"})"; // 50 bytes
    BOOST_REQUIRE(frame.size() == 50u);
    BOOST_TEST(std::holds_alternative<cp::client_message>(cp::decode_client(frame, 50)));
    auto const f = reject(frame, 49);
    BOOST_TEST(f.code == cp::error_code::too_large);
    BOOST_TEST(f.message == "frame of 50 bytes is larger than the limit of 49");
}

// ---- bad_json -------------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(text_that_is_not_json_or_is_truncated_is_bad_json) {
    for (std::string_view frame :
         {"hello", "", "{type: \"vote\"}", "{\"type\":\"vote\"} extra", "{\"type\":\"vote\",}"}) {
        BOOST_TEST_CONTEXT("frame " << frame) {
            auto const f = reject(frame);
            BOOST_TEST(f.code == cp::error_code::bad_json);
            BOOST_TEST(f.message.starts_with("not valid JSON (parse error"), f.message);
            BOOST_TEST(op_or_none(f) == "<none>");
        }
    }

    // Truncated in the middle of a key: the op before it is not trusted.
    auto const f = reject(R"({"type":"vote","op":"op-0123456789abcdef","activ)");
    BOOST_TEST(f.code == cp::error_code::bad_json);
    BOOST_TEST(f.message.starts_with("not valid JSON"), f.message);
    BOOST_TEST(op_or_none(f) == "<none>");
}

// Every form a JSON number can take, where a client puts numbers: the frame is refused with a
// clear error, and nothing is thrown (1e400 once ended the server process).
BOOST_AUTO_TEST_CASE(every_json_number_form_is_refused_or_read_never_thrown) {
    struct number_case {
        std::string_view text;
        cp::error_code code;
    };
    std::vector<number_case> const cases{
        {"1e400", cp::error_code::bad_json},     // overflows a double
        {"-1e400", cp::error_code::bad_json},    // overflows the other way
        {"1E400", cp::error_code::bad_json},     // upper-case exponent
        {"1e+400", cp::error_code::bad_json},    // signed exponent
        {"0.1e99999", cp::error_code::bad_json}, // overflow with a fraction
        {"1e-400", cp::error_code::bad_request}, // underflows to 0: a number with a fraction
        {"123456789012345678901234567890", cp::error_code::bad_request}, // beyond 64 bits
        {"-123456789012345678901234567890", cp::error_code::bad_request},
        {"18446744073709551616", cp::error_code::bad_request}, // 2^64
        {"18446744073709551615", cp::error_code::bad_request}, // 2^64 - 1, unsigned
        {"-9223372036854775809", cp::error_code::bad_request}, // below int64
        {"9223372036854775807", cp::error_code::bad_request},  // int64 max: out of range
        {"-0", cp::error_code::bad_request},                   // zero: out of range
        {"-0.0", cp::error_code::bad_request},
        {"4.0", cp::error_code::bad_request}, // a fraction, even if whole
        {"4e0", cp::error_code::bad_request},
        {"0x4", cp::error_code::bad_json},
        {"04", cp::error_code::bad_json},
        {"+4", cp::error_code::bad_json},
        {".5", cp::error_code::bad_json},
        {"5.", cp::error_code::bad_json},
        {"NaN", cp::error_code::bad_json},
        {"Infinity", cp::error_code::bad_json},
        {"-Infinity", cp::error_code::bad_json},
        {"1e", cp::error_code::bad_json},
        {"--1", cp::error_code::bad_json},
    };
    for (auto const& c : cases) {
        BOOST_TEST_CONTEXT("number " << c.text) {
            // before hello: the protocol version
            std::string const hello = R"({"type":"hello","v":)" + std::string(c.text) +
                                      R"(,"role":"participant","code":"482913"})";
            cp::decode_result r;
            BOOST_REQUIRE_NO_THROW(r = cp::decode_client(hello, 16 * 1024));
            auto const* f = std::get_if<cp::decode_failure>(&r);
            BOOST_REQUIRE(f != nullptr);
            // A whole number that is not 1 is another protocol version.
            auto const j = json::parse(c.text, nullptr, false);
            bool const whole = !j.is_discarded() && j.is_number_integer();
            BOOST_TEST(f->code == (whole ? cp::error_code::version : c.code), f->message);
            BOOST_TEST(!f->message.empty());
            // a vote's value, a board position
            for (
                std::string const& frame :
                {R"({"type":"vote","op":"op-0123456789abcdef","activity":"a_1","value":)" +
                     std::string(c.text) + "}",
                 R"({"type":"note.move","op":"op-0123456789abcdef","note":"n_1","column":"c1","x":)" +
                     std::string(c.text) + R"(,"y":0.5,"version":1})"}) {
                BOOST_REQUIRE_NO_THROW(r = cp::decode_client(frame, 16 * 1024));
                auto const* g = std::get_if<cp::decode_failure>(&r);
                bool const fraction_in_range =
                    frame.find("note.move") != std::string::npos &&
                    (c.text == "-0" || c.text == "-0.0" || c.text == "1e-400");
                if (fraction_in_range) {
                    BOOST_TEST(g == nullptr); // 0 is a valid board position
                    continue;
                }
                BOOST_REQUIRE(g != nullptr);
                BOOST_TEST((g->code == c.code || g->code == cp::error_code::bad_request),
                           g->message);
                // The message can always be sent back as JSON.
                BOOST_CHECK_NO_THROW(cp::encode(cp::error{g->op, g->code, g->message}));
            }
        }
    }
    // The frame from the report, exactly.
    auto const f = reject(R"({"type":"hello","v":1e400})");
    BOOST_TEST(f.code == cp::error_code::bad_json);
    BOOST_TEST(f.message == "not valid JSON (number overflow parsing '1e400')", f.message);
}

BOOST_AUTO_TEST_CASE(invalid_utf8_inside_a_string_is_bad_json) {
    // 0xFF never occurs in UTF-8; 0xC3 0x28 is a lead byte followed by a non-continuation.
    for (std::string const& bad : {std::string("a_\xFF"), std::string("a_\xC3\x28")}) {
        BOOST_TEST_CONTEXT("activity bytes " << bad.size()) {
            auto const f = reject(R"({"type":"vote","op":"op-0123456789abcdef","activity":")" +
                                  bad + R"(","value":4})");
            BOOST_TEST(f.code == cp::error_code::bad_json);
            BOOST_TEST(contains(f.message, "UTF-8"));
        }
    }
}

// Error messages must be valid UTF-8 even when the input breaks off inside a character.
BOOST_AUTO_TEST_CASE(bad_json_message_can_be_sent_back) {
    for (std::string const& frame : {std::string("\xC3\xA9"), std::string("{\"type\":\xC3\xA9}"),
                                     std::string("{\"type\":tru\xC3\xA9}"),
                                     std::string("{\"type\":\"vote\",\"value\":4\xE2\x82\xAC}"),
                                     std::string("{\"type\":\"vote\",\"activity\":\"a_\xFF\"}")}) {
        BOOST_TEST_CONTEXT("frame of " << frame.size() << " bytes") {
            auto const f = reject(frame);
            BOOST_TEST(f.code == cp::error_code::bad_json);
            std::string text;
            BOOST_CHECK_NO_THROW(text = cp::encode(cp::error{f.op, f.code, f.message}));
            BOOST_TEST(contains(text, R"("code":"bad_json")"));
        }
    }
}

// ---- bad_request ----------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(frame_that_is_not_an_object_is_bad_request) {
    std::vector<std::pair<std::string, std::string>> const cases{
        {R"([{"type":"vote"}])", "a frame must be a JSON object, got an array"},
        {"42", "a frame must be a JSON object, got an integer"},
        {R"("vote")", "a frame must be a JSON object, got a string"},
        {"null", "a frame must be a JSON object, got null"}};
    for (auto const& [frame, message] : cases) {
        BOOST_TEST_CONTEXT("frame " << frame) {
            auto const f = reject(frame);
            BOOST_TEST(f.code == cp::error_code::bad_request);
            BOOST_TEST(f.message == message);
        }
    }
}

BOOST_AUTO_TEST_CASE(missing_or_non_string_type_is_bad_request) {
    auto const missing = reject(R"({"op":"op-0123456789abcdef","activity":"a_1"})");
    BOOST_TEST(missing.code == cp::error_code::bad_request);
    BOOST_TEST(missing.message == "$.type: is required");
    BOOST_TEST(op_or_none(missing) == kOp); // the op was well-formed

    auto const number = reject(R"({"type":7,"op":"op-0123456789abcdef"})");
    BOOST_TEST(number.code == cp::error_code::bad_request);
    BOOST_TEST(number.message == "$.type: expected a string, got an integer");
    BOOST_TEST(op_or_none(number) == kOp);

    auto const array = reject(R"({"type":["vote"]})");
    BOOST_TEST(array.code == cp::error_code::bad_request);
    BOOST_TEST(array.message == "$.type: expected a string, got an array");
    BOOST_TEST(op_or_none(array) == "<none>");
}

BOOST_AUTO_TEST_CASE(missing_required_field_is_named) {
    auto const vote = reject(R"({"type":"vote","op":"op-0123456789abcdef","value":4})");
    BOOST_TEST(vote.code == cp::error_code::bad_request);
    BOOST_TEST(vote.message == "$.activity: is required");
    BOOST_TEST(op_or_none(vote) == kOp);

    auto const value = reject(R"({"type":"vote","op":"op-0123456789abcdef","activity":"a_1"})");
    BOOST_TEST(value.message == "$.value: is required");

    auto const op = reject(R"({"type":"workshop.end"})");
    BOOST_TEST(op.code == cp::error_code::bad_request);
    BOOST_TEST(op.message == "$.op: is required");
    BOOST_TEST(op_or_none(op) == "<none>");

    auto const code = reject(R"({"type":"hello","v":1,"role":"participant"})");
    BOOST_TEST(code.message == "$.code: is required");

    auto const token = reject(R"({"type":"hello","v":1,"role":"kiosk","kiosk":"k_1"})");
    BOOST_TEST(token.message == "$.token: is required");

    auto const workshop = reject(R"({"type":"hello","v":1,"role":"facilitator","token":"t_1"})");
    BOOST_TEST(workshop.message == "$.workshop: is required");
}

BOOST_AUTO_TEST_CASE(wrong_field_types_are_bad_request) {
    std::vector<std::pair<std::string, std::string>> const values{
        {R"("4")", "$.value: expected an integer, got a string"},
        {"4.5", "$.value: expected an integer, got a number with a fraction"},
        {"4.0", "$.value: expected an integer, got a number with a fraction"},
        {"true", "$.value: expected an integer, got a boolean"},
        {"null", "$.value: expected an integer, got null"},
        {"[4]", "$.value: expected an integer, got an array"}};
    for (auto const& [value, message] : values) {
        BOOST_TEST_CONTEXT("value " << value) {
            auto const f =
                reject(R"({"type":"vote","op":"op-0123456789abcdef","activity":"a_1","value":)" +
                       value + "}");
            BOOST_TEST(f.code == cp::error_code::bad_request);
            BOOST_TEST(f.message == message);
            BOOST_TEST(contains(f.message, "$.value"));
            BOOST_TEST(op_or_none(f) == kOp);
        }
    }

    auto const consent = reject(R"({"type":"profile","op":"op-0123456789abcdef","consent":"yes"})");
    BOOST_TEST(consent.code == cp::error_code::bad_request);
    BOOST_TEST(consent.message == "$.consent: expected true or false, got a string");

    auto const activity =
        reject(R"({"type":"vote.clear","op":"op-0123456789abcdef","activity":17})");
    BOOST_TEST(activity.message == "$.activity: expected a string, got an integer");

    auto const role = reject(R"({"type":"hello","v":1,"role":"admin","code":"1234"})");
    BOOST_TEST(role.code == cp::error_code::bad_request);
    BOOST_TEST(role.message == "$.role: must be participant, kiosk, facilitator or presenter");
}

BOOST_AUTO_TEST_CASE(value_outside_the_codec_range_is_bad_request) {
    for (std::string value : {"0", "12", "-1", "18446744073709551615"}) {
        BOOST_TEST_CONTEXT("value " << value) {
            auto const f =
                reject(R"({"type":"vote","op":"op-0123456789abcdef","activity":"a_1","value":)" +
                       value + "}");
            BOOST_TEST(f.code == cp::error_code::bad_request);
            BOOST_TEST(f.message == "$.value: must be between 1 and 11");
            BOOST_TEST(op_or_none(f) == kOp);
        }
    }
}

BOOST_AUTO_TEST_CASE(unknown_extra_field_is_named_with_its_path) {
    auto const f = reject(
        R"({"type":"vote","op":"op-0123456789abcdef","activity":"a_1","value":4,"colour":"red"})");
    BOOST_TEST(f.code == cp::error_code::bad_request);
    BOOST_TEST(f.message == "$.colour: is not a known field");
    BOOST_TEST(op_or_none(f) == kOp);

    // A field of another role's hello is unknown too.
    auto const hello =
        reject(R"({"type":"hello","v":1,"role":"participant","code":"1234","workshop":"w_1"})");
    BOOST_TEST(hello.code == cp::error_code::bad_request);
    BOOST_TEST(hello.message == "$.workshop: is not a known field");

    // hello takes no op.
    auto const op = reject(
        R"({"type":"hello","v":1,"role":"participant","code":"1234","op":"op-0123456789abcdef"})");
    BOOST_TEST(op.message == "$.op: is not a known field");
}

BOOST_AUTO_TEST_CASE(malformed_op_is_bad_request_and_not_carried) {
    std::vector<std::pair<std::string, std::string>> const ops{
        {"short-op-15char", "15 characters"},
        {std::string(129, 'x'), "129 characters"},
        {"op with a space 1234", "a space"},
        {"op-\\t-tab-0123456789", "a tab"},
        {"op\xC3\xA9ration-num\xC3\xA9ro-un", "non-ASCII letters"}};
    for (auto const& [op, why] : ops) {
        BOOST_TEST_CONTEXT("op with " << why) {
            auto const f = reject(R"({"type":"workshop.end","op":")" + op + R"("})");
            BOOST_TEST(f.code == cp::error_code::bad_request);
            BOOST_TEST(f.message == "$.op: must be 16 to 128 visible ASCII characters");
            BOOST_TEST(op_or_none(f) == "<none>");
        }
    }
    auto const number = reject(R"({"type":"workshop.end","op":1234567890123456789})");
    BOOST_TEST(number.message == "$.op: expected a string, got an integer");
    BOOST_TEST(op_or_none(number) == "<none>");
}

BOOST_AUTO_TEST_CASE(nesting_deeper_than_16_levels_is_bad_request) {
    // 16 levels pass the depth check and fail later, on the unknown field.
    auto const ok_depth = reject(vote_nested(15));
    BOOST_TEST(ok_depth.code == cp::error_code::bad_request);
    BOOST_TEST(ok_depth.message == "$.x: is not a known field");

    auto const f = reject(vote_nested(16));
    BOOST_TEST(f.code == cp::error_code::bad_request);
    BOOST_TEST(f.message == "JSON nested deeper than 16 levels");

    // Brackets inside strings do not count.
    auto const in_string = reject(R"({"type":"vote","op":"op-0123456789abcdef","activity":"a_1",)"
                                  R"("value":3,"x":"[[[[[[[[[[[[[[[[[[[[\"{{{{{{{{{{{{{{{{{{"})");
    BOOST_TEST(in_string.message == "$.x: is not a known field");

    // Thousands of levels are rejected the same way, without reaching the parser.
    auto const hostile = reject(std::string(5000, '[') + std::string(5000, ']'));
    BOOST_TEST(hostile.code == cp::error_code::bad_request);
    BOOST_TEST(hostile.message == "JSON nested deeper than 16 levels");
}

BOOST_AUTO_TEST_CASE(profile_without_changes_is_bad_request) {
    auto const f = reject(R"({"type":"profile","op":"op-0123456789abcdef"})");
    BOOST_TEST(f.code == cp::error_code::bad_request);
    BOOST_TEST(f.message == "$: a profile needs at least one of group, consent and lang");
    BOOST_TEST(op_or_none(f) == kOp);
}

BOOST_AUTO_TEST_CASE(bad_language_codes_are_bad_request) {
    for (std::string lang : {"EN", "en_GB", "c1", "cy "}) {
        BOOST_TEST_CONTEXT("lang " << lang) {
            auto const p =
                reject(R"({"type":"profile","op":"op-0123456789abcdef","lang":")" + lang + R"("})");
            BOOST_TEST(p.code == cp::error_code::bad_request);
            BOOST_TEST(p.message == R"($.lang: must be a language code such as "en")");
            BOOST_TEST(op_or_none(p) == kOp);

            auto const h =
                reject(R"({"type":"hello","v":1,"role":"participant","code":"1234","lang":")" +
                       lang + R"("})");
            BOOST_TEST(h.code == cp::error_code::bad_request);
            BOOST_TEST(h.message == R"($.lang: must be a language code such as "en")");
        }
    }
    auto const one = reject(R"({"type":"profile","op":"op-0123456789abcdef","lang":"e"})");
    BOOST_TEST(one.message == "$.lang: must be at least 2 characters");
    auto const nine = reject(R"({"type":"profile","op":"op-0123456789abcdef","lang":"abcdefghi"})");
    BOOST_TEST(nine.message == "$.lang: must be at most 8 characters");
}

BOOST_AUTO_TEST_CASE(join_code_must_be_digits) {
    auto const letters = reject(R"({"type":"hello","v":1,"role":"participant","code":"48a913"})");
    BOOST_TEST(letters.code == cp::error_code::bad_request);
    BOOST_TEST(letters.message == "$.code: must be the digits of the join code");

    auto const spaced = reject(R"({"type":"hello","v":1,"role":"participant","code":"482 913"})");
    BOOST_TEST(spaced.message == "$.code: must be the digits of the join code");

    auto const short_code = reject(R"({"type":"hello","v":1,"role":"participant","code":"123"})");
    BOOST_TEST(short_code.message == "$.code: must be at least 4 characters");

    auto const number = reject(R"({"type":"hello","v":1,"role":"participant","code":482913})");
    BOOST_TEST(number.message == "$.code: expected a string, got an integer");
}

BOOST_AUTO_TEST_CASE(ids_with_illegal_characters_are_bad_request) {
    for (std::string id : {"a 1", "a.1", "a/1", "a_\xC3\xA4", "a\"1"}) {
        BOOST_TEST_CONTEXT("activity " << id) {
            auto const f = reject(R"({"type":"vote.clear","op":"op-0123456789abcdef","activity":)" +
                                  json(id).dump() + "}");
            BOOST_TEST(f.code == cp::error_code::bad_request);
            BOOST_TEST(f.message == "$.activity: is not a valid id");
            BOOST_TEST(op_or_none(f) == kOp);
        }
    }
    auto const empty = reject(R"({"type":"vote.clear","op":"op-0123456789abcdef","activity":""})");
    BOOST_TEST(empty.message == "$.activity: must not be empty");

    auto const long_id = reject(R"({"type":"vote.clear","op":"op-0123456789abcdef","activity":")" +
                                std::string(65, 'a') + R"("})");
    BOOST_TEST(long_id.message == "$.activity: must be at most 64 characters");

    auto const token =
        reject(R"({"type":"hello","v":1,"role":"facilitator","workshop":"w_1","token":"a+b/c="})");
    BOOST_TEST(token.message == "$.token: is not a valid id");

    auto const kiosk = reject(R"({"type":"hello","v":1,"role":"kiosk","kiosk":"k 1","token":"t"})");
    BOOST_TEST(kiosk.message == "$.kiosk: is not a valid id");

    auto const group =
        reject(R"({"type":"profile","op":"op-0123456789abcdef","group":"inno vator"})");
    BOOST_TEST(group.message == "$.group: is not a valid id");
}

// ---- unknown_type and version ---------------------------------------------------------------

BOOST_AUTO_TEST_CASE(unknown_type_carries_the_op) {
    auto const note =
        reject(R"({"type":"note.paint","op":"op-0123456789abcdef","activity":"a_1","text":"hi"})");
    BOOST_TEST(note.code == cp::error_code::unknown_type);
    BOOST_TEST(note.message == R"(unknown message type "note.paint")");
    BOOST_TEST(op_or_none(note) == kOp);

    auto const foo = reject(R"({"type":"foo"})");
    BOOST_TEST(foo.code == cp::error_code::unknown_type);
    BOOST_TEST(foo.message == R"(unknown message type "foo")");
    BOOST_TEST(op_or_none(foo) == "<none>");

    // Type names are case-sensitive.
    BOOST_TEST(reject(R"({"type":"Vote","op":"op-0123456789abcdef"})").code ==
               cp::error_code::unknown_type);
}

BOOST_AUTO_TEST_CASE(hello_of_another_version_is_a_version_error) {
    auto const v2 = reject(R"({"type":"hello","v":2,"role":"participant","code":"1234"})");
    BOOST_TEST(v2.code == cp::error_code::version);
    BOOST_TEST(v2.message == "protocol version 2 is not supported; this server speaks version 1");
    BOOST_TEST(op_or_none(v2) == "<none>");

    // The version is checked first: a newer client may send fields this server does not know.
    auto const v3 = reject(R"({"type":"hello","v":3,"role":"robot","session":{"id":1}})");
    BOOST_TEST(v3.code == cp::error_code::version);

    auto const as_string = reject(R"({"type":"hello","v":"1","role":"participant","code":"1234"})");
    BOOST_TEST(as_string.code == cp::error_code::bad_request);
    BOOST_TEST(as_string.message == "$.v: expected an integer, got a string");

    auto const missing = reject(R"({"type":"hello","role":"participant","code":"1234"})");
    BOOST_TEST(missing.code == cp::error_code::bad_request);
    BOOST_TEST(missing.message == "$.v: is required");
}

// ---- valid_op / valid_id ----------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(valid_op_accepts_16_to_128_visible_ascii) {
    BOOST_TEST(cp::valid_op(std::string(16, 'a')));
    BOOST_TEST(cp::valid_op(std::string(128, 'a')));
    BOOST_TEST(!cp::valid_op(std::string(15, 'a')));
    BOOST_TEST(!cp::valid_op(std::string(129, 'a')));
    BOOST_TEST(!cp::valid_op(""));
    // '!' (0x21) and '~' (0x7E) are the ends of the visible range.
    BOOST_TEST(cp::valid_op("!!!!!!!!~~~~~~~~"));
    BOOST_TEST(cp::valid_op("{\"uuid\":<1-2-3>}"));
    BOOST_TEST(!cp::valid_op("aaaaaaa aaaaaaaa"));
    BOOST_TEST(!cp::valid_op("aaaaaaaa\x7F"
                             "aaaaaaa"));
    BOOST_TEST(!cp::valid_op("aaaaaaaa\taaaaaaa"));
    BOOST_TEST(!cp::valid_op("aaaaaaaa\xC3\xA9"
                             "aaaaaa"));
}

BOOST_AUTO_TEST_CASE(valid_id_accepts_1_to_64_letters_digits_underscore_dash) {
    BOOST_TEST(cp::valid_id("a"));
    BOOST_TEST(cp::valid_id(std::string(16, 'a')));
    BOOST_TEST(cp::valid_id(std::string(64, 'Z')));
    BOOST_TEST(!cp::valid_id(std::string(65, 'Z')));
    BOOST_TEST(!cp::valid_id(std::string(128, 'a')));
    BOOST_TEST(!cp::valid_id(""));
    BOOST_TEST(cp::valid_id("w_AZaz09-_"));
    for (std::string_view bad : {"a b", "a.b", "a/b", "a+b", "a=b", "a:b", "\xC3\xA4"}) {
        BOOST_TEST(!cp::valid_id(bad), "accepted " << bad);
    }
}

BOOST_AUTO_TEST_SUITE_END()

// =============================================================================================

BOOST_AUTO_TEST_SUITE(protocol_encode)

BOOST_AUTO_TEST_CASE(welcome_for_a_participant_has_token_and_mine) {
    cp::welcome w;
    w.you = {"p_1", "ptok_secret", std::nullopt, cp::role::participant, "innovator", "cy", true};
    w.workshop = demo_workshop();
    w.activity = likert_activity("a_1", 0, cp::activity_state::open);
    w.mine = cp::mine_view{4};

    auto const j = json::parse(cp::encode(w));
    BOOST_TEST(j.at("type") == "welcome");
    BOOST_TEST(j.at("v") == 1);

    auto const& you = j.at("you");
    BOOST_TEST(you.at("id") == "p_1");
    BOOST_TEST(you.at("token") == "ptok_secret");
    BOOST_TEST(you.at("role") == "participant");
    BOOST_TEST(you.at("group") == "innovator");
    BOOST_TEST(you.at("lang") == "cy");
    BOOST_TEST(you.at("consent") == true);

    auto const& ws = j.at("workshop");
    BOOST_TEST(ws.at("id") == "w_demo");
    BOOST_TEST(ws.at("code") == "482913");
    BOOST_TEST(same_json(ws.at("title"), R"({"en":"Persona validation","cy":"Dilysu personas"})"));
    BOOST_TEST(ws.at("state") == "live");
    BOOST_TEST(same_json(ws.at("languages"), R"(["en","cy"])"));
    BOOST_TEST(
        same_json(ws.at("groups"),
                  R"([{"id":"innovator","label":{"en":"Innovator","cy":"Arloeswr"},"target":12},
                               {"id":"enabler","label":{"en":"Enabler"},"target":null}])"));
    BOOST_TEST(same_json(ws.at("consent"),
                         R"({"required":true,"text":{"en":"Answers are kept without names."},
                               "info_url":"https://example.org/info"})"));

    auto const& a = j.at("activity");
    BOOST_TEST(a.at("id") == "a_1");
    BOOST_TEST(a.at("kind") == "likert");
    BOOST_TEST(a.at("position") == 0);
    BOOST_TEST(a.at("state") == "open");
    BOOST_TEST(a.at("statement").at("cy") == "Hoffwn eu defnyddio.");
    BOOST_TEST(a.at("scale").at("points") == 5);
    BOOST_TEST(a.at("scale").at("labels").at("en").size() == 5u);
    BOOST_TEST(a.at("scale").at("labels").at("en").at(4) == "Strongly agree");
    BOOST_TEST(a.at("results") == "on_reveal");

    BOOST_TEST(same_json(j.at("mine"), R"({"value":4})"));
    BOOST_TEST(!j.contains("agenda"));
}

BOOST_AUTO_TEST_CASE(welcome_for_a_facilitator_has_agenda_and_no_token) {
    cp::welcome w;
    w.you.id = "f_1";
    w.you.role = cp::role::facilitator;
    w.workshop = demo_workshop();
    w.agenda =
        std::vector<cp::activity_view>{likert_activity("a_1", 0, cp::activity_state::closed),
                                       likert_activity("a_2", 1, cp::activity_state::pending)};

    auto const j = json::parse(cp::encode(w));
    auto const& you = j.at("you");
    BOOST_TEST(you.at("id") == "f_1");
    BOOST_TEST(you.at("role") == "facilitator");
    BOOST_TEST(!you.contains("token"));
    BOOST_TEST(you.at("group").is_null());
    BOOST_TEST(you.at("lang").is_null());
    BOOST_TEST(you.at("consent") == false);

    BOOST_TEST(j.at("activity").is_null()); // no current activity
    BOOST_TEST(!j.contains("mine"));
    auto const& agenda = j.at("agenda");
    BOOST_REQUIRE(agenda.size() == 2u);
    BOOST_TEST(agenda.at(0).at("id") == "a_1");
    BOOST_TEST(agenda.at(0).at("state") == "closed");
    BOOST_TEST(agenda.at(1).at("id") == "a_2");
    BOOST_TEST(agenda.at(1).at("position") == 1);
    BOOST_TEST(agenda.at(1).at("state") == "pending");
}

BOOST_AUTO_TEST_CASE(activity_push) {
    // Facilitator: a changed activity and which one is current.
    cp::activity_push to_facilitator;
    to_facilitator.activity = likert_activity("a_2", 1, cp::activity_state::revealed);
    to_facilitator.current = "a_3";
    auto const f = json::parse(cp::encode(to_facilitator));
    BOOST_TEST(f.at("type") == "activity");
    BOOST_TEST(f.at("activity").at("id") == "a_2");
    BOOST_TEST(f.at("activity").at("state") == "revealed");
    BOOST_TEST(f.at("current") == "a_3");
    BOOST_TEST(!f.contains("mine"));

    // Participant between activities: null activity, null current, empty mine.
    cp::activity_push to_participant;
    to_participant.mine = cp::mine_view{};
    auto const p = json::parse(cp::encode(to_participant));
    BOOST_TEST(p.at("type") == "activity");
    BOOST_TEST(p.at("activity").is_null());
    BOOST_TEST(p.at("current").is_null());
    BOOST_TEST(same_json(p.at("mine"), "{}"));
}

BOOST_AUTO_TEST_CASE(workshop_push) {
    BOOST_TEST(same_json(cp::encode(cp::workshop_push{cp::workshop_state::ended}),
                         R"({"type":"workshop","state":"ended"})"));
    BOOST_TEST(same_json(cp::encode(cp::workshop_push{cp::workshop_state::live}),
                         R"({"type":"workshop","state":"live"})"));
}

BOOST_AUTO_TEST_CASE(full_summary_rounds_its_numbers) {
    auto const text = cp::encode(example_summary());
    auto const j = json::parse(text);
    BOOST_TEST(j.at("type") == "summary");
    BOOST_TEST(j.at("activity") == "a_1");
    BOOST_TEST(j.at("kind") == "likert");
    BOOST_TEST(j.at("n") == 14);
    BOOST_TEST(same_json(j.at("counts"), "[0,1,2,6,5]"));
    // Sorted 2,3,3,4,4,4,4,4,4,5,5,5,5,5: x(7) = x(8) = 4; q1 = x(4) = 4; q3 = x(11) = 5.
    BOOST_TEST(j.at("median") == 4);
    BOOST_TEST(same_json(j.at("quartiles"), "[4,5]"));
    // mean 57/14 = 4.0714 -> 4.07; agree 11/14 = 78.571% -> 78.6; disagree 1/14 = 7.143% -> 7.1;
    // net 10/14 = 71.429% -> 71.4; Wilson [0.524108, 0.924286] -> [52.4, 92.4];
    // consensus 0.713321 -> 0.71 (worked out in stats_test.cpp).
    BOOST_TEST(j.at("mean").get<double>() == 4.07);
    BOOST_TEST(j.at("agree_pct").get<double>() == 78.6);
    BOOST_TEST(j.at("disagree_pct").get<double>() == 7.1);
    BOOST_TEST(j.at("net_agreement").get<double>() == 71.4);
    BOOST_TEST(j.at("agree_ci95").size() == 2u);
    BOOST_TEST(j.at("agree_ci95").at(0).get<double>() == 52.4);
    BOOST_TEST(j.at("agree_ci95").at(1).get<double>() == 92.4);
    BOOST_TEST(j.at("consensus").get<double>() == 0.71);
    // The text itself has the short forms, not 78.57142857142857.
    BOOST_TEST(contains(text, R"("agree_pct":78.6,)"));
    BOOST_TEST(contains(text, R"("agree_ci95":[52.4,92.4])"));

    // By group: innovator [0,0,1,3,2], n 6, agree 5/6 = 83.3; sorted 3,4,4,4,5,5 -> median 4.
    auto const& innovator = j.at("by_group").at("innovator");
    BOOST_TEST(innovator.at("n") == 6);
    BOOST_TEST(same_json(innovator.at("counts"), "[0,0,1,3,2]"));
    BOOST_TEST(innovator.at("median") == 4);
    BOOST_TEST(innovator.at("agree_pct").get<double>() == 83.3);
    BOOST_TEST(j.at("by_group").at("enabler").at("n") == 8);

    // By channel: n, counts and agree_pct only. web 8/11 = 72.7%, kiosk 3/3 = 100%.
    auto const& web = j.at("by_channel").at("web");
    BOOST_TEST(same_json(web, R"({"n":11,"counts":[0,1,2,4,4],"agree_pct":72.7})"));
    auto const& kiosk = j.at("by_channel").at("kiosk");
    BOOST_TEST(same_json(kiosk, R"({"n":3,"counts":[0,0,0,2,1],"agree_pct":100.0})"));

    // Groups and channels keep the order they were given in (the workshop's order).
    auto const ordered = ordered_json::parse(text);
    BOOST_TEST(keys_of(ordered.at("by_group")) == "innovator,enabler");
    BOOST_TEST(keys_of(ordered.at("by_channel")) == "web,kiosk");
}

BOOST_AUTO_TEST_CASE(split_median_is_encoded_as_a_pair) {
    cp::summary s;
    s.activity = "a_1";
    s.body = cp::likert_results{};
    std::get<cp::likert_results>(s.body).overall =
        cylch::stats::summarise(std::vector<int>{0, 2, 0, 2, 0}); // 2,2,4,4
    BOOST_TEST(same_json(json::parse(cp::encode(s)).at("median"), "[2,4]"));

    s.body = cp::likert_results{};
    std::get<cp::likert_results>(s.body).overall =
        cylch::stats::summarise(std::vector<int>{1, 1, 0, 2, 1, 2, 3}); // x(5)=5, x(6)=6
    auto const j = json::parse(cp::encode(s));
    BOOST_TEST(same_json(j.at("median"), "[5,6]"));
    BOOST_TEST(j.at("counts").size() == 7u);
    BOOST_TEST(same_json(j.at("by_group"), "{}"));
    BOOST_TEST(same_json(j.at("by_channel"), "{}"));
}

BOOST_AUTO_TEST_CASE(summary_without_answers_has_nulls) {
    cp::summary s;
    s.activity = "a_1";
    s.body = cp::likert_results{};
    std::get<cp::likert_results>(s.body).overall =
        cylch::stats::summarise(std::vector<int>{0, 0, 0, 0, 0});
    auto const j = json::parse(cp::encode(s));
    BOOST_TEST(j.at("n") == 0);
    BOOST_TEST(same_json(j.at("counts"), "[0,0,0,0,0]"));
    for (auto const* key : {"median", "quartiles", "mean", "agree_pct", "disagree_pct",
                            "net_agreement", "agree_ci95", "consensus"}) {
        BOOST_TEST(j.at(key).is_null(), key << " is " << j.at(key));
    }
}

BOOST_AUTO_TEST_CASE(restricted_summary_has_only_n) {
    auto s = example_summary();
    s.full = false;
    auto const j = ordered_json::parse(cp::encode(s));
    BOOST_TEST(keys_of(j) == "type,activity,kind,n");
    BOOST_TEST(j.at("type") == "summary");
    BOOST_TEST(j.at("activity") == "a_1");
    BOOST_TEST(j.at("kind") == "likert");
    BOOST_TEST(j.at("n") == 14);
}

BOOST_AUTO_TEST_CASE(presence) {
    cp::presence p;
    p.online = 12;
    p.ungrouped = 2;
    p.by_group = {{"stakeholder", 6}, {"innovator", 4}, {"enabler", 0}};
    auto const j = ordered_json::parse(cp::encode(p));
    BOOST_TEST(keys_of(j) == "type,online,ungrouped,by_group");
    BOOST_TEST(j.at("type") == "presence");
    BOOST_TEST(j.at("online") == 12);
    BOOST_TEST(j.at("ungrouped") == 2);
    // Workshop order, groups with nobody online included.
    BOOST_TEST(keys_of(j.at("by_group")) == "stakeholder,innovator,enabler");
    BOOST_TEST(j.at("by_group").at("stakeholder") == 6);
    BOOST_TEST(j.at("by_group").at("innovator") == 4);
    BOOST_TEST(j.at("by_group").at("enabler") == 0);
}

BOOST_AUTO_TEST_CASE(ack_and_error) {
    BOOST_TEST(same_json(cp::encode(cp::ack{std::string(kOp)}),
                         R"({"type":"ack","op":"op-0123456789abcdef"})"));

    cp::error with_op{std::string(kOp), cp::error_code::closed, "This activity is closed."};
    BOOST_TEST(same_json(cp::encode(with_op),
                         R"({"type":"error","op":"op-0123456789abcdef","code":"closed",
                               "message":"This activity is closed."})"));

    cp::error without_op{std::nullopt, cp::error_code::bad_json, "not valid JSON"};
    auto const j = json::parse(cp::encode(without_op));
    BOOST_TEST(!j.contains("op"));
    BOOST_TEST(same_json(j, R"({"type":"error","code":"bad_json","message":"not valid JSON"})"));

    // Every code has its wire name.
    std::vector<std::pair<cp::error_code, std::string>> const names{
        {cp::error_code::bad_request, "bad_request"},
        {cp::error_code::unknown_type, "unknown_type"},
        {cp::error_code::not_allowed, "not_allowed"},
        {cp::error_code::not_found, "not_found"},
        {cp::error_code::conflict, "conflict"},
        {cp::error_code::rate_limited, "rate_limited"},
        {cp::error_code::too_large, "too_large"},
        {cp::error_code::version, "version"},
        {cp::error_code::server_error, "server_error"}};
    for (auto const& [code, name] : names) {
        BOOST_TEST(json::parse(cp::encode(cp::error{std::nullopt, code, "m"})).at("code") == name);
    }
}

BOOST_AUTO_TEST_CASE(api_error_created_and_health) {
    BOOST_TEST(same_json(cp::encode_api_error(cp::error_code::not_found, "No such workshop."),
                         R"({"error":{"code":"not_found","message":"No such workshop."}})"));
    BOOST_TEST(same_json(cp::encode_created("w_1", "482913", "ftok", "ptok"),
                         R"({"id":"w_1","code":"482913","facilitator_token":"ftok",
                               "presenter_token":"ptok"})"));
    BOOST_TEST(same_json(cp::encode_health(), R"({"status":"ok"})"));
}

BOOST_AUTO_TEST_CASE(api_workshop_detail) {
    auto const j = json::parse(
        cp::encode_workshop_detail(demo_workshop(),
                                   {likert_activity("a_1", 0, cp::activity_state::closed),
                                    likert_activity("a_2", 1, cp::activity_state::open)},
                                   std::string("a_2")));
    BOOST_TEST(j.at("workshop").at("id") == "w_demo");
    BOOST_TEST(j.at("workshop").at("groups").size() == 2u);
    BOOST_REQUIRE(j.at("agenda").size() == 2u);
    BOOST_TEST(j.at("agenda").at(0).at("id") == "a_1");
    BOOST_TEST(j.at("agenda").at(0).at("state") == "closed");
    BOOST_TEST(j.at("agenda").at(1).at("state") == "open");
    BOOST_TEST(j.at("current") == "a_2");

    auto const none = json::parse(cp::encode_workshop_detail(demo_workshop(), {}, std::nullopt));
    BOOST_TEST(same_json(none.at("agenda"), "[]"));
    BOOST_TEST(none.at("current").is_null());
}

BOOST_AUTO_TEST_CASE(api_results) {
    auto restricted = example_summary();
    restricted.full = false; // the results API always sends what it is given
    std::vector<cp::activity_result> const results{
        {likert_activity("a_1", 0, cp::activity_state::revealed), example_summary()},
        {likert_activity("a_2", 1, cp::activity_state::pending), restricted}};
    auto const j = json::parse(cp::encode_results(demo_workshop(), results));
    BOOST_TEST(j.at("workshop").at("code") == "482913");
    auto const& list = j.at("activities");
    BOOST_REQUIRE(list.size() == 2u);
    BOOST_TEST(list.at(0).at("activity").at("id") == "a_1");
    BOOST_TEST(list.at(0).at("activity").at("state") == "revealed");
    // The summary as pushed: same fields as the summary frame.
    auto const& summary = list.at(0).at("summary");
    BOOST_TEST(same_json(summary, cp::encode(example_summary())));
    BOOST_TEST(summary.at("agree_pct").get<double>() == 78.6);
    BOOST_TEST(summary.at("by_group").at("innovator").at("n") == 6);
    BOOST_TEST(list.at(1).at("activity").at("id") == "a_2");
    BOOST_TEST(same_json(list.at(1).at("summary"),
                         R"({"type":"summary","activity":"a_1","kind":"likert","n":14})"));
}

BOOST_AUTO_TEST_CASE(audit_names_round_trip_and_unknown_ones_are_refused) {
    std::set<std::string_view> seen;
    for (std::size_t i = 0; i < cp::audit_action_count; ++i) {
        auto const a = static_cast<cp::audit_action>(i);
        auto const name = cp::to_string(a);
        BOOST_TEST(!name.empty());
        BOOST_TEST(seen.insert(name).second, name); // no two actions share a name
        BOOST_TEST((cp::audit_action_from_string(name) == a), name);
    }
    BOOST_TEST(cp::to_string(cp::audit_action::withdrawn) == "withdrawn");
    BOOST_TEST(cp::to_string(cp::audit_action::sign_in_failed) == "sign_in_failed");
    for (auto k : {cp::audit_actor::participant, cp::audit_actor::staff, cp::audit_actor::operator_,
                   cp::audit_actor::system}) {
        BOOST_TEST((cp::audit_actor_from_string(cp::to_string(k)) == k));
    }
    BOOST_TEST(cp::to_string(cp::audit_actor::operator_) == "operator");
    BOOST_TEST(!cp::audit_action_from_string("Sign_in").has_value());
    BOOST_TEST(!cp::audit_action_from_string("").has_value());
    BOOST_TEST(!cp::audit_actor_from_string("operator_").has_value());
}

BOOST_AUTO_TEST_CASE(an_audit_page_says_where_the_next_begins_when_it_is_full) {
    cp::audit_entry e;
    e.id = 9;
    e.at = 1'700'000'000'000;
    e.actor_kind = cp::audit_actor::participant;
    e.actor = "r3";
    e.action = cp::audit_action::withdrawn;
    e.workshop = "w_1";
    e.detail = "r3";
    auto full = nlohmann::json::parse(cp::encode_audit_page({e}, 1));
    BOOST_TEST(full.at("next_before") == 9);
    auto const& row = full.at("entries").at(0);
    BOOST_TEST(row.at("actor_kind") == "participant");
    BOOST_TEST(row.at("action") == "withdrawn");
    BOOST_TEST(row.at("at") == 1'700'000'000'000);
    BOOST_TEST(row.at("address").is_null());
    BOOST_TEST(nlohmann::json::parse(cp::encode_audit_page({e}, 2)).at("next_before").is_null());
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(account_requests)

BOOST_AUTO_TEST_CASE(names_are_cleaned_like_written_text) {
    // Trimmed and normalised: the same name is always the same bytes, so sign-in finds it.
    auto const ok = cp::parse_user_request(
        R"({"name":"  Sia\u0301n ","role":"facilitator","password":"0123456789"})", true);
    BOOST_REQUIRE(std::holds_alternative<cp::user_request>(ok));
    BOOST_TEST(*std::get<cp::user_request>(ok).name == "Si\xc3\xa1n");
    auto const login = cp::parse_login(R"({"name":"Sia\u0301n","password":"x"})");
    BOOST_REQUIRE(std::holds_alternative<cp::login_request>(login));
    BOOST_TEST(std::get<cp::login_request>(login).name == "Si\xc3\xa1n");

    // A right-to-left override would show "admin" to a reader while being another name.
    auto const bidi = cp::parse_user_request(
        R"({"name":"\u202Enimda","role":"admin","password":"0123456789"})", true);
    BOOST_REQUIRE(std::holds_alternative<cp::workshop_file_error>(bidi));
    BOOST_TEST(std::get<cp::workshop_file_error>(bidi).path == "$.name");
    auto const blank = cp::parse_share_request(R"({"user":"\u200B"})");
    BOOST_REQUIRE(std::holds_alternative<cp::workshop_file_error>(blank));
    BOOST_TEST(std::get<cp::workshop_file_error>(blank).path == "$.user");
}

BOOST_AUTO_TEST_CASE(bad_bodies_name_the_field_and_nothing_throws) {
    for (std::string_view body : {R"({"name":"a","password":1e400})", R"([])", R"({"name":"a"})",
                                  R"({"name":"a","password":"b","x":1})", "{", ""}) {
        auto const r = cp::parse_login(body);
        BOOST_TEST(std::holds_alternative<cp::workshop_file_error>(r), body);
    }
    auto const role = cp::parse_user_request(R"({"role":"owner"})", false);
    BOOST_REQUIRE(std::holds_alternative<cp::workshop_file_error>(role));
    BOOST_TEST(std::get<cp::workshop_file_error>(role).path == "$.role");
    auto const nothing = cp::parse_user_request(R"({})", false);
    BOOST_TEST(std::holds_alternative<cp::workshop_file_error>(nothing));
    auto const short_password =
        cp::parse_user_request(R"({"name":"a","role":"admin","password":"short"})", true);
    BOOST_REQUIRE(std::holds_alternative<cp::workshop_file_error>(short_password));
    BOOST_TEST(std::get<cp::workshop_file_error>(short_password).path == "$.password");
}

BOOST_AUTO_TEST_SUITE_END()
