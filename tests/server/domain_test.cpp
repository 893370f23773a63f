#include "server/domain/workshop.hpp"

#include <boost/test/unit_test.hpp>

#include "tests/support/store_support.hpp"

#include "server/store/store.hpp"

#include <nlohmann/json.hpp>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <future>
#include <iterator>
#include <memory>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

// A workshop is driven here the way the workshop actor drives it: a facilitator, a presenter
// and participants send decoded requests; the tests look at what a user would notice (states,
// tallies, summaries, error codes) and at the records the workshop asks the store to keep.

namespace {

namespace tt = boost::test_tools;
namespace domain = cylch::domain;
namespace protocol = cylch::protocol;
namespace store = cylch::store;
using namespace std::string_literals;
using domain::actor;
using domain::effects;
using protocol::role;
using store::time_ms;
using strings = std::vector<std::string>;
using record_set = std::multiset<std::string>;
using verb = protocol::activity_command::verb;

template <class... Ts>
struct overloaded : Ts... {
    using Ts::operator()...;
};

// Three groups, consent required, and one activity of each results visibility; the third
// activity has the 7-point scale.
constexpr char const* pilot_file = R"json({
  "title": {"en": "Pilot", "cy": "Peilot"},
  "languages": ["en", "cy"],
  "groups": [
    {"id": "innovator", "label": {"en": "Innovator"}},
    {"id": "enabler", "label": {"en": "Enabler"}},
    {"id": "stakeholder", "label": {"en": "Stakeholder"}}
  ],
  "consent": {"required": true, "text": {"en": "Taking part is voluntary."}},
  "activities": [
    {"kind": "likert", "statement": {"en": "First"}, "scale": 5, "results": "live"},
    {"kind": "likert", "statement": {"en": "Second"}, "scale": 5, "results": "on_reveal"},
    {"kind": "likert", "statement": {"en": "Third"}, "scale": 7, "results": "hidden"}
  ]
})json";

// The same without a consent step.
constexpr char const* no_consent_file = R"json({
  "title": {"en": "Open session"},
  "groups": [{"id": "innovator", "label": {"en": "Innovator"}}],
  "activities": [{"kind": "likert", "statement": {"en": "Only"}}]
})json";

constexpr time_ms t0 = 1'700'000'000'000;

protocol::workshop_spec parse(std::string const& json) {
    auto parsed = protocol::parse_workshop_file(json);
    if (auto const* err = std::get_if<protocol::workshop_file_error>(&parsed)) {
        BOOST_FAIL("the test's workshop file does not parse: " << err->what());
    }
    return std::get<protocol::workshop_spec>(std::move(parsed));
}

std::string read_template() {
    std::ifstream in(CYLCH_SOURCE_DIR "/deploy/templates/persona-validation.json",
                     std::ios::binary);
    BOOST_TEST_REQUIRE(in.good());
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// The protocol's name of the error, "none" when the request succeeded.
std::string code_of(effects const& e) {
    return e.error ? std::string(protocol::to_string(e.error->code)) : "none";
}

// A record in a few words, so that tests can list what is to be persisted.
std::string describe(store::record const& r) {
    return std::visit(
        overloaded{
            [](store::workshop_created const& w) { return "created " + w.id; },
            [](store::participant_saved const& p) {
                return "participant " + p.id + " group=" + p.group.value_or("-") +
                       " lang=" + p.lang.value_or("-") + (p.consent ? " consent" : " no-consent");
            },
            [](store::vote_saved const& v) {
                return "vote " + v.activity + " " + v.participant + " " + std::to_string(v.value);
            },
            [](store::vote_cleared const& v) {
                return "cleared " + v.activity + " " + v.participant;
            },
            [](store::answer_saved const& a) {
                return "answer " + a.activity + " " + a.participant + " " + a.body +
                       (a.comment ? " comment=" + *a.comment : "") +
                       (a.shown_at != 0 ? " shown" : "") + (a.hidden ? " hidden" : "");
            },
            [](store::image_saved const& i) { return "image " + i.id; },
            [](store::answer_cleared const& a) {
                return "answer cleared " + a.activity + " " + a.participant;
            },
            [](store::activity_state_saved const& a) {
                return "state " + a.activity + " " + std::string(protocol::to_string(a.state));
            },
            [](store::current_activity_saved const& c) {
                return "current " + c.activity.value_or("-");
            },
            [](store::workshop_state_saved const& w) {
                return "workshop " + std::string(protocol::to_string(w.state));
            },
            [](store::op_saved const& o) { return "op " + o.actor + " " + o.op; },
            [](store::kiosk_saved const& k) { return "kiosk " + k.id + " " + k.workshop; },
            [](store::note_saved const& n) {
                return "note " + n.id + " v" + std::to_string(n.version) + " " + n.text +
                       " col=" + n.column.value_or("-") + " cluster=" + n.cluster.value_or("-") +
                       (n.hidden ? " hidden" : "");
            },
            [](store::note_deleted const& n) { return "note-deleted " + n.id; },
            [](store::dots_saved const& d) {
                return "dots " + d.note + " " + d.participant + " " + std::to_string(d.count);
            },
            [](store::cluster_saved const& c) { return "cluster " + c.id + " " + c.label; },
            [](store::cluster_deleted const& c) { return "cluster-deleted " + c.id; },
            [](store::board_lock_saved const& l) {
                return std::string(l.locked ? "locked " : "unlocked ") + l.activity;
            },
            [](store::participant_withdrawn const& w) {
                return "withdrawn " + w.participant +
                       (w.by == store::withdrawal_by::staff ? " by staff" : "");
            },
            [](store::audit_entry const& a) {
                return "audit " + std::string(protocol::to_string(a.action));
            },
            [](store::workshop_purged const& p) {
                return "purged " + p.workshop + (p.kept ? " keeping results" : "");
            },
            [](store::links_rotated const& l) { return "links " + l.workshop; },
            [](store::workshop_deleted const& d) { return "deleted " + d.workshop; },
            [](store::workshop_edited const& e) { return "edited " + e.workshop; },
        },
        r);
}

record_set records_of(effects const& e) {
    record_set out;
    for (auto const& r : e.to_persist) {
        out.insert(describe(r));
    }
    return out;
}

// One workshop (w_1, activities a_1, a_2, …) with a facilitator, a presenter and helpers that
// send requests with fresh op ids, one second apart. `log` keeps every record to persist, in
// order, starting with the workshop's creation.
struct session {
    explicit session(std::string json = pilot_file)
        : ws(make(json, creation)) {
        log.push_back(creation);
    }

    static domain::workshop make(std::string const& json, store::record& creation) {
        auto spec = parse(json);
        domain::workshop_identity identity{
            "w_1", "482913", "hash-facilitator", "hash-presenter", {}};
        for (std::size_t i = 1; i <= spec.activities.size(); ++i) {
            identity.activity_ids.push_back("a_" + std::to_string(i));
        }
        return domain::workshop(std::move(identity), std::move(spec), json, t0, creation);
    }

    store::record creation;
    domain::workshop ws;
    std::vector<store::record> log;
    actor const facilitator{role::facilitator, "facilitator"};
    actor const presenter{role::presenter, "presenter"};
    time_ms now = t0;
    int ops = 0;
    std::string last_op;

    std::string next_op() {
        last_op = "op-" + std::to_string(++ops);
        return last_op;
    }

    // A new participant "p_…" with token hash "hash-p_…"; by default it consents at once
    // (and joins the group, if any) with one profile request.
    actor join(std::string const& id, std::optional<std::string> group = std::nullopt,
               protocol::channel channel = protocol::channel::web, bool consent = true,
               std::optional<std::string> lang = std::nullopt) {
        now += 1000;
        auto joined = ws.add_participant(id, "hash-" + id, lang, channel, now);
        BOOST_TEST_REQUIRE(joined.created);
        log.insert(log.end(), joined.to_persist.begin(), joined.to_persist.end());
        actor const who{role::participant, id};
        if (consent) {
            auto e = send(who, protocol::profile{next_op(), group.has_value(), group, true, {}});
            BOOST_TEST_REQUIRE(code_of(e) == "none");
        }
        return who;
    }

    effects send(actor const& who, protocol::client_message const& m) {
        now += 1000;
        auto e = ws.apply(who, m, now);
        log.insert(log.end(), e.to_persist.begin(), e.to_persist.end());
        return e;
    }
    effects command(verb what, std::string const& activity) {
        return send(facilitator, protocol::activity_command{next_op(), what, activity});
    }
    effects open(std::string const& activity) { return command(verb::open, activity); }
    effects close(std::string const& activity) { return command(verb::close, activity); }
    effects reveal(std::string const& activity) { return command(verb::reveal, activity); }
    effects go_to(std::string const& activity) { return command(verb::go_to, activity); }
    effects end() { return send(facilitator, protocol::workshop_end{next_op()}); }
    effects vote(actor const& who, std::string const& activity, int value) {
        return send(who, protocol::vote{next_op(), activity, value});
    }
    effects clear(actor const& who, std::string const& activity) {
        return send(who, protocol::vote_clear{next_op(), activity});
    }
    effects set_group(actor const& who, std::optional<std::string> group) {
        return send(who, protocol::profile{next_op(), true, std::move(group), {}, {}});
    }

    domain::activity const& activity(std::string const& id) const {
        auto const* a = ws.find_activity(id);
        BOOST_TEST_REQUIRE(a != nullptr);
        return *a;
    }
    domain::likert const& likert_of(std::string const& id) const {
        auto const* l = activity(id).as<domain::likert>();
        BOOST_TEST_REQUIRE(l != nullptr);
        return *l;
    }
    std::string state_of(std::string const& id) const {
        return std::string(protocol::to_string(activity(id).state));
    }
    std::string current_id() const { return ws.current() ? ws.current()->id : "none"; }
    cylch::stats::likert_summary overall(std::string const& id) const {
        return ws.summary_of(activity(id), protocol::role::facilitator)->likert().overall;
    }
    std::vector<int> counts(std::string const& id) const { return overall(id).counts; }
};

// One part (a group or a channel) of a full summary.
cylch::stats::likert_summary
part_of(std::vector<std::pair<std::string, cylch::stats::likert_summary>> const& parts,
        std::string const& id) {
    for (auto const& [name, s] : parts) {
        if (name == id) {
            return s;
        }
    }
    BOOST_FAIL("no summary part \"" << id << "\"");
    return {};
}

cylch::stats::likert_summary group_part(domain::workshop const& ws, std::string const& activity,
                                        std::string const& group) {
    auto const* a = ws.find_activity(activity);
    BOOST_TEST_REQUIRE(a != nullptr);
    return part_of(ws.summary_of(*a, protocol::role::facilitator)->likert().by_group, group);
}

// Every vote on the activity as "participant=value", sorted.
strings votes_of(domain::workshop const& ws, std::string const& activity) {
    auto const* a = ws.find_activity(activity);
    BOOST_TEST_REQUIRE(a != nullptr);
    strings out;
    for (auto const& [pid, v] : a->as<domain::likert>()->votes) {
        out.push_back(pid + "=" + std::to_string(v.value));
    }
    std::sort(out.begin(), out.end());
    return out;
}

// ---- a real store on a temporary file, for the restore tests ----

using cylch::test::persist;
using cylch::test::temp_db;

// Writes everything the session logged to a new database and restores the workshop from it.
domain::workshop restore_through_store(session const& s) {
    temp_db file;
    store::store db(store::store_options{file.path});
    BOOST_TEST_REQUIRE(persist(db, s.log));
    db.stop();
    auto snapshots = db.load_all();
    BOOST_TEST_REQUIRE(snapshots.size() == 1u);
    return domain::workshop(snapshots.front());
}

// A snapshot of the pilot workshop written by hand: a_1 open and current, two votes on it.
store::workshop_snapshot pilot_snapshot() {
    store::workshop_snapshot s;
    s.id = "w_1";
    s.code = "482913";
    s.definition = pilot_file;
    s.facilitator_token_hash = "hash-facilitator";
    s.presenter_token_hash = "hash-presenter";
    s.created_at = t0;
    s.activities = {{"a_1", 0, protocol::activity_state::open},
                    {"a_2", 1, protocol::activity_state::pending},
                    {"a_3", 2, protocol::activity_state::pending}};
    s.current_activity = "a_1";
    s.participants = {
        {"p_1", "hash-p_1", protocol::channel::web, "innovator", "en", true, t0 + 1},
        {"p_2", "hash-p_2", protocol::channel::kiosk, std::nullopt, std::nullopt, true, t0 + 2}};
    s.votes = {{"a_1", "p_1", 4, t0 + 3}, {"a_1", "p_2", 2, t0 + 4}};
    s.ops = {{"p_1", "op-restored"}};
    return s;
}

} // namespace

