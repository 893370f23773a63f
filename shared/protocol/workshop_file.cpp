#include "shared/protocol/workshop_file.hpp"

#include "shared/protocol/json_reader.hpp"
#include "shared/protocol/scales.hpp"
#include "shared/protocol/times.hpp"
#include "shared/stats/small_cells.hpp"

#include <algorithm>

namespace cylch::protocol {
namespace {

using detail::object_reader;
using detail::read_error;

// "a_" and then letters, digits, '_' or '-' (ids the server gave: auth::new_id("a")).
bool is_activity_id(std::string_view id) {
    return id.size() > 2 && id.starts_with("a_") &&
           std::all_of(id.begin() + 2, id.end(), [](char c) {
               return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                      c == '_' || c == '-';
           });
}

bool valid_group_id(std::string_view id) {
    if (id.empty() || id.size() > max_slug_length) {
        return false;
    }
    return std::all_of(id.begin(), id.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    });
}

// Option and item ids: 1..64 of A-Z, a-z, 0-9, '_' and '-'.
bool valid_option_id(std::string_view id) {
    if (id.empty() || id.size() > max_id_length) {
        return false;
    }
    return std::all_of(id.begin(), id.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               c == '_' || c == '-';
    });
}

// The array at `key`, or nullptr when it is absent; an error naming the field when it is not an
// array or has more than `max` items (counted before any item is read). `items` names them.
nlohmann::json const* opt_list(object_reader& r, std::string_view key, std::size_t max,
                               std::string_view items) {
    auto const* v = r.opt_value(key);
    if (v == nullptr) {
        return nullptr;
    }
    if (!v->is_array()) {
        throw read_error{r.path_of(key),
                         "expected an array, got " + std::string(detail::type_phrase(*v))};
    }
    if (v->size() > max) {
        throw read_error{r.path_of(key), "at most " + std::to_string(max) + " " +
                                             std::string(items) + " (this file has " +
                                             std::to_string(v->size()) + ")"};
    }
    return v;
}

bool valid_lang(std::string_view s) {
    return s.size() >= 2 && s.size() <= 8 && std::all_of(s.begin(), s.end(), [](char c) {
               return (c >= 'a' && c <= 'z') || c == '-';
           });
}

struct parser {
    std::vector<std::string> languages;

    // A text object: {"en": "…", "cy": "…"}; the first language is required, others optional.
    // Each text has at most max_len code points.
    text_map text(nlohmann::json const& v, std::string const& path,
                  std::size_t max_len = max_statement_length) {
        object_reader r(v, path);
        text_map out;
        for (auto const& lang : languages) {
            auto s = lang == languages.front() ? std::optional(r.string(lang, 1, max_len))
                                               : r.opt_string(lang, 1, max_len);
            if (s) {
                out.emplace(lang, std::move(*s));
            }
        }
        r.finish(); // a language that is not listed is an unknown key
        return out;
    }

    std::vector<std::string> parse_languages(object_reader& r) {
        auto const* list = opt_list(r, "languages", max_languages, "languages");
        if (list == nullptr) {
            return {"en"};
        }
        auto const& v = *list;
        auto path = r.path_of("languages");
        if (v.empty()) {
            throw read_error{path, "expected a non-empty array of language codes"};
        }
        std::vector<std::string> out;
        for (std::size_t i = 0; i < v.size(); ++i) {
            auto p = path + "[" + std::to_string(i) + "]";
            auto s = detail::check_string(v[i], p, 2, 8);
            if (!valid_lang(s)) {
                throw read_error{p, "must be a language code such as \"en\" or \"cy\""};
            }
            if (std::find(out.begin(), out.end(), s) != out.end()) {
                throw read_error{p, "is listed twice"};
            }
            out.push_back(s);
        }
        return out;
    }

