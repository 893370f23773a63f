#include "shared/protocol/codec.hpp"

#include "shared/protocol/api.hpp"

#include "shared/protocol/json_reader.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

namespace cylch::protocol {
namespace {

using detail::object_reader;
using detail::read_error;
using ojson = nlohmann::ordered_json;

template <class Enum, std::size_t N>
std::optional<Enum> lookup(std::array<std::string_view, N> const& names, std::string_view s) {
    for (std::size_t i = 0; i < N; ++i) {
        if (names[i] == s) {
            return static_cast<Enum>(i);
        }
    }
    return std::nullopt;
}

constexpr std::array<std::string_view, 4> role_names{"participant", "kiosk", "facilitator",
                                                     "presenter"};
constexpr std::array<std::string_view, 4> activity_state_names{"pending", "open", "closed",
                                                               "revealed"};
constexpr std::array<std::string_view, 3> results_names{"live", "on_reveal", "hidden"};
constexpr std::array<std::string_view, 2> workshop_state_names{"live", "ended"};
constexpr std::array<std::string_view, 2> channel_names{"web", "kiosk"};
constexpr std::array<std::string_view, 2> kind_names{"likert", "board"};
constexpr std::array<std::string_view, 11> error_names{
    "bad_json", "bad_request",  "unknown_type", "not_allowed", "not_found",   "closed",
    "conflict", "rate_limited", "too_large",    "version",     "server_error"};
constexpr std::array<std::string_view, 4> verb_names{"activity.open", "activity.close",
                                                     "activity.reveal", "activity.goto"};

// ---- decoding ----------------------------------------------------------------------------

std::string read_op(object_reader& r) {
    auto op = r.string("op", 1, 1024);
    if (!valid_op(op)) {
        throw read_error{r.path_of("op"), "must be " + std::to_string(min_op_length) + " to " +
                                              std::to_string(max_op_length) +
                                              " visible ASCII characters"};
    }
    return op;
}

std::string read_id(object_reader& r, std::string_view key) {
    auto id = r.string(key, 1, max_id_length);
    if (!valid_id(id)) {
        throw read_error{r.path_of(key), "is not a valid id"};
    }
    return id;
}

std::optional<std::string> read_lang(object_reader& r) {
    auto lang = r.opt_string("lang", 2, 8);
    if (lang) {
        for (char c : *lang) {
            if (!((c >= 'a' && c <= 'z') || c == '-')) {
                throw read_error{r.path_of("lang"), "must be a language code such as \"en\""};
            }
        }
    }
    return lang;
}

hello decode_hello(object_reader& r) {
    hello h;
    // The version comes first: a client of another version may use other fields.
    auto const& v = r.value("v");
    if (!v.is_number_integer()) {
        throw read_error{r.path_of("v"),
                         "expected an integer, got " + std::string(detail::type_phrase(v))};
    }
    if (v.get<std::int64_t>() != protocol_version) {
        throw decode_failure{error_code::version,
                             "protocol version " + v.dump() +
                                 " is not supported; this server "
                                 "speaks version 1",
                             std::nullopt};
    }
    auto role_name = r.string("role", 1, 32);
    auto role = role_from_string(role_name);
    if (!role) {
        throw read_error{r.path_of("role"), "must be participant, kiosk, facilitator or presenter"};
    }
    h.role = *role;
    h.lang = read_lang(r);
    switch (h.role) {
    case role::participant:
        h.code = r.string("code", 4, 16);
        for (char c : *h.code) {
            if (c < '0' || c > '9') {
                throw read_error{r.path_of("code"), "must be the digits of the join code"};
            }
        }
        if (auto const* t = r.opt_value("token"); t != nullptr && !t->is_null()) {
            h.token = read_id(r, "token");
        }
        break;
    case role::kiosk:
        h.kiosk = read_id(r, "kiosk");
        h.token = read_id(r, "token");
        h.clock = r.opt_integer("clock", 0, std::numeric_limits<std::int64_t>::max());
        break;
    case role::facilitator:
    case role::presenter:
        h.workshop = read_id(r, "workshop");
        h.token = read_id(r, "token");
        break;
    }
    return h;
}

profile decode_profile(object_reader& r) {
    profile p;
    p.op = read_op(r);
    if (auto const* g = r.opt_value("group")) {
        p.set_group = true;
        if (!g->is_null()) {
            p.group = read_id(r, "group");
        }
    }
    p.consent = r.opt_boolean("consent");
    p.lang = read_lang(r);
    if (!p.set_group && !p.consent && !p.lang) {
        throw read_error{r.path(), "a profile needs at least one of group, consent and lang"};
    }
    return p;
}

vote decode_vote(object_reader& r) {
    vote v;
    v.op = read_op(r);
    v.activity = read_id(r, "activity");
    v.value = static_cast<int>(r.integer("value", 1, 11));
    v.pressed_at = r.opt_integer("pressed_at", 0, std::numeric_limits<std::int64_t>::max());
    return v;
}

vote_clear decode_vote_clear(object_reader& r) {
    vote_clear v;
    v.op = read_op(r);
    v.activity = read_id(r, "activity");
    return v;
}

// ---- boards ----

double read_fraction(object_reader& r, std::string_view key) {
    auto const& v = r.value(key);
    if (!v.is_number()) {
        throw read_error{r.path_of(key),
                         "expected a number, got " + std::string(detail::type_phrase(v))};
    }
    double const d = v.get<double>();
    if (!(d >= 0.0 && d <= 1.0)) {
        throw read_error{r.path_of(key), "must be a fraction of the board, 0 to 1"};
    }
    return d;
}

// A note's text: trimmed, 1..max_note_length characters, plain text.
std::string read_note_text(object_reader& r) {
    auto raw = r.string("text", 0, 4 * max_note_length);
    auto const first = raw.find_first_not_of(" \t\r\n");
    auto const last = raw.find_last_not_of(" \t\r\n");
    std::string text = first == std::string::npos ? "" : raw.substr(first, last - first + 1);
    if (text.empty()) {
        throw read_error{r.path_of("text"), "a note needs some text"};
    }
    if (detail::utf8_length(text) > max_note_length) {
        throw read_error{r.path_of("text"),
                         "is longer than " + std::to_string(max_note_length) + " characters"};
    }
    for (std::size_t i = 0; i < text.size(); ++i) {
        auto const c = static_cast<unsigned char>(text[i]);
        if ((c < 0x20 && c != '\n') || c == 0x7F) {
            throw read_error{r.path_of("text"), "control characters are not allowed"};
        }
        if (c == '<' && i + 1 < text.size()) {
            char const n = text[i + 1];
            if ((n >= 'a' && n <= 'z') || (n >= 'A' && n <= 'Z') || n == '/' || n == '!' ||
                n == '?') {
                throw read_error{r.path_of("text"),
                                 "notes are plain text: HTML tags are not allowed"};
            }
        }
    }
    return text;
}

std::string read_colour(object_reader& r) {
    auto colour = r.string("colour", 1, 16);
    if (std::find(note_colours.begin(), note_colours.end(), colour) == note_colours.end()) {
        throw read_error{r.path_of("colour"),
                         "must be one of yellow, pink, blue, green, orange, purple"};
    }
    return colour;
}

// "column": absent, null or a column id.
bool read_column(object_reader& r, std::optional<std::string>& out) {
    auto const* c = r.opt_value("column");
    if (c == nullptr) {
        return false;
    }
    if (!c->is_null()) {
        out = read_id(r, "column");
    }
    return true;
}

note_add decode_note_add(object_reader& r) {
    note_add n;
    n.op = read_op(r);
    n.activity = read_id(r, "activity");
    n.text = read_note_text(r);
    n.colour = read_colour(r);
    read_column(r, n.column);
    n.x = read_fraction(r, "x");
    n.y = read_fraction(r, "y");
    return n;
}

note_move decode_note_move(object_reader& r) {
    note_move m;
    m.op = read_op(r);
    m.note = read_id(r, "note");
    m.set_column = read_column(r, m.column);
    if (r.has("x") || r.has("y")) {
        m.x = read_fraction(r, "x");
        m.y = read_fraction(r, "y");
    }
    if (!m.set_column && !m.x) {
        throw read_error{r.path(), "a move needs a column or a position (x and y)"};
    }
    m.version = r.opt_integer("version", 1, std::numeric_limits<std::int64_t>::max());
    return m;
}

cluster_set decode_cluster_set(object_reader& r) {
    cluster_set c;
    c.op = read_op(r);
    c.activity = read_id(r, "activity");
    auto const& id = r.value("cluster");
    if (!id.is_null()) {
        c.cluster = read_id(r, "cluster");
    }
    if (auto const* label = r.opt_value("label"); label != nullptr && !label->is_null()) {
        object_reader l(*label, r.path_of("label"));
        text_map t;
        for (auto const& [lang, text] : label->items()) {
            t.emplace(lang, detail::check_string(text, l.path_of(lang), 1, 60));
        }
        if (t.empty()) {
            throw read_error{r.path_of("label"), "needs a text in at least one language"};
        }
        c.label = std::move(t);
    }
    if (auto const* notes = r.opt_value("notes")) {
        auto const path = r.path_of("notes");
        if (!notes->is_array()) {
            throw read_error{path, "expected an array of note ids"};
        }
        if (notes->size() > max_cluster_notes) {
            throw read_error{path, "at most " + std::to_string(max_cluster_notes) + " notes"};
        }
        for (std::size_t i = 0; i < notes->size(); ++i) {
            auto n = detail::check_string((*notes)[i], path + "[" + std::to_string(i) + "]", 1,
                                          max_id_length);
            if (!valid_id(n)) {
                throw read_error{path + "[" + std::to_string(i) + "]", "is not a valid id"};
            }
            c.notes.push_back(std::move(n));
        }
    }
    if (!c.cluster && c.notes.empty()) {
        throw read_error{r.path(), "without a cluster, name the notes to take out of clusters"};
    }
    if (c.cluster && !c.label && c.notes.empty()) {
        throw read_error{r.path(), "name a label or notes for the cluster"};
    }
    return c;
}

client_message decode_board(std::string_view type, object_reader& r) {
    if (type == "note.add") {
        return decode_note_add(r);
    }
    if (type == "note.edit") {
        note_edit e;
        e.op = read_op(r);
        e.note = read_id(r, "note");
        e.text = read_note_text(r);
        e.version = r.integer("version", 1, std::numeric_limits<std::int64_t>::max());
        return e;
    }
    if (type == "note.move") {
        return decode_note_move(r);
    }
    if (type == "note.delete") {
        return note_delete{read_op(r), read_id(r, "note")};
    }
    if (type == "dot") {
        dot d;
        d.op = read_op(r);
        d.note = read_id(r, "note");
        d.on = r.boolean("on");
        return d;
    }
    if (type == "note.hide") {
        note_hide h;
        h.op = read_op(r);
        h.note = read_id(r, "note");
        h.hidden = r.opt_boolean("hidden").value_or(true);
        return h;
    }
    if (type == "cluster.set") {
        return decode_cluster_set(r);
    }
    if (type == "cluster.dissolve") {
        cluster_dissolve d;
        d.op = read_op(r);
        d.activity = read_id(r, "activity");
        d.cluster = read_id(r, "cluster");
        return d;
    }
    if (type == "board.lock") {
        board_lock l;
        l.op = read_op(r);
        l.activity = read_id(r, "activity");
        l.locked = r.boolean("locked");
        return l;
    }
    throw decode_failure{error_code::unknown_type,
                         "unknown message type \"" + std::string(type) + "\"", std::nullopt};
}

client_message decode_by_type(std::string_view type, object_reader& r) {
    if (type == "hello") {
        return decode_hello(r);
    }
    if (type == "profile") {
        return decode_profile(r);
    }
    if (type == "vote") {
        return decode_vote(r);
    }
    if (type == "vote.clear") {
        return decode_vote_clear(r);
    }
    if (auto verb = lookup<activity_command::verb>(verb_names, type)) {
        activity_command c;
        c.op = read_op(r);
        c.what = *verb;
        c.activity = read_id(r, "activity");
        return c;
    }
    if (type == "workshop.end") {
        return workshop_end{read_op(r)};
    }
    return decode_board(type, r);
}

// ---- encoding helpers --------------------------------------------------------------------

// Serialises; a string that is not valid UTF-8 (never expected: inputs are checked) has its
// bad bytes replaced rather than failing the whole frame.
std::string to_text(ojson const& j) {
    return j.dump(-1, ' ', false, ojson::error_handler_t::replace);
}

// Rounds to a number of decimals so that the JSON shows e.g. 78.6, not 78.60000000000001.
double round_to(double v, int decimals) {
    double const scale = std::pow(10.0, decimals);
    return std::round(v * scale) / scale;
}

ojson pct(std::optional<double> const& share) {
    if (!share) {
        return nullptr;
    }
    return round_to(*share * 100.0, 1);
}

ojson to_json(text_map const& t) {
    ojson j = ojson::object();
    for (auto const& [lang, text] : t) {
        j[lang] = text;
    }
    return j;
}

ojson to_json(text_map const& t);

ojson to_json(activity_view const& a) {
    if (a.board) {
        auto const& b = *a.board;
        ojson columns = ojson::array();
        for (auto const& c : b.columns) {
            columns.push_back(ojson{{"id", c.id}, {"title", to_json(c.title)}});
        }
        return ojson{{"id", a.id},
                     {"kind", "board"},
                     {"position", a.position},
                     {"state", to_string(a.state)},
                     {"prompt", to_json(b.prompt)},
                     {"columns", std::move(columns)},
                     {"dots_per_person", b.dots_per_person},
                     {"dots_per_note", b.dots_per_note},
                     {"dot_totals", to_string(b.dot_totals)},
                     {"hidden_until_reveal", b.hidden_until_reveal},
                     {"locked", b.locked}};
    }
    ojson labels = ojson::object();
    for (auto const& [lang, list] : a.scale.labels) {
        labels[lang] = list;
    }
    return ojson{{"id", a.id},
                 {"kind", a.kind},
                 {"position", a.position},
                 {"state", to_string(a.state)},
                 {"statement", to_json(a.statement)},
                 {"scale", {{"points", a.scale.points}, {"labels", labels}}},
                 {"results", to_string(a.results)}};
}

ojson to_json(std::optional<activity_view> const& a) {
    return a ? to_json(*a) : ojson(nullptr);
}

ojson to_json(mine_view const& m) {
    ojson j = ojson::object();
    if (m.value) {
        j["value"] = *m.value;
    }
    return j;
}

ojson to_json(workshop_view const& w) {
    ojson groups = ojson::array();
    for (auto const& g : w.groups) {
        ojson gj{{"id", g.id}, {"label", to_json(g.label)}};
        gj["target"] = g.target ? ojson(*g.target) : ojson(nullptr);
        groups.push_back(std::move(gj));
    }
    return ojson{{"id", w.id},
                 {"code", w.code},
                 {"title", to_json(w.title)},
                 {"state", to_string(w.state)},
                 {"languages", w.languages},
                 {"groups", std::move(groups)},
                 {"consent",
                  {{"required", w.consent.required},
                   {"text", to_json(w.consent.text)},
                   {"info_url", w.consent.info_url}}}};
}

ojson median_json(stats::likert_summary const& s) {
    if (!s.median) {
        return nullptr;
    }
    if (s.median->is_split()) {
        return ojson::array({s.median->lower, s.median->upper});
    }
    return s.median->lower;
}

ojson ci_json(stats::likert_summary const& s) {
    if (!s.agree_ci95) {
        return nullptr;
    }
    return ojson::array(
        {round_to(s.agree_ci95->low * 100.0, 1), round_to(s.agree_ci95->high * 100.0, 1)});
}

ojson opt_number(std::optional<double> const& v, int decimals) {
    return v ? ojson(round_to(*v, decimals)) : ojson(nullptr);
}

// The statistics of one set of answers, as in the summary frame.
void put_stats(ojson& j, stats::likert_summary const& s) {
    j["n"] = s.n;
    j["counts"] = s.counts;
    j["median"] = median_json(s);
    j["quartiles"] = s.q1 && s.q3 ? ojson::array({*s.q1, *s.q3}) : ojson(nullptr);
    j["mean"] = opt_number(s.mean, 2);
    j["agree_pct"] = pct(s.agree_share);
    j["disagree_pct"] = pct(s.disagree_share);
    j["net_agreement"] = pct(s.net_agreement);
    j["agree_ci95"] = ci_json(s);
    j["consensus"] = opt_number(s.consensus, 2);
}

} // namespace

// ---- names ---------------------------------------------------------------------------------

std::string_view to_string(role v) {
    return role_names[static_cast<std::size_t>(v)];
}
std::string_view to_string(activity_state v) {
    return activity_state_names[static_cast<std::size_t>(v)];
}
std::string_view to_string(results_visibility v) {
    return results_names[static_cast<std::size_t>(v)];
}
std::string_view to_string(workshop_state v) {
    return workshop_state_names[static_cast<std::size_t>(v)];
}
std::string_view to_string(channel v) {
    return channel_names[static_cast<std::size_t>(v)];
}
std::string_view to_string(error_code v) {
    return error_names[static_cast<std::size_t>(v)];
}
std::string_view to_string(activity_command::verb v) {
    return verb_names[static_cast<std::size_t>(v)];
}

std::optional<role> role_from_string(std::string_view s) {
    return lookup<role>(role_names, s);
}
std::optional<activity_state> activity_state_from_string(std::string_view s) {
    return lookup<activity_state>(activity_state_names, s);
}
std::optional<results_visibility> results_visibility_from_string(std::string_view s) {
    return lookup<results_visibility>(results_names, s);
}
std::optional<workshop_state> workshop_state_from_string(std::string_view s) {
    return lookup<workshop_state>(workshop_state_names, s);
}
std::string_view to_string(activity_kind v) {
    return kind_names[static_cast<std::size_t>(v)];
}
std::optional<activity_kind> activity_kind_from_string(std::string_view s) {
    return lookup<activity_kind>(kind_names, s);
}
std::optional<channel> channel_from_string(std::string_view s) {
    return lookup<channel>(channel_names, s);
}

std::string_view op_of(client_message const& m) {
    return std::visit(
        [](auto const& msg) -> std::string_view {
            if constexpr (requires { msg.op; }) {
                return msg.op;
            } else {
                return {};
            }
        },
        m);
}

std::string_view type_name(client_message const& m) {
    struct namer {
        std::string_view operator()(hello const&) const { return "hello"; }
        std::string_view operator()(profile const&) const { return "profile"; }
        std::string_view operator()(vote const&) const { return "vote"; }
        std::string_view operator()(vote_clear const&) const { return "vote.clear"; }
        std::string_view operator()(activity_command const& c) const { return to_string(c.what); }
        std::string_view operator()(workshop_end const&) const { return "workshop.end"; }
        std::string_view operator()(note_add const&) const { return "note.add"; }
        std::string_view operator()(note_edit const&) const { return "note.edit"; }
        std::string_view operator()(note_move const&) const { return "note.move"; }
        std::string_view operator()(note_delete const&) const { return "note.delete"; }
        std::string_view operator()(dot const&) const { return "dot"; }
        std::string_view operator()(note_hide const&) const { return "note.hide"; }
        std::string_view operator()(cluster_set const&) const { return "cluster.set"; }
        std::string_view operator()(cluster_dissolve const&) const { return "cluster.dissolve"; }
        std::string_view operator()(board_lock const&) const { return "board.lock"; }
    };
    return std::visit(namer{}, m);
}

bool valid_op(std::string_view op) {
    if (op.size() < min_op_length || op.size() > max_op_length) {
        return false;
    }
    for (char c : op) {
        if (c < 0x21 || c > 0x7E) {
            return false;
        }
    }
    return true;
}

bool valid_id(std::string_view id) {
    if (id.empty() || id.size() > max_id_length) {
        return false;
    }
    for (char c : id) {
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == '_' || c == '-';
        if (!ok) {
            return false;
        }
    }
    return true;
}

// ---- decode ----------------------------------------------------------------------------------

decode_result decode_client(std::string_view frame, std::size_t max_frame) {
    if (frame.size() > max_frame) {
        return decode_failure{error_code::too_large,
                              "frame of " + std::to_string(frame.size()) +
                                  " bytes is larger than the limit of " + std::to_string(max_frame),
                              std::nullopt};
    }
    if (detail::nesting_exceeds(frame, max_json_depth)) {
        return decode_failure{
            error_code::bad_request,
            "JSON nested deeper than " + std::to_string(max_json_depth) + " levels", std::nullopt};
    }
    nlohmann::json j;
    try {
        j = detail::parse_json(frame);
    } catch (read_error const& e) {
        return decode_failure{error_code::bad_json, e.message, std::nullopt};
    }
    if (!j.is_object()) {
        return decode_failure{error_code::bad_request,
                              "a frame must be a JSON object, got " +
                                  std::string(detail::type_phrase(j)),
                              std::nullopt};
    }
    // Remember a well-formed op so that even a rejected request can be answered by op.
    std::optional<std::string> op;
    if (auto it = j.find("op");
        it != j.end() && it->is_string() && valid_op(it->get_ref<std::string const&>())) {
        op = it->get<std::string>();
    }
    try {
        object_reader r(j, "$");
        auto type = r.string("type", 1, 64);
        auto message = decode_by_type(type, r);
        r.finish();
        return message;
    } catch (read_error const& e) {
        return decode_failure{error_code::bad_request, e.what(), op};
    } catch (decode_failure& f) {
        f.op = op;
        return std::move(f);
    } catch (nlohmann::json::exception const&) {
        // The readers check every type before reading it, so this is a gap in a reader:
        // still the client's request that is refused, never the process.
        return decode_failure{error_code::bad_request, "the request could not be read", op};
    }
}

// ---- encode ----------------------------------------------------------------------------------

std::string encode(welcome const& w) {
    ojson you{{"id", w.you.id}};
    if (w.you.token) {
        you["token"] = *w.you.token;
    }
    if (w.you.presenter_token) {
        you["presenter_token"] = *w.you.presenter_token;
    }
    you["role"] = to_string(w.you.role);
    you["group"] = w.you.group ? ojson(*w.you.group) : ojson(nullptr);
    you["lang"] = w.you.lang ? ojson(*w.you.lang) : ojson(nullptr);
    you["consent"] = w.you.consent;
    ojson j{{"type", "welcome"},
            {"v", protocol_version},
            {"you", std::move(you)},
            {"workshop", to_json(w.workshop)},
            {"activity", to_json(w.activity)}};
    if (w.mine) {
        j["mine"] = to_json(*w.mine);
    }
    if (w.agenda) {
        ojson agenda = ojson::array();
        for (auto const& a : *w.agenda) {
            agenda.push_back(to_json(a));
        }
        j["agenda"] = std::move(agenda);
    }
    return to_text(j);
}

std::string encode(activity_push const& p) {
    ojson j{{"type", "activity"}, {"activity", to_json(p.activity)}};
    j["current"] = p.current ? ojson(*p.current) : ojson(nullptr);
    if (p.mine) {
        j["mine"] = to_json(*p.mine);
    }
    return to_text(j);
}

std::string encode(workshop_push const& p) {
    return to_text(ojson{{"type", "workshop"}, {"state", to_string(p.state)}});
}

namespace {
ojson summary_json(summary const& s) {
    ojson j{{"type", "summary"}, {"activity", s.activity}, {"kind", "likert"}};
    if (!s.full) {
        j["n"] = s.overall.n;
        return j;
    }
    put_stats(j, s.overall);
    if (!s.breakdowns) {
        return j;
    }
    ojson groups = ojson::object();
    for (auto const& [id, g] : s.by_group) {
        ojson gj = ojson::object();
        put_stats(gj, g);
        groups[id] = std::move(gj);
    }
    j["by_group"] = std::move(groups);
    ojson channels = ojson::object();
    for (auto const& [id, c] : s.by_channel) {
        channels[id] = ojson{{"n", c.n}, {"counts", c.counts}, {"agree_pct", pct(c.agree_share)}};
    }
    j["by_channel"] = std::move(channels);
    return j;
}
} // namespace

std::string encode(summary const& s) {
    return to_text(summary_json(s));
}

std::string encode(presence const& p) {
    ojson groups = ojson::object();
    for (auto const& [id, n] : p.by_group) {
        groups[id] = n;
    }
    return to_text(ojson{{"type", "presence"},
                         {"online", p.online},
                         {"ungrouped", p.ungrouped},
                         {"by_group", std::move(groups)}});
}

std::string encode(ack const& a) {
    ojson j{{"type", "ack"}, {"op", a.op}};
    if (a.note) {
        j["note"] = *a.note;
    }
    return to_text(j);
}

namespace {

ojson opt_text(std::optional<std::string> const& s) {
    return s ? ojson(*s) : ojson(nullptr);
}

ojson to_json(note_view const& n) {
    ojson j{{"id", n.id},
            {"text", n.text},
            {"colour", n.colour},
            {"column", opt_text(n.column)},
            {"x", round_to(n.x, 4)},
            {"y", round_to(n.y, 4)},
            {"version", n.version},
            {"cluster", opt_text(n.cluster)}};
    j["dots"] = n.dots ? ojson(*n.dots) : ojson(nullptr);
    j["my_dots"] = n.my_dots;
    j["mine"] = n.mine;
    if (n.hidden) {
        j["hidden"] = *n.hidden;
    }
    return j;
}

ojson to_json(std::vector<cluster_view> const& clusters) {
    ojson list = ojson::array();
    for (auto const& c : clusters) {
        list.push_back(ojson{{"id", c.id}, {"label", to_json(c.label)}});
    }
    return list;
}

} // namespace

std::string encode(error const& e) {
    ojson j{{"type", "error"}};
    if (e.op) {
        j["op"] = *e.op;
    }
    j["code"] = to_string(e.code);
    j["message"] = e.message;
    if (e.note) {
        j["note"] = to_json(*e.note);
    }
    return to_text(j);
}

std::string encode(board_push const& b) {
    ojson notes = ojson::array();
    for (auto const& n : b.notes) {
        notes.push_back(to_json(n));
    }
    return to_text(ojson{{"type", "board"},
                         {"activity", b.activity},
                         {"locked", b.locked},
                         {"notes", std::move(notes)},
                         {"clusters", to_json(b.clusters)}});
}

std::string encode(note_push const& p) {
    return to_text(ojson{{"type", "note"}, {"activity", p.activity}, {"note", to_json(p.note)}});
}

std::string encode(note_removed const& p) {
    return to_text(ojson{{"type", "note.removed"}, {"activity", p.activity}, {"note", p.note}});
}

// ---- HTTP API ------------------------------------------------------------------------------

std::string encode_api_error(error_code code, std::string const& message) {
    return to_text(ojson{{"error", {{"code", to_string(code)}, {"message", message}}}});
}

std::variant<kiosk_request, workshop_file_error> parse_kiosk_request(std::string_view body,
                                                                     bool name_required) {
    if (body.size() > 4096 || detail::nesting_exceeds(body, 4)) {
        return workshop_file_error{"$", "expected a small JSON object"};
    }
    try {
        auto j = detail::parse_json(body);
        object_reader r(j, "$");
        r.only_keys({"name", "workshop"});
        kiosk_request k;
        k.name =
            name_required ? std::optional(r.string("name", 1, 100)) : r.opt_string("name", 1, 100);
        k.workshop = read_id(r, "workshop");
        r.finish();
        return k;
    } catch (read_error const& e) {
        return workshop_file_error{e.path, e.message};
    } catch (nlohmann::json::exception const&) {
        return workshop_file_error{"$", "the request could not be read"};
    }
}

std::string encode_kiosk_created(std::string const& id, std::string const& token,
                                 std::string const& workshop) {
    return to_text(ojson{{"id", id}, {"token", token}, {"workshop", workshop}});
}

std::string encode_kiosk(std::string const& id, std::string const& name,
                         std::string const& workshop) {
    return to_text(ojson{{"id", id}, {"name", name}, {"workshop", workshop}});
}

std::string encode_health() {
    return to_text(ojson{{"status", "ok"}});
}

std::string encode_created(std::string const& id, std::string const& code,
                           std::string const& facilitator_token,
                           std::string const& presenter_token) {
    return to_text(ojson{{"id", id},
                         {"code", code},
                         {"facilitator_token", facilitator_token},
                         {"presenter_token", presenter_token}});
}

std::string encode_workshop_detail(workshop_view const& w, std::vector<activity_view> const& agenda,
                                   std::optional<std::string> const& current) {
    ojson list = ojson::array();
    for (auto const& a : agenda) {
        list.push_back(to_json(a));
    }
    return to_text(ojson{{"workshop", to_json(w)},
                         {"agenda", std::move(list)},
                         {"current", current ? ojson(*current) : ojson(nullptr)}});
}

std::string encode_results(workshop_view const& w, std::vector<activity_result> const& results) {
    ojson list = ojson::array();
    for (auto const& r : results) {
        if (r.board) {
            ojson notes = ojson::array();
            for (auto const& n : r.board->notes) {
                ojson j = to_json(n.note);
                j.erase("mine");
                j.erase("my_dots");
                j["respondent"] = n.respondent;
                j["group"] = opt_text(n.group);
                j["created_at"] = n.created_at;
                notes.push_back(std::move(j));
            }
            list.push_back(
                ojson{{"activity", to_json(r.activity)},
                      {"board",
                       {{"notes", std::move(notes)}, {"clusters", to_json(r.board->clusters)}}}});
            continue;
        }
        list.push_back(
            ojson{{"activity", to_json(r.activity)}, {"summary", summary_json(r.result)}});
    }
    return to_text(ojson{{"workshop", to_json(w)}, {"activities", std::move(list)}});
}

std::string encode_text_map(text_map const& t) {
    return to_text(to_json(t));
}

std::optional<text_map> decode_text_map(std::string_view json) {
    try {
        auto const j = detail::parse_json(json);
        if (!j.is_object()) {
            return std::nullopt;
        }
        text_map t;
        for (auto const& [lang, text] : j.items()) {
            if (!text.is_string()) {
                return std::nullopt;
            }
            t.emplace(lang, text.get<std::string>());
        }
        return t;
    } catch (detail::read_error const&) {
        return std::nullopt;
    } catch (nlohmann::json::exception const&) {
        return std::nullopt;
    }
}

} // namespace cylch::protocol