BOOST_AUTO_TEST_SUITE(domain_workshop)

// ---- construction ------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(a_new_workshop_is_live_with_every_activity_pending) {
    session s;
    BOOST_TEST(s.ws.id() == "w_1");
    BOOST_TEST(s.ws.code() == "482913");
    BOOST_TEST(protocol::to_string(s.ws.state()) == "live");
    BOOST_TEST(s.ws.created_at() == t0);
    BOOST_TEST_REQUIRE(s.ws.activities().size() == 3u);
    for (std::size_t i = 0; i < 3; ++i) {
        auto const& a = s.ws.activities()[i];
        BOOST_TEST(a.id == "a_" + std::to_string(i + 1));
        BOOST_TEST(a.position == static_cast<int>(i));
        BOOST_TEST(protocol::to_string(a.state) == "pending");
        BOOST_TEST(a.as<domain::likert>()->votes.empty());
    }
    BOOST_TEST(s.likert_of("a_3").spec.points == 7);
    BOOST_TEST(s.counts("a_3") == (std::vector<int>{0, 0, 0, 0, 0, 0, 0}), tt::per_element());
    BOOST_TEST(s.current_id() == "none");
    BOOST_TEST(!s.ws.current_for(role::facilitator).has_value());

    auto const* created = std::get_if<store::workshop_created>(&s.creation);
    BOOST_TEST_REQUIRE(created != nullptr);
    BOOST_TEST(created->id == "w_1");
    BOOST_TEST(created->code == "482913");
    BOOST_TEST(created->definition == pilot_file);
    BOOST_TEST(created->facilitator_token_hash == "hash-facilitator");
    BOOST_TEST(created->presenter_token_hash == "hash-presenter");
    BOOST_TEST(created->activity_ids == (strings{"a_1", "a_2", "a_3"}), tt::per_element());
    BOOST_TEST(created->at == t0);
}

BOOST_AUTO_TEST_CASE(the_persona_template_makes_a_workshop) {
    session s(read_template());
    BOOST_TEST(s.ws.activities().size() == 19u);
    BOOST_TEST(s.ws.spec().languages == (strings{"en", "cy"}), tt::per_element());
    BOOST_TEST(s.ws.spec().consent.required);
    auto const view = s.ws.view();
    BOOST_TEST(view.title.at("cy") == "Dilysu personas");
    BOOST_TEST_REQUIRE(view.groups.size() == 3u);
    BOOST_TEST(view.groups[0].id == "innovator");
    BOOST_TEST(view.groups[2].target.value_or(0) == 10);
    BOOST_TEST(protocol::to_string(s.likert_of("a_1").spec.results) == "on_reveal");
    BOOST_TEST(protocol::to_string(s.likert_of("a_3").spec.results) == "live");
    BOOST_TEST(s.likert_of("a_1").spec.labels.at("cy").at(4) == "Cytuno'n gryf");
}

BOOST_AUTO_TEST_CASE(one_activity_id_is_needed_per_activity) {
    auto spec = parse(pilot_file);
    domain::workshop_identity identity{"w_1", "482913", "f", "p", {"a_1", "a_2"}};
    store::record creation;
    BOOST_CHECK_THROW(
        domain::workshop(std::move(identity), std::move(spec), pilot_file, t0, creation),
        std::logic_error);
}

// ---- participants ------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(a_participant_joins_without_consent_and_is_found_by_token_hash) {
    session s;
    auto joined = s.ws.add_participant("p_1", "hash-p_1", "cy"s, protocol::channel::web, t0 + 5);
    BOOST_TEST(joined.created);
    BOOST_TEST_REQUIRE(joined.who != nullptr);
    BOOST_TEST(joined.who->id == "p_1");
    BOOST_TEST(!joined.who->consent); // the workshop asks for consent first
    BOOST_TEST(joined.who->lang.value_or("-") == "cy");
    BOOST_TEST(!joined.who->group.has_value());
    BOOST_TEST_REQUIRE(joined.to_persist.size() == 1u);
    auto const* saved = std::get_if<store::participant_saved>(&joined.to_persist.front());
    BOOST_TEST_REQUIRE(saved != nullptr);
    BOOST_TEST(saved->workshop == "w_1");
    BOOST_TEST(saved->id == "p_1");
    BOOST_TEST(saved->token_hash == "hash-p_1");
    BOOST_TEST(saved->created_at == t0 + 5);
    BOOST_TEST(!saved->consent);

    auto const* found = s.ws.find_by_token_hash("hash-p_1");
    BOOST_TEST_REQUIRE(found != nullptr);
    BOOST_TEST(found->id == "p_1");
    BOOST_TEST(s.ws.find_by_token_hash("hash-p_2") == nullptr);
    BOOST_TEST(s.ws.find_participant("p_2") == nullptr);

    // A language the workshop does not offer is dropped (the first language applies).
    auto other = s.ws.add_participant("p_2", "hash-p_2", "fr"s, protocol::channel::web, t0 + 6);
    BOOST_TEST(!other.who->lang.has_value());
}