    std::vector<group_spec> parse_groups(object_reader& r) {
        std::vector<group_spec> out;
        auto const* v = opt_list(r, "groups", max_groups, "groups");
        if (v == nullptr) {
            return out;
        }
        auto path = r.path_of("groups");
        for (std::size_t i = 0; i < v->size(); ++i) {
            object_reader g((*v)[i], path + "[" + std::to_string(i) + "]");
            g.only_keys({"id", "label", "target"});
            group_spec spec;
            spec.id = g.string("id", 1, max_slug_length);
            if (!valid_group_id(spec.id)) {
                throw read_error{g.path_of("id"), "use 1 to 32 of a-z, 0-9, '_' and '-'"};
            }
            for (auto const& other : out) {
                if (other.id == spec.id) {
                    throw read_error{g.path_of("id"), "\"" + spec.id + "\" is used twice"};
                }
            }
            spec.label = text(g.value("label"), g.path_of("label"), max_label_length);
            if (auto t = g.opt_integer("target", 0, max_group_target)) {
                spec.target = static_cast<int>(*t);
            }
            g.finish();
            out.push_back(std::move(spec));
        }
        return out;
    }

    consent_spec parse_consent(object_reader& r) {
        consent_spec out;
        auto const* v = r.opt_value("consent");
        if (v == nullptr) {
            return out;
        }
        object_reader c(*v, r.path_of("consent"));
        c.only_keys({"required", "text", "info_url"});
        out.required = c.boolean("required");
        if (c.has("text")) {
            out.text = text(c.value("text"), c.path_of("text"), max_consent_length);
        } else {
            c.opt_value("text");
            if (out.required) {
                throw read_error{c.path_of("text"), "is required when consent is required"};
            }
        }
        if (auto url = c.opt_string("info_url", 1, max_info_url_length)) {
            if (url->rfind("https://", 0) != 0 && url->rfind("http://", 0) != 0) {
                throw read_error{c.path_of("info_url"), "must start with https:// or http://"};
            }
            out.info_url = *url;
        }
        c.finish();
        return out;
    }

    void parse_scale(object_reader& a, likert_spec& spec) {
        auto path = a.path_of("scale");
        auto const* v = a.opt_value("scale");
        auto standard = [&](int points) {
            spec.points = points;
            for (auto const& lang : languages) {
                auto labels = standard_scale_labels(points, lang);
                if (!labels) {
                    labels = standard_scale_labels(points, "en");
                }
                spec.labels.emplace(lang, std::move(*labels));
            }
        };
        if (v == nullptr) {
            standard(5);
            return;
        }
        if (v->is_number_integer()) {
            auto points = v->get<std::int64_t>();
            if (points != 5 && points != 7) {
                throw read_error{path, "a standard scale has 5 or 7 points"};
            }
            standard(static_cast<int>(points));
            return;
        }
        if (!v->is_object()) {
            throw read_error{path, "must be 5 or 7, or an object with points and labels"};
        }
        object_reader s(*v, path);
        spec.points = static_cast<int>(s.integer("points", 2, 11));
        auto const* labels = s.opt_value("labels");
        if (labels == nullptr) {
            if (spec.points != 5 && spec.points != 7) {
                throw read_error{s.path_of("labels"),
                                 "are required for a scale other than 5 or 7 points"};
            }
            standard(spec.points);
        } else {
            object_reader l(*labels, s.path_of("labels"));
            for (auto const& lang : languages) {
                auto const* list = l.opt_value(lang);
                auto lpath = l.path_of(lang);
                if (list == nullptr) {
                    if (lang == languages.front()) {
                        throw read_error{lpath, "is required"};
                    }
                    continue;
                }
                if (!list->is_array() || list->size() != static_cast<std::size_t>(spec.points)) {
                    throw read_error{lpath, "must be an array of " + std::to_string(spec.points) +
                                                " labels, one for every point"};
                }
                std::vector<std::string> out;
                for (std::size_t i = 0; i < list->size(); ++i) {
                    out.push_back(detail::check_string((*list)[i],
                                                       lpath + "[" + std::to_string(i) + "]", 1,
                                                       max_scale_label_length));
                }
                spec.labels.emplace(lang, std::move(out));
            }
            l.finish();
            for (auto const& lang : languages) {
                if (!spec.labels.contains(lang)) {
                    spec.labels.emplace(lang, spec.labels.at(languages.front()));
                }
            }
        }
        s.finish();
    }

