#include "server/export/csv.hpp"

#include <boost/test/unit_test.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace {

namespace tt = boost::test_tools;
namespace domain = cylch::domain;
namespace protocol = cylch::protocol;
namespace store = cylch::store;
using cylch::export_::csv_field;
using cylch::export_::results_csv;
using namespace std::string_literals;
using store::time_ms;
using strings = std::vector<std::string>;

constexpr time_ms t0 = 1'700'000'000'000; // 2023-11-14T22:13:20Z
constexpr time_ms minute = 60'000;

// Statements that need quoting and one that a spreadsheet would run as a formula; a 5-point,
// a 7-point and a custom 3-point scale. No consent step.
constexpr char const* export_file = R"json({
  "title": {"en": "Export"},
  "languages": ["en", "cy"],
  "groups": [
    {"id": "innovator", "label": {"en": "Innovator"}},
    {"id": "enabler", "label": {"en": "Enabler"}}
  ],
  "activities": [
    {"kind": "likert", "statement": {"en": "Personas, \"useful\"\nor not", "cy": "Personas"},
     "scale": 5},
    {"kind": "likert", "statement": {"en": "=HYPERLINK(\"http://example.org\")"}, "scale": 7},
    {"kind": "likert", "statement": {"en": "Plain statement"},
     "scale": {"points": 3, "labels": {"en": ["No", "Maybe", "Yes"]}}}
  ]
})json";

constexpr char const* header = "workshop,activity_position,activity,statement,respondent,group,"
                               "channel,language,value,label,answered_at,comment,hidden\r\n";

// The workshop w_1 (activities a_1..a_3) and helpers that act in it at given times.
struct room {
    room()
        : ws(make(creation)) {}

    static domain::workshop make(store::record& creation) {
        auto parsed = protocol::parse_workshop_file(export_file);
        if (auto const* err = std::get_if<protocol::workshop_file_error>(&parsed)) {
            BOOST_FAIL("the test's workshop file does not parse: " << err->what());
        }
        domain::workshop_identity identity{
            "w_1", "123456", "hash-facilitator", "hash-presenter", {"a_1", "a_2", "a_3"}};
        return domain::workshop(std::move(identity),
                                std::get<protocol::workshop_spec>(std::move(parsed)), export_file,
                                t0, creation);
    }

    store::record creation;
    domain::workshop ws;
    int ops = 0;

    std::string next_op() { return "op-" + std::to_string(++ops); }

    void apply(domain::actor const& who, protocol::client_message const& m, time_ms at) {
        auto e = ws.apply(who, m, at);
        BOOST_TEST_REQUIRE(!e.error.has_value(), protocol::type_name(m) << " was refused");
    }
    domain::actor join(std::string const& id, time_ms at,
                       std::optional<std::string> group = std::nullopt,
                       std::optional<std::string> lang = std::nullopt,
                       protocol::channel channel = protocol::channel::web) {
        auto joined = ws.add_participant(id, "tokenhash-" + id, lang, channel, at);
        BOOST_TEST_REQUIRE(joined.created);
        domain::actor who{protocol::role::participant, id};
        if (group) {
            apply(who, protocol::profile{next_op(), true, group, {}, {}}, at);
        }
        return who;
    }
    void open(std::string const& activity, time_ms at = t0) {
        apply(
            domain::actor{protocol::role::facilitator, "facilitator"},
            protocol::activity_command{next_op(), protocol::activity_command::verb::open, activity},
            at);
    }
    void vote(domain::actor const& who, std::string const& activity, int value, time_ms at) {
        apply(who, protocol::vote{next_op(), activity, value}, at);
    }
    void clear(domain::actor const& who, std::string const& activity, time_ms at) {
        apply(who, protocol::vote_clear{next_op(), activity}, at);
    }
};

// Three people join (the one whose id sorts last joins first) and answer a_1 and a_3.
void answer_a_few(room& r) {
    auto zed = r.join("p_zed", t0 + 1000, "innovator", "cy");
    auto abc = r.join("p_abc", t0 + 2000, std::nullopt, std::nullopt, protocol::channel::kiosk);
    auto mid = r.join("p_mid", t0 + 3000, "enabler", "en");
    r.open("a_1");
    r.vote(abc, "a_1", 2, t0 + 1 * minute);
    r.vote(zed, "a_1", 4, t0 + 2 * minute);
    r.open("a_3");
    r.vote(mid, "a_3", 3, t0 + 3 * minute);
    r.vote(zed, "a_3", 1, t0 + 4 * minute);
}

