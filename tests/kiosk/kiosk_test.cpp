// The kiosk's screens: what is shown for each state of the workshop, which inputs count as a
// press (a scale point, or a choice's option), the thank-you reset and the misuse guard, and
// the frames a kiosk reads from the server (decoded by shared/protocol).
#include "kiosk/core/kiosk.hpp"
#include "kiosk/core/text_layout.hpp"

#include "shared/protocol/client_codec.hpp"
#include "shared/protocol/codec.hpp"

#include <boost/test/unit_test.hpp>

#include <array>

using namespace cylch;
using namespace cylch::kiosk;
using mode = kiosk_screens::mode;
using kind = input_event::kind;

namespace {

protocol::welcome welcome_frame() {
    // As the server sends it to a kiosk (docs/protocol.md), decoded by the client codec.
    auto m = protocol::decode_server(R"({"type":"welcome","v":1,
      "you":{"id":"k_hall","role":"kiosk","group":null,"lang":null,"consent":true},
      "workshop":{"id":"w_1","code":"123456","title":{"en":"Persona validation","cy":"Dilysu personas"},
        "state":"live","languages":["en","cy"],"groups":[],
        "consent":{"required":true,"text":{"en":"Answers are anonymous.","cy":"Mae atebion yn ddienw."},
                   "info_url":"https://example.org/info"},"future_field":[1,2]},
      "activity":null})");
    BOOST_TEST_REQUIRE(std::holds_alternative<protocol::welcome>(m));
    return std::get<protocol::welcome>(m);
}

protocol::activity_push activity_frame(std::string const& id, std::string const& state,
                                       std::string const& kind = "likert") {
    auto m = protocol::decode_server(
        R"({"type":"activity","activity":{"id":")" + id + R"(","kind":")" + kind +
        R"(","position":0,"state":")" + state +
        R"(","statement":{"en":"I would like to use these personas in my work.","cy":"Hoffwn ddefnyddio'r personas hyn yn fy ngwaith."},
           "scale":{"points":5,"labels":{"en":["Strongly disagree","Disagree","Neither agree nor disagree","Agree","Strongly agree"],
                                        "cy":["Anghytuno'n gryf","Anghytuno","Ddim yn cytuno nac yn anghytuno","Cytuno","Cytuno'n gryf"]}},
           "results":"live"},"current":")" +
        id + R"("})");
    BOOST_TEST_REQUIRE(std::holds_alternative<protocol::activity_push>(m));
    return std::get<protocol::activity_push>(m);
}

// A choice as the server sends it: `options` of the first ones below, in English and Welsh.
protocol::activity_push choice_frame(std::string const& id, std::size_t options, int max = 1) {
    static constexpr std::array<std::array<char const*, 3>, 9> all{{
        {"visionary", "Visionary", "Gweledydd"},
        {"connector", "Connector", "Cysylltydd"},
        {"builder", "Builder", "Adeiladydd"},
        {"sceptic", "Sceptic", "Amheuwr"},
        {"carer", "Carer", "Gofalwr"},
        {"maker", "Maker", "Gwneuthurwr"},
        {"teacher", "Teacher", "Athro"},
        {"guide", "Guide", "Tywysydd"},
        {"helper", "Helper", "Cynorthwyydd"},
    }};
    std::string list;
    for (std::size_t i = 0; i < options; ++i) {
        list += std::string(i == 0 ? "" : ",") + R"({"id":")" + all.at(i)[0] +
                R"(","label":{"en":")" + all.at(i)[1] + R"(","cy":")" + all.at(i)[2] + R"("}})";
    }
    auto m = protocol::decode_server(
        R"({"type":"activity","activity":{"id":")" + id +
        R"(","kind":"choice","position":1,"state":"open","max":)" + std::to_string(max) +
        R"(,"question":{"en":"Which profile is most like you?","cy":"Pa broffil sydd fwyaf tebyg i chi?"},
           "options":[)" +
        list + R"(],"results":"live"},"current":")" + id + R"("})");
    BOOST_TEST_REQUIRE(std::holds_alternative<protocol::activity_push>(m));
    return std::get<protocol::activity_push>(m);
}

// A ranking or an open-text question, open.
protocol::activity_push other_kind_frame(std::string const& id, std::string const& kind) {
    auto m = protocol::decode_server(
        R"({"type":"activity","activity":{"id":")" + id + R"(","kind":")" + kind +
        R"(","position":2,"state":"open","question":{"en":"What first?"},"results":"live",
           "items":[{"id":"convene","label":{"en":"Convening"}},{"id":"platform","label":{"en":"Platform"}},
                    {"id":"embed","label":{"en":"Embedding"}}]},"current":")" +
        id + R"("})");
    BOOST_TEST_REQUIRE(std::holds_alternative<protocol::activity_push>(m));
    return std::get<protocol::activity_push>(m);
}

