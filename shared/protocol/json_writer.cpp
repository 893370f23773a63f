#include "shared/protocol/json_writer.hpp"

#include <cmath>

namespace cylch::protocol::detail {
namespace {

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

std::string to_text(ojson const& j) {
    return j.dump(-1, ' ', false, ojson::error_handler_t::replace);
}

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

ojson to_json(activity_view const& a) {
    ojson j{{"id", a.id},
            {"kind", a.kind_name()},
            {"position", a.position},
            {"state", to_string(a.state)}};
    struct kind_fields {
        ojson& j;
        void operator()(likert_view const& l) const {
            ojson labels = ojson::object();
            for (auto const& [lang, list] : l.scale.labels) {
                labels[lang] = list;
            }
            j["statement"] = to_json(l.statement);
            j["scale"] = ojson{{"points", l.scale.points}, {"labels", std::move(labels)}};
            j["results"] = to_string(l.results);
        }
        void operator()(board_settings_view const& b) const {
            ojson columns = ojson::array();
            for (auto const& c : b.columns) {
                columns.push_back(ojson{{"id", c.id}, {"title", to_json(c.title)}});
            }
            j["prompt"] = to_json(b.prompt);
            j["columns"] = std::move(columns);
            j["dots_per_person"] = b.dots_per_person;
            j["dots_per_note"] = b.dots_per_note;
            j["dot_totals"] = to_string(b.dot_totals);
            j["hidden_until_reveal"] = b.hidden_until_reveal;
            j["locked"] = b.locked;
        }
        void operator()(foreign_kind_view const&) const {} // nothing more is known of it
    };
    std::visit(kind_fields{j}, a.body);
    return j;
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

ojson opt_text(std::optional<std::string> const& s) {
    return s ? ojson(*s) : ojson(nullptr);
}

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

} // namespace cylch::protocol::detail
