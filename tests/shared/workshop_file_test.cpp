#include "shared/protocol/workshop_file.hpp"

#include <boost/test/unit_test.hpp>

#include "shared/protocol/api.hpp"

#include <fstream>
#include <iterator>
#include <ostream>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace cylch::protocol {

inline std::ostream& boost_test_print_type(std::ostream& os, results_visibility v) {
    return os << to_string(v);
}

} // namespace cylch::protocol

namespace {

namespace cp = cylch::protocol;
using labels_t = std::vector<std::string>;

constexpr char const* kDemoTemplate = CYLCH_SOURCE_DIR "/deploy/templates/persona-validation.json";

std::string read_file(std::string const& path) {
    std::ifstream in(path, std::ios::binary);
    BOOST_REQUIRE_MESSAGE(in, "cannot open " << path);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// The spec that the file must parse to.
cp::workshop_spec parse_ok(std::string_view json) {
    auto result = cp::parse_workshop_file(json);
    if (auto const* error = std::get_if<cp::workshop_file_error>(&result)) {
        BOOST_FAIL("expected the file to parse, got " << error->what());
    }
    return std::get<cp::workshop_spec>(std::move(result));
}

// The kind's own spec of an activity that must be of that kind.
cp::likert_spec const& likert_of(cp::activity_spec const& a) {
    BOOST_REQUIRE(std::holds_alternative<cp::likert_spec>(a.body));
    return std::get<cp::likert_spec>(a.body);
}
cp::board_spec const& board_of(cp::activity_spec const& a) {
    BOOST_REQUIRE(std::holds_alternative<cp::board_spec>(a.body));
    return std::get<cp::board_spec>(a.body);
}

// The error that the file must be rejected with.
cp::workshop_file_error reject(std::string_view json) {
    auto result = cp::parse_workshop_file(json);
    auto const* error = std::get_if<cp::workshop_file_error>(&result);
    if (error == nullptr) {
        BOOST_FAIL("expected the file to be rejected: " << json.substr(0, 200));
    }
    return *error;
}

// A workshop in English and Welsh with one activity; `activity` is the activity's JSON object.
std::string bilingual_with(std::string const& activity) {
    return R"({"title":{"en":"Test","cy":"Prawf"},"languages":["en","cy"],"activities":[)" +
           activity + "]}";
}

// A minimal English workshop with extra top-level members (`extra` starts with a comma).
std::string minimal_with(std::string const& extra) {
    return R"({"title":{"en":"T"},"activities":[{"kind":"likert","statement":{"en":"S"}}])" +
           extra + "}";
}

labels_t const en5{"Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree",
                   "Strongly agree"};
labels_t const cy5{"Anghytuno'n gryf", "Anghytuno", "Ddim yn cytuno nac yn anghytuno", "Cytuno",
                   "Cytuno'n gryf"};

} // namespace

BOOST_AUTO_TEST_SUITE(workshop_file)

// ---- valid files ----------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(demo_template_parses) {
    auto const spec = parse_ok(read_file(kDemoTemplate));

    BOOST_TEST(spec.languages == (std::vector<std::string>{"en", "cy"}),
               boost::test_tools::per_element());
    BOOST_TEST(spec.title.at("en") == "Persona validation");
    BOOST_TEST(spec.title.at("cy") == "Dilysu personas");

    BOOST_REQUIRE(spec.groups.size() == 3u);
    BOOST_TEST(spec.groups[0].id == "innovator");
    BOOST_TEST(spec.groups[1].id == "enabler");
    BOOST_TEST(spec.groups[2].id == "stakeholder");
    BOOST_TEST(spec.groups[0].target.value_or(-1) == 12);
    BOOST_TEST(spec.groups[1].target.value_or(-1) == 12);
    BOOST_TEST(spec.groups[2].target.value_or(-1) == 10);
    BOOST_TEST(spec.groups[0].label.at("cy") == "Arloeswr");
    BOOST_TEST(spec.groups[2].label.at("en") == "Stakeholder");

    BOOST_TEST(spec.consent.required);
    BOOST_TEST(spec.consent.text.size() == 2u); // en and cy
    BOOST_TEST(spec.consent.text.at("en").starts_with("This workshop is part of a research study"));
    BOOST_TEST(spec.consent.info_url ==
               "https://example.org/cylch/persona-validation-information-sheet");