    activity_spec parse_activity(nlohmann::json const& v, std::string const& path) {
        object_reader a(v, path);
        auto const kind = activity_kind_from_string(a.string("kind", 1, 32));
        if (!kind) {
            throw read_error{a.path_of("kind"),
                             "must be \"likert\", \"board\", \"choice\", \"ranking\" or "
                             "\"open_text\""};
        }
        auto id = a.opt_string("id", 3, max_id_length);
        if (id && !is_activity_id(*id)) {
            throw read_error{a.path_of("id"), "must be an activity's id (a_…)"};
        }
        auto spec = [&] {
            switch (*kind) {
            case activity_kind::likert:
                return parse_likert(a);
            case activity_kind::board:
                return parse_board(a);
            case activity_kind::choice:
                return parse_choice(a);
            case activity_kind::ranking:
                return parse_ranking(a);
            case activity_kind::open_text:
                return parse_open_text(a);
            }
            throw read_error{a.path_of("kind"), "is not a kind this server knows"};
        }();
        spec.id = std::move(id);
        return spec;
    }

    activity_spec parse_likert(object_reader& a) {
        a.only_keys({"id", "kind", "statement", "scale", "results", "comment", "card"});
        likert_spec spec;
        spec.statement = text(a.value("statement"), a.path_of("statement"), max_statement_length);
        parse_scale(a, spec);
        spec.results = parse_results(a);
        spec.comment = parse_comment(a);
        spec.card = parse_card(a);
        a.finish();
        return activity_spec{std::move(spec)};
    }

    results_visibility parse_results(object_reader& a) {
        auto r = a.opt_string("results", 1, 32);
        if (!r) {
            return results_visibility::live;
        }
        auto vis = results_visibility_from_string(*r);
        if (!vis) {
            throw read_error{a.path_of("results"), "must be live, on_reveal or hidden"};
        }
        return *vis;
    }

    std::optional<comment_spec> parse_comment(object_reader& a) {
        auto const* v = a.opt_value("comment");
        if (v == nullptr) {
            return std::nullopt;
        }
        object_reader c(*v, a.path_of("comment"));
        c.only_keys({"prompt"});
        comment_spec out{text(c.value("prompt"), c.path_of("prompt"), max_short_text_length)};
        c.finish();
        return out;
    }

    std::optional<card_spec> parse_card(object_reader& a) {
        auto const* v = a.opt_value("card");
        if (v == nullptr) {
            return std::nullopt;
        }
        object_reader c(*v, a.path_of("card"));
        c.only_keys({"title", "body", "image", "alt"});
        card_spec out;
        out.title = text(c.value("title"), c.path_of("title"), max_short_text_length);
        if (c.has("body")) {
            out.body = text(c.value("body"), c.path_of("body"), max_card_body_length);
        }
        if (auto image = c.opt_string("image", 5, max_id_length)) {
            if (image->rfind("img_", 0) != 0 || !valid_option_id(*image)) {
                throw read_error{c.path_of("image"), "must be an uploaded image's id (img_…)"};
            }
            out.image = std::move(image);
            if (!c.has("alt")) {
                throw read_error{c.path_of("alt"), "is required with an image (what it shows, "
                                                   "for people who cannot see it)"};
            }
        }
        if (c.has("alt")) {
            if (!out.image) {
                throw read_error{c.path_of("alt"), "is for an image; this card has none"};
            }
            out.alt = text(c.value("alt"), c.path_of("alt"), max_alt_length);
        }
        c.finish();
        return out;
    }

    // The options of a choice or the items of a ranking: min..max entries with unique ids.
    std::vector<option_spec> parse_options(object_reader& a, std::string_view key, std::size_t min,
                                           std::size_t max) {
        auto const& list = a.value(key);
        auto const path = a.path_of(key);
        if (!list.is_array()) {
            throw read_error{path,
                             "expected an array, got " + std::string(detail::type_phrase(list))};
        }
        if (list.size() < min || list.size() > max) {
            throw read_error{path, "must have " + std::to_string(min) + " to " +
                                       std::to_string(max) + " entries"};
        }
        std::vector<option_spec> out;
        for (std::size_t i = 0; i < list.size(); ++i) {
            object_reader o(list[i], path + "[" + std::to_string(i) + "]");
            o.only_keys({"id", "label"});
            option_spec opt;
            opt.id = o.string("id", 1, max_id_length);
            if (!valid_option_id(opt.id)) {
                throw read_error{o.path_of("id"), "use 1 to 64 of A-Z, a-z, 0-9, '_' and '-'"};
            }
            for (auto const& other : out) {
                if (other.id == opt.id) {
                    throw read_error{o.path_of("id"), "\"" + opt.id + "\" is used twice"};
                }
            }
            opt.label = text(o.value("label"), o.path_of("label"), max_short_text_length);
            o.finish();
            out.push_back(std::move(opt));
        }
        return out;
    }