BOOST_AUTO_TEST_CASE(without_a_consent_step_participants_may_answer_at_once) {
    session s(no_consent_file);
    auto p1 = s.join("p_1", std::nullopt, protocol::channel::web, /*consent=*/false);
    BOOST_TEST(s.ws.find_participant("p_1")->consent);
    s.open("a_1");
    BOOST_TEST(code_of(s.vote(p1, "a_1", 3)) == "none");
    BOOST_TEST(s.overall("a_1").n == 1);
}

BOOST_AUTO_TEST_CASE(voting_needs_consent_first) {
    session s;
    auto p1 = s.join("p_1", std::nullopt, protocol::channel::web, /*consent=*/false);
    s.open("a_1");
    auto refused = s.vote(p1, "a_1", 4);
    BOOST_TEST(code_of(refused) == "not_allowed");
    BOOST_TEST(refused.to_persist.empty());
    BOOST_TEST(s.overall("a_1").n == 0);

    auto consented = s.send(p1, protocol::profile{s.next_op(), false, std::nullopt, true, {}});
    BOOST_TEST(code_of(consented) == "none");
    BOOST_TEST(records_of(consented) ==
                   (record_set{"participant p_1 group=- lang=- consent", "op p_1 " + s.last_op}),
               tt::per_element());

    BOOST_TEST(code_of(s.vote(p1, "a_1", 4)) == "none");
    BOOST_TEST(s.counts("a_1") == (std::vector<int>{0, 0, 0, 1, 0}), tt::per_element());
}

BOOST_AUTO_TEST_CASE(a_profile_sets_group_language_and_consent) {
    session s;
    auto p1 = s.join("p_1", std::nullopt, protocol::channel::web, /*consent=*/false);
    auto e = s.send(p1, protocol::profile{s.next_op(), true, "enabler"s, true, "cy"s});
    BOOST_TEST(code_of(e) == "none");
    BOOST_TEST(e.presence_changed);
    BOOST_TEST(records_of(e) ==
                   (record_set{"participant p_1 group=enabler lang=cy consent", "op p_1 op-1"}),
               tt::per_element());
    auto const* p = s.ws.find_participant("p_1");
    BOOST_TEST(p->group.value_or("-") == "enabler");
    BOOST_TEST(p->lang.value_or("-") == "cy");
    BOOST_TEST(p->consent);

    // Absent fields stay as they are; "group": null means "prefer not to say".
    auto lang_only = s.send(p1, protocol::profile{s.next_op(), false, std::nullopt, {}, "en"s});
    BOOST_TEST(!lang_only.presence_changed);
    BOOST_TEST(p->group.value_or("-") == "enabler");
    BOOST_TEST(p->lang.value_or("-") == "en");
    BOOST_TEST(p->consent);
    s.set_group(p1, std::nullopt);
    BOOST_TEST(!p->group.has_value());
}

BOOST_AUTO_TEST_CASE(a_profile_with_an_unknown_group_or_language_is_a_bad_request) {
    session s;
    auto p1 = s.join("p_1", "innovator"s);
    auto bad_group = s.send(p1, protocol::profile{s.next_op(), true, "managers"s, true, "cy"s});
    BOOST_TEST(code_of(bad_group) == "bad_request");
    BOOST_TEST(bad_group.error->op.value_or("") == s.last_op);
    BOOST_TEST(bad_group.to_persist.empty());

    auto bad_lang = s.send(p1, protocol::profile{s.next_op(), true, "enabler"s, {}, "fr"s});
    BOOST_TEST(code_of(bad_lang) == "bad_request");
    BOOST_TEST(bad_lang.to_persist.empty());

    // Nothing of either request was applied.
    auto const* p = s.ws.find_participant("p_1");
    BOOST_TEST(p->group.value_or("-") == "innovator");
    BOOST_TEST(!p->lang.has_value());
}

// ---- activity lifecycle ------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(an_activity_goes_pending_open_closed_revealed) {
    session s;
    auto opened = s.open("a_1");
    BOOST_TEST(code_of(opened) == "none");
    BOOST_TEST(s.state_of("a_1") == "open");
    BOOST_TEST(s.current_id() == "a_1");
    BOOST_TEST(opened.activity_changed);
    BOOST_TEST(opened.changed_activity.value_or("-") == "a_1");
    BOOST_TEST(records_of(opened) ==
                   (record_set{"current a_1", "state a_1 open", "op facilitator op-1"}),
               tt::per_element());
    for (auto const& r : opened.to_persist) {
        if (auto const* st = std::get_if<store::activity_state_saved>(&r)) {
            BOOST_TEST(st->workshop == "w_1");
            BOOST_TEST(st->at == s.now);
        }
    }

    auto closed = s.close("a_1");
    BOOST_TEST(code_of(closed) == "none");
    BOOST_TEST(s.state_of("a_1") == "closed");
    BOOST_TEST(closed.activity_changed);
    BOOST_TEST(records_of(closed) == (record_set{"state a_1 closed", "op facilitator op-2"}),
               tt::per_element());

    auto revealed = s.reveal("a_1");
    BOOST_TEST(code_of(revealed) == "none");
    BOOST_TEST(s.state_of("a_1") == "revealed");
    BOOST_TEST(records_of(revealed) == (record_set{"state a_1 revealed", "op facilitator op-3"}),
               tt::per_element());
    BOOST_TEST(s.current_id() == "a_1");
    BOOST_TEST(s.state_of("a_2") == "pending");
}

BOOST_AUTO_TEST_CASE(a_closed_activity_can_be_reopened) {
    session s;
    auto p1 = s.join("p_1");
    s.open("a_1");
    s.vote(p1, "a_1", 2);
    s.close("a_1");
    s.go_to("a_2");
    auto reopened = s.open("a_1");
    BOOST_TEST(code_of(reopened) == "none");
    BOOST_TEST(s.state_of("a_1") == "open");
    BOOST_TEST(s.current_id() == "a_1"); // opening makes it current again
    BOOST_TEST(records_of(reopened).count("state a_1 open") == 1u);
    BOOST_TEST(records_of(reopened).count("current a_1") == 1u);
    // Earlier answers are kept and may be changed again.
    BOOST_TEST(s.counts("a_1") == (std::vector<int>{0, 1, 0, 0, 0}), tt::per_element());
    BOOST_TEST(code_of(s.vote(p1, "a_1", 5)) == "none");
    BOOST_TEST(s.counts("a_1") == (std::vector<int>{0, 0, 0, 0, 1}), tt::per_element());
}

BOOST_AUTO_TEST_CASE(illegal_transitions_are_not_allowed_and_change_nothing) {
    session s;
    auto check_refused = [&](effects const& e, std::string const& state) {
        BOOST_TEST(code_of(e) == "not_allowed");
        BOOST_TEST(e.to_persist.empty());
        BOOST_TEST(!e.activity_changed);
        BOOST_TEST(s.state_of("a_1") == state);
    };
    check_refused(s.close("a_1"), "pending");  // close a pending activity
    check_refused(s.reveal("a_1"), "pending"); // reveal a pending activity
    s.open("a_1");
    check_refused(s.open("a_1"), "open");   // open while open
    check_refused(s.reveal("a_1"), "open"); // reveal an open activity
    s.close("a_1");
    check_refused(s.close("a_1"), "closed"); // close twice
    s.reveal("a_1");
    // (Opening a revealed activity reopens it, results still revealed: board_test.cpp.)
    check_refused(s.reveal("a_1"), "revealed"); // reveal twice
    check_refused(s.close("a_1"), "revealed");
}