    BOOST_REQUIRE(spec.activities.size() == 19u);
    BOOST_TEST(likert_of(spec.activities[0]).statement.at("en") ==
               "I would like to use these personas in my work.");
    BOOST_TEST(likert_of(spec.activities[0]).statement.at("cy") ==
               "Hoffwn ddefnyddio'r personas hyn yn fy ngwaith.");
    BOOST_TEST(likert_of(spec.activities[0]).results == cp::results_visibility::on_reveal);
    BOOST_TEST(likert_of(spec.activities[1]).results == cp::results_visibility::on_reveal);
    BOOST_TEST(likert_of(spec.activities[2]).results == cp::results_visibility::live);
    BOOST_TEST(likert_of(spec.activities[14]).results == cp::results_visibility::live);
    BOOST_TEST(likert_of(spec.activities[14])
                   .statement.at("en")
                   .starts_with("The People-powered profile"));
    // Each of the 13 persona statements carries its card and asks why, in both languages.
    for (std::size_t i = 2; i <= 14; ++i) {
        BOOST_TEST_CONTEXT("activity " << i) {
            auto const& l = likert_of(spec.activities[i]);
            BOOST_TEST_REQUIRE(l.card.has_value());
            BOOST_TEST(l.card->title.size() == 2u);
            BOOST_TEST(l.card->body.size() == 2u);
            BOOST_TEST_REQUIRE(l.comment.has_value());
            BOOST_TEST(l.comment->prompt.size() == 2u);
        }
    }
    BOOST_TEST(likert_of(spec.activities[2]).card->title.at("en").starts_with("Rosie"));
    BOOST_TEST(likert_of(spec.activities[13]).card->title.at("cy") == "Proffil yr Arbrofwr");
    // Then the profile that fits best (single choice: kiosks can take it), the action areas
    // in order, an open question and a closing board.
    auto const& profile = std::get<cp::choice_spec>(spec.activities[15].body);
    BOOST_TEST(profile.options.size() == 6u);
    BOOST_TEST(profile.max == 1);
    BOOST_TEST(profile.options[4].label.at("cy") == "Arbrofwr");
    auto const& areas = std::get<cp::ranking_spec>(spec.activities[16].body);
    BOOST_TEST(areas.items.size() == 3u);
    BOOST_TEST(areas.items[0].label.at("cy") == "Dod â phobl ynghyd");
    BOOST_TEST(cp::to_string(spec.activities[17].kind()) == "open_text");
    BOOST_TEST(board_of(spec.activities[18]).hidden_until_reveal);
    BOOST_TEST(board_of(spec.activities[18]).dots_per_person == 3);
}

BOOST_AUTO_TEST_CASE(demo_template_uses_the_standard_labels_in_both_languages) {
    auto const spec = parse_ok(read_file(kDemoTemplate));
    for (std::size_t i = 0; i < spec.activities.size(); ++i) {
        if (spec.activities[i].kind() != cp::activity_kind::likert) {
            continue; // the choice, ranking, open question and board at the end
        }
        BOOST_TEST_CONTEXT("activity " << i) {
            auto const& a = likert_of(spec.activities[i]);
            BOOST_TEST(a.points == 5);
            BOOST_TEST(a.labels.size() == 2u);
            BOOST_TEST(a.labels.at("en") == en5, boost::test_tools::per_element());
            BOOST_TEST(a.labels.at("cy") == cy5, boost::test_tools::per_element());
        }
    }
    BOOST_TEST(likert_of(spec.activities[0]).labels.at("cy")[0] == "Anghytuno'n gryf");
}