// The rows and fields of a CSV text: RFC 4180, CRLF at the end of every row, "" for a quote
// inside a quoted field. A line feed outside quotes stays in its field, so that a missing
// quote shows as a row with the wrong fields.
std::vector<strings> parse_csv(std::string_view text) {
    std::vector<strings> rows;
    strings row;
    std::string field;
    bool quoted = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        char const c = text[i];
        if (quoted) {
            if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
                field += '"';
                ++i;
            } else if (c == '"') {
                quoted = false;
            } else {
                field += c;
            }
        } else if (c == '"' && field.empty()) {
            quoted = true;
        } else if (c == ',') {
            row.push_back(std::move(field));
            field.clear();
        } else if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
            row.push_back(std::move(field));
            field.clear();
            rows.push_back(std::move(row));
            row.clear();
            ++i;
        } else {
            field += c;
        }
    }
    BOOST_TEST(!quoted, "a quoted field is not closed");
    BOOST_TEST((row.empty() && field.empty()), "the last row does not end with CRLF");
    return rows;
}

} // namespace

BOOST_AUTO_TEST_SUITE(csv_export)

BOOST_AUTO_TEST_CASE(only_the_header_when_nobody_answered) {
    room r;
    r.join("p_1", t0 + 1000, "innovator");
    r.open("a_1");
    BOOST_TEST(results_csv(r.ws) == header);
}

BOOST_AUTO_TEST_CASE(one_row_per_vote_in_agenda_and_respondent_order) {
    room r;
    answer_a_few(r);
    // Respondents are numbered by joining: p_zed r1, p_abc r2, p_mid r3. Labels come in the
    // first language (en) whatever the respondent's language; no group is an empty field.
    std::string const expected =
        std::string(header) +
        "w_1,1,a_1,\"Personas, \"\"useful\"\"\nor not\",r1,innovator,web,cy,4,Agree,"
        "2023-11-14T22:15:20Z,,\r\n"
        "w_1,1,a_1,\"Personas, \"\"useful\"\"\nor not\",r2,,kiosk,en,2,Disagree,"
        "2023-11-14T22:14:20Z,,\r\n"
        "w_1,3,a_3,Plain statement,r1,innovator,web,cy,1,No,2023-11-14T22:17:20Z,,\r\n"
        "w_1,3,a_3,Plain statement,r3,enabler,web,en,3,Yes,2023-11-14T22:16:20Z,,\r\n";
    BOOST_TEST(results_csv(r.ws) == expected);
}

BOOST_AUTO_TEST_CASE(respondent_numbers_follow_joining_and_stay_the_same_across_activities) {
    room r;
    // p_b and p_a join in the same millisecond: the tie goes by id. p_0 joins last.
    auto b = r.join("p_b", t0 + 5000);
    auto a = r.join("p_a", t0 + 5000);
    auto zero = r.join("p_0", t0 + 9000);
    r.open("a_1");
    r.open("a_3");
    for (auto const& who : {zero, b, a}) {
        r.vote(who, "a_3", 2, t0 + minute);
        r.vote(who, "a_1", 5, t0 + minute);
    }
    auto const rows = parse_csv(results_csv(r.ws));
    BOOST_TEST_REQUIRE(rows.size() == 7u);
    strings activity_and_respondent;
    for (std::size_t i = 1; i < rows.size(); ++i) {
        activity_and_respondent.push_back(rows[i].at(2) + " " + rows[i].at(4));
    }
    BOOST_TEST(activity_and_respondent ==
                   (strings{"a_1 r1", "a_1 r2", "a_1 r3", "a_3 r1", "a_3 r2", "a_3 r3"}),
               tt::per_element());
}

BOOST_AUTO_TEST_CASE(no_participant_ids_or_tokens_in_the_export) {
    room r;
    answer_a_few(r);
    auto const csv = results_csv(r.ws);
    for (auto const* secret : {"p_zed", "p_abc", "p_mid", "tokenhash", "hash-", "p_"}) {
        BOOST_TEST(csv.find(secret) == std::string::npos, secret);
    }
    auto const rows = parse_csv(csv);
    BOOST_TEST_REQUIRE(rows.size() == 5u);
    for (std::size_t i = 1; i < rows.size(); ++i) {
        auto const& respondent = rows[i].at(4);
        BOOST_TEST((respondent == "r1" || respondent == "r2" || respondent == "r3"), respondent);
    }
}

BOOST_AUTO_TEST_CASE(statements_with_commas_quotes_and_newlines_survive_quoting) {
    room r;
    answer_a_few(r);
    auto const csv = results_csv(r.ws);
    BOOST_TEST(csv.find("\"Personas, \"\"useful\"\"\nor not\"") != std::string::npos);
    auto const rows = parse_csv(csv);
    BOOST_TEST_REQUIRE(rows.size() == 5u);
    for (auto const& row : rows) {
        BOOST_TEST(row.size() == 13u); // a stray comma or line break would change this
    }
    BOOST_TEST(rows[0].at(3) == "statement");
    BOOST_TEST(rows[1].at(3) == "Personas, \"useful\"\nor not");
    BOOST_TEST(rows[3].at(3) == "Plain statement");
}

