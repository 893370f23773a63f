#include "shared/protocol/client_codec.hpp"

#include "shared/protocol/json_reader.hpp"

namespace cylch::protocol {
namespace {

using json = nlohmann::json;
using ojson = nlohmann::ordered_json;
using detail::read_error;

std::string to_text(ojson const& j) {
    return j.dump(-1, ' ', false, ojson::error_handler_t::replace);
}

// Lenient field access: absent (or null) fields give nullopt, a present field of another
// type is an error naming its path.
json const* field(json const& obj, std::string const& path, std::string_view key) {
    if (!obj.is_object()) {
        throw read_error{path, "must be an object"};
    }
    auto it = obj.find(key);
    if (it == obj.end() || it->is_null()) {
        return nullptr;
    }
    return &*it;
}

std::optional<std::string> opt_string(json const& obj, std::string const& path,
                                      std::string_view key) {
    json const* v = field(obj, path, key);
    if (!v) {
        return std::nullopt;
    }
    if (!v->is_string()) {
        throw read_error{path + "." + std::string(key), "must be a string"};
    }
    return v->get<std::string>();
}

std::string need_string(json const& obj, std::string const& path, std::string_view key) {
    auto s = opt_string(obj, path, key);
    if (!s) {
        throw read_error{path + "." + std::string(key), "is missing"};
    }
    return *s;
}

std::optional<std::int64_t> opt_int(json const& obj, std::string const& path,
                                    std::string_view key) {
    json const* v = field(obj, path, key);
    if (!v) {
        return std::nullopt;
    }
    if (!v->is_number_integer()) {
        throw read_error{path + "." + std::string(key), "must be an integer"};
    }
    return v->get<std::int64_t>();
}

bool opt_bool(json const& obj, std::string const& path, std::string_view key) {
    json const* v = field(obj, path, key);
    if (!v) {
        return false;
    }
    if (!v->is_boolean()) {
        throw read_error{path + "." + std::string(key), "must be true or false"};
    }
    return v->get<bool>();
}

text_map read_text(json const& obj, std::string const& path, std::string_view key) {
    text_map t;
    json const* v = field(obj, path, key);
    if (!v) {
        return t;
    }
    std::string const here = path + "." + std::string(key);
    if (!v->is_object()) {
        throw read_error{here, "must be an object of texts by language"};
    }
    for (auto const& [lang, text] : v->items()) {
        if (!text.is_string()) {
            throw read_error{here + "." + lang, "must be a string"};
        }
        t.emplace(lang, text.get<std::string>());
    }
    return t;
}

template <class Enum>
Enum read_enum(json const& obj, std::string const& path, std::string_view key,
               std::optional<Enum> (*parse)(std::string_view), Enum fallback) {
    auto s = opt_string(obj, path, key);
    if (!s) {
        return fallback;
    }
    auto v = parse(*s);
    if (!v) {
        throw read_error{path + "." + std::string(key), "has an unknown value \"" + *s + "\""};
    }
    return *v;
}

activity_view read_activity(json const& a, std::string const& path) {
    activity_view v;
    v.id = need_string(a, path, "id");
    v.kind = opt_string(a, path, "kind").value_or("likert");
    v.position = static_cast<int>(opt_int(a, path, "position").value_or(0));
    v.state = read_enum(a, path, "state", &activity_state_from_string, activity_state::pending);
    v.results =
        read_enum(a, path, "results", &results_visibility_from_string, results_visibility::live);
    v.statement = read_text(a, path, "statement");
    if (json const* scale = field(a, path, "scale")) {
        std::string const sp = path + ".scale";
        v.scale.points = static_cast<int>(opt_int(*scale, sp, "points").value_or(0));
        if (v.scale.points < 2 || v.scale.points > 11) {
            throw read_error{sp + ".points", "must be 2 to 11"};
        }
        if (json const* labels = field(*scale, sp, "labels")) {
            if (!labels->is_object()) {
                throw read_error{sp + ".labels", "must be an object"};
            }
            for (auto const& [lang, list] : labels->items()) {
                std::string const lp = sp + ".labels." + lang;
                if (!list.is_array()) {
                    throw read_error{lp, "must be an array"};
                }
                std::vector<std::string> out;
                for (auto const& label : list) {
                    if (!label.is_string()) {
                        throw read_error{lp, "must hold strings"};
                    }
                    out.push_back(label.get<std::string>());
                }
                v.scale.labels.emplace(lang, std::move(out));
            }
        }
    }
    return v;
}

std::optional<activity_view> read_opt_activity(json const& obj, std::string const& path) {
    json const* a = field(obj, path, "activity");
    if (!a) {
        return std::nullopt;
    }
    return read_activity(*a, path + ".activity");
}

std::optional<mine_view> read_mine(json const& obj, std::string const& path) {
    json const* m = field(obj, path, "mine");
    if (!m) {
        return std::nullopt;
    }
    mine_view v;
    auto value = opt_int(*m, path + ".mine", "value");
    if (value) {
        v.value = static_cast<int>(*value);
    }
    return v;
}

welcome read_welcome(json const& j) {
    welcome w;
    json const* you = field(j, "$", "you");
    if (!you) {
        throw read_error{"$.you", "is missing"};
    }
    w.you.id = need_string(*you, "$.you", "id");
    w.you.token = opt_string(*you, "$.you", "token");
    w.you.role = read_enum(*you, "$.you", "role", &role_from_string, role::participant);
    w.you.group = opt_string(*you, "$.you", "group");
    w.you.lang = opt_string(*you, "$.you", "lang");
    w.you.consent = opt_bool(*you, "$.you", "consent");
    json const* ws = field(j, "$", "workshop");
    if (!ws) {
        throw read_error{"$.workshop", "is missing"};
    }
    std::string const wp = "$.workshop";
    w.workshop.id = need_string(*ws, wp, "id");
    w.workshop.code = opt_string(*ws, wp, "code").value_or("");
    w.workshop.title = read_text(*ws, wp, "title");
    w.workshop.state =
        read_enum(*ws, wp, "state", &workshop_state_from_string, workshop_state::live);
    if (json const* langs = field(*ws, wp, "languages")) {
        if (!langs->is_array()) {
            throw read_error{wp + ".languages", "must be an array"};
        }
        for (auto const& l : *langs) {
            if (!l.is_string()) {
                throw read_error{wp + ".languages", "must hold strings"};
            }
            w.workshop.languages.push_back(l.get<std::string>());
        }
    }
    if (json const* consent = field(*ws, wp, "consent")) {
        w.workshop.consent.required = opt_bool(*consent, wp + ".consent", "required");
        w.workshop.consent.text = read_text(*consent, wp + ".consent", "text");
        w.workshop.consent.info_url =
            opt_string(*consent, wp + ".consent", "info_url").value_or("");
    }
    w.activity = read_opt_activity(j, "$");
    w.mine = read_mine(j, "$");
    return w;
}

server_message decode_type(json const& j) {
    auto type = opt_string(j, "$", "type");
    if (!type) {
        throw read_error{"$.type", "is missing"};
    }
    if (*type == "welcome") {
        return read_welcome(j);
    }
    if (*type == "activity") {
        activity_push p;
        p.activity = read_opt_activity(j, "$");
        p.current = opt_string(j, "$", "current");
        p.mine = read_mine(j, "$");
        return p;
    }
    if (*type == "workshop") {
        return workshop_push{
            read_enum(j, "$", "state", &workshop_state_from_string, workshop_state::live)};
    }
    if (*type == "summary") {
        return summary_brief{need_string(j, "$", "activity"),
                             static_cast<int>(opt_int(j, "$", "n").value_or(0))};
    }
    if (*type == "ack") {
        return ack{need_string(j, "$", "op")};
    }
    if (*type == "error") {
        error e;
        e.op = opt_string(j, "$", "op");
        auto code = need_string(j, "$", "code");
        auto parsed = error_code_from_string(code);
        // A code this client does not know is kept as the most general one.
        e.code = parsed.value_or(error_code::bad_request);
        e.message = opt_string(j, "$", "message").value_or(code);
        return e;
    }
    return other_frame{*type};
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

std::optional<error_code> error_code_from_string(std::string_view s) {
    for (int i = 0; i <= static_cast<int>(error_code::server_error); ++i) {
        auto const code = static_cast<error_code>(i);
        if (to_string(code) == s) {
            return code;
        }
    }
    return std::nullopt;
}

} // namespace cylch::protocol