    activity_spec parse_choice(object_reader& a) {
        a.only_keys({"id", "kind", "question", "options", "max", "results", "comment", "card"});
        choice_spec spec;
        spec.question = text(a.value("question"), a.path_of("question"), max_statement_length);
        spec.options = parse_options(a, "options", min_choice_options, max_choice_options);
        spec.max = static_cast<int>(
            a.opt_integer("max", 1, static_cast<std::int64_t>(spec.options.size())).value_or(1));
        spec.results = parse_results(a);
        spec.comment = parse_comment(a);
        spec.card = parse_card(a);
        a.finish();
        return activity_spec{std::move(spec)};
    }

    activity_spec parse_ranking(object_reader& a) {
        a.only_keys({"id", "kind", "question", "items", "results", "card"});
        ranking_spec spec;
        spec.question = text(a.value("question"), a.path_of("question"), max_statement_length);
        spec.items = parse_options(a, "items", min_ranking_items, max_ranking_items);
        spec.results = parse_results(a);
        spec.card = parse_card(a);
        a.finish();
        return activity_spec{std::move(spec)};
    }

    activity_spec parse_open_text(object_reader& a) {
        a.only_keys({"id", "kind", "question", "max_length", "card"});
        open_text_spec spec;
        spec.question = text(a.value("question"), a.path_of("question"), max_statement_length);
        auto const longest = static_cast<std::int64_t>(max_open_text_length);
        spec.max_length =
            static_cast<int>(a.opt_integer("max_length", 1, longest).value_or(longest));
        spec.card = parse_card(a);
        a.finish();
        return activity_spec{std::move(spec)};
    }

    activity_spec parse_board(object_reader& a) {
        a.only_keys({"id", "kind", "prompt", "columns", "dots_per_person", "dots_per_note",
                     "dot_totals", "hidden_until_reveal"});
        board_spec b;
        b.prompt = text(a.value("prompt"), a.path_of("prompt"), max_statement_length);
        if (auto const* cols = opt_list(a, "columns", max_board_columns, "columns")) {
            auto const path = a.path_of("columns");
            for (std::size_t i = 0; i < cols->size(); ++i) {
                object_reader c((*cols)[i], path + "[" + std::to_string(i) + "]");
                c.only_keys({"id", "title"});
                column_spec col;
                col.id = c.string("id", 1, max_slug_length);
                if (!valid_group_id(col.id)) {
                    throw read_error{c.path_of("id"), "must be 1 to 32 of a-z, 0-9, _ and -"};
                }
                for (auto const& other : b.columns) {
                    if (other.id == col.id) {
                        throw read_error{c.path_of("id"), "\"" + col.id + "\" is used twice"};
                    }
                }
                col.title = text(c.value("title"), c.path_of("title"), max_label_length);
                c.finish();
                b.columns.push_back(std::move(col));
            }
        }
        b.dots_per_person =
            static_cast<int>(a.opt_integer("dots_per_person", 0, max_dots_per_person).value_or(0));
        if (auto per_note = a.opt_integer("dots_per_note", 1, max_dots_per_person)) {
            if (*per_note > b.dots_per_person) {
                throw read_error{a.path_of("dots_per_note"),
                                 "cannot be more than dots_per_person (" +
                                     std::to_string(b.dots_per_person) + ")"};
            }
            b.dots_per_note = static_cast<int>(*per_note);
        }
        if (auto totals = a.opt_string("dot_totals", 1, 32)) {
            if (*totals != "live" && *totals != "on_reveal") {
                throw read_error{a.path_of("dot_totals"), "must be live or on_reveal"};
            }
            b.dot_totals =
                *totals == "live" ? results_visibility::live : results_visibility::on_reveal;
        }
        b.hidden_until_reveal = a.opt_boolean("hidden_until_reveal").value_or(false);
        a.finish();
        return activity_spec{std::move(b)};
    }