BOOST_AUTO_TEST_CASE(minimal_file_gets_the_defaults) {
    auto const spec =
        parse_ok(R"({"title":{"en":"T"},"activities":[{"kind":"likert","statement":{"en":"S"}}]})");
    BOOST_TEST(spec.languages == (std::vector<std::string>{"en"}),
               boost::test_tools::per_element());
    BOOST_TEST(spec.title.size() == 1u);
    BOOST_TEST(spec.title.at("en") == "T");
    BOOST_TEST(spec.groups.empty());
    BOOST_TEST(!spec.consent.required);
    BOOST_TEST(spec.consent.text.empty());
    BOOST_TEST(spec.consent.info_url == "");
    BOOST_REQUIRE(spec.activities.size() == 1u);
    auto const& a = likert_of(spec.activities[0]);
    BOOST_TEST(a.statement.at("en") == "S");
    BOOST_TEST(a.points == 5);
    BOOST_TEST(a.results == cp::results_visibility::live);
    BOOST_TEST(a.labels.size() == 1u); // only the listed language
    BOOST_TEST(a.labels.at("en") == en5, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(retention_is_off_unless_the_file_sets_it) {
    auto const spec = parse_ok(minimal_with(""));
    BOOST_TEST(!spec.retention_days.has_value()); // kept until someone erases it
    BOOST_TEST(!spec.keep_aggregates);
    auto const set = parse_ok(minimal_with(R"(,"retention_days":30,"keep_aggregates":true)"));
    BOOST_REQUIRE(set.retention_days.has_value());
    BOOST_TEST(*set.retention_days == 30);
    BOOST_TEST(set.keep_aggregates);
    auto const longest = parse_ok(minimal_with(R"(,"retention_days":36500)"));
    BOOST_TEST(longest.retention_days.value_or(0) == 36500);
}

BOOST_AUTO_TEST_CASE(bad_retention_values_name_the_field) {
    struct bad {
        char const* value;
        char const* message;
    };
    for (auto const& c :
         {bad{"0", "must be between 1 and 36500"}, bad{"-1", "must be between 1 and 36500"},
          bad{"36501", "must be between 1 and 36500"},
          bad{R"("30")", "expected an integer, got a string"}, bad{"30.5", "expected an integer"},
          bad{"null", "expected an integer"},
          bad{"1e400", "not valid JSON (number overflow parsing '1e400')"}}) {
        BOOST_TEST_CONTEXT("retention_days " << c.value) {
            auto const e = reject(minimal_with(std::string(R"(,"retention_days":)") + c.value));
            BOOST_TEST(e.path == "$.retention_days");
            BOOST_TEST(e.message.starts_with(c.message), e.message);
        }
    }
    for (char const* v : {"1", R"("true")", "null"}) {
        BOOST_TEST_CONTEXT("keep_aggregates " << v) {
            auto const e = reject(minimal_with(std::string(R"(,"keep_aggregates":)") + v));
            BOOST_TEST(e.path == "$.keep_aggregates");
            BOOST_TEST(e.message.starts_with("expected true or false"), e.message);
        }
    }
    // Inside an array, the overflowing number's index is named.
    auto const deep = reject(R"({"title":{"en":"T"},"groups":[{"id":"a","target":1},)"
                             R"({"id":"b","target":-1e400}]})");
    BOOST_TEST(deep.path == "$.groups[1].target");
}

BOOST_AUTO_TEST_CASE(activities_may_name_the_activity_they_keep_when_edited) {
    auto const spec = parse_ok(R"({"title":{"en":"T"},"activities":[)"
                               R"({"id":"a_k3x9","kind":"likert","statement":{"en":"S"}},)"
                               R"({"kind":"open_text","question":{"en":"Q"}}]})");
    BOOST_TEST(spec.activities[0].id.value_or("") == "a_k3x9");
    BOOST_TEST(!spec.activities[1].id.has_value());
    for (char const* id : {R"("n_k3x9")", R"("a_")", R"("a_x y")", "7"}) {
        BOOST_TEST_CONTEXT("id " << id) {
            auto const e = reject(std::string(R"({"title":{"en":"T"},"activities":[{"id":)") + id +
                                  R"(,"kind":"likert","statement":{"en":"S"}}]})");
            BOOST_TEST(e.path == "$.activities[0].id", e.what());
        }
    }
}

BOOST_AUTO_TEST_CASE(the_file_for_editing_names_each_activity_and_what_was_answered) {
    auto const text = cp::encode_file_for_editing(
        R"({"title":{"en":"T"},"activities":[{"kind":"likert","statement":{"en":"S"}},)"
        R"({"kind":"open_text","question":{"en":"Q"}}]})",
        {"a_one", "a_two"}, {"a_two"});
    BOOST_TEST(text.find(R"("answered":["a_two"])") != std::string::npos, text);
    // What the editor sends back (without "answered") is a workshop file with the ids.
    auto const back = parse_ok(text.substr(0, text.find(R"(,"answered")")) + "}");
    BOOST_TEST(back.activities[0].id.value_or("") == "a_one");
    BOOST_TEST(back.activities[1].id.value_or("") == "a_two");
    BOOST_TEST(std::holds_alternative<cp::workshop_file_error>(cp::parse_workshop_file(text)));
}

BOOST_AUTO_TEST_CASE(groups_and_consent_details) {
    auto const spec = parse_ok(minimal_with(
        R"(,"groups":[{"id":"a-team_2","label":{"en":"A"}},{"id":"b","label":{"en":"B"},"target":0}],)"
        R"("consent":{"required":false,"info_url":"http://example.org/x"})"));
    BOOST_REQUIRE(spec.groups.size() == 2u);
    BOOST_TEST(spec.groups[0].id == "a-team_2");
    BOOST_TEST(!spec.groups[0].target.has_value());
    BOOST_TEST(spec.groups[1].target.value_or(-1) == 0);
    BOOST_TEST(!spec.consent.required);
    BOOST_TEST(spec.consent.text.empty());
    BOOST_TEST(spec.consent.info_url == "http://example.org/x");
}

BOOST_AUTO_TEST_CASE(results_visibility) {
    auto const spec = parse_ok(
        R"({"title":{"en":"T"},"activities":[
             {"kind":"likert","statement":{"en":"1"},"results":"live"},
             {"kind":"likert","statement":{"en":"2"},"results":"on_reveal"},
             {"kind":"likert","statement":{"en":"3"},"results":"hidden"}]})");
    BOOST_REQUIRE(spec.activities.size() == 3u);
    BOOST_TEST(likert_of(spec.activities[0]).results == cp::results_visibility::live);
    BOOST_TEST(likert_of(spec.activities[1]).results == cp::results_visibility::on_reveal);
    BOOST_TEST(likert_of(spec.activities[2]).results == cp::results_visibility::hidden);

    auto const e = reject(
        R"({"title":{"en":"T"},"activities":[{"kind":"likert","statement":{"en":"S"},"results":"later"}]})");
    BOOST_TEST(e.path == "$.activities[0].results");
    BOOST_TEST(e.message == "must be live, on_reveal or hidden");
}

BOOST_AUTO_TEST_CASE(scale_7_has_the_standard_seven_labels) {
    auto const spec =
        parse_ok(bilingual_with(R"({"kind":"likert","statement":{"en":"S"},"scale":7})"));
    auto const& a = likert_of(spec.activities.at(0));
    BOOST_TEST(a.points == 7);
    BOOST_TEST(a.labels.at("en") == (labels_t{"Strongly disagree", "Disagree", "Somewhat disagree",
                                              "Neither agree nor disagree", "Somewhat agree",
                                              "Agree", "Strongly agree"}),
               boost::test_tools::per_element());
    BOOST_TEST(a.labels.at("cy") ==
                   (labels_t{"Anghytuno'n gryf", "Anghytuno", "Anghytuno rhywfaint",
                             "Ddim yn cytuno nac yn anghytuno", "Cytuno rhywfaint", "Cytuno",
                             "Cytuno'n gryf"}),
               boost::test_tools::per_element());
    // {"points": 7} without labels means the same.
    auto const object = parse_ok(
        bilingual_with(R"({"kind":"likert","statement":{"en":"S"},"scale":{"points":7}})"));
    BOOST_TEST(likert_of(object.activities.at(0)).points == 7);
    BOOST_TEST(likert_of(object.activities.at(0)).labels.at("cy")[2] == "Anghytuno rhywfaint");
}

BOOST_AUTO_TEST_CASE(custom_scale_with_labels) {
    auto const spec = parse_ok(bilingual_with(
        R"({"kind":"likert","statement":{"en":"S"},"scale":{"points":4,"labels":{
              "en":["No","Rather no","Rather yes","Yes"],"cy":["Na","Na braidd","Ie braidd","Ie"]}}})"));
    auto const& a = likert_of(spec.activities.at(0));
    BOOST_TEST(a.points == 4);
    BOOST_TEST(a.labels.at("en") == (labels_t{"No", "Rather no", "Rather yes", "Yes"}),
               boost::test_tools::per_element());
    BOOST_TEST(a.labels.at("cy") == (labels_t{"Na", "Na braidd", "Ie braidd", "Ie"}),
               boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(custom_scale_labels_fall_back_to_the_first_language) {
    auto const spec = parse_ok(bilingual_with(
        R"({"kind":"likert","statement":{"en":"S"},"scale":{"points":3,"labels":{"en":["Low","Mid","High"]}}})"));
    auto const& a = likert_of(spec.activities.at(0));
    BOOST_TEST(a.points == 3);
    BOOST_TEST(a.labels.at("cy") == (labels_t{"Low", "Mid", "High"}),
               boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(standard_labels_in_a_language_without_a_glossary_are_english) {
    auto const spec = parse_ok(
        R"({"title":{"en":"T"},"languages":["en","fr"],"activities":[{"kind":"likert","statement":{"en":"S"}}]})");
    BOOST_TEST(likert_of(spec.activities.at(0)).labels.at("fr") == en5,
               boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(missing_welsh_text_falls_back_to_english) {
    auto const spec =
        parse_ok(bilingual_with(R"({"kind":"likert","statement":{"en":"Only English"}})"));
    auto const& statement = likert_of(spec.activities.at(0)).statement;
    BOOST_TEST(statement.size() == 1u); // nothing is copied into the map
    BOOST_TEST(!statement.contains("cy"));
    BOOST_TEST(cp::text_in(statement, "cy", spec.languages) == "Only English");
    BOOST_TEST(cp::text_in(statement, "en", spec.languages) == "Only English");
    // A text that has the language uses it.
    BOOST_TEST(cp::text_in(spec.title, "cy", spec.languages) == "Prawf");
    BOOST_TEST(cp::text_in(spec.title, "en", spec.languages) == "Test");
    // A language the workshop does not list falls back too.
    BOOST_TEST(cp::text_in(spec.title, "de", spec.languages) == "Test");

    cp::text_map const only_welsh{{"cy", "Helo"}};
    BOOST_TEST(cp::text_in(only_welsh, "fr", {"en", "cy"}) == "Helo"); // any text beats none
    BOOST_TEST(cp::text_in(cp::text_map{}, "en", {"en"}) == "");
    cp::text_map const both{{"en", "Hi"}, {"cy", "Helo"}};
    BOOST_TEST(cp::text_in(both, "cy", {}) == "Helo");
    BOOST_TEST(cp::text_in(both, "de", {}) == "Helo"); // no languages: the first in the map
}

// ---- errors, each with its JSON path ------------------------------------------------------------

BOOST_AUTO_TEST_CASE(unknown_top_level_key) {
    auto const e = reject(minimal_with(R"(,"theme":"dark")"));
    BOOST_TEST(e.path == "$.theme");
    BOOST_TEST(e.message == "is not a known field");
    BOOST_TEST(e.what() == "$.theme: is not a known field");
}

BOOST_AUTO_TEST_CASE(unknown_key_inside_an_activity) {
    auto const e = reject(R"({"title":{"en":"T"},"activities":[
        {"kind":"likert","statement":{"en":"One"}},
        {"kind":"likert","statement":{"en":"Two"},"colour":"yellow"}]})");
    BOOST_TEST(e.path == "$.activities[1].colour");
    BOOST_TEST(e.message == "is not a known field");

    auto const in_scale = reject(
        R"({"title":{"en":"T"},"activities":[{"kind":"likert","statement":{"en":"S"},"scale":{"points":5,"colours":3}}]})");
    BOOST_TEST(in_scale.path == "$.activities[0].scale.colours");

    auto const in_group =
        reject(minimal_with(R"(,"groups":[{"id":"a","label":{"en":"A"},"size":3}])"));
    BOOST_TEST(in_group.path == "$.groups[0].size");

    auto const in_consent = reject(minimal_with(R"(,"consent":{"required":false,"signed":true})"));
    BOOST_TEST(in_consent.path == "$.consent.signed");
}

BOOST_AUTO_TEST_CASE(title_must_be_a_text_object) {
    auto const e = reject(
        R"({"title":"Persona validation","activities":[{"kind":"likert","statement":{"en":"S"}}]})");
    BOOST_TEST(e.path == "$.title");
    BOOST_TEST(e.message == "expected an object, got a string");

    auto const missing = reject(R"({"activities":[{"kind":"likert","statement":{"en":"S"}}]})");
    BOOST_TEST(missing.path == "$.title");
    BOOST_TEST(missing.message == "is required");

    auto const empty =
        reject(R"({"title":{"en":""},"activities":[{"kind":"likert","statement":{"en":"S"}}]})");
    BOOST_TEST(empty.path == "$.title.en");
    BOOST_TEST(empty.message == "must not be empty");
}

BOOST_AUTO_TEST_CASE(text_needs_the_first_listed_language) {
    auto const e = reject(
        R"({"title":{"cy":"Prawf"},"languages":["en","cy"],"activities":[{"kind":"likert","statement":{"en":"S"}}]})");
    BOOST_TEST(e.path == "$.title.en");
    BOOST_TEST(e.message == "is required");

    auto const statement =
        reject(bilingual_with(R"({"kind":"likert","statement":{"cy":"Datganiad"}})"));
    BOOST_TEST(statement.path == "$.activities[0].statement.en");
}

BOOST_AUTO_TEST_CASE(activities_must_be_a_non_empty_array) {
    auto const object = reject(R"({"title":{"en":"T"},"activities":{"kind":"likert"}})");
    BOOST_TEST(object.path == "$.activities");
    BOOST_TEST(object.message == "expected an array, got an object");

    auto const empty = reject(R"({"title":{"en":"T"},"activities":[]})");
    BOOST_TEST(empty.path == "$.activities");
    BOOST_TEST(empty.message == "a workshop needs at least one activity");

    auto const missing = reject(R"({"title":{"en":"T"}})");
    BOOST_TEST(missing.path == "$.activities");
    BOOST_TEST(missing.message == "is required");

    auto const not_object = reject(R"({"title":{"en":"T"},"activities":["likert"]})");
    BOOST_TEST(not_object.path == "$.activities[0]");
    BOOST_TEST(not_object.message == "expected an object, got a string");
}

BOOST_AUTO_TEST_CASE(group_target_must_not_be_negative) {
    auto const e = reject(minimal_with(R"(,"groups":[{"id":"a","label":{"en":"A"},"target":-1}])"));
    BOOST_TEST(e.path == "$.groups[0].target");
    BOOST_TEST(e.message == "must be between 0 and 1000000");

    auto const text =
        reject(minimal_with(R"(,"groups":[{"id":"a","label":{"en":"A"},"target":"12"}])"));
    BOOST_TEST(text.path == "$.groups[0].target");
    BOOST_TEST(text.message == "expected an integer, got a string");
}

BOOST_AUTO_TEST_CASE(consent_required_must_be_a_boolean_with_a_text) {
    auto const e = reject(minimal_with(R"(,"consent":{"required":"yes","text":{"en":"OK?"}})"));
    BOOST_TEST(e.path == "$.consent.required");
    BOOST_TEST(e.message == "expected true or false, got a string");

    auto const missing = reject(minimal_with(R"(,"consent":{"text":{"en":"OK?"}})"));
    BOOST_TEST(missing.path == "$.consent.required");
    BOOST_TEST(missing.message == "is required");

    auto const no_text = reject(minimal_with(R"(,"consent":{"required":true})"));
    BOOST_TEST(no_text.path == "$.consent.text");
    BOOST_TEST(no_text.message == "is required when consent is required");
}

BOOST_AUTO_TEST_CASE(consent_info_url_must_be_http) {
    for (std::string url :
         {"ftp://example.org/info", "example.org/info", "javascript:alert(1)", "//example.org"}) {
        BOOST_TEST_CONTEXT("info_url " << url) {
            auto const e = reject(minimal_with(
                R"(,"consent":{"required":true,"text":{"en":"OK?"},"info_url":")" + url + R"("})"));
            BOOST_TEST(e.path == "$.consent.info_url");
            BOOST_TEST(e.message == "must start with https:// or http://");
        }
    }
}

BOOST_AUTO_TEST_CASE(standard_scale_must_be_5_or_7) {
    for (std::string points : {"6", "4", "0", "-5"}) {
        BOOST_TEST_CONTEXT("scale " << points) {
            auto const e = reject(bilingual_with(
                R"({"kind":"likert","statement":{"en":"S"},"scale":)" + points + "}"));
            BOOST_TEST(e.path == "$.activities[0].scale");
            BOOST_TEST(e.message == "a standard scale has 5 or 7 points");
        }
    }
    for (std::string scale : {R"("5")", "5.0", "true", "[5]"}) {
        BOOST_TEST_CONTEXT("scale " << scale) {
            auto const e = reject(bilingual_with(
                R"({"kind":"likert","statement":{"en":"S"},"scale":)" + scale + "}"));
            BOOST_TEST(e.path == "$.activities[0].scale");
            BOOST_TEST(e.message == "must be 5 or 7, or an object with points and labels");
        }
    }
}

BOOST_AUTO_TEST_CASE(custom_scale_errors) {
    auto const count = reject(bilingual_with(
        R"({"kind":"likert","statement":{"en":"S"},"scale":{"points":4,"labels":{"en":["a","b","c"]}}})"));
    BOOST_TEST(count.path == "$.activities[0].scale.labels.en");
    BOOST_TEST(count.message == "must be an array of 4 labels, one for every point");

    auto const welsh_count = reject(bilingual_with(
        R"({"kind":"likert","statement":{"en":"S"},"scale":{"points":2,"labels":{"en":["a","b"],"cy":["a","b","c"]}}})"));
    BOOST_TEST(welsh_count.path == "$.activities[0].scale.labels.cy");

    auto const no_labels =
        reject(bilingual_with(R"({"kind":"likert","statement":{"en":"S"},"scale":{"points":4}})"));
    BOOST_TEST(no_labels.path == "$.activities[0].scale.labels");
    BOOST_TEST(no_labels.message == "are required for a scale other than 5 or 7 points");

    auto const no_first = reject(bilingual_with(
        R"({"kind":"likert","statement":{"en":"S"},"scale":{"points":2,"labels":{"cy":["a","b"]}}})"));
    BOOST_TEST(no_first.path == "$.activities[0].scale.labels.en");
    BOOST_TEST(no_first.message == "is required");

    auto const empty_label = reject(bilingual_with(
        R"({"kind":"likert","statement":{"en":"S"},"scale":{"points":2,"labels":{"en":["a",""]}}})"));
    BOOST_TEST(empty_label.path == "$.activities[0].scale.labels.en[1]");
    BOOST_TEST(empty_label.message == "must not be empty");

    auto const points = reject(bilingual_with(
        R"({"kind":"likert","statement":{"en":"S"},"scale":{"points":12,"labels":{"en":[]}}})"));
    BOOST_TEST(points.path == "$.activities[0].scale.points");
    BOOST_TEST(points.message == "must be between 2 and 11");
}

BOOST_AUTO_TEST_CASE(text_in_a_language_not_listed) {
    auto const statement =
        reject(bilingual_with(R"({"kind":"likert","statement":{"en":"S","fr":"Déclaration"}})"));
    BOOST_TEST(statement.path == "$.activities[0].statement.fr");
    BOOST_TEST(statement.message == "is not a known field");

    // Without "languages" only English is listed.
    auto const title = reject(
        R"({"title":{"en":"T","cy":"Prawf"},"activities":[{"kind":"likert","statement":{"en":"S"}}]})");
    BOOST_TEST(title.path == "$.title.cy");

    auto const labels = reject(bilingual_with(
        R"({"kind":"likert","statement":{"en":"S"},"scale":{"points":2,"labels":{"en":["a","b"],"de":["a","b"]}}})"));
    BOOST_TEST(labels.path == "$.activities[0].scale.labels.de");
}

BOOST_AUTO_TEST_CASE(duplicate_group_id) {
    auto const e = reject(minimal_with(
        R"(,"groups":[{"id":"innovator","label":{"en":"A"}},{"id":"enabler","label":{"en":"B"}},)"
        R"({"id":"innovator","label":{"en":"C"}}])"));
    BOOST_TEST(e.path == "$.groups[2].id");
    BOOST_TEST(e.message == R"("innovator" is used twice)");
}

BOOST_AUTO_TEST_CASE(bad_group_id) {
    for (std::string id : {"Innovator", "inno vator", "innovator!", "arloeswr\xC3\xA9"}) {
        BOOST_TEST_CONTEXT("id " << id) {
            auto const e =
                reject(minimal_with(R"(,"groups":[{"id":")" + id + R"(","label":{"en":"A"}}])"));
            BOOST_TEST(e.path == "$.groups[0].id");
            BOOST_TEST(e.message == "use 1 to 32 of a-z, 0-9, '_' and '-'");
        }
    }
    auto const empty = reject(minimal_with(R"(,"groups":[{"id":"","label":{"en":"A"}}])"));
    BOOST_TEST(empty.path == "$.groups[0].id");
    BOOST_TEST(empty.message == "must not be empty");

    auto const long_id = reject(
        minimal_with(R"(,"groups":[{"id":")" + std::string(33, 'a') + R"(","label":{"en":"A"}}])"));
    BOOST_TEST(long_id.path == "$.groups[0].id");
    BOOST_TEST(long_id.message == "must be at most 32 characters");
}

BOOST_AUTO_TEST_CASE(languages_must_be_distinct_codes) {
    auto const twice = reject(
        R"({"title":{"en":"T"},"languages":["en","cy","en"],"activities":[{"kind":"likert","statement":{"en":"S"}}]})");
    BOOST_TEST(twice.path == "$.languages[2]");
    BOOST_TEST(twice.message == "is listed twice");

    auto const upper = reject(
        R"({"title":{"en":"T"},"languages":["en","CY"],"activities":[{"kind":"likert","statement":{"en":"S"}}]})");
    BOOST_TEST(upper.path == "$.languages[1]");
    BOOST_TEST(upper.message == R"(must be a language code such as "en" or "cy")");

    auto const empty = reject(
        R"({"title":{"en":"T"},"languages":[],"activities":[{"kind":"likert","statement":{"en":"S"}}]})");
    BOOST_TEST(empty.path == "$.languages");
    BOOST_TEST(empty.message == "expected a non-empty array of language codes");
}

BOOST_AUTO_TEST_CASE(board_activities_parse_with_their_settings_and_defaults) {
    auto const spec =
        parse_ok(R"({"title":{"en":"T","cy":"T"},"languages":["en","cy"],"activities":[
        {"kind":"likert","statement":{"en":"S"}},
        {"kind":"board","prompt":{"en":"What would help?","cy":"Beth fyddai'n helpu?"},
         "columns":[{"id":"value","title":{"en":"Value"}},{"id":"risk","title":{"en":"Risk","cy":"Risg"}}],
         "dots_per_person":3,"dots_per_note":2,"dot_totals":"on_reveal","hidden_until_reveal":true},
        {"kind":"board","prompt":{"en":"Anything else?"}}]})");
    BOOST_TEST_REQUIRE(spec.activities.size() == 3u);
    auto const& b = spec.activities[1];
    BOOST_TEST((b.kind() == cp::activity_kind::board));
    BOOST_TEST(board_of(b).prompt.at("cy") == "Beth fyddai'n helpu?");
    BOOST_TEST_REQUIRE(board_of(b).columns.size() == 2u);
    BOOST_TEST(board_of(b).columns[0].id == "value");
    BOOST_TEST(cp::text_in(board_of(b).columns[0].title, "cy", spec.languages) ==
               "Value"); // fallback
    BOOST_TEST(board_of(b).dots_per_person == 3);
    BOOST_TEST(board_of(b).dots_per_note == 2);
    BOOST_TEST((board_of(b).dot_totals == cp::results_visibility::on_reveal));
    BOOST_TEST(board_of(b).hidden_until_reveal);
    auto const& plain = board_of(spec.activities[2]);
    BOOST_TEST(plain.columns.empty());
    BOOST_TEST(plain.dots_per_person == 0);
    BOOST_TEST(plain.dots_per_note == 1);
    BOOST_TEST((plain.dot_totals == cp::results_visibility::live));
    BOOST_TEST(!plain.hidden_until_reveal);
}

BOOST_AUTO_TEST_CASE(bad_board_settings_are_rejected_with_their_path) {
    auto board = [](std::string const& fields) {
        return R"({"title":{"en":"T"},"activities":[{"kind":"board",)" + fields + "}]}";
    };
    struct bad {
        std::string json;
        std::string path;
        std::string says;
    };
    std::vector<bad> const cases{
        {board(R"("columns":[])"), "$.activities[0].prompt", "required"},
        {board(R"("prompt":{"en":"P"},"columns":[{"id":"Bad Id","title":{"en":"x"}}])"),
         "$.activities[0].columns[0].id", "a-z"},
        {board(
             R"("prompt":{"en":"P"},"columns":[{"id":"a","title":{"en":"x"}},{"id":"a","title":{"en":"y"}}])"),
         "$.activities[0].columns[1].id", "used twice"},
        {board(R"("prompt":{"en":"P"},"dots_per_person":21)"), "$.activities[0].dots_per_person",
         ""},
        {board(R"("prompt":{"en":"P"},"dots_per_person":2,"dots_per_note":3)"),
         "$.activities[0].dots_per_note", "cannot be more than dots_per_person"},
        {board(R"("prompt":{"en":"P"},"dot_totals":"hidden")"), "$.activities[0].dot_totals",
         "live or on_reveal"},
        {board(R"("prompt":{"en":"P"},"statement":{"en":"S"})"), "$.activities[0].statement", ""},
        {board(R"("prompt":{"en":"P"},"hidden_until_reveal":"yes")"),
         "$.activities[0].hidden_until_reveal", ""},
    };
    for (auto const& c : cases) {
        BOOST_TEST_CONTEXT(c.json) {
            auto const e = reject(c.json);
            BOOST_TEST(e.path == c.path);
            BOOST_TEST(e.message.find(c.says) != std::string::npos, e.message);
        }
    }
    auto const other =
        reject(R"({"title":{"en":"T"},"activities":[{"kind":"poll","statement":{"en":"S"}}]})");
    BOOST_TEST(other.path == "$.activities[0].kind");
    BOOST_TEST(other.message == R"(must be "likert", "board", "choice", "ranking" or "open_text")");
}

BOOST_AUTO_TEST_CASE(choice_ranking_and_open_text_are_read_with_their_settings) {
    auto const spec = parse_ok(
        R"({"title":{"en":"T"},"languages":["en","cy"],"activities":[)"
        R"({"kind":"choice","question":{"en":"Q","cy":"C"},"max":2,"results":"on_reveal",)"
        R"("options":[{"id":"a","label":{"en":"A"}},{"id":"b","label":{"en":"B","cy":"Bi"}},)"
        R"({"id":"c","label":{"en":"C"}}],"comment":{"prompt":{"en":"Why?","cy":"Pam?"}},)"
        R"("card":{"title":{"en":"Alys"},"body":{"en":"Body"},"image":"img_1","alt":{"en":"A face"}}},)"
        R"({"kind":"ranking","question":{"en":"R"},"items":[{"id":"x","label":{"en":"X"}},)"
        R"({"id":"y","label":{"en":"Y"}},{"id":"z","label":{"en":"Z"}}]},)"
        R"({"kind":"open_text","question":{"en":"O"}}]})");
    BOOST_TEST_REQUIRE(spec.activities.size() == 3u);
    auto const& c = std::get<cp::choice_spec>(spec.activities[0].body);
    BOOST_TEST(c.max == 2);
    BOOST_TEST(c.options.size() == 3u);
    BOOST_TEST(c.options[1].label.at("cy") == "Bi");
    BOOST_TEST(cp::to_string(c.results) == "on_reveal");
    BOOST_TEST(c.comment->prompt.at("cy") == "Pam?");
    BOOST_TEST(c.card->image.value_or("-") == "img_1");
    BOOST_TEST(c.card->alt.at("en") == "A face");
    auto const& k = std::get<cp::ranking_spec>(spec.activities[1].body);
    BOOST_TEST(k.items.size() == 3u);
    BOOST_TEST(cp::to_string(k.results) == "live");
    auto const& o = std::get<cp::open_text_spec>(spec.activities[2].body);
    BOOST_TEST(o.max_length == 500);
    BOOST_TEST(cp::to_string(spec.activities[2].kind()) == "open_text");
}

BOOST_AUTO_TEST_CASE(bad_question_kinds_are_rejected_with_their_path) {
    auto const one = [](std::string const& body) {
        return R"({"title":{"en":"T"},"activities":[{)" + body + "}]}";
    };
    std::string const two =
        R"("options":[{"id":"a","label":{"en":"A"}},{"id":"b","label":{"en":"B"}}])";
    std::string const three_items =
        R"("items":[{"id":"a","label":{"en":"A"}},{"id":"b","label":{"en":"B"}},{"id":"c","label":{"en":"C"}}])";
    struct bad {
        std::string json;
        std::string path;
        std::string says;
    };
    std::vector<bad> const cases{
        {one(R"("kind":"choice","question":{"en":"Q"},"options":[{"id":"a","label":{"en":"A"}}])"),
         "$.activities[0].options", "2 to 12"},
        {one(R"("kind":"choice","question":{"en":"Q"},"max":3,)" + two), "$.activities[0].max", ""},
        {one(R"("kind":"choice","question":{"en":"Q"},"options":[{"id":"a","label":{"en":"A"}},{"id":"a","label":{"en":"B"}}])"),
         "$.activities[0].options[1].id", "used twice"},
        {one(R"("kind":"choice","question":{"en":"Q"},"options":[{"id":"a b","label":{"en":"A"}},{"id":"c","label":{"en":"B"}}])"),
         "$.activities[0].options[0].id", "A-Z"},
        {one(R"("kind":"choice",)" + two), "$.activities[0].question", ""},
        {one(R"("kind":"ranking","question":{"en":"Q"},"items":[{"id":"a","label":{"en":"A"}},{"id":"b","label":{"en":"B"}}])"),
         "$.activities[0].items", "3 to 10"},
        {one(R"("kind":"ranking","question":{"en":"Q"},"comment":{"prompt":{"en":"Why"}},)" +
             three_items),
         "$.activities[0].comment", ""},
        {one(R"("kind":"open_text","question":{"en":"Q"},"max_length":501)"),
         "$.activities[0].max_length", ""},
        {one(R"("kind":"open_text","question":{"en":"Q"},"card":{"title":{"en":"T"},"image":"img_1"})"),
         "$.activities[0].card.alt", "required with an image"},
        {one(R"("kind":"open_text","question":{"en":"Q"},"card":{"title":{"en":"T"},"alt":{"en":"x"}})"),
         "$.activities[0].card.alt", "has none"},
        {one(R"("kind":"open_text","question":{"en":"Q"},"card":{"title":{"en":"T"},"image":"../etc","alt":{"en":"x"}})"),
         "$.activities[0].card.image", "img_"},
    };
    for (auto const& c : cases) {
        BOOST_TEST_CONTEXT(c.json) {
            auto const e = reject(c.json);
            BOOST_TEST(e.path == c.path);
            BOOST_TEST(e.message.find(c.says) != std::string::npos, e.message);
        }
    }
}

BOOST_AUTO_TEST_CASE(file_over_one_mebibyte_is_rejected) {
    std::string json = minimal_with("");
    json.append(cp::max_workshop_file_bytes + 1 - json.size(), ' ');
    auto const e = reject(json);
    BOOST_TEST(e.path == "$");
    BOOST_TEST(e.message == "the file is larger than 1048576 bytes");

    // One byte less is exactly 1 MiB, which is accepted.
    json.pop_back();
    BOOST_REQUIRE(json.size() == 1024u * 1024u);
    BOOST_TEST(parse_ok(json).activities.size() == 1u);
}

BOOST_AUTO_TEST_CASE(invalid_json) {
    for (std::string_view text :
         {R"({"title":{"en":"T"},"activities":[)", "", "not json", R"({"title":{"en":"T"},})"}) {
        BOOST_TEST_CONTEXT("text " << text) {
            auto const e = reject(text);
            BOOST_TEST(e.path == "$");
            BOOST_TEST(e.message.starts_with("not valid JSON (parse error"), e.message);
        }
    }
    auto const not_object = reject("[1,2]");
    BOOST_TEST(not_object.path == "$");
    BOOST_TEST(not_object.message == "expected an object, got an array");
}

// Error messages must be valid UTF-8 even when the input breaks off inside a character.
BOOST_AUTO_TEST_CASE(invalid_json_message_can_be_sent_back) {
    auto const e = reject("{\"title\":\xC3\xA9}");
    BOOST_TEST(e.path == "$");
    std::string body;
    BOOST_CHECK_NO_THROW(body = cp::encode_api_error(cp::error_code::bad_request, e.what()));
    BOOST_TEST(body.starts_with(R"({"error":{"code":"bad_request","message":"$: not valid JSON)"));
}

BOOST_AUTO_TEST_CASE(numbers_that_overflow_are_errors_not_exceptions) {
    for (std::string_view n : {"1e400", "-1e400", "1E+400", "123456789012345678901234567890", "-0",
                               "18446744073709551616"}) {
        BOOST_TEST_CONTEXT("scale " << n) {
            std::string const file = R"({"title":{"en":"T"},"activities":[{"kind":"likert",)"
                                     R"("statement":{"en":"s"},"scale":)" +
                                     std::string(n) + "}]}";
            std::variant<cp::workshop_spec, cp::workshop_file_error> r;
            BOOST_REQUIRE_NO_THROW(r = cp::parse_workshop_file(file));
            auto const* e = std::get_if<cp::workshop_file_error>(&r);
            BOOST_REQUIRE(e != nullptr);
            BOOST_TEST(!e->message.empty());
        }
    }
    auto const e = reject(R"({"title":{"en":"T"},"min_cell":1e400})");
    BOOST_TEST(e.path == "$.min_cell"); // the field that holds the number
    BOOST_TEST(e.message == "not valid JSON (number overflow parsing '1e400')", e.message);
}

BOOST_AUTO_TEST_CASE(deep_nesting) {
    // The document object is level 1; "x" adds `brackets` levels.
    auto const nested = [](int brackets) {
        return minimal_with(R"(,"x":)" + std::string(static_cast<std::size_t>(brackets), '[') +
                            std::string(static_cast<std::size_t>(brackets), ']'));
    };
    // 32 levels pass the depth check and fail later, on the unknown key.
    BOOST_TEST(reject(nested(31)).path == "$.x");

    auto const e = reject(nested(32));
    BOOST_TEST(e.path == "$");
    BOOST_TEST(e.message == "nested deeper than 32 levels");

    auto const hostile = reject(std::string(50000, '[') + std::string(50000, ']'));
    BOOST_TEST(hostile.message == "nested deeper than 32 levels");
}

BOOST_AUTO_TEST_SUITE_END()
