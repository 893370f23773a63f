#include "server/export/csv.hpp"

#include <algorithm>
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

std::string results_csv(domain::workshop const& ws) {
    auto const& spec = ws.spec();
    auto const& lang = spec.languages.front();
    // Respondent numbers by order of joining (ties by id), so exports are stable.
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

    std::string out = "workshop,activity_position,activity,statement,respondent,group,channel,"
                      "language,value,label,answered_at\r\n";
    for (auto const& a : ws.activities()) {
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

} // namespace cylch::export_
