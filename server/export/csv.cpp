#include "server/export/csv.hpp"

#include "shared/protocol/times.hpp"

#include <algorithm>
#include <cstdio>
#include <ctime>

namespace cylch::export_ {
namespace {} // namespace

std::string iso_time(store::time_ms ms) {
    return protocol::format_rfc3339(ms);
}

std::string csv_field(std::string_view text) {
    std::string value(text);
    if (!value.empty() &&
        (value[0] == '=' || value[0] == '+' || value[0] == '-' || value[0] == '@')) {
        value.insert(value.begin(), '\'');
    }
    if (value.find_first_of(",\"\r\n") == std::string::npos) {
        return value;
    }
    std::string out = "\"";
    for (char c : value) {
        if (c == '"') {
            out += '"';
        }
        out += c;
    }
    out += '"';
    return out;
}

namespace {

// One row per answer, for the kinds whose answers are rows of this file.
struct rows_of {
    domain::workshop const& ws;
    domain::activity const& a;
    std::unordered_map<std::string, std::size_t> const& number;
    std::vector<protocol::response_row>& out;
    // For publication: the cells shared screens withhold in this activity; nullopt for staff.
    std::optional<protocol::small_cells> withheld{};
    std::string const& lang = ws.spec().languages.front();

    static bool listed(std::vector<std::string> const& ids, std::string_view id) {
        return std::find(ids.begin(), ids.end(), id) != ids.end();
    }
    std::string group_of(domain::participant const& p) const {
        if (withheld && p.group && listed(withheld->by_group, *p.group)) {
            return "suppressed";
        }
        return p.group.value_or("");
    }
    std::string channel_of(domain::participant const& p) const {
        std::string ch(protocol::to_string(p.channel));
        return withheld && listed(withheld->by_channel, ch) ? "suppressed" : ch;
    }

    std::string text(protocol::text_map const& t) const {
        return protocol::text_in(t, lang, ws.spec().languages);
    }
    // One answer: its value and label as text, in order of respondent number.
    struct row {
        std::string value;
        std::string label;
        store::time_ms at = 0;
        std::optional<std::string> comment;
        bool hidden = false;
    };
    template <class Answers, class Make>
    void rows(protocol::text_map const& question, Answers const& answers, Make make) const {
        std::vector<std::pair<std::size_t, std::string const*>> order;
        for (auto const& [pid, answer] : answers) {
            order.emplace_back(number.at(pid), &pid);
        }
        std::sort(order.begin(), order.end());
        if (withheld && withheld->overall) {
            return; // fewer answers than min_cell: not published
        }
        for (auto const& [n, pid] : order) {
            auto const& p = *ws.find_participant(*pid);
            row r = make(answers.at(*pid));
            if (withheld && r.hidden) {
                continue;
            }
            out.push_back({ws.id(), a.position + 1, a.id, text(question), "r" + std::to_string(n),
                           group_of(p), channel_of(p), p.lang.value_or(lang), std::move(r.value),
                           std::move(r.label), r.at, r.comment.value_or(""), r.hidden});
        }
    }
    // Option or item ids and labels, joined with '|'.
    row listed(std::vector<protocol::option_spec> const& options,
               std::vector<std::size_t> const& indices, store::time_ms at) const {
        row r;
        for (auto i : indices) {
            r.value += (r.value.empty() ? "" : "|") + options[i].id;
            r.label += (r.label.empty() ? "" : "|") + text(options[i].label);
        }
        r.at = at;
        return r;
    }

