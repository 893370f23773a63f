#include "server/export/csv.hpp"

#include <algorithm>
#include <cstdio>
#include <ctime>

namespace cylch::export_ {
namespace {

std::string iso_time(store::time_ms ms) {
    std::time_t secs = ms / 1000;
    std::tm tm{};
    gmtime_r(&secs, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

} // namespace

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

std::unordered_map<std::string, std::size_t> respondent_numbers(domain::workshop const& ws) {
    std::vector<domain::participant const*> people;
    for (auto const& [id, p] : ws.participants()) {
        people.push_back(&p);
    }
    std::sort(people.begin(), people.end(), [](auto const* a, auto const* b) {
        return a->created_at != b->created_at ? a->created_at < b->created_at : a->id < b->id;
    });
    std::unordered_map<std::string, std::size_t> number;
    for (std::size_t i = 0; i < people.size(); ++i) {
        number.emplace(people[i]->id, i + 1);
    }
    return number;
}

std::string results_csv(domain::workshop const& ws) {
    auto const& spec = ws.spec();
    auto const& lang = spec.languages.front();
    auto const number = respondent_numbers(ws);

    std::string out = "workshop,activity_position,activity,statement,respondent,group,channel,"
                      "language,value,label,answered_at\r\n";
    for (auto const& a : ws.activities()) {
        if (a.is_board()) {
            continue; // boards: boards_csv
        }
        std::vector<std::pair<std::size_t, std::string const*>> rows;
        for (auto const& [pid, v] : a.votes) {
            rows.emplace_back(number.at(pid), &pid);
        }
        std::sort(rows.begin(), rows.end());
        auto const& labels = a.spec.labels.at(lang);
        for (auto const& [n, pid] : rows) {
            auto const& p = *ws.find_participant(*pid);
            auto const& v = a.votes.at(*pid);
            out += csv_field(ws.id()) + ',' + std::to_string(a.position + 1) + ',' +
                   csv_field(a.id) + ',' +
                   csv_field(protocol::text_in(a.spec.statement, lang, spec.languages)) + ",r" +
                   std::to_string(n) + ',' + csv_field(p.group.value_or("")) + ',' +
                   std::string(protocol::to_string(p.channel)) + ',' +
                   csv_field(p.lang.value_or(lang)) + ',' + std::to_string(v.value) + ',' +
                   csv_field(labels[static_cast<std::size_t>(v.value - 1)]) + ',' + iso_time(v.at) +
                   "\r\n";
        }
    }
    return out;
}

std::string boards_csv(domain::workshop const& ws) {
    auto const& spec = ws.spec();
    auto const& lang = spec.languages.front();
    auto const number = respondent_numbers(ws);
    std::string out = "workshop,activity_position,activity,prompt,note,respondent,group,column,"
                      "cluster,cluster_label,colour,text,dots,hidden,x,y,created_at\r\n";
    for (auto const& a : ws.activities()) {
        if (!a.is_board()) {
            continue;
        }
        auto const prompt = protocol::text_in(a.spec.board.prompt, lang, spec.languages);
        for (auto const& n : a.board.notes) {
            auto const* author = ws.find_participant(n.author);
            std::string cluster_label;
            for (auto const& c : a.board.clusters) {
                if (n.cluster && c.id == *n.cluster) {
                    cluster_label = protocol::text_in(c.label, lang, spec.languages);
                }
            }
            char xy[64];
            std::snprintf(xy, sizeof xy, "%.4f,%.4f", n.x, n.y);
            out += csv_field(ws.id()) + ',' + std::to_string(a.position + 1) + ',' +
                   csv_field(a.id) + ',' + csv_field(prompt) + ',' + csv_field(n.id) + ",r" +
                   std::to_string(number.count(n.author) ? number.at(n.author) : 0) + ',' +
                   csv_field(author ? author->group.value_or("") : "") + ',' +
                   csv_field(n.column.value_or("")) + ',' + csv_field(n.cluster.value_or("")) +
                   ',' + csv_field(cluster_label) + ',' + n.colour + ',' + csv_field(n.text) + ',' +
                   std::to_string(n.dots) + ',' + (n.hidden ? "true" : "false") + ',' + xy + ',' +
                   iso_time(n.created_at) + "\r\n";
        }
    }
    return out;
}

std::vector<protocol::activity_result> results_of(domain::workshop const& ws) {
    auto const number = respondent_numbers(ws);
    std::vector<protocol::activity_result> results;
    for (auto const& a : ws.activities()) {
        if (!a.is_board()) {
            results.push_back({ws.view_of(a), ws.summary_of(a, true)});
            continue;
        }
        protocol::board_result board;
        for (auto const& n : a.board.notes) {
            auto const* author = ws.find_participant(n.author);
            auto view = ws.note_for(a, n, protocol::role::facilitator, {});
            board.notes.push_back(
                {std::move(*view),
                 "r" + std::to_string(number.count(n.author) ? number.at(n.author) : 0),
                 author ? author->group : std::nullopt, n.created_at});
        }
        for (auto const& c : a.board.clusters) {
            board.clusters.push_back({c.id, c.label});
        }
        results.push_back({ws.view_of(a), {}, std::move(board)});
    }
    return results;
}

} // namespace cylch::export_