    // "mode", "opens_at", "closes_at" (docs/protocol.md, "Self-paced workshops").
    static void parse_mode(object_reader& r, workshop_spec& spec) {
        if (auto mode = r.opt_string("mode", 1, 32)) {
            auto m = workshop_mode_from_string(*mode);
            if (!m) {
                throw read_error{r.path_of("mode"), "must be live or self_paced"};
            }
            spec.mode = *m;
        }
        auto date = [&](std::string_view key) -> std::optional<std::int64_t> {
            auto text = r.opt_string(key, 1, 64);
            if (!text) {
                return std::nullopt;
            }
            if (spec.mode != workshop_mode::self_paced) {
                throw read_error{r.path_of(key), "only a self-paced workshop has dates"};
            }
            auto t = parse_rfc3339(*text);
            if (!t) {
                throw read_error{r.path_of(key),
                                 "must be a date and time with its time zone, such as "
                                 "2026-12-01T09:00:00Z"};
            }
            return t;
        };
        spec.opens_at = date("opens_at");
        spec.closes_at = date("closes_at");
        if (spec.mode != workshop_mode::self_paced) {
            return;
        }
        for (auto key : {"opens_at", "closes_at"}) {
            if (!(std::string_view(key) == "opens_at" ? spec.opens_at : spec.closes_at)) {
                throw read_error{r.path_of(key), "a self-paced workshop needs it"};
            }
        }
        if (*spec.closes_at <= *spec.opens_at) {
            throw read_error{r.path_of("closes_at"), "must be after opens_at"};
        }
        for (std::size_t i = 0; i < spec.activities.size(); ++i) {
            if (spec.activities[i].kind() == activity_kind::board) {
                throw read_error{"$.activities[" + std::to_string(i) + "].kind",
                                 "a board needs a live workshop"};
            }
        }
    }

    workshop_spec parse(nlohmann::json const& doc) {
        object_reader r(doc, "$");
        r.only_keys({"title", "languages", "groups", "consent", "activities", "min_cell",
                     "retention_days", "keep_aggregates", "programme", "mode", "opens_at",
                     "closes_at"});
        workshop_spec spec;
        languages = parse_languages(r);
        spec.languages = languages;
        spec.title = text(r.value("title"), r.path_of("title"), max_title_length);
        spec.groups = parse_groups(r);
        spec.consent = parse_consent(r);
        spec.min_cell = static_cast<int>(
            r.opt_integer("min_cell", 1, stats::max_min_cell).value_or(stats::default_min_cell));
        if (auto days = r.opt_integer("retention_days", 1, max_retention_days)) {
            spec.retention_days = static_cast<int>(*days);
        }
        spec.keep_aggregates = r.opt_boolean("keep_aggregates").value_or(false);
        spec.programme = r.opt_string("programme", 1, max_programme_length).value_or("");
        auto path = r.path_of("activities");
        auto const* list = opt_list(r, "activities", max_activities, "activities");
        if (list == nullptr) {
            throw read_error{path, "is required"};
        }
        auto const& acts = *list;
        if (acts.empty()) {
            throw read_error{path, "a workshop needs at least one activity"};
        }
        for (std::size_t i = 0; i < acts.size(); ++i) {
            spec.activities.push_back(
                parse_activity(acts[i], path + "[" + std::to_string(i) + "]"));
        }
        parse_mode(r, spec);
        r.finish();
        return spec;
    }
};

} // namespace

std::variant<workshop_spec, workshop_file_error> parse_workshop_file(std::string_view json) {
    if (json.size() > max_workshop_file_bytes) {
        return workshop_file_error{"$", "the file is larger than " +
                                            std::to_string(max_workshop_file_bytes) + " bytes"};
    }
    if (detail::nesting_exceeds(json, 32)) {
        return workshop_file_error{"$", "nested deeper than 32 levels"};
    }
    try {
        auto doc = detail::parse_json(json);
        return parser{}.parse(doc);
    } catch (read_error const& e) {
        return workshop_file_error{e.path, e.message};
    } catch (nlohmann::json::exception const&) {
        return workshop_file_error{"$", "the file could not be read"};
    }
}

std::string const& text_in(text_map const& t, std::string_view lang,
                           std::vector<std::string> const& languages) {
    if (auto it = t.find(lang); it != t.end()) {
        return it->second;
    }
    if (!languages.empty()) {
        if (auto it = t.find(languages.front()); it != t.end()) {
            return it->second;
        }
    }
    static std::string const empty;
    return t.empty() ? empty : t.begin()->second;
}

} // namespace cylch::protocol
