// The JSON bodies of the HTTP API (api.hpp).
#include "shared/protocol/api.hpp"

#include "shared/protocol/json_reader.hpp"
#include "shared/protocol/json_writer.hpp"
#include "shared/protocol/times.hpp"

#include <array>

namespace cylch::protocol {

using detail::object_reader;
using detail::ojson;
using detail::opt_text;
using detail::read_error;
using detail::read_id;
using detail::to_json;
using detail::to_text;

std::string encode_api_error(error_code code, std::string const& message) {
    return to_text(ojson{{"error", {{"code", to_string(code)}, {"message", message}}}});
}

std::string encode_api_error(error_code code, std::string const& message, std::string const& path,
                             std::string_view problem) {
    ojson e{{"code", to_string(code)}, {"message", message}, {"path", path}};
    if (!problem.empty()) {
        e["problem"] = problem;
    }
    return to_text(ojson{{"error", std::move(e)}});
}

std::string encode_file_for_editing(std::string_view definition,
                                    std::vector<std::string> const& activity_ids,
                                    std::vector<std::string> const& answered) {
    auto file = ojson::parse(definition); // stored only after it parsed as a workshop file
    auto& activities = file.at("activities");
    for (std::size_t i = 0; i < activities.size() && i < activity_ids.size(); ++i) {
        activities[i]["id"] = activity_ids[i];
    }
    file["answered"] = answered;
    return to_text(file);
}

std::string encode_edited(std::string const& id, std::vector<std::string> const& activity_ids) {
    return to_text(ojson{{"id", id}, {"activities", activity_ids}});
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

std::string encode_image_created(std::string const& id) {
    return to_text(ojson{{"id", id}});
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

namespace {
ojson results_json(std::vector<activity_result> const& results);
} // namespace

std::string encode_results(workshop_view const& w, std::vector<activity_result> const& results,
                           std::optional<results_timings> const& timings) {
    ojson j{{"workshop", to_json(w)}, {"activities", results_json(results)}};
    if (timings) {
        auto when = [](std::int64_t ms) { return ms != 0 ? ojson(ms) : ojson(nullptr); };
        ojson list = ojson::array();
        for (auto const& t : timings->activities) {
            list.push_back(ojson{{"activity", t.activity},
                                 {"opened_at", when(t.opened_at)},
                                 {"closed_at", when(t.closed_at)},
                                 {"answers", t.answers},
                                 {"first_answer_at", when(t.first_answer_at)},
                                 {"last_answer_at", when(t.last_answer_at)}});
        }
        ojson span = nullptr;
        if (timings->span_ms) {
            span = ojson{{"median", timings->span_ms->median},
                         {"q1", timings->span_ms->q1},
                         {"q3", timings->span_ms->q3}};
        }
        j["timings"] = ojson{{"activities", std::move(list)},
                             {"respondents", {{"n", timings->respondents}, {"span_ms", span}}}};
    }
    return to_text(j);
}

std::string encode_export(std::string const& workshop, std::vector<response_row> const& responses,
                          std::vector<note_row> const& notes) {
    ojson rows = ojson::array();
    for (auto const& r : responses) {
        rows.push_back(ojson{{"workshop", r.workshop},
                             {"activity_position", r.activity_position},
                             {"activity", r.activity},
                             {"statement", r.statement},
                             {"respondent", r.respondent},
                             {"group", r.group},
                             {"channel", r.channel},
                             {"language", r.language},
                             {"value", r.value},
                             {"label", r.label},
                             {"answered_at", format_rfc3339(r.answered_at)},
                             {"comment", r.comment},
                             {"hidden", r.hidden}});
    }
    ojson board_notes = ojson::array();
    for (auto const& n : notes) {
        board_notes.push_back(ojson{{"workshop", n.workshop},
                                    {"activity_position", n.activity_position},
                                    {"activity", n.activity},
                                    {"prompt", n.prompt},
                                    {"note", n.note},
                                    {"respondent", n.respondent},
                                    {"group", n.group},
                                    {"column", n.column},
                                    {"cluster", n.cluster},
                                    {"cluster_label", n.cluster_label},
                                    {"colour", n.colour},
                                    {"text", n.text},
                                    {"dots", n.dots},
                                    {"hidden", n.hidden},
                                    {"x", n.x},
                                    {"y", n.y},
                                    {"created_at", format_rfc3339(n.created_at)}});
    }
    return to_text(ojson{
        {"workshop", workshop}, {"responses", std::move(rows)}, {"notes", std::move(board_notes)}});
}

std::string encode_purge_summary(std::string const& result) {
    return to_text(ojson{{"result", result}});
}

std::optional<std::string> parse_purge_summary(std::string_view body) {
    try {
        auto j = detail::parse_json(body);
        object_reader r(j, "$", detail::strictness::lenient);
        return r.string("result", 0, 4096);
    } catch (read_error const&) {
        return std::nullopt;
    }
}

std::string encode_kept_results(std::vector<activity_result> const& results) {
    return to_text(results_json(results));
}

std::string encode_purged_results(workshop_view const& w, std::int64_t purged_at,
                                  std::string const& purged_date,
                                  std::optional<std::string> const& kept) {
    ojson activities = ojson::array();
    if (kept) {
        // Written by this server; text that does not read as an array counts as none.
        auto parsed = ojson::parse(*kept, nullptr, false);
        if (parsed.is_array()) {
            activities = std::move(parsed);
        }
    }
    bool const any = kept.has_value() && !activities.empty();
    std::string const message =
        "The responses of this workshop were purged on " + purged_date +
        ", at the end of its retention period. " +
        (any ? "Only the results as shared screens showed them were kept (small cells "
               "withheld, no text written by participants)."
             : "No results were kept.");
    return to_text(ojson{{"workshop", to_json(w)},
                         {"purged",
                          {{"at", purged_at},
                           {"date", purged_date},
                           {"aggregates_kept", any},
                           {"message", message}}},
                         {"activities", std::move(activities)}});
}

namespace {
ojson results_json(std::vector<activity_result> const& results) {
    struct result_json {
        ojson& j;
        void operator()(summary const& s) const { j["summary"] = detail::summary_json(s); }
        void operator()(board_result const& b) const {
            ojson notes = ojson::array();
            for (auto const& n : b.notes) {
                ojson nj = to_json(n.note);
                nj.erase("mine");
                nj.erase("my_dots");
                nj["respondent"] = n.respondent;
                nj["group"] = opt_text(n.group);
                nj["created_at"] = n.created_at;
                notes.push_back(std::move(nj));
            }
            j["board"] = ojson{{"notes", std::move(notes)}, {"clusters", to_json(b.clusters)}};
        }
    };
    ojson list = ojson::array();
    for (auto const& r : results) {
        ojson item{{"activity", to_json(r.activity)}};
        std::visit(result_json{item}, r.result);
        list.push_back(std::move(item));
    }
    return list;
}
} // namespace

namespace {
// A small JSON object read by `read` (an object_reader at "$"); what it cannot read becomes a
// workshop_file_error naming the field. Shared by the account request bodies.
template <typename T, typename Read>
std::variant<T, workshop_file_error> read_small_object(std::string_view body, Read read) {
    if (body.size() > 4096 || detail::nesting_exceeds(body, 2)) {
        return workshop_file_error{"$", "expected a small JSON object"};
    }
    try {
        auto j = detail::parse_json(body);
        object_reader r(j, "$");
        std::variant<T, workshop_file_error> out = read(r);
        if (std::holds_alternative<T>(out)) {
            r.finish();
        }
        return out;
    } catch (read_error const& e) {
        return workshop_file_error{e.path, e.message};
    } catch (nlohmann::json::exception const&) {
        return workshop_file_error{"$", "the request could not be read"};
    }
}

// An account name: one line of person-written text (user_text.hpp), so names cannot carry
// bidirectional controls or invisible characters, and the same name is always the same bytes.
std::string read_account_name(object_reader& r, std::string_view key) {
    return detail::read_user_text(r, key, 64, line_breaks::refused);
}
} // namespace

std::variant<login_request, workshop_file_error> parse_login(std::string_view body) {
    return read_small_object<login_request>(
        body, [](object_reader& r) -> std::variant<login_request, workshop_file_error> {
            r.only_keys({"name", "password"});
            login_request l;
            l.name = read_account_name(r, "name");
            l.password = r.string("password", 1, 1024);
            return l;
        });
}

std::variant<user_request, workshop_file_error> parse_user_request(std::string_view body,
                                                                   bool create) {
    return read_small_object<user_request>(
        body, [create](object_reader& r) -> std::variant<user_request, workshop_file_error> {
            user_request u;
            if (create) {
                r.only_keys({"name", "role", "password"});
                u.name = read_account_name(r, "name");
                u.password = r.string("password", 10, 1024);
            } else {
                r.only_keys({"role", "disabled"});
                u.disabled = r.opt_boolean("disabled");
            }
            if (auto role =
                    create ? std::optional(r.string("role", 1, 20)) : r.opt_string("role", 1, 20)) {
                u.role = account_role_from_string(*role);
                if (!u.role) {
                    return workshop_file_error{"$.role", "expected admin, facilitator or reviewer"};
                }
            }
            if (!create && !u.role && !u.disabled) {
                return workshop_file_error{"$", "give a role, disabled or both"};
            }
            return u;
        });
}

std::variant<std::string, workshop_file_error> parse_share_request(std::string_view body) {
    return read_small_object<std::string>(
        body, [](object_reader& r) -> std::variant<std::string, workshop_file_error> {
            r.only_keys({"user"});
            return read_account_name(r, "user");
        });
}

std::string encode_me(std::string const& name, account_role role, std::string const& csrf) {
    return to_text(ojson{{"name", name}, {"role", to_string(role)}, {"csrf", csrf}});
}

namespace {
ojson user_json(user_listing const& u) {
    return ojson{{"id", u.id},
                 {"name", u.name},
                 {"role", to_string(u.role)},
                 {"disabled", u.disabled},
                 {"created_at", u.created_at}};
}
} // namespace

std::string encode_users(std::vector<user_listing> const& users) {
    auto list = ojson::array();
    for (auto const& u : users) {
        list.push_back(user_json(u));
    }
    return to_text(ojson{{"users", std::move(list)}});
}

std::string encode_user(user_listing const& user) {
    return to_text(user_json(user));
}

std::string encode_workshop_list(std::vector<workshop_listing> const& workshops) {
    auto list = ojson::array();
    for (auto const& w : workshops) {
        constexpr std::array<std::string_view, 3> access{"owner", "shared", "all"};
        auto reach = ojson::array();
        for (auto const& g : w.reach) {
            reach.push_back(ojson{{"group", g.group},
                                  {"label", to_json(g.label)},
                                  {"target", g.target ? ojson(*g.target) : ojson(nullptr)},
                                  {"reached", g.reached}});
        }
        auto date = [](std::optional<std::int64_t> t) {
            return t ? ojson(format_rfc3339(*t)) : ojson(nullptr);
        };
        list.push_back(
            ojson{{"id", w.id},
                  {"title", to_json(w.title)},
                  {"languages", w.languages},
                  {"state", to_string(w.state)},
                  {"mode", to_string(w.mode)},
                  {"opens_at", date(w.opens_at)},
                  {"closes_at", date(w.closes_at)},
                  {"created_at", w.created_at},
                  {"participants", w.participants},
                  {"owner", opt_text(w.owner)},
                  {"access", access[static_cast<std::size_t>(w.access)]},
                  {"purged_at", w.purged_at != 0 ? ojson(w.purged_at) : ojson(nullptr)},
                  {"programme", w.programme.empty() ? ojson(nullptr) : ojson(w.programme)},
                  {"archived_at", w.archived_at != 0 ? ojson(w.archived_at) : ojson(nullptr)},
                  {"reach", std::move(reach)}});
    }
    return to_text(ojson{{"workshops", std::move(list)}});
}

std::string encode_comparison(comparison const& c) {
    auto workshops = ojson::array();
    for (auto const& w : c.workshops) {
        workshops.push_back(
            ojson{{"id", w.id},
                  {"title", to_json(w.title)},
                  {"languages", w.languages},
                  {"programme", w.programme.empty() ? ojson(nullptr) : ojson(w.programme)},
                  {"state", to_string(w.state)},
                  {"participants", w.participants}});
    }
    auto statements = ojson::array();
    for (auto const& s : c.statements) {
        auto rows = ojson::array();
        for (auto const& r : s.rows) {
            ojson row{{"workshop", r.workshop}, {"activity", r.activity}};
            detail::put_stats(row, r.summary);
            rows.push_back(std::move(row));
        }
        ojson pooled;
        detail::put_stats(pooled, s.pooled);
        statements.push_back(ojson{{"statement", to_json(s.statement)},
                                   {"points", s.points},
                                   {"rows", std::move(rows)},
                                   {"pooled", std::move(pooled)}});
    }
    auto reach = ojson::array();
    for (auto const& g : c.reach) {
        auto by = ojson::array();
        for (auto const& [workshop, n] : g.by_workshop) {
            by.push_back(ojson{{"workshop", workshop}, {"reached", n}});
        }
        reach.push_back(ojson{{"group", g.group},
                              {"label", to_json(g.label)},
                              {"reached", g.reached},
                              {"target", g.target ? ojson(*g.target) : ojson(nullptr)},
                              {"by_workshop", std::move(by)}});
    }
    return to_text(ojson{{"workshops", std::move(workshops)},
                         {"statements", std::move(statements)},
                         {"reach", std::move(reach)}});
}

std::string encode_audit_page(std::vector<audit_entry> const& entries, std::size_t limit) {
    auto list = ojson::array();
    for (auto const& e : entries) {
        list.push_back(ojson{{"id", e.id},
                             {"at", e.at},
                             {"actor_kind", to_string(e.actor_kind)},
                             {"actor", e.actor},
                             {"action", to_string(e.action)},
                             {"workshop", opt_text(e.workshop)},
                             {"detail", opt_text(e.detail)},
                             {"address", opt_text(e.address)}});
    }
    ojson next = nullptr;
    if (limit > 0 && entries.size() >= limit) {
        next = entries.back().id;
    }
    return to_text(ojson{{"entries", std::move(list)}, {"next_before", std::move(next)}});
}

} // namespace cylch::protocol