BOOST_AUTO_TEST_CASE(a_command_on_an_unknown_activity_is_not_found) {
    session s;
    for (auto what : {verb::open, verb::close, verb::reveal, verb::go_to}) {
        auto e = s.command(what, "a_9");
        BOOST_TEST(code_of(e) == "not_found");
        BOOST_TEST(e.to_persist.empty());
    }
    BOOST_TEST(s.current_id() == "none");
}

BOOST_AUTO_TEST_CASE(goto_sets_the_current_activity_without_changing_its_state) {
    session s;
    auto e = s.go_to("a_2");
    BOOST_TEST(code_of(e) == "none");
    BOOST_TEST(s.current_id() == "a_2");
    BOOST_TEST(s.state_of("a_2") == "pending");
    BOOST_TEST(e.activity_changed);
    BOOST_TEST(records_of(e) == (record_set{"current a_2", "op facilitator op-1"}),
               tt::per_element());

    // Going to the current activity again stores nothing but the op.
    auto again = s.go_to("a_2");
    BOOST_TEST(code_of(again) == "none");
    BOOST_TEST(!again.activity_changed);
    BOOST_TEST(records_of(again) == (record_set{"op facilitator op-2"}), tt::per_element());

    // Going back to an open or revealed activity keeps its state too.
    s.open("a_1");
    s.close("a_1");
    s.reveal("a_1");
    s.go_to("a_3");
    BOOST_TEST(s.current_id() == "a_3");
    s.go_to("a_1");
    BOOST_TEST(s.current_id() == "a_1");
    BOOST_TEST(s.state_of("a_1") == "revealed");
    BOOST_TEST(s.state_of("a_3") == "pending");
}

BOOST_AUTO_TEST_CASE(participants_do_not_see_a_pending_current_activity) {
    session s;
    s.go_to("a_2");
    BOOST_TEST(!s.ws.current_for(role::participant).has_value());
    auto staff = s.ws.current_for(role::facilitator);
    BOOST_TEST_REQUIRE(staff.has_value());
    BOOST_TEST(staff->id == "a_2");
    BOOST_TEST(protocol::to_string(staff->state) == "pending");
    BOOST_TEST(std::get<protocol::likert_view>(staff->body).statement.at("en") == "Second");
    BOOST_TEST(s.ws.current_for(role::presenter).has_value());

    s.open("a_2");
    auto seen = s.ws.current_for(role::participant);
    BOOST_TEST_REQUIRE(seen.has_value());
    BOOST_TEST(seen->id == "a_2");
    BOOST_TEST(protocol::to_string(seen->state) == "open");
    BOOST_TEST(std::get<protocol::likert_view>(seen->body).scale.points == 5);
    BOOST_TEST(std::get<protocol::likert_view>(seen->body).scale.labels.at("en").front() ==
               "Strongly disagree");
    BOOST_TEST(protocol::to_string(std::get<protocol::likert_view>(seen->body).results) ==
               "on_reveal");
}

// ---- votes -------------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(a_vote_on_an_open_activity_is_counted) {
    session s;
    auto p1 = s.join("p_1", "innovator"s);
    auto p2 = s.join("p_2", "enabler"s);
    s.open("a_1");
    auto e = s.vote(p1, "a_1", 4);
    BOOST_TEST(code_of(e) == "none");
    BOOST_TEST(!e.duplicate);
    BOOST_TEST(e.summary_dirty);
    BOOST_TEST(records_of(e) == (record_set{"vote a_1 p_1 4", "op p_1 " + s.last_op}),
               tt::per_element());
    s.vote(p2, "a_1", 5);

    auto const summary = *s.ws.summary_of(s.activity("a_1"), protocol::role::facilitator);
    BOOST_TEST(summary.activity == "a_1");
    BOOST_TEST(summary.full);
    BOOST_TEST(summary.likert().overall.n == 2);
    BOOST_TEST(summary.likert().overall.counts == (std::vector<int>{0, 0, 0, 1, 1}),
               tt::per_element());
    BOOST_TEST(summary.likert().overall.agree_share.value_or(-1) == 1.0, tt::tolerance(1e-9));
    BOOST_TEST(part_of(summary.likert().by_group, "innovator").counts ==
                   (std::vector<int>{0, 0, 0, 1, 0}),
               tt::per_element());
    BOOST_TEST(part_of(summary.likert().by_group, "enabler").counts ==
                   (std::vector<int>{0, 0, 0, 0, 1}),
               tt::per_element());
    BOOST_TEST(part_of(summary.likert().by_group, "stakeholder").n == 0);
    BOOST_TEST(part_of(summary.likert().by_channel, "web").n == 2);
    BOOST_TEST(part_of(summary.likert().by_channel, "kiosk").n == 0);

    // Each participant sees their own answer to the current activity.
    BOOST_TEST(s.ws.mine("p_1").value.value_or(0) == 4);
    BOOST_TEST(s.ws.mine("p_2").value.value_or(0) == 5);
    BOOST_TEST(!s.ws.mine("p_3").value.has_value());
}

BOOST_AUTO_TEST_CASE(each_kiosk_press_is_a_new_anonymous_respondent) {
    session s;
    actor const kiosk{role::kiosk, "k_1"};
    s.open("a_1");
    s.now += 1000;
    auto e = s.ws.apply(kiosk, protocol::vote{"op-kiosk-press-0001", "a_1", 5}, s.now, "p_k1");
    BOOST_TEST(code_of(e) == "none");
    BOOST_TEST(records_of(e) == (record_set{"participant p_k1 group=- lang=- consent",
                                            "vote a_1 p_k1 5", "op k_1 op-kiosk-press-0001"}),
               tt::per_element());
    s.ws.apply(kiosk, protocol::vote{"op-kiosk-press-0002", "a_1", 5}, s.now, "p_k2");
    // A resent press is a duplicate, whatever respondent id the shell offers.
    auto again = s.ws.apply(kiosk, protocol::vote{"op-kiosk-press-0001", "a_1", 1}, s.now, "p_k3");
    BOOST_TEST(again.duplicate);
    BOOST_TEST(s.counts("a_1") == (std::vector<int>{0, 0, 0, 0, 2}), tt::per_element());
    auto const summary = *s.ws.summary_of(s.activity("a_1"), protocol::role::facilitator);
    BOOST_TEST(part_of(summary.likert().by_channel, "kiosk").n == 2);
    BOOST_TEST(s.ws.find_participant("p_k3") == nullptr);
    BOOST_TEST(protocol::to_string(s.ws.find_participant("p_k1")->channel) == "kiosk");

    // A kiosk may only vote, and only on an open activity.
    auto profile = s.ws.apply(
        kiosk, protocol::profile{"op-kiosk-prof-0001", true, "innovator"s, {}, {}}, s.now, "p_k4");
    BOOST_TEST(code_of(profile) == "not_allowed");
    s.close("a_1");
    auto late = s.ws.apply(kiosk, protocol::vote{"op-kiosk-press-0003", "a_1", 3}, s.now, "p_k5");
    BOOST_TEST(code_of(late) == "closed");
    BOOST_TEST(s.ws.find_participant("p_k5") == nullptr);
}

