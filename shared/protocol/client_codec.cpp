#include "shared/protocol/client_codec.hpp"

#include "shared/protocol/json_reader.hpp"
#include "shared/protocol/json_writer.hpp"

namespace cylch::protocol {
namespace {

using detail::object_reader;
using detail::read_error;
using detail::strictness;
using detail::to_text;
using ojson = detail::ojson;

// What a client reads from the server: lenient (keys it does not know are ignored, a null is
// absent), strict about the types of the fields it does read.
constexpr std::size_t any_length = std::size_t(1) << 24;

object_reader lenient(nlohmann::json const& j, std::string path) {
    return object_reader(j, std::move(path), strictness::lenient);
}

std::optional<std::string> opt_string(object_reader& r, std::string_view key) {
    return r.opt_string(key, 0, any_length);
}

text_map read_text(object_reader& r, std::string_view key) {
    text_map t;
    auto texts = r.opt_object(key);
    if (!texts) {
        return t;
    }
    for (auto const& [lang, text] : r.value(key).items()) {
        t.emplace(lang, texts->string(lang, 0, any_length));
    }
    return t;
}

template <class Enum>
Enum read_enum(object_reader& r, std::string_view key,
               std::optional<Enum> (*parse)(std::string_view), Enum fallback) {
    auto s = opt_string(r, key);
    if (!s) {
        return fallback;
    }
    auto v = parse(*s);
    if (!v) {
        throw read_error{r.path_of(key), "has an unknown value \"" + *s + "\""};
    }
    return *v;
}

std::vector<std::string> read_strings(nlohmann::json const& list, std::string const& path) {
    if (!list.is_array()) {
        throw read_error{path, "expected an array, got " + std::string(detail::type_phrase(list))};
    }
    std::vector<std::string> out;
    for (std::size_t i = 0; i < list.size(); ++i) {
        out.push_back(
            detail::check_string(list[i], path + "[" + std::to_string(i) + "]", 0, any_length));
    }
    return out;
}

// A question's card ("card": {title, body, image, alt}); absent when the activity has none.
std::optional<card_view> read_card(object_reader& a) {
    auto c = a.opt_object("card");
    if (!c) {
        return std::nullopt;
    }
    card_view v;
    v.title = read_text(*c, "title");
    v.body = read_text(*c, "body");
    v.image = opt_string(*c, "image");
    v.alt = read_text(*c, "alt");
    return v;
}

likert_view read_likert(object_reader& a) {
    likert_view v;
    v.results = read_enum(a, "results", &results_visibility_from_string, results_visibility::live);
    v.statement = read_text(a, "statement");
    v.extras.card = read_card(a);
    if (auto scale = a.opt_object("scale")) {
        v.scale.points = static_cast<int>(scale->integer("points", 2, 11));
        if (auto labels = scale->opt_object("labels")) {
            for (auto const& [lang, list] : scale->value("labels").items()) {
                v.scale.labels.emplace(lang, read_strings(list, labels->path_of(lang)));
            }
        }
    }
    return v;
}

std::vector<option_view> read_options(object_reader& a, std::string_view key) {
    std::vector<option_view> out;
    auto const& list = a.value(key);
    auto const path = a.path_of(key);
    if (!list.is_array()) {
        throw read_error{path, "expected an array, got " + std::string(detail::type_phrase(list))};
    }
    for (std::size_t i = 0; i < list.size(); ++i) {
        object_reader o(list[i], path + "[" + std::to_string(i) + "]", detail::strictness::lenient);
        option_view v;
        v.id = o.string("id", 1, any_length);
        v.label = read_text(o, "label");
        out.push_back(std::move(v));
    }
    return out;
}

// An activity: what every kind has, then its kind's own fields. A kind this client does not
// know is kept as foreign (shown as one it cannot take), never read as another kind.
activity_view read_activity(object_reader a) {
    activity_view v;
    v.id = a.string("id", 1, any_length);
    v.position = static_cast<int>(a.opt_integer("position", 0, 1'000'000).value_or(0));
    v.state = read_enum(a, "state", &activity_state_from_string, activity_state::pending);
    v.revealed = a.opt_boolean("revealed").value_or(v.state == activity_state::revealed);
    auto const kind_name = a.string("kind", 1, 64);
    auto const kind = activity_kind_from_string(kind_name);
    if (!kind) {
        v.body = foreign_kind_view{kind_name};
        return v;
    }
    switch (*kind) {
    case activity_kind::likert:
        v.body = read_likert(a);
        break;
    case activity_kind::board: {
        board_settings_view b;
        b.prompt = read_text(a, "prompt");
        v.body = std::move(b);
        break;
    }
    case activity_kind::choice: {
        choice_view c;
        c.question = read_text(a, "question");
        c.options = read_options(a, "options");
        c.max = static_cast<int>(a.opt_integer("max", 1, 1'000).value_or(1));
        c.results =
            read_enum(a, "results", &results_visibility_from_string, results_visibility::live);
        c.extras.card = read_card(a);
        v.body = std::move(c);
        break;
    }
    case activity_kind::ranking: {
        ranking_view k;
        k.question = read_text(a, "question");
        k.items = read_options(a, "items");
        v.body = std::move(k);
        break;
    }
    case activity_kind::open_text: {
        open_text_view o;
        o.question = read_text(a, "question");
        v.body = std::move(o);
        break;
    }
    }
    return v;
}

std::optional<activity_view> read_opt_activity(object_reader& r) {
    auto a = r.opt_object("activity");
    if (!a) {
        return std::nullopt;
    }
    return read_activity(std::move(*a));
}

// A list of activities ("activities" of a self-paced welcome or push); nullopt when absent.
std::optional<std::vector<activity_view>> read_activity_list(object_reader& r) {
    auto const* list = r.opt_value("activities");
    if (list == nullptr) {
        return std::nullopt;
    }
    auto const path = r.path_of("activities");
    if (!list->is_array()) {
        throw read_error{path, "expected an array, got " + std::string(detail::type_phrase(*list))};
    }
    std::vector<activity_view> out;
    for (std::size_t i = 0; i < list->size(); ++i) {
        out.push_back(read_activity(lenient((*list)[i], path + "[" + std::to_string(i) + "]")));
    }
    return out;
}

std::optional<mine_view> read_mine(object_reader& r) {
    auto m = r.opt_object("mine");
    if (!m) {
        return std::nullopt;
    }
    mine_view v;
    if (auto value = m->opt_integer("value", 1, 11)) {
        v.value = static_cast<int>(*value);
    }
    if (m->has("options")) {
        v.options = read_strings(m->value("options"), m->path_of("options"));
    }
    return v;
}

welcome read_welcome(object_reader& r) {
    welcome w;
    auto you = r.object("you");
    w.you.id = you.string("id", 1, any_length);
    w.you.token = opt_string(you, "token");
    w.you.role = read_enum(you, "role", &role_from_string, role::participant);
    w.you.group = opt_string(you, "group");
    w.you.lang = opt_string(you, "lang");
    w.you.consent = you.opt_boolean("consent").value_or(false);
    auto ws = r.object("workshop");
    w.workshop.id = ws.string("id", 1, any_length);
    w.workshop.code = opt_string(ws, "code").value_or("");
    w.workshop.title = read_text(ws, "title");
    w.workshop.state = read_enum(ws, "state", &workshop_state_from_string, workshop_state::live);
    if (ws.has("languages")) {
        w.workshop.languages = read_strings(ws.value("languages"), ws.path_of("languages"));
    }
    if (auto consent = ws.opt_object("consent")) {
        w.workshop.consent.required = consent->opt_boolean("required").value_or(false);
        w.workshop.consent.text = read_text(*consent, "text");
        w.workshop.consent.info_url = opt_string(*consent, "info_url").value_or("");
    }
    w.workshop.mode = read_enum(ws, "mode", &workshop_mode_from_string, workshop_mode::live);
    w.activity = read_opt_activity(r);
    w.mine = read_mine(r);
    w.activities = read_activity_list(r);
    return w;
}

server_message decode_type(nlohmann::json const& j) {
    auto r = lenient(j, "$");
    auto const type = r.string("type", 1, 64);
    if (type == "welcome") {
        return read_welcome(r);
    }
    if (type == "activity") {
        activity_push p;
        p.activity = read_opt_activity(r);
        p.current = opt_string(r, "current");
        p.mine = read_mine(r);
        return p;
    }
    if (type == "activities") {
        return activities_push{read_activity_list(r).value_or(std::vector<activity_view>{})};
    }
    if (type == "workshop") {
        return workshop_push{
            read_enum(r, "state", &workshop_state_from_string, workshop_state::live)};
    }
    if (type == "summary") {
        return summary_brief{r.string("activity", 1, any_length),
                             static_cast<int>(r.opt_integer("n", 0, 1'000'000'000).value_or(0))};
    }
    if (type == "ack") {
        return ack{r.string("op", 1, any_length)};
    }
    if (type == "error") {
        error e;
        e.op = opt_string(r, "op");
        auto code = r.string("code", 1, 64);
        // A code this client does not know is kept as the most general one.
        e.code = error_code_from_string(code).value_or(error_code::bad_request);
        e.message = opt_string(r, "message").value_or(code);
        return e;
    }
    return other_frame{type};
}

} // namespace

std::string encode(hello const& h) {
    ojson j{{"type", "hello"}, {"v", h.v}, {"role", to_string(h.role)}};
    auto put = [&j](char const* key, std::optional<std::string> const& v) {
        if (v) {
            j[key] = *v;
        }
    };
    put("code", h.code);
    put("workshop", h.workshop);
    put("kiosk", h.kiosk);
    put("token", h.token);
    put("lang", h.lang);
    if (h.clock) {
        j["clock"] = *h.clock;
    }
    return to_text(j);
}

std::string encode(vote const& v) {
    ojson j{{"type", "vote"}, {"op", v.op}, {"activity", v.activity}, {"value", v.value}};
    if (v.pressed_at) {
        j["pressed_at"] = *v.pressed_at;
    }
    if (v.pass) {
        j["pass"] = *v.pass;
    }
    return to_text(j);
}

std::string encode(choose const& c) {
    ojson j{{"type", "choose"}, {"op", c.op}, {"activity", c.activity}, {"options", c.options}};
    if (c.pressed_at) {
        j["pressed_at"] = *c.pressed_at;
    }
    if (c.pass) {
        j["pass"] = *c.pass;
    }
    return to_text(j);
}

server_message decode_server(std::string_view frame) {
    try {
        if (detail::nesting_exceeds(frame, max_json_depth)) {
            return server_decode_failure{"$: nested too deeply"};
        }
        return decode_type(detail::parse_json(frame));
    } catch (read_error const& e) {
        return server_decode_failure{e.what()};
    } catch (std::exception const& e) {
        return server_decode_failure{std::string("$: ") + e.what()};
    }
}

} // namespace cylch::protocol