    void operator()(domain::likert const& l) const {
        auto const& labels = l.spec.labels.at(lang);
        rows(l.spec.statement, l.votes, [&](domain::vote_entry const& v) {
            return row{std::to_string(v.value), labels[static_cast<std::size_t>(v.value - 1)], v.at,
                       v.comment};
        });
    }
    void operator()(domain::board const&) const {} // notes are rows of boards_csv
    void operator()(domain::choice const& c) const {
        rows(c.spec.question, c.answers, [&](domain::choice_entry const& e) {
            auto r = listed(c.spec.options, e.picks, e.at);
            r.comment = e.comment;
            return r;
        });
    }
    void operator()(domain::ranking const& k) const {
        rows(k.spec.question, k.answers,
             [&](domain::ranking_entry const& e) { return listed(k.spec.items, e.order, e.at); });
    }
    void operator()(domain::open_text const& o) const {
        rows(o.spec.question, o.answers, [&](domain::open_text_entry const& e) {
            return row{e.text, {}, e.at, std::nullopt, e.hidden};
        });
    }
};
} // namespace

std::unordered_map<std::string, std::size_t> respondent_numbers(domain::workshop const& ws) {
    auto const people = ws.respondents();
    std::unordered_map<std::string, std::size_t> number;
    for (std::size_t i = 0; i < people.size(); ++i) {
        number.emplace(people[i]->id, i + 1);
    }
    return number;
}

std::vector<protocol::response_row> response_rows(domain::workshop const& ws, audience to) {
    auto const number = respondent_numbers(ws);
    std::vector<protocol::response_row> out;
    for (auto const& a : ws.activities()) {
        std::optional<protocol::small_cells> withheld;
        if (to == audience::publication) {
            if (auto s = ws.summary_of(a, protocol::role::presenter)) {
                withheld = s->small;
            }
        }
        std::visit(rows_of{ws, a, number, out, std::move(withheld)}, a.body);
    }
    return out;
}

std::string results_csv(domain::workshop const& ws, audience to) {
    std::string out = "workshop,activity_position,activity,statement,respondent,group,channel,"
                      "language,value,label,answered_at,comment,hidden\r\n";
    for (auto const& r : response_rows(ws, to)) {
        out += csv_field(r.workshop) + ',' + std::to_string(r.activity_position) + ',' +
               csv_field(r.activity) + ',' + csv_field(r.statement) + ',' + r.respondent + ',' +
               csv_field(r.group) + ',' + r.channel + ',' + csv_field(r.language) + ',' +
               csv_field(r.value) + ',' + csv_field(r.label) + ',' + iso_time(r.answered_at) + ',' +
               csv_field(r.comment) + ',' + (r.hidden ? "1" : "") + "\r\n";
    }
    return out;
}

std::vector<protocol::note_row> note_rows(domain::workshop const& ws, audience to) {
    bool const publication = to == audience::publication;
    auto const& spec = ws.spec();
    auto const& lang = spec.languages.front();
    auto const number = respondent_numbers(ws);
    std::vector<protocol::note_row> out;
    for (auto const& a : ws.activities()) {
        auto const* b = a.as<domain::board>();
        if (b == nullptr) {
            continue; // the notes of boards only; answers are in results_csv
        }
        auto const prompt = protocol::text_in(b->spec.prompt, lang, spec.languages);
        for (auto const& n : b->notes) {
            if (publication && n.hidden) {
                continue; // as on the shared screens
            }
            auto const* author = ws.find_participant(n.author);
            std::string const group =
                publication ? "suppressed" : (author ? author->group.value_or("") : "");
            std::string cluster_label;
            for (auto const& c : b->clusters) {
                if (n.cluster && c.id == *n.cluster) {
                    cluster_label = protocol::text_in(c.label, lang, spec.languages);
                }
            }
            out.push_back({ws.id(), a.position + 1, a.id, prompt, n.id,
                           "r" + std::to_string(number.count(n.author) ? number.at(n.author) : 0),
                           group, n.column.value_or(""), n.cluster.value_or(""), cluster_label,
                           n.colour, n.text, n.dots, n.hidden, n.x, n.y, n.created_at});
        }
    }
    return out;
}

std::string boards_csv(domain::workshop const& ws, audience to) {
    std::string out = "workshop,activity_position,activity,prompt,note,respondent,group,column,"
                      "cluster,cluster_label,colour,text,dots,hidden,x,y,created_at\r\n";
    for (auto const& n : note_rows(ws, to)) {
        char xy[64];
        std::snprintf(xy, sizeof xy, "%.4f,%.4f", n.x, n.y);
        out += csv_field(n.workshop) + ',' + std::to_string(n.activity_position) + ',' +
               csv_field(n.activity) + ',' + csv_field(n.prompt) + ',' + csv_field(n.note) + ',' +
               n.respondent + ',' + csv_field(n.group) + ',' + csv_field(n.column) + ',' +
               csv_field(n.cluster) + ',' + csv_field(n.cluster_label) + ',' + n.colour + ',' +
               csv_field(n.text) + ',' + std::to_string(n.dots) + ',' +
               (n.hidden ? "true" : "false") + ',' + xy + ',' + iso_time(n.created_at) + "\r\n";
    }
    return out;
}

std::vector<protocol::activity_result> results_of(domain::workshop const& ws, audience to) {
    auto const number = respondent_numbers(ws);
    std::vector<protocol::activity_result> results;
    struct result_of {
        domain::workshop const& ws;
        domain::activity const& a;
        std::unordered_map<std::string, std::size_t> const& number;
        audience to;
        protocol::activity_result::kind_result summary() const {
            return *ws.summary_of(a, to == audience::publication ? protocol::role::presenter
                                                                 : protocol::role::facilitator);
        }
        protocol::activity_result::kind_result operator()(domain::likert const&) const {
            return summary();
        }
        protocol::activity_result::kind_result operator()(domain::choice const&) const {
            return summary();
        }
        protocol::activity_result::kind_result operator()(domain::ranking const&) const {
            return summary();
        }
        protocol::activity_result::kind_result operator()(domain::open_text const&) const {
            return summary();
        }
        protocol::activity_result::kind_result operator()(domain::board const& b) const {
            protocol::board_result board;
            bool const publication = to == audience::publication;
            for (auto const& n : b.notes) {
                if (publication && n.hidden) {
                    continue;
                }
                auto const* author = ws.find_participant(n.author);
                auto view = ws.note_for(a, b, n, protocol::role::facilitator, {});
                if (publication) {
                    view->hidden.reset();
                }
                board.notes.push_back(
                    {std::move(*view),
                     "r" + std::to_string(number.count(n.author) ? number.at(n.author) : 0),
                     author && !publication ? author->group : std::nullopt, n.created_at});
            }
            for (auto const& c : b.clusters) {
                board.clusters.push_back({c.id, c.label});
            }
            return board;
        }
    };
    for (auto const& a : ws.activities()) {
        results.push_back({ws.view_of(a), std::visit(result_of{ws, a, number, to}, a.body)});
    }
    return results;
}

std::string audit_csv(std::vector<protocol::audit_entry> const& entries) {
    std::string out = "id,at,at_ms,actor_kind,actor,action,workshop,detail,address\r\n";
    for (auto const& e : entries) {
        out += std::to_string(e.id) + ',' + iso_time(e.at) + ',' + std::to_string(e.at) + ',' +
               std::string(protocol::to_string(e.actor_kind)) + ',' + csv_field(e.actor) + ',' +
               std::string(protocol::to_string(e.action)) + ',' +
               csv_field(e.workshop.value_or("")) + ',' + csv_field(e.detail.value_or("")) + ',' +
               csv_field(e.address.value_or("")) + "\r\n";
    }
    return out;
}

std::vector<protocol::activity_result> kept_results_of(domain::workshop const& ws) {
    auto results = results_of(ws, audience::publication);
    struct strip {
        void operator()(protocol::summary& s) const {
            s.comments.clear();
            if (auto* o = std::get_if<protocol::open_text_results>(&s.body)) {
                o->shown.clear();
                o->answers.clear();
            }
        }
        void operator()(protocol::board_result& b) const { b = {}; }
    };
    for (auto& r : results) {
        std::visit(strip{}, r.result);
    }
    return results;
}

} // namespace cylch::export_
