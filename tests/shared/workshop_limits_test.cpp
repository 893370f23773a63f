#include "shared/protocol/workshop_file.hpp"

#include <boost/test/unit_test.hpp>

#include <nlohmann/json.hpp>

#include <functional>
#include <string>
#include <variant>
#include <vector>

// Every string and list of a workshop file has a documented maximum (docs/protocol.md,
// "Workshop file"): a file exactly at it is accepted, one past it is refused with the path of
// the field and the limit in the message.

namespace {

namespace cp = cylch::protocol;
using json = nlohmann::json;

// n code points, each two bytes in UTF-8 (Welsh ŵ): limits count characters, not bytes.
std::string text_of(std::size_t n) {
    std::string s;
    for (std::size_t i = 0; i < n; ++i) {
        s += "\u0175";
    }
    return s;
}

json minimal() {
    return json{{"title", {{"en", "T"}}},
                {"activities", json::array({{{"kind", "likert"}, {"statement", {{"en", "S"}}}}})}};
}

// `file` with the value at `pointer` (a JSON pointer) set.
json with(json file, std::string const& pointer, json value) {
    file[json::json_pointer(pointer)] = std::move(value);
    return file;
}

// The minimal file whose only activity is a board, with the value at `pointer` set.
json board_with(std::string const& pointer, json value) {
    auto b = json{{"kind", "board"}, {"prompt", {{"en", "P"}}}};
    return with(with(minimal(), "/activities", json::array({b})), pointer, std::move(value));
}

// The minimal file whose only activity is a choice of two options, with the value at `pointer`.
json choice_with(std::string const& pointer, json value) {
    auto c =
        json{{"kind", "choice"},
             {"question", {{"en", "Q"}}},
             {"options",
              {{{"id", "a"}, {"label", {{"en", "A"}}}}, {{"id", "b"}, {"label", {{"en", "B"}}}}}}};
    return with(with(minimal(), "/activities", json::array({c})), pointer, std::move(value));
}

// n items made by `item(i)`.
json list_of(std::size_t n, std::function<json(std::size_t)> const& item) {
    json out = json::array();
    for (std::size_t i = 0; i < n; ++i) {
        out.push_back(item(i));
    }
    return out;
}

json group(std::size_t i) {
    return json{{"id", "g" + std::to_string(i)}, {"label", {{"en", "G"}}}};
}

json option(std::size_t i) {
    return json{{"id", "o" + std::to_string(i)}, {"label", {{"en", "O"}}}};
}

json column(std::size_t i) {
    return json{{"id", "c" + std::to_string(i)}, {"title", {{"en", "C"}}}};
}

// "en" and then n - 1 other language codes.
json languages(std::size_t n) {
    return list_of(n, [](std::size_t i) -> json {
        return i == 0 ? std::string("en")
                      : std::string("l") + static_cast<char>('a' + i / 26) +
                            static_cast<char>('a' + i % 26);
    });
}

json likert() {
    return json{{"kind", "likert"}, {"statement", {{"en", "S"}}}};
}

struct limit {
    std::string field;                     // what the test is about
    std::size_t max;                       // the documented maximum
    std::function<json(std::size_t)> file; // a file with n of it
    std::string path;                      // where the error must point
};

std::vector<limit> const limits{
    {"title", cp::max_title_length,
     [](std::size_t n) { return with(minimal(), "/title/en", text_of(n)); }, "$.title.en"},
    {"languages", cp::max_languages,
     [](std::size_t n) { return with(minimal(), "/languages", languages(n)); }, "$.languages"},
    {"groups", cp::max_groups,
     [](std::size_t n) { return with(minimal(), "/groups", list_of(n, group)); }, "$.groups"},
    {"group id", cp::max_slug_length,
     [](std::size_t n) {
         return with(with(minimal(), "/groups", json::array({group(0)})), "/groups/0/id",
                     std::string(n, 'g'));
     },
     "$.groups[0].id"},
    {"group label", cp::max_label_length,
     [](std::size_t n) {
         return with(with(minimal(), "/groups", json::array({group(0)})), "/groups/0/label/en",
                     text_of(n));
     },
     "$.groups[0].label.en"},
    {"consent text", cp::max_consent_length,
     [](std::size_t n) {
         return with(minimal(), "/consent", {{"required", true}, {"text", {{"en", text_of(n)}}}});
     },
     "$.consent.text.en"},
    {"consent info_url", cp::max_info_url_length,
     [](std::size_t n) {
         return with(minimal(), "/consent",
                     {{"required", false},
                      {"info_url", "https://example.org/" + std::string(n - 20, 'x')}});
     },
     "$.consent.info_url"},
    {"activities", cp::max_activities,
     [](std::size_t n) {
         return with(minimal(), "/activities", list_of(n, [](std::size_t) { return likert(); }));
     },
     "$.activities"},
    {"statement", cp::max_statement_length,
     [](std::size_t n) { return with(minimal(), "/activities/0/statement/en", text_of(n)); },
     "$.activities[0].statement.en"},
    {"scale label", cp::max_scale_label_length,
     [](std::size_t n) {
         return with(minimal(), "/activities/0/scale",
                     {{"points", 2}, {"labels", {{"en", json::array({text_of(n), "B"})}}}});
     },
     "$.activities[0].scale.labels.en[0]"},
    {"board prompt", cp::max_statement_length,
     [](std::size_t n) { return board_with("/activities/0/prompt/en", text_of(n)); },
     "$.activities[0].prompt.en"},
    {"board columns", cp::max_board_columns,
     [](std::size_t n) { return board_with("/activities/0/columns", list_of(n, column)); },
     "$.activities[0].columns"},
    {"column id", cp::max_slug_length,
     [](std::size_t n) {
         return board_with("/activities/0/columns",
                           json::array({{{"id", std::string(n, 'c')}, {"title", {{"en", "C"}}}}}));
     },
     "$.activities[0].columns[0].id"},
    {"column title", cp::max_label_length,
     [](std::size_t n) {
         return board_with("/activities/0/columns",
                           json::array({{{"id", "c"}, {"title", {{"en", text_of(n)}}}}}));
     },
     "$.activities[0].columns[0].title.en"},
    {"choice question", cp::max_statement_length,
     [](std::size_t n) { return choice_with("/activities/0/question/en", text_of(n)); },
     "$.activities[0].question.en"},
    {"choice options", cp::max_choice_options,
     [](std::size_t n) { return choice_with("/activities/0/options", list_of(n, option)); },
     "$.activities[0].options"},
    {"option label", cp::max_short_text_length,
     [](std::size_t n) { return choice_with("/activities/0/options/0/label/en", text_of(n)); },
     "$.activities[0].options[0].label.en"},
    {"comment prompt", cp::max_short_text_length,
     [](std::size_t n) {
         return choice_with("/activities/0/comment", {{"prompt", {{"en", text_of(n)}}}});
     },
     "$.activities[0].comment.prompt.en"},
    {"card body", cp::max_card_body_length,
     [](std::size_t n) {
         return choice_with("/activities/0/card",
                            {{"title", {{"en", "T"}}}, {"body", {{"en", text_of(n)}}}});
     },
     "$.activities[0].card.body.en"},
    {"card image text", cp::max_alt_length,
     [](std::size_t n) {
         return choice_with("/activities/0/card", {{"title", {{"en", "T"}}},
                                                   {"image", "img_0123456789"},
                                                   {"alt", {{"en", text_of(n)}}}});
     },
     "$.activities[0].card.alt.en"},
};

} // namespace

