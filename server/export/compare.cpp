#include "server/export/compare.hpp"

#include <algorithm>
#include <map>

namespace cylch::export_ {
namespace {

std::string matching_text(protocol::text_map const& text) {
    auto it = text.find("en");
    auto const& raw = it != text.end() ? it->second : (text.empty() ? "" : text.begin()->second);
    std::string out;
    for (char c : raw) {
        bool const space = c == ' ' || c == '\t' || c == '\n' || c == '\r';
        if (space) {
            if (!out.empty() && out.back() != ' ') {
                out += ' ';
            }
        } else {
            out += c;
        }
    }
    if (!out.empty() && out.back() == ' ') {
        out.pop_back();
    }
    return out;
}

} // namespace

compare_part part_of(domain::workshop const& ws) {
    compare_part part;
    auto const& spec = ws.spec();
    part.workshop.id = ws.id();
    part.workshop.title = spec.title;
    part.workshop.languages = spec.languages;
    part.workshop.programme = spec.programme;
    part.workshop.state = ws.state();
    for (auto const& g : spec.groups) {
        part.groups.push_back({g.id, g.label, g.target, 0});
    }
    for (auto const& [id, p] : ws.participants()) {
        if (p.withdrawn()) {
            continue;
        }
        ++part.workshop.participants;
        for (auto& g : part.groups) {
            if (p.group == g.id) {
                ++g.reached;
            }
        }
    }
    for (auto const& a : ws.activities()) {
        if (auto const* l = a.as<domain::likert>()) {
            part.statements.push_back({a.id, l->spec.statement, l->spec.points, l->counts});
        }
    }
    return part;
}

protocol::comparison compare(std::vector<compare_part> const& parts) {
    protocol::comparison out;
    std::map<std::pair<std::string, int>, std::size_t> statement_at;
    std::map<std::string, std::size_t> group_at;
    std::vector<std::vector<int>> pooled_counts;
    for (auto const& part : parts) {
        out.workshops.push_back(part.workshop);
        for (auto const& s : part.statements) {
            auto const key = std::make_pair(matching_text(s.text), s.points);
            auto [it, fresh] = statement_at.try_emplace(key, out.statements.size());
            if (fresh) {
                out.statements.push_back({s.text, s.points, {}, {}});
                pooled_counts.emplace_back(static_cast<std::size_t>(s.points), 0);
            }
            out.statements[it->second].rows.push_back(
                {part.workshop.id, s.activity, stats::summarise(s.counts)});
            auto& sum = pooled_counts[it->second];
            for (std::size_t i = 0; i < sum.size() && i < s.counts.size(); ++i) {
                sum[i] += s.counts[i];
            }
        }
        for (auto const& g : part.groups) {
            auto [it, fresh] = group_at.try_emplace(g.id, out.reach.size());
            if (fresh) {
                out.reach.push_back({g.id, g.label, 0, std::nullopt, {}});
            }
            auto& r = out.reach[it->second];
            r.reached += g.reached;
            if (g.target) {
                r.target = r.target.value_or(0) + *g.target;
            }
            r.by_workshop.emplace_back(part.workshop.id, g.reached);
        }
    }
    for (std::size_t i = 0; i < out.statements.size(); ++i) {
        out.statements[i].pooled = stats::summarise(pooled_counts[i]);
    }
    return out;
}

} // namespace cylch::export_
