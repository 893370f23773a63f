// Strict decoding of client frames (codec.hpp).
#include "shared/protocol/codec.hpp"

#include "shared/protocol/json_reader.hpp"

#include <algorithm>
#include <limits>

namespace cylch::protocol {
namespace {

using detail::object_reader;
using detail::read_error;
using detail::read_id;

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
        // Absent or null: the connection's staff sign-in (its session cookie) is asked instead.
        if (auto const* t = r.opt_value("token"); t != nullptr && !t->is_null()) {
            h.token = read_id(r, "token");
        }
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

// Text a participant wrote: checked and cleaned by clean_user_text (user_text.hpp), lines
// allowed; 1..max_length code points.
std::string read_text(object_reader& r, std::string_view key, std::size_t max_length) {
    return detail::read_user_text(r, key, max_length, line_breaks::allowed);
}

std::string read_note_text(object_reader& r) {
    return read_text(r, "text", max_note_length);
}

// A list of min..max ids (note, option or item ids).
std::vector<std::string> read_id_list(object_reader& r, std::string_view key, std::size_t min,
                                      std::size_t max, std::string_view what) {
    auto const& list = r.value(key);
    auto const path = r.path_of(key);
    if (!list.is_array()) {
        throw read_error{path, "expected an array of " + std::string(what)};
    }
    if (list.size() < min || list.size() > max) {
        throw read_error{path, "must list " + std::to_string(min) + " to " + std::to_string(max) +
                                   " " + std::string(what)};
    }
    std::vector<std::string> out;
    out.reserve(list.size());
    for (std::size_t i = 0; i < list.size(); ++i) {
        auto const item_path = path + "[" + std::to_string(i) + "]";
        auto id = detail::check_string(list[i], item_path, 1, max_id_length);
        if (!valid_id(id)) {
            throw read_error{item_path, "is not a valid id"};
        }
        out.push_back(std::move(id));
    }
    return out;
}

std::optional<std::string> read_comment(object_reader& r) {
    if (!r.has("comment")) {
        r.opt_value("comment");
        return std::nullopt;
    }
    return read_text(r, "comment", max_comment_length);
}

// A kiosk's pass (docs/protocol.md, "Self-paced workshops"): an id the kiosk chose.
std::optional<std::string> read_pass(object_reader& r) {
    if (!r.has("pass")) {
        return std::nullopt;
    }
    return read_id(r, "pass");
}

vote decode_vote(object_reader& r) {
    vote v;
    v.op = read_op(r);
    v.activity = read_id(r, "activity");
    v.value = static_cast<int>(r.integer("value", 1, 11));
    v.pressed_at = r.opt_integer("pressed_at", 0, std::numeric_limits<std::int64_t>::max());
    v.comment = read_comment(r);
    v.pass = read_pass(r);
    return v;
}

vote_clear decode_vote_clear(object_reader& r) {
    vote_clear v;
    v.op = read_op(r);
    v.activity = read_id(r, "activity");
    return v;
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
            t.emplace(lang, detail::check_user_text(text, l.path_of(lang), max_cluster_label_length,
                                                    line_breaks::refused));
        }
        if (t.empty()) {
            throw read_error{r.path_of("label"), "needs a text in at least one language"};
        }
        c.label = std::move(t);
    }
    if (r.has("notes")) {
        c.notes = read_id_list(r, "notes", 0, max_cluster_notes, "note ids");
    } else {
        r.opt_value("notes");
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

// ---- choice, ranking, open text ----

choose decode_choose(object_reader& r) {
    choose c;
    c.op = read_op(r);
    c.activity = read_id(r, "activity");
    c.options = read_id_list(r, "options", 1, max_choice_options, "option ids");
    c.comment = read_comment(r);
    c.pressed_at = r.opt_integer("pressed_at", 0, std::numeric_limits<std::int64_t>::max());
    c.pass = read_pass(r);
    return c;
}

rank decode_rank(object_reader& r) {
    rank k;
    k.op = read_op(r);
    k.activity = read_id(r, "activity");
    k.order = read_id_list(r, "order", 1, max_ranking_items, "item ids");
    return k;
}

answer decode_answer(object_reader& r) {
    answer a;
    a.op = read_op(r);
    a.activity = read_id(r, "activity");
    a.text = read_text(r, "text", max_open_text_length);
    return a;
}

std::optional<client_message> decode_question(std::string_view type, object_reader& r) {
    if (type == "choose") {
        return decode_choose(r);
    }
    if (type == "rank") {
        return decode_rank(r);
    }
    if (type == "answer") {
        return decode_answer(r);
    }
    if (type == "answer.show") {
        answer_show a;
        a.op = read_op(r);
        a.answer = read_id(r, "answer");
        a.shown = r.opt_boolean("shown").value_or(true);
        return a;
    }
    if (type == "answer.hide") {
        answer_hide a;
        a.op = read_op(r);
        a.answer = read_id(r, "answer");
        a.hidden = r.opt_boolean("hidden").value_or(true);
        return a;
    }
    return std::nullopt;
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
    if (auto verb = activity_command_verb_from_string(type)) {
        activity_command c;
        c.op = read_op(r);
        c.what = *verb;
        c.activity = read_id(r, "activity");
        return c;
    }
    if (type == "workshop.end") {
        return workshop_end{read_op(r)};
    }
    if (type == "withdraw") {
        return withdraw{read_op(r)};
    }
    if (auto m = decode_question(type, r)) {
        return std::move(*m);
    }
    return decode_board(type, r);
}

} // namespace

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

} // namespace cylch::protocol