input_event press(int value, std::int64_t at) {
    return input_event{kind::choose, value, at};
}

std::string screen_text(kiosk_screens const& k, int width = 60, int height = 30) {
    std::string all;
    for (auto const& l : k.render(width, height)) {
        all += l.text + "\n";
    }
    return all;
}

kiosk_screens open_kiosk(kiosk_settings s = {}) {
    kiosk_screens k(std::move(s));
    k.on_welcome(welcome_frame(), 0);
    k.on_activity(activity_frame("a_1", "open"), 0);
    return k;
}

} // namespace

BOOST_AUTO_TEST_SUITE(kiosk_screen)

BOOST_AUTO_TEST_CASE(before_any_contact_it_says_it_is_connecting) {
    kiosk_screens k({});
    BOOST_TEST((k.current() == mode::connecting));
    BOOST_TEST(screen_text(k).find("Connecting") != std::string::npos);
    BOOST_TEST(!k.handle(press(3, 0)).has_value());
}

BOOST_AUTO_TEST_CASE(waiting_screen_shows_both_languages_and_the_consent_text) {
    kiosk_screens k({});
    k.on_welcome(welcome_frame(), 0);
    BOOST_TEST((k.current() == mode::waiting));
    auto const text = screen_text(k);
    BOOST_TEST(text.find("Persona validation") != std::string::npos);
    BOOST_TEST(text.find("Please wait for the next question.") != std::string::npos);
    BOOST_TEST(text.find("Arhoswch am y cwestiwn nesaf") != std::string::npos);
    BOOST_TEST(text.find("Answers are anonymous.") != std::string::npos);
    BOOST_TEST(text.find("Mae atebion yn ddienw.") != std::string::npos);
    BOOST_TEST(text.find("https://example.org/info") != std::string::npos);
    // A press has no identity to withdraw later, and the kiosk says so in both languages.
    auto const wide = screen_text(k, 200, 40); // each sentence on one line
    BOOST_TEST(wide.find("cannot be withdrawn later") != std::string::npos);
    BOOST_TEST(wide.find("does dim modd eu tynnu'n ôl wedyn") != std::string::npos);
    BOOST_TEST(!k.handle(press(3, 0)).has_value()); // nothing open: nothing counts
}