BOOST_AUTO_TEST_SUITE(workshop_limits)

BOOST_AUTO_TEST_CASE(every_field_is_accepted_at_its_limit_and_refused_past_it_by_name) {
    for (auto const& l : limits) {
        BOOST_TEST_CONTEXT(l.field << " (at most " << l.max << ")") {
            auto at = cp::parse_workshop_file(l.file(l.max).dump());
            if (auto const* e = std::get_if<cp::workshop_file_error>(&at)) {
                BOOST_ERROR("at the limit: " << e->what());
            }
            auto past = cp::parse_workshop_file(l.file(l.max + 1).dump());
            auto const* e = std::get_if<cp::workshop_file_error>(&past);
            BOOST_TEST_REQUIRE(e != nullptr);
            BOOST_TEST(e->path == l.path);
            BOOST_TEST(e->message.find(std::to_string(l.max)) != std::string::npos, e->what());
        }
    }
}

BOOST_AUTO_TEST_CASE(a_list_past_its_limit_is_refused_before_its_items_are_read) {
    // 9 languages of which the ninth is malformed: the count is what is reported.
    auto f = minimal();
    f["languages"] = json::array({"en", "cy", "fr", "de", "es", "it", "nl", "pt", "NOT A CODE"});
    auto past = cp::parse_workshop_file(f.dump());
    auto const* e = std::get_if<cp::workshop_file_error>(&past);
    BOOST_TEST_REQUIRE(e != nullptr);
    BOOST_TEST(e->what() == "$.languages: at most 8 languages (this file has 9)");
}

BOOST_AUTO_TEST_CASE(group_targets_are_bounded) {
    auto f = minimal();
    f["groups"] = json::array({group(0)});
    f["groups"][0]["target"] = cp::max_group_target;
    BOOST_TEST(std::holds_alternative<cp::workshop_spec>(cp::parse_workshop_file(f.dump())));
    f["groups"][0]["target"] = cp::max_group_target + 1;
    auto past = cp::parse_workshop_file(f.dump());
    auto const* e = std::get_if<cp::workshop_file_error>(&past);
    BOOST_TEST_REQUIRE(e != nullptr);
    BOOST_TEST(e->path == "$.groups[0].target");
}

BOOST_AUTO_TEST_SUITE_END()