BOOST_AUTO_TEST_CASE(a_kiosk_press_made_while_open_counts_when_it_arrives_late) {
    session s;
    // This kiosk's clock is 60 s behind the server's (offset measured at its hello).
    actor const kiosk{role::kiosk, "k_1", 60'000};
    s.open("a_1");
    auto const opened = s.now;
    s.now += 30'000;
    s.close("a_1");
    auto const closed = s.now;
    auto press = [&](std::string const& op, time_ms server_time, std::string const& id) {
        protocol::vote v{op, "a_1", 4};
        v.pressed_at = server_time - 60'000; // what the kiosk's clock said
        return s.ws.apply(kiosk, v, s.now, id);
    };
    s.now = closed + 10 * 60'000; // delivered ten minutes after the close
    BOOST_TEST(code_of(press("op-kiosk-late-00001", opened + 5'000, "p_k1")) == "none");
    BOOST_TEST(code_of(press("op-kiosk-late-00002", closed + 1'000, "p_k2")) == "none");
    // Pressed before the opening or well after the close: refused, nothing counted.
    BOOST_TEST(code_of(press("op-kiosk-late-00003", opened - 5'000, "p_k3")) == "closed");
    BOOST_TEST(code_of(press("op-kiosk-late-00004", closed + 10'000, "p_k4")) == "closed");
    // Without a press time a vote on a closed activity is refused as for anyone.
    BOOST_TEST(code_of(s.ws.apply(kiosk, protocol::vote{"op-kiosk-late-00005", "a_1", 4}, s.now,
                                  "p_k5")) == "closed");
    BOOST_TEST(s.counts("a_1") == (std::vector<int>{0, 0, 0, 2, 0}), tt::per_element());
    // More than a day late: refused.
    s.now = closed + domain::late_press_window + 1;
    BOOST_TEST(code_of(press("op-kiosk-late-00006", opened + 5'000, "p_k6")) == "closed");
    // An activity never opened takes no press, whatever its time.
    protocol::vote never{"op-kiosk-late-00007", "a_2", 3};
    never.pressed_at = s.now;
    BOOST_TEST(code_of(s.ws.apply(kiosk, never, s.now, "p_k7")) == "closed");
}

BOOST_AUTO_TEST_CASE(a_new_vote_replaces_the_old_one) {
    session s;
    auto p1 = s.join("p_1", "innovator"s);
    s.open("a_1");
    s.vote(p1, "a_1", 2);
    auto e = s.vote(p1, "a_1", 5);
    BOOST_TEST(code_of(e) == "none");
    BOOST_TEST(records_of(e) == (record_set{"vote a_1 p_1 5", "op p_1 " + s.last_op}),
               tt::per_element());
    BOOST_TEST(s.counts("a_1") == (std::vector<int>{0, 0, 0, 0, 1}), tt::per_element());
    BOOST_TEST(s.overall("a_1").n == 1);
    BOOST_TEST(group_part(s.ws, "a_1", "innovator").counts == (std::vector<int>{0, 0, 0, 0, 1}),
               tt::per_element());
    BOOST_TEST(s.likert_of("a_1").votes.at("p_1").at == s.now);
    BOOST_TEST(s.ws.mine("p_1").value.value_or(0) == 5);
}

BOOST_AUTO_TEST_CASE(the_same_vote_again_changes_nothing_but_is_acknowledged) {
    session s;
    auto p1 = s.join("p_1");
    s.open("a_1");
    s.vote(p1, "a_1", 3);
    auto const first_at = s.likert_of("a_1").votes.at("p_1").at;
    auto e = s.vote(p1, "a_1", 3);
    BOOST_TEST(code_of(e) == "none");
    BOOST_TEST(!e.duplicate); // a new op, applied
    BOOST_TEST(!e.summary_dirty);
    BOOST_TEST(records_of(e) == (record_set{"op p_1 " + s.last_op}), tt::per_element());
    BOOST_TEST(s.counts("a_1") == (std::vector<int>{0, 0, 1, 0, 0}), tt::per_element());
    BOOST_TEST(s.likert_of("a_1").votes.at("p_1").at == first_at);

    // The op is remembered: sending it once more is a duplicate.
    auto again = s.send(p1, protocol::vote{s.last_op, "a_1", 3});
    BOOST_TEST(again.duplicate);
}

BOOST_AUTO_TEST_CASE(a_vote_on_an_activity_that_is_not_open_is_closed) {
    session s;
    auto p1 = s.join("p_1");
    auto pending = s.vote(p1, "a_1", 3);
    BOOST_TEST(code_of(pending) == "closed");
    BOOST_TEST(pending.error->message == "This activity is not open yet.");
    s.open("a_1");
    s.vote(p1, "a_1", 3);
    s.close("a_1");
    auto closed = s.vote(p1, "a_1", 1);
    BOOST_TEST(code_of(closed) == "closed");
    BOOST_TEST(closed.to_persist.empty());
    s.reveal("a_1");
    BOOST_TEST(code_of(s.vote(p1, "a_1", 1)) == "closed");
    BOOST_TEST(s.counts("a_1") == (std::vector<int>{0, 0, 1, 0, 0}), tt::per_element());
}

BOOST_AUTO_TEST_CASE(a_vote_outside_the_scale_is_a_bad_request) {
    session s;
    auto p1 = s.join("p_1");
    s.open("a_1"); // 5 points
    for (int value : {0, 6, -1}) {
        auto e = s.vote(p1, "a_1", value);
        BOOST_TEST(code_of(e) == "bad_request", "value " << value);
        BOOST_TEST(e.to_persist.empty());
    }
    BOOST_TEST(s.overall("a_1").n == 0);
    BOOST_TEST(code_of(s.vote(p1, "a_1", 5)) == "none");

    s.open("a_3"); // 7 points
    BOOST_TEST(code_of(s.vote(p1, "a_3", 7)) == "none");
    BOOST_TEST(code_of(s.vote(p1, "a_3", 8)) == "bad_request");
    BOOST_TEST(s.counts("a_3") == (std::vector<int>{0, 0, 0, 0, 0, 0, 1}), tt::per_element());
}

BOOST_AUTO_TEST_CASE(a_vote_on_an_unknown_activity_is_not_found) {
    session s;
    auto p1 = s.join("p_1");
    s.open("a_1");
    auto e = s.vote(p1, "a_9", 3);
    BOOST_TEST(code_of(e) == "not_found");
    BOOST_TEST(e.to_persist.empty());
    BOOST_TEST(code_of(s.clear(p1, "a_9")) == "not_found");
}

BOOST_AUTO_TEST_CASE(clearing_a_vote_removes_it) {
    session s;
    auto p1 = s.join("p_1", "stakeholder"s);
    auto p2 = s.join("p_2");
    s.open("a_1");
    s.vote(p1, "a_1", 4);
    s.vote(p2, "a_1", 2);
    auto e = s.clear(p1, "a_1");
    BOOST_TEST(code_of(e) == "none");
    BOOST_TEST(e.summary_dirty);
    BOOST_TEST(records_of(e) == (record_set{"cleared a_1 p_1", "op p_1 " + s.last_op}),
               tt::per_element());
    BOOST_TEST(s.counts("a_1") == (std::vector<int>{0, 1, 0, 0, 0}), tt::per_element());
    BOOST_TEST(group_part(s.ws, "a_1", "stakeholder").n == 0);
    BOOST_TEST(!s.ws.mine("p_1").value.has_value());
    BOOST_TEST(s.ws.mine("p_2").value.value_or(0) == 2);

    // Clearing when there is nothing to clear succeeds and stores only the op.
    auto nothing = s.clear(p1, "a_1");
    BOOST_TEST(code_of(nothing) == "none");
    BOOST_TEST(records_of(nothing) == (record_set{"op p_1 " + s.last_op}), tt::per_element());

    // A closed activity keeps its answers.
    s.close("a_1");
    BOOST_TEST(code_of(s.clear(p2, "a_1")) == "closed");
    BOOST_TEST(s.overall("a_1").n == 1);
}

BOOST_AUTO_TEST_CASE(changing_group_moves_existing_votes_between_group_tallies) {
    session s;
    auto p1 = s.join("p_1", "innovator"s);
    auto p2 = s.join("p_2", "innovator"s);
    s.open("a_1");
    s.vote(p1, "a_1", 5);
    s.vote(p2, "a_1", 2);
    s.close("a_1");
    s.open("a_2");
    s.vote(p1, "a_2", 1);

    auto e = s.set_group(p1, "stakeholder"s);
    BOOST_TEST(code_of(e) == "none");
    BOOST_TEST(e.summary_dirty);
    BOOST_TEST(e.presence_changed);
    // Both of p_1's answers moved, also the one on the closed activity.
    BOOST_TEST(group_part(s.ws, "a_1", "innovator").counts == (std::vector<int>{0, 1, 0, 0, 0}),
               tt::per_element());
    BOOST_TEST(group_part(s.ws, "a_1", "stakeholder").counts == (std::vector<int>{0, 0, 0, 0, 1}),
               tt::per_element());
    BOOST_TEST(group_part(s.ws, "a_2", "innovator").n == 0);
    BOOST_TEST(group_part(s.ws, "a_2", "stakeholder").counts == (std::vector<int>{1, 0, 0, 0, 0}),
               tt::per_element());
    // The overall tallies do not change.
    BOOST_TEST(s.counts("a_1") == (std::vector<int>{0, 1, 0, 0, 1}), tt::per_element());
    BOOST_TEST(s.counts("a_2") == (std::vector<int>{1, 0, 0, 0, 0}), tt::per_element());

    // "Prefer not to say": the answers leave every group but stay in the overall tally.
    s.set_group(p1, std::nullopt);
    BOOST_TEST(group_part(s.ws, "a_1", "stakeholder").n == 0);
    BOOST_TEST(group_part(s.ws, "a_2", "stakeholder").n == 0);
    BOOST_TEST(s.overall("a_1").n == 2);
    BOOST_TEST(s.overall("a_2").n == 1);

    // And back into a group.
    s.set_group(p1, "enabler"s);
    BOOST_TEST(group_part(s.ws, "a_1", "enabler").counts == (std::vector<int>{0, 0, 0, 0, 1}),
               tt::per_element());
}

BOOST_AUTO_TEST_CASE(kiosk_answers_are_tallied_by_channel) {
    session s;
    auto web = s.join("p_1", "innovator"s);
    auto kiosk = s.join("k_1", "innovator"s, protocol::channel::kiosk);
    s.open("a_1");
    s.vote(web, "a_1", 4);
    s.vote(kiosk, "a_1", 1);
    auto const summary = *s.ws.summary_of(s.activity("a_1"), protocol::role::facilitator);
    BOOST_TEST(part_of(summary.likert().by_channel, "web").counts ==
                   (std::vector<int>{0, 0, 0, 1, 0}),
               tt::per_element());
    BOOST_TEST(part_of(summary.likert().by_channel, "kiosk").counts ==
                   (std::vector<int>{1, 0, 0, 0, 0}),
               tt::per_element());
    BOOST_TEST(part_of(summary.likert().by_group, "innovator").n == 2);
}

BOOST_AUTO_TEST_CASE(fourteen_participants_in_three_groups_add_up) {
    session s(read_template());
    // Six innovators and five enablers on the web, three stakeholders at a kiosk.
    std::vector<std::pair<std::string, int>> const answers{
        {"innovator", 5},   {"innovator", 4},  {"innovator", 4}, {"innovator", 5},
        {"innovator", 3},   {"innovator", 4},  {"enabler", 4},   {"enabler", 4},
        {"enabler", 2},     {"enabler", 3},    {"enabler", 5},   {"stakeholder", 4},
        {"stakeholder", 1}, {"stakeholder", 4}};
    s.open("a_1");
    for (std::size_t i = 0; i < answers.size(); ++i) {
        auto const& [group, value] = answers[i];
        auto const ch = group == "stakeholder" ? protocol::channel::kiosk : protocol::channel::web;
        auto who = s.join("p_" + std::to_string(i + 1), group, ch);
        BOOST_TEST(code_of(s.vote(who, "a_1", value)) == "none");
    }
    auto const summary = *s.ws.summary_of(s.activity("a_1"), protocol::role::facilitator);
    BOOST_TEST(summary.likert().overall.n == 14);
    BOOST_TEST(summary.likert().overall.counts == (std::vector<int>{1, 1, 2, 7, 3}),
               tt::per_element());
    BOOST_TEST(summary.likert().overall.agree_share.value_or(-1) == 10.0 / 14.0,
               tt::tolerance(1e-9));
    auto const median = summary.likert().overall.median.value_or(cylch::stats::category_position{});
    BOOST_TEST(median.lower == 4);
    BOOST_TEST(median.upper == 4);

    auto const innovator = part_of(summary.likert().by_group, "innovator");
    auto const enabler = part_of(summary.likert().by_group, "enabler");
    auto const stakeholder = part_of(summary.likert().by_group, "stakeholder");
    BOOST_TEST(innovator.n == 6);
    BOOST_TEST(enabler.n == 5);
    BOOST_TEST(stakeholder.n == 3);
    BOOST_TEST(innovator.counts == (std::vector<int>{0, 0, 1, 3, 2}), tt::per_element());
    BOOST_TEST(enabler.counts == (std::vector<int>{0, 1, 1, 2, 1}), tt::per_element());
    BOOST_TEST(stakeholder.counts == (std::vector<int>{1, 0, 0, 2, 0}), tt::per_element());
    std::vector<int> sum(5, 0);
    for (auto const& [id, g] : summary.likert().by_group) {
        for (std::size_t i = 0; i < sum.size(); ++i) {
            sum[i] += g.counts[i];
        }
    }
    BOOST_TEST(sum == summary.likert().overall.counts, tt::per_element());
    BOOST_TEST(part_of(summary.likert().by_channel, "web").n == 11);
    BOOST_TEST(part_of(summary.likert().by_channel, "kiosk").n == 3);
    // The other activities are untouched.
    BOOST_TEST(s.overall("a_2").n == 0);
}

// ---- who may send what -------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(a_participant_may_not_send_facilitator_requests) {
    session s;
    auto p1 = s.join("p_1");
    for (auto what : {verb::open, verb::close, verb::reveal, verb::go_to}) {
        auto e = s.send(p1, protocol::activity_command{s.next_op(), what, "a_1"});
        BOOST_TEST(code_of(e) == "not_allowed");
        BOOST_TEST(e.to_persist.empty());
    }
    BOOST_TEST(code_of(s.send(p1, protocol::workshop_end{s.next_op()})) == "not_allowed");
    BOOST_TEST(s.state_of("a_1") == "pending");
    BOOST_TEST(s.current_id() == "none");
    BOOST_TEST(protocol::to_string(s.ws.state()) == "live");
}

BOOST_AUTO_TEST_CASE(the_presenter_may_send_nothing) {
    session s;
    s.join("p_1");
    s.open("a_1");
    std::vector<protocol::client_message> const requests{
        protocol::profile{"op-presenter-1", true, "innovator"s, true, {}},
        protocol::vote{"op-presenter-2", "a_1", 3},
        protocol::vote_clear{"op-presenter-3", "a_1"},
        protocol::activity_command{"op-presenter-4", verb::close, "a_1"},
        protocol::workshop_end{"op-presenter-5"},
    };
    for (auto const& m : requests) {
        auto e = s.send(s.presenter, m);
        BOOST_TEST(code_of(e) == "not_allowed", protocol::type_name(m));
        BOOST_TEST(e.to_persist.empty());
    }
    BOOST_TEST(s.state_of("a_1") == "open");
    BOOST_TEST(s.overall("a_1").n == 0);
    BOOST_TEST(protocol::to_string(s.ws.state()) == "live");
}

BOOST_AUTO_TEST_CASE(the_facilitator_may_not_vote_or_set_a_profile) {
    session s;
    s.open("a_1");
    auto vote = s.send(s.facilitator, protocol::vote{s.next_op(), "a_1", 3});
    BOOST_TEST(code_of(vote) == "not_allowed");
    BOOST_TEST(code_of(s.send(s.facilitator, protocol::vote_clear{s.next_op(), "a_1"})) ==
               "not_allowed");
    BOOST_TEST(code_of(s.send(s.facilitator,
                              protocol::profile{s.next_op(), true, "innovator"s, true, {}})) ==
               "not_allowed");
    BOOST_TEST(s.overall("a_1").n == 0);
}

BOOST_AUTO_TEST_CASE(unknown_participants_and_a_second_hello_are_refused) {
    session s;
    s.open("a_1");
    auto stranger =
        s.send(actor{role::participant, "p_404"}, protocol::vote{s.next_op(), "a_1", 3});
    BOOST_TEST(code_of(stranger) == "not_allowed");
    BOOST_TEST(s.overall("a_1").n == 0);
    auto hello = s.send(s.facilitator, protocol::hello{});
    BOOST_TEST(code_of(hello) == "bad_request");
}

// ---- ops ---------------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(a_repeated_op_from_the_same_actor_is_a_duplicate) {
    session s;
    auto p1 = s.join("p_1");
    s.open("a_1");
    auto first = s.send(p1, protocol::vote{"op-phone-000001", "a_1", 2});
    BOOST_TEST(code_of(first) == "none");
    BOOST_TEST(!first.duplicate);

    // A reconnecting phone resends it (even with another value): acknowledged, not applied.
    auto resent = s.send(p1, protocol::vote{"op-phone-000001", "a_1", 5});
    BOOST_TEST(code_of(resent) == "none");
    BOOST_TEST(resent.duplicate);
    BOOST_TEST(resent.to_persist.empty());
    BOOST_TEST(!resent.summary_dirty);
    BOOST_TEST(s.counts("a_1") == (std::vector<int>{0, 1, 0, 0, 0}), tt::per_element());

    // The same holds for the facilitator's requests.
    auto close =
        s.send(s.facilitator, protocol::activity_command{"op-console-00001", verb::close, "a_1"});
    BOOST_TEST(!close.duplicate);
    s.open("a_1");
    auto close_again =
        s.send(s.facilitator, protocol::activity_command{"op-console-00001", verb::close, "a_1"});
    BOOST_TEST(close_again.duplicate);
    BOOST_TEST(close_again.to_persist.empty());
    BOOST_TEST(s.state_of("a_1") == "open");
}

BOOST_AUTO_TEST_CASE(the_same_op_from_another_participant_is_applied_separately) {
    session s;
    auto p1 = s.join("p_1");
    auto p2 = s.join("p_2");
    s.open("a_1");
    auto e1 = s.send(p1, protocol::vote{"op-shared-000001", "a_1", 4});
    auto e2 = s.send(p2, protocol::vote{"op-shared-000001", "a_1", 4});
    BOOST_TEST(!e1.duplicate);
    BOOST_TEST(!e2.duplicate);
    BOOST_TEST(records_of(e2) == (record_set{"vote a_1 p_2 4", "op p_2 op-shared-000001"}),
               tt::per_element());
    BOOST_TEST(s.counts("a_1") == (std::vector<int>{0, 0, 0, 2, 0}), tt::per_element());
}

BOOST_AUTO_TEST_CASE(a_refused_op_is_not_remembered) {
    session s;
    auto p1 = s.join("p_1");
    // Sent too early: refused, so the same op may be sent again later and applied.
    BOOST_TEST(code_of(s.send(p1, protocol::vote{"op-early-0000001", "a_1", 4})) == "closed");
    s.open("a_1");
    auto later = s.send(p1, protocol::vote{"op-early-0000001", "a_1", 4});
    BOOST_TEST(code_of(later) == "none");
    BOOST_TEST(!later.duplicate);
    BOOST_TEST(s.overall("a_1").n == 1);
}

// ---- the end of the workshop -------------------------------------------------------------

BOOST_AUTO_TEST_CASE(ending_the_workshop_closes_open_activities_and_refuses_changes) {
    session s;
    auto p1 = s.join("p_1");
    s.open("a_1");
    s.vote(p1, "a_1", 4);
    s.close("a_1");
    s.reveal("a_1");
    s.open("a_2");
    s.open("a_3");
    auto e = s.end();
    BOOST_TEST(code_of(e) == "none");
    BOOST_TEST(e.workshop_changed);
    BOOST_TEST(records_of(e) == (record_set{"state a_2 closed", "state a_3 closed",
                                            "workshop ended", "op facilitator " + s.last_op}),
               tt::per_element());
    BOOST_TEST(protocol::to_string(s.ws.state()) == "ended");
    BOOST_TEST(s.state_of("a_1") == "revealed");
    BOOST_TEST(s.state_of("a_2") == "closed");
    BOOST_TEST(s.state_of("a_3") == "closed");
    BOOST_TEST(protocol::to_string(s.ws.view().state) == "ended");

    BOOST_TEST(code_of(s.vote(p1, "a_3", 2)) == "closed");
    BOOST_TEST(code_of(s.clear(p1, "a_1")) == "closed");
    BOOST_TEST(code_of(s.open("a_2")) == "not_allowed");
    BOOST_TEST(code_of(s.reveal("a_2")) == "not_allowed");
    BOOST_TEST(code_of(s.go_to("a_1")) == "not_allowed");
    BOOST_TEST(code_of(s.end()) == "not_allowed");
    BOOST_TEST(s.state_of("a_2") == "closed");
    BOOST_TEST(s.counts("a_1") == (std::vector<int>{0, 0, 0, 1, 0}), tt::per_element());
}

// ---- what participants may see -----------------------------------------------------------

BOOST_AUTO_TEST_CASE(results_visibility_for_participants_follows_the_state) {
    session s;
    // a_1 is live, a_2 on_reveal, a_3 hidden.
    auto visible = [&](std::string const& id) {
        return domain::workshop::results_visible_to_participants(s.activity(id));
    };
    auto all = [&] { return std::vector<bool>{visible("a_1"), visible("a_2"), visible("a_3")}; };
    BOOST_TEST(all() == (std::vector<bool>{false, false, false}), tt::per_element()); // pending
    for (auto const* id : {"a_1", "a_2", "a_3"}) {
        s.open(id);
    }
    BOOST_TEST(all() == (std::vector<bool>{true, false, false}), tt::per_element()); // open
    for (auto const* id : {"a_1", "a_2", "a_3"}) {
        s.close(id);
    }
    BOOST_TEST(all() == (std::vector<bool>{true, false, false}), tt::per_element()); // closed
    for (auto const* id : {"a_1", "a_2", "a_3"}) {
        s.reveal(id);
    }
    BOOST_TEST(all() == (std::vector<bool>{true, true, false}), tt::per_element()); // revealed
}

BOOST_AUTO_TEST_CASE(the_restricted_summary_holds_only_n) {
    session s;
    auto p1 = s.join("p_1", "innovator"s);
    auto p2 = s.join("p_2", "enabler"s, protocol::channel::kiosk);
    s.open("a_2");
    s.vote(p1, "a_2", 5);
    s.vote(p2, "a_2", 1);
    auto const restricted = *s.ws.summary_of(s.activity("a_2"), protocol::role::participant);
    BOOST_TEST(restricted.activity == "a_2");
    BOOST_TEST(!restricted.full);
    BOOST_TEST(restricted.likert().overall.n == 2);
    BOOST_TEST(restricted.likert().by_group.empty());
    BOOST_TEST(restricted.likert().by_channel.empty());

    // What goes on the wire: the type, the activity and n, nothing that reveals the answers.
    auto const wire = nlohmann::json::parse(protocol::encode(restricted));
    BOOST_TEST(wire.at("type").get<std::string>() == "summary");
    BOOST_TEST(wire.at("activity").get<std::string>() == "a_2");
    BOOST_TEST(wire.at("n").get<int>() == 2);
    for (auto const* key : {"counts", "median", "agree_pct", "by_group", "by_channel"}) {
        BOOST_TEST(!wire.contains(key), key);
    }
    auto const full = nlohmann::json::parse(
        protocol::encode(*s.ws.summary_of(s.activity("a_2"), protocol::role::facilitator)));
    BOOST_TEST(full.contains("counts"));
    BOOST_TEST(full.contains("by_group"));
}

// ---- restore -----------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(a_resend_inside_the_window_is_acked_and_not_applied_twice) {
    // The workshop remembers each actor's last 64 applied ops: a resend that reaches it while
    // fewer than 64 other requests of the same participant were applied since is acknowledged
    // again (duplicate) and changes nothing, even with another value.
    session s;
    auto p1 = s.join("p_1", "innovator"s);
    s.open("a_1");
    std::string const first = "op-resent-vote-0001";
    BOOST_TEST(code_of(s.send(p1, protocol::vote{first, "a_1", 4})) == "none");
    for (std::size_t i = 0; i + 1 < cylch::store::ops_remembered_per_actor; ++i) {
        BOOST_TEST_REQUIRE(code_of(s.vote(p1, "a_1", 1 + static_cast<int>(i % 2))) == "none");
    }
    BOOST_TEST(s.counts("a_1") == (std::vector<int>{1, 0, 0, 0, 0}), tt::per_element());
    auto const again = s.send(p1, protocol::vote{first, "a_1", 5});
    BOOST_TEST(code_of(again) == "none");
    BOOST_TEST(again.duplicate);
    BOOST_TEST(again.to_persist.empty());
    BOOST_TEST(s.counts("a_1") == (std::vector<int>{1, 0, 0, 0, 0}), tt::per_element());
}

BOOST_AUTO_TEST_CASE(an_op_older_than_the_window_is_forgotten) {
    // Past the window (64 later requests of the same participant) an op is no longer known:
    // sent again, it is a new request. Clients resend only what is still unacknowledged, a
    // few at most, so this is the documented limit, not a path clients take.
    session s;
    auto p1 = s.join("p_1", "innovator"s);
    s.open("a_1");
    std::string const old = "op-forgotten-vote-01";
    s.send(p1, protocol::vote{old, "a_1", 4});
    for (std::size_t i = 0; i < cylch::store::ops_remembered_per_actor; ++i) {
        s.vote(p1, "a_1", 1);
    }
    auto const again = s.send(p1, protocol::vote{old, "a_1", 5});
    BOOST_TEST(!again.duplicate);
    BOOST_TEST(s.counts("a_1") == (std::vector<int>{0, 0, 0, 0, 1}), tt::per_element());
}

BOOST_AUTO_TEST_CASE(a_workshop_restored_from_the_store_is_the_same_workshop) {
    session s;
    auto p1 = s.join("p_1", "innovator"s, protocol::channel::web, true, "cy"s);
    auto p2 = s.join("p_2", "enabler"s);
    auto p3 = s.join("p_3");
    auto k1 = s.join("k_1", "stakeholder"s, protocol::channel::kiosk);
    s.join("p_4", std::nullopt, protocol::channel::web, /*consent=*/false);
    s.open("a_1");
    s.vote(p1, "a_1", 4);
    s.vote(p2, "a_1", 2);
    s.vote(p1, "a_1", 5); // replaced
    s.vote(p3, "a_1", 3);
    s.clear(p3, "a_1"); // cleared
    s.vote(k1, "a_1", 1);
    s.close("a_1");
    s.reveal("a_1");
    s.go_to("a_3"); // pending, visited
    s.open("a_2");
    s.vote(p1, "a_2", 1);
    auto const replay_op = s.last_op;
    s.vote(p2, "a_2", 3);
    s.set_group(p1, "stakeholder"s); // after voting: the votes follow

    auto restored = restore_through_store(s);
    auto const& original = s.ws;

    BOOST_TEST(restored.id() == "w_1");
    BOOST_TEST(restored.code() == "482913");
    BOOST_TEST(restored.definition() == original.definition());
    BOOST_TEST(restored.facilitator_token_hash() == "hash-facilitator");
    BOOST_TEST(restored.presenter_token_hash() == "hash-presenter");
    BOOST_TEST(restored.created_at() == t0);
    BOOST_TEST(protocol::to_string(restored.state()) == "live");
    BOOST_TEST_REQUIRE(restored.current() != nullptr);
    BOOST_TEST(restored.current()->id == "a_2");

    BOOST_TEST_REQUIRE(restored.activities().size() == original.activities().size());
    for (auto const& a : original.activities()) {
        BOOST_TEST_CONTEXT("activity " << a.id) {
            auto const* r = restored.find_activity(a.id);
            BOOST_TEST_REQUIRE(r != nullptr);
            BOOST_TEST(r->position == a.position);
            BOOST_TEST(protocol::to_string(r->state) == protocol::to_string(a.state));
            BOOST_TEST(votes_of(restored, a.id) == votes_of(original, a.id), tt::per_element());
            auto const before = *original.summary_of(a, protocol::role::facilitator);
            auto const after = *restored.summary_of(*r, protocol::role::facilitator);
            BOOST_TEST(after.likert().overall.counts == before.likert().overall.counts,
                       tt::per_element());
            for (auto const* g : {"innovator", "enabler", "stakeholder"}) {
                BOOST_TEST(part_of(after.likert().by_group, g).counts ==
                               part_of(before.likert().by_group, g).counts,
                           tt::per_element());
            }
            for (auto const* ch : {"web", "kiosk"}) {
                BOOST_TEST(part_of(after.likert().by_channel, ch).counts ==
                               part_of(before.likert().by_channel, ch).counts,
                           tt::per_element());
            }
        }
    }
    // Spelled out, so that a loss in both would not pass unnoticed.
    BOOST_TEST(votes_of(restored, "a_1") == (strings{"k_1=1", "p_1=5", "p_2=2"}),
               tt::per_element());
    BOOST_TEST(votes_of(restored, "a_2") == (strings{"p_1=1", "p_2=3"}), tt::per_element());
    BOOST_TEST(protocol::to_string(restored.find_activity("a_1")->state) == "revealed");
    BOOST_TEST(group_part(restored, "a_1", "stakeholder").counts ==
                   (std::vector<int>{1, 0, 0, 0, 1}),
               tt::per_element());

    BOOST_TEST(restored.participants().size() == 5u);
    for (auto const& [id, p] : original.participants()) {
        BOOST_TEST_CONTEXT("participant " << id) {
            auto const* r = restored.find_by_token_hash("hash-" + id);
            BOOST_TEST_REQUIRE(r != nullptr);
            BOOST_TEST(r->id == id);
            BOOST_TEST(r->group.value_or("-") == p.group.value_or("-"));
            BOOST_TEST(r->lang.value_or("-") == p.lang.value_or("-"));
            BOOST_TEST(r->consent == p.consent);
            BOOST_TEST(protocol::to_string(r->channel) == protocol::to_string(p.channel));
            BOOST_TEST(r->created_at == p.created_at);
        }
    }
    BOOST_TEST(restored.find_participant("p_1")->lang.value_or("-") == "cy");
    BOOST_TEST(!restored.find_participant("p_4")->consent);
    BOOST_TEST(restored.mine("p_1").value.value_or(0) == 1);

    // A phone that resends an op from before the restart is acknowledged, not applied again.
    auto replay = restored.apply(p1, protocol::vote{replay_op, "a_2", 4}, s.now + 1000);
    BOOST_TEST(replay.duplicate);
    BOOST_TEST(restored.mine("p_1").value.value_or(0) == 1);
    // New requests go on as before.
    auto fresh = restored.apply(p1, protocol::vote{"op-after-restart", "a_2", 4}, s.now + 2000);
    BOOST_TEST(code_of(fresh) == "none");
    BOOST_TEST(restored.mine("p_1").value.value_or(0) == 4);
    BOOST_TEST(
        code_of(restored.apply(s.facilitator,
                               protocol::activity_command{"op-console-after", verb::close, "a_2"},
                               s.now + 3000)) == "none");
}

BOOST_AUTO_TEST_CASE(a_restored_ended_workshop_stays_ended) {
    session s;
    auto p1 = s.join("p_1");
    s.open("a_1");
    s.vote(p1, "a_1", 4);
    s.end();
    auto restored = restore_through_store(s);
    BOOST_TEST(protocol::to_string(restored.state()) == "ended");
    BOOST_TEST(protocol::to_string(restored.find_activity("a_1")->state) == "closed");
    auto vote = restored.apply(p1, protocol::vote{"op-after-the-end", "a_1", 2}, s.now + 1000);
    BOOST_TEST(code_of(vote) == "closed");
    auto open = restored.apply(s.facilitator,
                               protocol::activity_command{"op-open-after-end", verb::open, "a_2"},
                               s.now + 1000);
    BOOST_TEST(code_of(open) == "not_allowed");
}

BOOST_AUTO_TEST_CASE(a_snapshot_written_by_hand_restores_its_tallies) {
    domain::workshop ws(pilot_snapshot());
    BOOST_TEST_REQUIRE(ws.current() != nullptr);
    BOOST_TEST(ws.current()->id == "a_1");
    BOOST_TEST(ws.find_activity("a_1")->as<domain::likert>()->counts ==
                   (std::vector<int>{0, 1, 0, 1, 0}),
               tt::per_element());
    BOOST_TEST(group_part(ws, "a_1", "innovator").n == 1);
    auto const summary = *ws.summary_of(*ws.find_activity("a_1"), protocol::role::facilitator);
    BOOST_TEST(part_of(summary.likert().by_channel, "kiosk").counts ==
                   (std::vector<int>{0, 1, 0, 0, 0}),
               tt::per_element());
    BOOST_TEST(ws.find_by_token_hash("hash-p_2")->id == "p_2");
    auto replay =
        ws.apply(actor{role::participant, "p_1"}, protocol::vote{"op-restored", "a_1", 1}, t0 + 10);
    BOOST_TEST(replay.duplicate);
}

BOOST_AUTO_TEST_CASE(a_snapshot_that_does_not_fit_its_definition_throws) {
    BOOST_CHECK_NO_THROW(domain::workshop{pilot_snapshot()});

    auto unknown_activity = pilot_snapshot();
    unknown_activity.votes.push_back({"a_9", "p_1", 3, t0});
    BOOST_CHECK_THROW(domain::workshop{unknown_activity}, std::runtime_error);

    auto unknown_participant = pilot_snapshot();
    unknown_participant.votes.push_back({"a_2", "p_9", 3, t0});
    BOOST_CHECK_THROW(domain::workshop{unknown_participant}, std::runtime_error);

    auto off_the_scale = pilot_snapshot();
    off_the_scale.votes.push_back({"a_2", "p_1", 6, t0});
    BOOST_CHECK_THROW(domain::workshop{off_the_scale}, std::runtime_error);

    auto missing_activity = pilot_snapshot();
    missing_activity.activities.pop_back();
    BOOST_CHECK_THROW(domain::workshop{missing_activity}, std::runtime_error);

    auto bad_definition = pilot_snapshot();
    bad_definition.definition = R"({"title": {"en": "x"}, "activities": [], "extra": 1})";
    BOOST_CHECK_THROW(domain::workshop{bad_definition}, std::runtime_error);
}

BOOST_AUTO_TEST_SUITE_END()