BOOST_AUTO_TEST_CASE(question_screen_shows_statement_and_every_label_with_its_key) {
    auto k = open_kiosk();
    BOOST_TEST((k.current() == mode::question));
    auto const text = screen_text(k, 80);
    BOOST_TEST(text.find("I would like to use these personas in my work.") != std::string::npos);
    BOOST_TEST(text.find("Hoffwn ddefnyddio'r personas hyn yn fy ngwaith.") != std::string::npos);
    BOOST_TEST(text.find("[1] Strongly disagree / Anghytuno'n gryf") != std::string::npos);
    BOOST_TEST(text.find("[3] Neither agree nor disagree / Ddim yn cytuno nac yn anghytuno") !=
               std::string::npos);
    BOOST_TEST(text.find("[5] Strongly agree / Cytuno'n gryf") != std::string::npos);
    BOOST_TEST(text.find("Choose 1 to 5") != std::string::npos);
    BOOST_TEST(text.find("Online") == std::string::npos); // not connected yet: offline
    BOOST_TEST(text.find("Offline") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(display_language_order_follows_the_setting) {
    kiosk_settings s;
    s.languages = {"cy", "fr"};
    auto k = open_kiosk(s);
    BOOST_TEST((k.languages() == std::vector<std::string>{"cy", "en"}));
    auto const text = screen_text(k, 80);
    BOOST_TEST(text.find("Dilysu personas") != std::string::npos); // title in Welsh
    BOOST_TEST(text.find("Hoffwn") < text.find("I would like"));
    BOOST_TEST(text.find("[1] Anghytuno'n gryf / Strongly disagree") != std::string::npos);
    BOOST_TEST(text.find("All-lein") != std::string::npos); // status in the first language
}

BOOST_AUTO_TEST_CASE(every_line_fits_a_narrow_terminal_and_the_status_is_last) {
    auto k = open_kiosk();
    k.set_connection(true, 3, 1);
    for (int width : {20, 32, 40}) {
        auto lines = k.render(width, 40);
        BOOST_TEST_REQUIRE(!lines.empty());
        BOOST_TEST((lines.back().how == screen_line::style::status));
        BOOST_TEST(lines.back().text == "Online · 3 waiting to send, 1 not accepted");
        for (std::size_t i = 0; i + 1 < lines.size(); ++i) {
            BOOST_TEST_CONTEXT(width << ": " << lines[i].text) {
                BOOST_TEST(display_width(lines[i].text) <= width);
            }
        }
    }
    // A short screen keeps the status line.
    auto few = k.render(40, 5);
    BOOST_TEST(few.size() == 5u);
    BOOST_TEST((few.back().how == screen_line::style::status));
}

BOOST_AUTO_TEST_CASE(a_press_counts_then_thanks_then_ready_for_the_next_person) {
    kiosk_settings s;
    s.thanks_ms = 4000;
    s.min_interval_ms = 1000;
    auto k = open_kiosk(s);
    auto r = k.handle(press(4, 10'000));
    BOOST_TEST_REQUIRE(r.has_value());
    BOOST_TEST(r->activity == "a_1");
    BOOST_TEST((r->answer == press_answer{scale_point{4}}));
    k.counted(10'000);
    BOOST_TEST((k.current() == mode::thanks));
    BOOST_TEST(screen_text(k).find("Thank you! Your answer has been counted.") !=
               std::string::npos);
    BOOST_TEST(screen_text(k).find("Diolch!") != std::string::npos);
    BOOST_TEST(!k.handle(press(2, 11'000)).has_value()); // presses on the thank-you screen
    BOOST_TEST(k.next_deadline().value_or(0) == 14'000);
    BOOST_TEST(!k.tick(13'999));
    BOOST_TEST(k.tick(14'000));
    BOOST_TEST((k.current() == mode::question));
    BOOST_TEST(k.handle(press(2, 14'100)).has_value());
}

BOOST_AUTO_TEST_CASE(the_misuse_interval_stops_rapid_presses) {
    kiosk_settings s;
    s.thanks_ms = 0; // straight back to the question
    s.min_interval_ms = 3000;
    auto k = open_kiosk(s);
    BOOST_TEST(k.handle(press(5, 1000)).has_value());
    k.counted(1000);
    BOOST_TEST((k.current() == mode::question));
    BOOST_TEST(!k.handle(press(5, 1500)).has_value());
    BOOST_TEST(screen_text(k).find("Please wait a moment") != std::string::npos);
    BOOST_TEST(!k.handle(press(5, 3999)).has_value());
    BOOST_TEST(k.handle(press(5, 4000)).has_value());
}

BOOST_AUTO_TEST_CASE(arrows_and_enter_choose_a_point_and_values_off_the_scale_are_ignored) {
    kiosk_settings s;
    s.min_interval_ms = 0;
    auto k = open_kiosk(s);
    BOOST_TEST(!k.handle(input_event{kind::confirm, 0, 1}).has_value()); // nothing highlighted
    k.handle(input_event{kind::move_right, 0, 1});
    BOOST_TEST(k.selected() == 3); // the first move lands in the middle
    k.handle(input_event{kind::move_right, 0, 1});
    k.handle(input_event{kind::move_right, 0, 1});
    k.handle(input_event{kind::move_right, 0, 1});
    BOOST_TEST(k.selected() == 5); // and stops at the end
    BOOST_TEST(screen_text(k, 80).find("> [5] Strongly agree") != std::string::npos);
    k.handle(input_event{kind::move_left, 0, 1});
    auto r = k.handle(input_event{kind::confirm, 0, 1});
    BOOST_TEST_REQUIRE(r.has_value());
    BOOST_TEST((r->answer == press_answer{scale_point{4}}));
    k.counted(1);
    k.tick(100'000);
    BOOST_TEST(!k.handle(press(6, 200'000)).has_value()); // a 6th button on a 5-point scale
    BOOST_TEST(!k.handle(press(0, 200'000)).has_value());
}

BOOST_AUTO_TEST_CASE(closing_the_activity_stops_presses_and_shows_waiting) {
    auto k = open_kiosk();
    k.on_activity(activity_frame("a_1", "closed"), 5);
    BOOST_TEST((k.current() == mode::waiting));
    BOOST_TEST(!k.handle(press(3, 10'000)).has_value());
    k.on_activity(activity_frame("a_2", "revealed"), 6);
    BOOST_TEST((k.current() == mode::waiting));
}

BOOST_AUTO_TEST_CASE(the_activity_changing_during_thanks_shows_after_the_thanks) {
    kiosk_settings s;
    s.thanks_ms = 3000;
    s.min_interval_ms = 0;
    auto k = open_kiosk(s);
    k.handle(press(1, 100));
    k.counted(100);
    k.on_activity(activity_frame("a_2", "open"), 200);
    BOOST_TEST((k.current() == mode::thanks)); // the person still sees their thanks
    k.tick(3100);
    BOOST_TEST((k.current() == mode::question));
    BOOST_TEST(k.activity()->id == "a_2");
    auto r = k.handle(press(2, 3200));
    BOOST_TEST_REQUIRE(r.has_value());
    BOOST_TEST(r->activity == "a_2");
}

BOOST_AUTO_TEST_CASE(a_board_is_answered_on_phones_and_presses_do_nothing) {
    auto k = open_kiosk();
    k.on_activity(activity_frame("a_b", "open", "board"), 0);
    BOOST_TEST((k.current() == mode::use_phone));
    BOOST_TEST(screen_text(k).find("Please use your phone.") != std::string::npos);
    BOOST_TEST(screen_text(k).find("Defnyddiwch eich ffôn") != std::string::npos);
    BOOST_TEST(!k.handle(press(1, 50'000)).has_value());
}

// A kind this kiosk was built without (from a newer server) is never taken for a Likert
// statement, even when it carries a statement and a scale: it is answered on phones.
BOOST_AUTO_TEST_CASE(a_kind_the_kiosk_does_not_know_is_answered_on_phones) {
    auto k = open_kiosk();
    auto push = activity_frame("a_w", "open", "word_cloud");
    BOOST_TEST_REQUIRE(push.activity.has_value());
    auto const* foreign = std::get_if<protocol::foreign_kind_view>(&push.activity->body);
    BOOST_TEST_REQUIRE(foreign != nullptr);
    BOOST_TEST(foreign->kind == "word_cloud");
    BOOST_TEST(push.activity->kind_name() == "word_cloud");
    k.on_activity(push, 0);
    BOOST_TEST((k.current() == mode::use_phone));
    BOOST_TEST(k.question() == nullptr);
    BOOST_TEST(screen_text(k).find("Please use your phone.") != std::string::npos);
    BOOST_TEST(!k.handle(press(1, 50'000)).has_value());
    // An activity without a kind is a malformed frame, not a Likert statement.
    BOOST_TEST(std::holds_alternative<protocol::server_decode_failure>(protocol::decode_server(
        R"({"type":"activity","activity":{"id":"a_x","state":"open","statement":{"en":"S"}}})")));
}

BOOST_AUTO_TEST_CASE(the_end_of_the_workshop_is_shown) {
    auto k = open_kiosk();
    k.on_workshop(protocol::workshop_push{protocol::workshop_state::ended}, 0);
    BOOST_TEST((k.current() == mode::ended));
    BOOST_TEST(screen_text(k).find("The workshop has ended.") != std::string::npos);
    BOOST_TEST(!k.handle(press(1, 50'000)).has_value());
}

BOOST_AUTO_TEST_CASE(a_press_that_could_not_be_saved_is_said_so) {
    auto k = open_kiosk();
    BOOST_TEST(k.handle(press(3, 100)).has_value());
    k.not_recorded(100);
    BOOST_TEST((k.current() == mode::question));
    BOOST_TEST(screen_text(k).find("could not be saved") != std::string::npos);
    k.tick(5100);
    BOOST_TEST(screen_text(k).find("could not be saved") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(server_frames_with_overflowing_numbers_are_failures_not_exceptions) {
    using namespace protocol;
    for (std::string const& frame :
         {std::string(R"({"type":"summary","activity":"a_1","kind":"likert","n":1e400})"),
          std::string(R"({"type":"welcome","v":-1e400})"),
          std::string(R"({"type":"ack","op":"kq-1","x":123456789012345678901234567890})")}) {
        BOOST_TEST_CONTEXT(frame) {
            server_message m;
            BOOST_REQUIRE_NO_THROW(m = decode_server(frame));
            if (frame.find("123456789012345678901234567890") == std::string::npos) {
                BOOST_TEST(std::holds_alternative<server_decode_failure>(m));
            }
        }
    }
}

BOOST_AUTO_TEST_CASE(server_frames_decode_leniently_but_not_loosely) {
    using namespace protocol;
    auto ack_m = decode_server(R"({"type":"ack","op":"kq-1234567890abcdef-1"})");
    BOOST_TEST(std::get<ack>(ack_m).op == "kq-1234567890abcdef-1");
    auto err = decode_server(
        R"({"type":"error","op":"kq-x","code":"closed","message":"This activity is closed."})");
    BOOST_TEST((std::get<error>(err).code == error_code::closed));
    BOOST_TEST(std::get<error>(err).op.value_or("") == "kq-x");
    auto s = decode_server(R"({"type":"summary","activity":"a_1","kind":"likert","n":14})");
    BOOST_TEST(std::get<summary_brief>(s).n == 14);
    BOOST_TEST(std::get<other_frame>(decode_server(R"({"type":"presence","online":3})")).type ==
               "presence");
    auto w = decode_server(R"({"type":"workshop","state":"ended"})");
    BOOST_TEST((std::get<workshop_push>(w).state == workshop_state::ended));
    for (auto bad : {R"(not json)", R"([1,2])", R"({"no":"type"})", R"({"type":"ack"})",
                     R"({"type":"ack","op":5})",
                     R"({"type":"activity","activity":{"id":"a","state":"sleeping"}})",
                     R"({"type":"activity","activity":{"id":"a","scale":{"points":99}}})",
                     R"({"type":"welcome","you":{"id":"k"}})"}) {
        BOOST_TEST_CONTEXT(bad) {
            BOOST_TEST(std::holds_alternative<server_decode_failure>(decode_server(bad)));
        }
    }
    // Encoded client frames, as the server's strict decoder reads them.
    vote v;
    v.op = "kq-0123456789abcdef-7";
    v.activity = "a_1";
    v.value = 4;
    v.pressed_at = 1795000000123;
    BOOST_TEST(
        encode(v) ==
        R"({"type":"vote","op":"kq-0123456789abcdef-7","activity":"a_1","value":4,"pressed_at":1795000000123})");
    hello h;
    h.role = role::kiosk;
    h.kiosk = "k_1";
    h.token = "tok";
    h.clock = 5;
    BOOST_TEST(encode(h) ==
               R"({"type":"hello","v":1,"role":"kiosk","kiosk":"k_1","token":"tok","clock":5})");
}

BOOST_AUTO_TEST_CASE(a_single_answer_choice_shows_the_question_and_every_option_in_both_languages) {
    auto k = open_kiosk();
    k.on_activity(choice_frame("a_c", 3), 0);
    BOOST_TEST((k.current() == mode::choice));
    BOOST_TEST(k.question() == nullptr); // not a Likert statement
    BOOST_TEST_REQUIRE(k.choice() != nullptr);
    auto const text = screen_text(k, 80);
    BOOST_TEST(text.find("Which profile is most like you?") != std::string::npos);
    BOOST_TEST(text.find("Pa broffil sydd fwyaf tebyg i chi?") != std::string::npos);
    BOOST_TEST(text.find("[1] Visionary / Gweledydd") != std::string::npos);
    BOOST_TEST(text.find("[2] Connector / Cysylltydd") != std::string::npos);
    BOOST_TEST(text.find("[3] Builder / Adeiladydd") != std::string::npos);
    BOOST_TEST(text.find("[4]") == std::string::npos);
    BOOST_TEST(text.find("Press one button, 1 to 3") != std::string::npos);
    BOOST_TEST(text.find("Pwyswch un botwm, 1 i 3") != std::string::npos);
    BOOST_TEST(text.find("Strongly agree") == std::string::npos); // no scale of the last one
    // Welsh first when the kiosk is set so.
    kiosk_settings s;
    s.languages = {"cy"};
    auto cy = open_kiosk(s);
    cy.on_activity(choice_frame("a_c", 3), 0);
    auto const cy_text = screen_text(cy, 80);
    BOOST_TEST(cy_text.find("[1] Gweledydd / Visionary") != std::string::npos);
    BOOST_TEST(cy_text.find("Pa broffil") < cy_text.find("Which profile"));
}

// The server fills every language of a text, falling back to the first: a question given in
// English only is shown once, not once per language.
BOOST_AUTO_TEST_CASE(a_question_without_a_translation_is_shown_once) {
    auto k = open_kiosk();
    auto m = protocol::decode_server(
        R"({"type":"activity","activity":{"id":"a_c","kind":"choice","position":1,"state":"open",
           "question":{"en":"Which one?","cy":"Which one?"},"max":1,"results":"live",
           "options":[{"id":"a","label":{"en":"Apple","cy":"Afal"}},{"id":"b","label":{"en":"Pear","cy":"Pear"}}]}})");
    BOOST_TEST_REQUIRE(std::holds_alternative<protocol::activity_push>(m));
    k.on_activity(std::get<protocol::activity_push>(m), 0);
    auto const text = screen_text(k, 80);
    BOOST_TEST(text.find("Which one?") != std::string::npos);
    BOOST_TEST(text.find("Which one?") == text.rfind("Which one?"));
    BOOST_TEST(text.find("[1] Apple / Afal") != std::string::npos);
    BOOST_TEST(text.find("[2] Pear\n") != std::string::npos);
}

// A question's card (a persona) is shown as text after the buttons, in both languages; on a
// small screen the card is cut, never a button.
BOOST_AUTO_TEST_CASE(a_card_is_shown_as_text_after_the_buttons) {
    auto k = open_kiosk();
    auto m = protocol::decode_server(
        R"({"type":"activity","activity":{"id":"a_c","kind":"choice","position":1,"state":"open",
           "question":{"en":"Which one?","cy":"Pa un?"},"max":1,"results":"live",
           "options":[{"id":"a","label":{"en":"Apple","cy":"Afal"}},{"id":"b","label":{"en":"Pear","cy":"Gellygen"}}],
           "card":{"title":{"en":"Rosie, a lead","cy":"Rosie, arweinydd"},"body":{"en":"Funding runs in short pilots.","cy":"Daw cyllid mewn peilotau byr."},
                   "image":"img_1","alt":{"en":"A photo","cy":"Llun"}}}})");
    BOOST_TEST_REQUIRE(std::holds_alternative<protocol::activity_push>(m));
    k.on_activity(std::get<protocol::activity_push>(m), 0);
    auto const text = screen_text(k, 80);
    for (auto const* part : {"Rosie, a lead", "Rosie, arweinydd", "Funding runs in short pilots.",
                             "Daw cyllid mewn peilotau byr."}) {
        BOOST_TEST(text.find(part) != std::string::npos, part);
    }
    BOOST_TEST(text.find("[2] Pear / Gellygen") < text.find("Rosie, a lead"));
    // Twelve rows: the buttons stay, the card goes.
    auto const small = screen_text(k, 80, 12);
    BOOST_TEST(small.find("[2] Pear / Gellygen") != std::string::npos);
    BOOST_TEST(small.find("Daw cyllid") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_press_on_a_choice_gives_the_option_id) {
    kiosk_settings s;
    s.min_interval_ms = 0;
    s.thanks_ms = 0;
    auto k = open_kiosk(s);
    k.on_activity(choice_frame("a_c", 3), 0);
    auto r = k.handle(press(2, 100));
    BOOST_TEST_REQUIRE(r.has_value());
    BOOST_TEST(r->activity == "a_c");
    BOOST_TEST((r->answer == press_answer{chosen_option{"connector"}}));
    k.counted(100);
    BOOST_TEST((k.current() == mode::choice));        // straight back for the next person
    BOOST_TEST(!k.handle(press(4, 200)).has_value()); // no fourth option
    BOOST_TEST(!k.handle(press(0, 200)).has_value());
    // Arrows + Enter as on a Likert scale: the first move lands in the middle.
    k.handle(input_event{kind::move_right, 0, 300});
    BOOST_TEST(k.selected() == 2);
    k.handle(input_event{kind::move_right, 0, 300});
    k.handle(input_event{kind::move_right, 0, 300});
    BOOST_TEST(k.selected() == 3); // and stops at the last option
    BOOST_TEST(screen_text(k, 80).find("> [3] Builder / Adeiladydd") != std::string::npos);
    r = k.handle(input_event{kind::confirm, 0, 300});
    BOOST_TEST_REQUIRE(r.has_value());
    BOOST_TEST((r->answer == press_answer{chosen_option{"builder"}}));
    k.counted(300);
    // The misuse guard and the thank-you screen are the same as for a statement.
    kiosk_settings guarded;
    guarded.min_interval_ms = 3000;
    auto g = open_kiosk(guarded);
    g.on_activity(choice_frame("a_c", 3), 0);
    BOOST_TEST(g.handle(press(1, 1000)).has_value());
    g.counted(1000);
    BOOST_TEST((g.current() == mode::thanks));
    g.tick(10'000);
    BOOST_TEST((g.current() == mode::choice));
}

BOOST_AUTO_TEST_CASE(the_mode_follows_the_kind_and_the_number_of_buttons) {
    struct case_t {
        protocol::activity_push push;
        int buttons;
        mode expected;
        char const* what;
    };
    std::vector<case_t> const cases{
        {activity_frame("a_l", "open"), 7, mode::question, "a Likert statement"},
        {choice_frame("a_c", 2), 2, mode::choice, "two options on two buttons"},
        {choice_frame("a_c", 3), 2, mode::use_phone, "three options on two buttons"},
        {choice_frame("a_c", 3), 3, mode::choice, "three options on three buttons"},
        {choice_frame("a_c", 7), 7, mode::choice, "seven options on seven keys"},
        {choice_frame("a_c", 8), 7, mode::use_phone, "eight options on seven keys"},
        {choice_frame("a_c", 9), 9, mode::choice, "nine options on nine keys"},
        {choice_frame("a_c", 3, 2), 7, mode::use_phone, "a multiple-answer choice"},
        {choice_frame("a_c", 3, 3), 7, mode::use_phone, "every option may be chosen"},
        {other_kind_frame("a_r", "ranking"), 7, mode::use_phone, "a ranking"},
        {other_kind_frame("a_t", "open_text"), 7, mode::use_phone, "open text"},
        {activity_frame("a_b", "open", "board"), 7, mode::use_phone, "a board"},
    };
    for (auto const& c : cases) {
        BOOST_TEST_CONTEXT(c.what) {
            kiosk_settings s;
            s.buttons = c.buttons;
            auto k = open_kiosk(s);
            k.on_activity(c.push, 0);
            BOOST_TEST(to_string(k.current()) == to_string(c.expected));
            bool const takes = c.expected != mode::use_phone;
            BOOST_TEST(k.handle(press(1, 10'000)).has_value() == takes);
            if (!takes) {
                BOOST_TEST(screen_text(k).find("Please use your phone.") != std::string::npos);
                BOOST_TEST(screen_text(k).find("Defnyddiwch eich ffôn") != std::string::npos);
            }
        }
    }
}

BOOST_AUTO_TEST_CASE(a_choice_too_large_for_the_buttons_is_answered_on_phones) {
    kiosk_settings s;
    s.buttons = 2;
    auto k = open_kiosk(s);
    k.on_activity(choice_frame("a_c", 3), 0);
    BOOST_TEST((k.current() == mode::use_phone));
    BOOST_TEST(k.choice() != nullptr);
    BOOST_TEST(screen_text(k).find("Please use your phone.") != std::string::npos);
    BOOST_TEST(screen_text(k).find("Visionary") == std::string::npos);
    for (auto e : {press(1, 10'000), press(2, 10'000), input_event{kind::move_right, 0, 10'000},
                   input_event{kind::confirm, 0, 10'000}}) {
        BOOST_TEST(!k.handle(e).has_value());
    }
}

BOOST_AUTO_TEST_CASE(choose_frames_are_encoded_as_the_server_reads_them) {
    protocol::choose c;
    c.op = "kq-0123456789abcdef-8";
    c.activity = "a_c";
    c.options = {"connector"};
    c.pressed_at = 1795000000123;
    auto const text = protocol::encode(c);
    BOOST_TEST(
        text ==
        R"({"type":"choose","op":"kq-0123456789abcdef-8","activity":"a_c","options":["connector"],"pressed_at":1795000000123})");
    auto const read = protocol::decode_client(text);
    BOOST_TEST_REQUIRE(std::holds_alternative<protocol::client_message>(read));
    auto const* got = std::get_if<protocol::choose>(&std::get<protocol::client_message>(read));
    BOOST_TEST_REQUIRE(got != nullptr);
    BOOST_TEST(got->options == std::vector<std::string>{"connector"});
    BOOST_TEST(got->pressed_at.value_or(0) == 1795000000123);
}

BOOST_AUTO_TEST_SUITE_END()

// ---- self-paced workshops: one person's pass through the questions ----

namespace {

// A self-paced welcome as the server sends it to a kiosk: a Likert statement, a ranking (not
// for kiosks), a single-answer choice, all in `state`; or no activities before the opening.
std::string questionnaire_activities(std::string const& state) {
    return R"([{"id":"a_1","kind":"likert","position":0,"state":")" + state +
           R"(","statement":{"en":"Easy to reach","cy":"Hawdd ei gyrraedd"},"scale":{"points":5,"labels":{"en":["1","2","3","4","5"]}},"results":"live"},
       {"id":"a_2","kind":"ranking","position":1,"state":")" +
           state +
           R"(","question":{"en":"What first?"},"results":"live","items":[{"id":"x","label":{"en":"X"}},{"id":"y","label":{"en":"Y"}},{"id":"z","label":{"en":"Z"}}]},
       {"id":"a_3","kind":"choice","position":2,"state":")" +
           state +
           R"(","max":1,"question":{"en":"How do you come?","cy":"Sut ydych chi'n dod?"},"results":"live",
        "options":[{"id":"walk","label":{"en":"On foot"}},{"id":"bus","label":{"en":"By bus"}}]}])";
}

protocol::welcome self_paced_welcome(std::string const& activities) {
    auto m = protocol::decode_server(R"({"type":"welcome","v":1,
      "you":{"id":"k_hall","role":"kiosk","group":null,"lang":null,"consent":true},
      "workshop":{"id":"w_1","code":"123456","title":{"en":"Libraries survey"},"state":"live",
        "languages":["en","cy"],"groups":[],"consent":{"required":false,"text":{},"info_url":""},
        "mode":"self_paced","opens_at":"2026-12-01T09:00:00Z","closes_at":"2026-12-14T17:00:00Z"},
      "activity":null,"activities":)" +
                                     activities + "}");
    BOOST_TEST_REQUIRE(std::holds_alternative<protocol::welcome>(m));
    return std::get<protocol::welcome>(m);
}

protocol::activities_push activities_frame(std::string const& state) {
    auto m = protocol::decode_server(R"({"type":"activities","activities":)" +
                                     questionnaire_activities(state) + "}");
    BOOST_TEST_REQUIRE(std::holds_alternative<protocol::activities_push>(m));
    return std::get<protocol::activities_push>(m);
}

} // namespace

BOOST_AUTO_TEST_SUITE(kiosk_self_paced)

BOOST_AUTO_TEST_CASE(a_pass_goes_through_the_questions_a_kiosk_takes_then_thanks_the_person) {
    kiosk_settings s;
    s.thanks_ms = 4000;
    s.pass_prefix = "pabc";
    kiosk_screens k(s);
    k.on_welcome(self_paced_welcome(questionnaire_activities("open")), 0);
    BOOST_TEST((k.current() == mode::question));
    BOOST_TEST(k.activity()->id == "a_1");
    BOOST_TEST(screen_text(k).find("Question 1 of 2") != std::string::npos); // ranking skipped
    BOOST_TEST(screen_text(k).find("Cwestiwn 1 o 2") != std::string::npos);
    auto first = k.handle(press(4, 10'000));
    BOOST_TEST_REQUIRE(first.has_value());
    BOOST_TEST(first->pass.value_or("") == "pabc-1");
    k.counted(10'000);
    // Straight on to the next question the kiosk takes (no thanks, no misuse wait between).
    BOOST_TEST((k.current() == mode::choice));
    BOOST_TEST(k.activity()->id == "a_3");
    BOOST_TEST(screen_text(k).find("Question 2 of 2") != std::string::npos);
    auto second = k.handle(press(2, 10'500));
    BOOST_TEST_REQUIRE(second.has_value());
    BOOST_TEST((second->answer == press_answer{chosen_option{"bus"}}));
    BOOST_TEST(second->pass.value_or("") == "pabc-1");
    k.counted(10'500);
    BOOST_TEST((k.current() == mode::thanks));
    BOOST_TEST(k.tick(14'500));
    // The next person: the first question again, as a new pass.
    BOOST_TEST((k.current() == mode::question));
    BOOST_TEST(k.activity()->id == "a_1");
    auto next = k.handle(press(1, 15'000));
    BOOST_TEST_REQUIRE(next.has_value());
    BOOST_TEST(next->pass.value_or("") == "pabc-2");
}

BOOST_AUTO_TEST_CASE(a_person_who_walks_away_part_way_leaves_the_next_one_a_fresh_pass) {
    kiosk_settings s;
    s.pass_timeout_ms = 60'000;
    s.pass_prefix = "pabc";
    kiosk_screens k(s);
    k.on_welcome(self_paced_welcome(questionnaire_activities("open")), 0);
    BOOST_TEST_REQUIRE(k.handle(press(3, 10'000)).has_value());
    k.counted(10'000);
    BOOST_TEST(k.activity()->id == "a_3");
    BOOST_TEST(k.next_deadline().value_or(0) == 70'000);
    BOOST_TEST(!k.tick(69'999));
    BOOST_TEST(k.tick(70'000));
    BOOST_TEST(k.activity()->id == "a_1");
    auto r = k.handle(press(5, 71'000));
    BOOST_TEST_REQUIRE(r.has_value());
    BOOST_TEST(r->pass.value_or("") == "pabc-2");
}

BOOST_AUTO_TEST_CASE(before_the_opening_and_after_the_close_nothing_is_taken) {
    kiosk_screens k(kiosk_settings{});
    k.on_welcome(self_paced_welcome("[]"), 0);
    BOOST_TEST((k.current() == mode::waiting));
    BOOST_TEST(screen_text(k).find("This questionnaire is not open yet.") != std::string::npos);
    BOOST_TEST(screen_text(k).find("Nid yw'r holiadur hwn ar agor eto.") != std::string::npos);
    BOOST_TEST(!k.handle(press(3, 10'000)).has_value());
    // It opens while the kiosk is connected.
    k.on_activities(activities_frame("open"), 20'000);
    BOOST_TEST((k.current() == mode::question));
    BOOST_TEST(k.handle(press(3, 30'000)).has_value());
    // It closes.
    k.on_activities(activities_frame("closed"), 40'000);
    BOOST_TEST((k.current() == mode::ended));
    BOOST_TEST(screen_text(k).find("This questionnaire has closed.") != std::string::npos);
    BOOST_TEST(!k.handle(press(3, 50'000)).has_value());
}

BOOST_AUTO_TEST_CASE(a_live_workshop_sends_no_pass) {
    auto k = open_kiosk();
    auto r = k.handle(press(4, 10'000));
    BOOST_TEST_REQUIRE(r.has_value());
    BOOST_TEST(!r->pass.has_value());
}

BOOST_AUTO_TEST_SUITE_END()
