#include "shared/protocol/json_writer.hpp"

#include "shared/protocol/times.hpp"

#include <algorithm>
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

} // namespace

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

namespace {

void put_extras(ojson& j, question_extras const& x) {
    if (x.comment_prompt) {
        j["comment"] = ojson{{"prompt", to_json(*x.comment_prompt)}};
    }
    if (x.card) {
        ojson card{{"title", to_json(x.card->title)}, {"body", to_json(x.card->body)}};
        if (x.card->image) {
            card["image"] = *x.card->image;
            card["alt"] = to_json(x.card->alt);
        }
        j["card"] = std::move(card);
    }
}

ojson options_json(std::vector<option_view> const& options) {
    ojson list = ojson::array();
    for (auto const& o : options) {
        list.push_back(ojson{{"id", o.id}, {"label", to_json(o.label)}});
    }
    return list;
}

// {"id": value, …} over the ids of a choice or ranking.
template <class Values, class Make>
ojson per_id(std::vector<std::string> const& ids, Values const& values, Make make) {
    ojson j = ojson::object();
    for (std::size_t i = 0; i < ids.size() && i < values.size(); ++i) {
        j[ids[i]] = make(values[i]);
    }
    return j;
}

void put_choice(ojson& j, std::vector<std::string> const& ids, stats::choice_summary const& s) {
    j["n"] = s.n;
    j["counts"] = per_id(ids, s.counts, [](int c) { return ojson(c); });
    j["share_pct"] = per_id(ids, s.shares, [](auto const& v) { return pct(v); });
    j["share_ci95"] = per_id(ids, s.ci95, [](std::optional<stats::interval> const& ci) {
        return ci ? ojson::array({round_to(ci->low * 100.0, 1), round_to(ci->high * 100.0, 1)})
                  : ojson(nullptr);
    });
}

void put_ranking(ojson& j, std::vector<std::string> const& ids, stats::ranking_summary const& s) {
    j["n"] = s.n;
    j["mean_rank"] = per_id(ids, s.mean_rank, [](auto const& v) { return opt_number(v, 2); });
    j["borda"] = per_id(ids, s.borda, [](int b) { return ojson(b); });
    j["rank_counts"] = per_id(ids, s.rank_counts, [](auto const& c) { return ojson(c); });
}

bool listed(std::vector<std::string> const& ids, std::string const& id) {
    return std::find(ids.begin(), ids.end(), id) != ids.end();
}

// A breakdown; the cells in `withheld` are {"suppressed":true} alone (shared screens) or
// marked so next to their numbers (the facilitator).
template <class Stats, class Put>
ojson breakdown_json(breakdown<Stats> const& parts, Put put, small_cells const& small,
                     std::vector<std::string> const& withheld) {
    ojson j = ojson::object();
    for (auto const& [id, part] : parts) {
        ojson pj = ojson::object();
        bool const small_cell = listed(withheld, id);
        if (!small_cell || small.rule == small_cell_rule::mark) {
            put(pj, part);
        }
        if (small_cell) {
            pj["suppressed"] = true;
        }
        j[id] = std::move(pj);
    }
    return j;
}

ojson comments_json(std::vector<comment_view> const& comments) {
    ojson list = ojson::array();
    for (auto const& c : comments) {
        ojson cj{{"text", c.text}, {"group", opt_text(c.group)}};
        if (auto const* v = std::get_if<int>(&c.answer)) {
            cj["value"] = *v;
        } else {
            cj["options"] = std::get<std::vector<std::string>>(c.answer);
        }
        cj["at"] = c.at;
        list.push_back(std::move(cj));
    }
    return list;
}

// The kind's own fields of a full summary.
struct summary_fields {
    ojson& j;
    bool breakdowns;
    bool private_texts;
    small_cells const& small;
    void operator()(likert_results const& r) const {
        put_stats(j, r.overall);
        if (!breakdowns) {
            return;
        }
        j["by_group"] = breakdown_json(r.by_group, put_stats, small, small.by_group);
        auto put_channel = [](ojson& pj, stats::likert_summary const& c) {
            pj["n"] = c.n;
            pj["counts"] = c.counts;
            pj["agree_pct"] = pct(c.agree_share);
        };
        j["by_channel"] = breakdown_json(r.by_channel, put_channel, small, small.by_channel);
    }
    void operator()(choice_results const& r) const {
        auto put = [&](ojson& pj, stats::choice_summary const& s) { put_choice(pj, r.options, s); };
        put(j, r.overall);
        if (breakdowns) {
            j["by_group"] = breakdown_json(r.by_group, put, small, small.by_group);
            j["by_channel"] = breakdown_json(r.by_channel, put, small, small.by_channel);
        }
    }
    void operator()(ranking_results const& r) const {
        auto put = [&](ojson& pj, stats::ranking_summary const& s) { put_ranking(pj, r.items, s); };
        put(j, r.overall);
        if (breakdowns) {
            j["by_group"] = breakdown_json(r.by_group, put, small, small.by_group);
        }
    }
    void operator()(open_text_results const& r) const {
        j["n"] = r.n;
        ojson shown = ojson::array();
        for (auto const& a : r.shown) {
            shown.push_back(ojson{{"id", a.id}, {"text", a.text}});
        }
        j["shown"] = std::move(shown);
        if (!private_texts) {
            return;
        }
        ojson answers = ojson::array();
        for (auto const& a : r.answers) {
            answers.push_back(ojson{{"id", a.id},
                                    {"text", a.text},
                                    {"group", opt_text(a.group)},
                                    {"shown", a.shown},
                                    {"hidden", a.hidden},
                                    {"at", a.at}});
        }
        j["answers"] = std::move(answers);
    }
};

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
            {"state", to_string(a.state)},
            {"revealed", a.revealed}};
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
            put_extras(j, l.extras);
        }
        void operator()(choice_view const& c) const {
            j["question"] = to_json(c.question);
            j["options"] = options_json(c.options);
            j["max"] = c.max;
            j["results"] = to_string(c.results);
            put_extras(j, c.extras);
        }
        void operator()(ranking_view const& r) const {
            j["question"] = to_json(r.question);
            j["items"] = options_json(r.items);
            j["results"] = to_string(r.results);
            put_extras(j, r.extras);
        }
        void operator()(open_text_view const& o) const {
            j["question"] = to_json(o.question);
            j["max_length"] = o.max_length;
            put_extras(j, o.extras);
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
    if (m.options) {
        j["options"] = *m.options;
    }
    if (m.order) {
        j["order"] = *m.order;
    }
    if (m.text) {
        j["text"] = *m.text;
    }
    if (m.comment) {
        j["comment"] = *m.comment;
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
    ojson j{{"id", w.id},
            {"code", w.code},
            {"title", to_json(w.title)},
            {"state", to_string(w.state)},
            {"languages", w.languages},
            {"groups", std::move(groups)},
            {"consent",
             {{"required", w.consent.required},
              {"text", to_json(w.consent.text)},
              {"info_url", w.consent.info_url}}},
            {"min_cell", w.min_cell},
            {"mode", to_string(w.mode)}};
    if (w.opens_at) {
        j["opens_at"] = format_rfc3339(*w.opens_at);
    }
    if (w.closes_at) {
        j["closes_at"] = format_rfc3339(*w.closes_at);
    }
    return j;
}

ojson opt_text(std::optional<std::string> const& s) {
    return s ? ojson(*s) : ojson(nullptr);
}

ojson summary_json(summary const& s) {
    ojson j{{"type", "summary"}, {"activity", s.activity}, {"kind", to_string(s.kind())}};
    if (!s.full) {
        j["n"] = s.n();
        return j;
    }
    if (s.small.any()) {
        j["min_cell"] = s.small.min_cell;
    }
    if (s.small.overall && s.small.rule == small_cell_rule::withhold) {
        j["n"] = s.n();
        j["suppressed"] = true;
        return j;
    }
    std::visit(summary_fields{j, s.breakdowns, s.private_texts, s.small}, s.body);
    if (s.small.overall) {
        j["suppressed"] = true;
    }
    if (s.private_texts && !std::holds_alternative<open_text_results>(s.body)) {
        j["comments"] = comments_json(s.comments);
    }
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
