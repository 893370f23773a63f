// The workshop file: one JSON document describing a workshop (title, languages, groups,
// consent, agenda). Parsed strictly: an unknown key or a wrong type is an error that names
// its JSON path, e.g. "$.activities[2].scale: must be 5 or 7, or an object".
#pragma once

#include "shared/protocol/types.hpp"

#include <cstdint>

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace cylch::protocol {

struct group_spec {
    std::string id; // 1..32 of a-z, 0-9, '_', '-'
    text_map label;
    std::optional<int> target; // people the facilitator hopes to reach
};

struct consent_spec {
    bool required = false;
    text_map text;
    std::string info_url;
};

struct column_spec {
    std::string id; // 1..32 of a-z, 0-9, '_', '-'
    text_map title;
};

// A sticky-note board (docs/protocol.md, Boards).
struct board_spec {
    text_map prompt;
    std::vector<column_spec> columns; // 0..max_board_columns
    int dots_per_person = 0;          // 0: no dot-voting
    int dots_per_note = 1;            // most dots one person may give one note
    results_visibility dot_totals = results_visibility::live; // live or on_reveal
    bool hidden_until_reveal = false;
};

inline constexpr std::size_t max_board_columns = 12;
inline constexpr int max_dots_per_person = 20;

// Content shown with a question: a persona, a scenario (docs/protocol.md, Cards).
struct card_spec {
    text_map title;
    text_map body;
    std::optional<std::string> image; // an uploaded image's id ("img_…")
    text_map alt;                     // required with an image
};

// An optional "why?" asked with a Likert or choice answer.
struct comment_spec {
    text_map prompt;
};

// A Likert statement (docs/protocol.md, Activities).
struct likert_spec {
    text_map statement;
    int points = 5;
    std::map<std::string, std::vector<std::string>, std::less<>> labels; // every workshop language
    results_visibility results = results_visibility::live;
    std::optional<comment_spec> comment;
    std::optional<card_spec> card;
};

// An option of a choice, or an item of a ranking.
struct option_spec {
    std::string id; // 1..64 of A-Z, a-z, 0-9, '_', '-'
    text_map label;
};

// A question with 2..12 options, of which each respondent picks 1..max.
struct choice_spec {
    text_map question;
    std::vector<option_spec> options;
    int max = 1;
    results_visibility results = results_visibility::live;
    std::optional<comment_spec> comment;
    std::optional<card_spec> card;
};

// 3..10 items that each respondent puts in order, every item once.
struct ranking_spec {
    text_map question;
    std::vector<option_spec> items;
    results_visibility results = results_visibility::live;
    std::optional<card_spec> card;
};

// A short written answer per respondent, private until the facilitator shows it.
struct open_text_spec {
    text_map question;
    int max_length = 500; // code points, 1..max_open_text_length
    std::optional<card_spec> card;
};

// One activity of the agenda. Each kind has its own spec; `kind()` names it. A new kind is a
// new alternative here: every visitor that forgets it is a compile error.
struct activity_spec {
    std::variant<likert_spec, board_spec, choice_spec, ranking_spec, open_text_spec> body;
    // Editing (PUT /api/workshops/{id}): the existing activity this one keeps; none: a new one.
    // A new workshop ignores it.
    std::optional<std::string> id{};
    activity_kind kind() const { return static_cast<activity_kind>(body.index()); }
};
static_assert(std::variant_size_v<decltype(activity_spec::body)> ==
                  static_cast<std::size_t>(activity_kind::open_text) + 1,
              "one alternative per activity_kind, in the enum's order");

struct workshop_spec {
    text_map title;
    std::vector<std::string> languages; // first one is the main language
    std::vector<group_spec> groups;
    consent_spec consent;
    std::vector<activity_spec> activities;
    // Small cells (docs/protocol.md): shared screens withhold any breakdown cell, and any whole
    // summary, with fewer respondents than this; 1 shows everything.
    int min_cell = 3;
    // Retention (docs/protocol.md, "Retention"): the responses are erased this many days after
    // the workshop ended; nullopt (the default): kept until someone erases them.
    std::optional<int> retention_days{};
    // At that purge, keep the results as shared screens show them (small cells withheld).
    bool keep_aggregates = false;
    // The programme of research it belongs to (a tag shared by its workshops, for comparing
    // them); empty: none.
    std::string programme;
    // Self-paced (docs/protocol.md, "Self-paced workshops"): every activity is open between
    // these two times (ms since the Unix epoch), both set, opens before closes; a live
    // workshop has neither.
    workshop_mode mode = workshop_mode::live;
    std::optional<std::int64_t> opens_at{};
    std::optional<std::int64_t> closes_at{};
};

inline constexpr std::size_t max_programme_length = 100; // code points

inline constexpr int max_retention_days = 36'500; // 100 years

struct workshop_file_error {
    std::string path; // JSON path, "$" for the whole document
    std::string message;
    std::string what() const { return path + ": " + message; }
};

// Limits of a workshop file (docs/protocol.md, "Workshop file"): past one, the file is refused
// with the path of the field. Lengths are in code points, per language of a text object.
inline constexpr std::size_t max_workshop_file_bytes = 1024 * 1024;
inline constexpr std::size_t max_activities = 500;
inline constexpr std::size_t max_groups = 50;
inline constexpr std::size_t max_languages = 8;
inline constexpr std::size_t max_title_length = 200;      // the workshop's title
inline constexpr std::size_t max_label_length = 100;      // group labels, column titles
inline constexpr std::size_t max_statement_length = 1000; // statements, prompts, other texts
inline constexpr std::size_t max_scale_label_length = 80; // each point of a custom scale
inline constexpr std::size_t max_consent_length = 10'000; // the consent text
inline constexpr std::size_t max_info_url_length = 2000;  // consent.info_url
inline constexpr std::size_t max_slug_length = 32;        // ids of groups and columns
inline constexpr std::size_t max_short_text_length = 200; // option and item labels, card
                                                          // titles, comment prompts
inline constexpr std::size_t max_card_body_length = 2000; // a card's body
inline constexpr std::size_t max_alt_length = 500;        // a card image's alternative text
inline constexpr std::int64_t max_group_target = 1'000'000;

// Parses and checks a workshop file. Texts in languages not listed are errors; texts missing
// in a listed language other than the first fall back to the first language's text (the labels
// of a standard scale come from the glossary in every language that has them).
std::variant<workshop_spec, workshop_file_error> parse_workshop_file(std::string_view json);

// The text in `lang`, or in the first language when it has none there.
std::string const& text_in(text_map const& t, std::string_view lang,
                           std::vector<std::string> const& languages);

} // namespace cylch::protocol