BOOST_AUTO_TEST_CASE(a_statement_that_looks_like_a_formula_gets_an_apostrophe) {
    room r;
    auto who = r.join("p_1", t0 + 1000);
    r.open("a_2");
    r.vote(who, "a_2", 7, t0 + minute);
    auto const csv = results_csv(r.ws);
    BOOST_TEST(csv.find("\"'=HYPERLINK(\"\"http://example.org\"\")\"") != std::string::npos);
    auto const rows = parse_csv(csv);
    BOOST_TEST_REQUIRE(rows.size() == 2u);
    BOOST_TEST(rows[1].at(3) == "'=HYPERLINK(\"http://example.org\")");
    BOOST_TEST(rows[1].at(8) == "7");
    BOOST_TEST(rows[1].at(9) == "Strongly agree"); // the 7-point scale's last label
}

BOOST_AUTO_TEST_CASE(csv_field_guards_against_formulas) {
    BOOST_TEST(csv_field("=SUM(A1:A9)") == "'=SUM(A1:A9)");
    BOOST_TEST(csv_field("+44 29 2000 0000") == "'+44 29 2000 0000");
    BOOST_TEST(csv_field("-1") == "'-1");
    BOOST_TEST(csv_field("@cmd") == "'@cmd");
    // Guarded and quoted: the apostrophe goes inside the quotes.
    BOOST_TEST(csv_field("=1,2") == "\"'=1,2\"");
    BOOST_TEST(csv_field("=\"x\"") == "\"'=\"\"x\"\"\"");
    // Only a leading character counts.
    BOOST_TEST(csv_field("a=b") == "a=b");
    BOOST_TEST(csv_field(" =1") == " =1");
    BOOST_TEST(csv_field("'quoted'") == "'quoted'");
}

BOOST_AUTO_TEST_CASE(csv_field_quotes_only_when_needed) {
    BOOST_TEST(csv_field("") == "");
    BOOST_TEST(csv_field("plain text") == "plain text");
    BOOST_TEST(csv_field("Cytuno'n gryf") == "Cytuno'n gryf");
    BOOST_TEST(csv_field("a,b") == "\"a,b\"");
    BOOST_TEST(csv_field("say \"hi\"") == "\"say \"\"hi\"\"\"");
    BOOST_TEST(csv_field("\"") == "\"\"\"\"");
    BOOST_TEST(csv_field("two\nlines") == "\"two\nlines\"");
    BOOST_TEST(csv_field("two\r\nlines") == "\"two\r\nlines\"");
}

BOOST_AUTO_TEST_CASE(cleared_votes_are_absent) {
    room r;
    auto p1 = r.join("p_1", t0 + 1000);
    auto p2 = r.join("p_2", t0 + 2000);
    r.open("a_1");
    r.vote(p1, "a_1", 1, t0 + minute);
    r.vote(p2, "a_1", 5, t0 + minute);
    r.clear(p1, "a_1", t0 + 2 * minute);
    auto rows = parse_csv(results_csv(r.ws));
    BOOST_TEST_REQUIRE(rows.size() == 2u);
    BOOST_TEST(rows[1].at(4) == "r2");
    BOOST_TEST(rows[1].at(8) == "5");

    // Answering again after clearing brings the row back with the new answer.
    r.vote(p1, "a_1", 3, t0 + 3 * minute);
    rows = parse_csv(results_csv(r.ws));
    BOOST_TEST_REQUIRE(rows.size() == 3u);
    BOOST_TEST(rows[1].at(4) == "r1");
    BOOST_TEST(rows[1].at(8) == "3");
    BOOST_TEST(rows[1].at(9) == "Neither agree nor disagree");
    BOOST_TEST(rows[1].at(10) == "2023-11-14T22:16:20Z");
}

BOOST_AUTO_TEST_CASE(the_audit_csv_quotes_and_defuses_what_people_named) {
    protocol::audit_entry a;
    a.id = 2;
    a.at = t0;
    a.actor_kind = protocol::audit_actor::staff;
    a.actor = "=HYPERLINK(\"x\")";
    a.action = protocol::audit_action::user_added;
    a.detail = "Jones, Ceri facilitator";
    protocol::audit_entry b;
    b.id = 1;
    b.at = t0 - minute;
    b.actor_kind = protocol::audit_actor::staff;
    b.actor = "unknown name";
    b.action = protocol::audit_action::sign_in_failed;
    b.address = "127.0.0.1";
    auto const csv = cylch::export_::audit_csv({a, b});
    BOOST_TEST(csv == "id,at,at_ms,actor_kind,actor,action,workshop,detail,address\r\n"
                      "2,2023-11-14T22:13:20Z,1700000000000,staff,\"'=HYPERLINK(\"\"x\"\")\","
                      "user_added,,\"Jones, Ceri facilitator\",\r\n"
                      "1,2023-11-14T22:12:20Z,1699999940000,staff,unknown name,sign_in_failed,,,"
                      "127.0.0.1\r\n");
}

BOOST_AUTO_TEST_SUITE_END()
