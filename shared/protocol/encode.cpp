// The server's frames (messages.hpp): each typed message as one JSON text frame.
#include "shared/protocol/messages.hpp"

#include "shared/protocol/json_writer.hpp"

namespace cylch::protocol {

using detail::ojson;
using detail::opt_text;
using detail::pct;
using detail::to_json;
using detail::to_text;

namespace {

ojson activities_json(std::vector<activity_view> const& list) {
    ojson out = ojson::array();
    for (auto const& a : list) {
        out.push_back(to_json(a));
    }
    return out;
}

} // namespace

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
        j["agenda"] = activities_json(*w.agenda);
    }
    if (w.activities) {
        j["activities"] = activities_json(*w.activities);
    }
    if (w.answers) {
        ojson answers = ojson::object();
        for (auto const& [id, mine] : *w.answers) {
            answers[id] = to_json(mine);
        }
        j["answers"] = std::move(answers);
    }
    return to_text(j);
}

std::string encode(activities_push const& p) {
    return to_text(ojson{{"type", "activities"}, {"activities", activities_json(p.activities)}});
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

std::string encode(summary const& s) {
    return to_text(detail::summary_json(s));
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

std::string encode(board_changes const& c) {
    auto notes = ojson::array();
    for (auto const& n : c.notes) {
        notes.push_back(to_json(n));
    }
    return to_text(ojson{{"type", "board.changes"},
                         {"activity", c.activity},
                         {"notes", std::move(notes)},
                         {"removed", c.removed}});
}

std::string encode(board_reach const& r) {
    ojson groups = ojson::object();
    for (auto const& [id, n] : r.by_group) {
        groups[id] = ojson{{"n", n}};
    }
    return to_text(ojson{
        {"type", "reach"}, {"activity", r.activity}, {"n", r.n}, {"by_group", std::move(groups)}});
}

std::string encode(notice const& n) {
    ojson j{{"type", "notice"},
            {"code", to_string(n.code)},
            {"activity", n.activity},
            {"note", n.note}};
    if (n.code == notice_code::dots_returned) {
        j["count"] = n.count;
    }
    return to_text(j);
}

} // namespace cylch::protocol
