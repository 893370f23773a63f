#include "server/domain/workshop.hpp"

#include <boost/test/unit_test.hpp>

#include <string>
#include <variant>
#include <vector>

// A participant who joined with the code is stored only when they first act (docs/security.md,
// "Participants are stored when they act"): a bare hello costs the database nothing.

namespace {

namespace domain = cylch::domain;
namespace protocol = cylch::protocol;
namespace store = cylch::store;
using protocol::role;

constexpr char const* consent_file = R"json({
  "title": {"en": "Pilot"},
  "languages": ["en", "cy"],
  "groups": [{"id": "innovator", "label": {"en": "Innovator"}}],
  "consent": {"required": true, "text": {"en": "Taking part is voluntary."}},
  "activities": [{"kind": "likert", "statement": {"en": "Useful?"}}]
})json";

constexpr char const* open_file = R"json({
  "title": {"en": "Open"},
  "activities": [{"kind": "likert", "statement": {"en": "Useful?"}}]
})json";

constexpr store::time_ms t0 = 1'790'000'000'000;

struct rig {
    explicit rig(char const* file = consent_file)
        : ws(make(file)) {}

    static domain::workshop make(char const* file) {
        auto parsed = protocol::parse_workshop_file(file);
        auto spec = std::get<protocol::workshop_spec>(std::move(parsed));
        domain::workshop_identity identity{"w_1", "482913", "hash-f", "hash-p", {"a_1"}};
        store::record creation;
        return domain::workshop(std::move(identity), std::move(spec), file, t0, creation);
    }

    domain::effects send(std::string const& id, protocol::client_message const& m) {
        return ws.apply(domain::actor{role::participant, id}, m, t0 + 1000);
    }
    std::string op() { return "op-" + std::to_string(++ops) + "-0123456789abcdef"; }
    domain::effects consent(std::string const& id) {
        return send(id, protocol::profile{op(), true, std::string("innovator"), true, {}});
    }
    domain::effects open() {
        return ws.apply(
            domain::actor{role::facilitator, "facilitator"},
            protocol::activity_command{op(), protocol::activity_command::verb::open, "a_1"},
            t0 + 500);
    }

    domain::workshop ws;
    int ops = 0;
};

} // namespace

BOOST_AUTO_TEST_SUITE(domain_unstored)

BOOST_AUTO_TEST_CASE(a_participant_who_only_joined_is_found_but_not_stored) {
    rig r;
    auto const* p = r.ws.join_unstored("p_1", "hash-p_1", std::string("cy"), t0);
    BOOST_TEST_REQUIRE(p != nullptr);
    BOOST_TEST(p->lang.value_or("-") == "cy");
    BOOST_TEST(!p->consent);
    BOOST_TEST(r.ws.find_by_token_hash("hash-p_1") == p);
    BOOST_TEST(r.ws.find_participant("p_1") == p);
    BOOST_TEST(!r.ws.is_stored("p_1"));
    BOOST_TEST(r.ws.participants().empty()); // results and exports never see them
    BOOST_TEST(r.ws.unstored_count() == 1u);
}

BOOST_AUTO_TEST_CASE(the_first_applied_request_stores_the_participant_before_its_own_records) {
    rig r;
    r.ws.join_unstored("p_1", "hash-p_1", std::string("cy"), t0);
    auto e = r.consent("p_1");
    BOOST_TEST_REQUIRE(!e.error);
    BOOST_TEST_REQUIRE(!e.to_persist.empty());
    auto const* saved = std::get_if<store::participant_saved>(&e.to_persist.front());
    BOOST_TEST_REQUIRE(saved != nullptr);
    BOOST_TEST(saved->id == "p_1");
    BOOST_TEST(saved->token_hash == "hash-p_1");
    BOOST_TEST(saved->lang.value_or("-") == "cy");
    BOOST_TEST(saved->created_at == t0);
    BOOST_TEST(r.ws.is_stored("p_1"));
    BOOST_TEST(r.ws.participants().size() == 1u);
    BOOST_TEST(r.ws.unstored_count() == 0u);
    BOOST_TEST(r.ws.find_participant("p_1")->consent);
    // Later requests do not store the participant again on their own.
    r.open();
    auto vote = r.send("p_1", protocol::vote{r.op(), "a_1", 4});
    BOOST_TEST_REQUIRE(!vote.error);
    for (auto const& rec : vote.to_persist) {
        BOOST_TEST(!std::holds_alternative<store::participant_saved>(rec));
    }
}

BOOST_AUTO_TEST_CASE(a_refused_first_request_stores_nothing) {
    rig r;
    r.ws.join_unstored("p_1", "hash-p_1", std::nullopt, t0);
    r.open();
    // Consent is required first.
    auto e = r.send("p_1", protocol::vote{r.op(), "a_1", 4});
    BOOST_TEST_REQUIRE(e.error.has_value());
    BOOST_TEST(protocol::to_string(e.error->code) == "not_allowed");
    BOOST_TEST(e.to_persist.empty());
    BOOST_TEST(!r.ws.is_stored("p_1"));
    BOOST_TEST(r.ws.participants().empty());
    BOOST_TEST(r.ws.find_by_token_hash("hash-p_1") != nullptr);
    // A request of a kind participants may not send changes nothing either.
    auto end = r.send("p_1", protocol::workshop_end{r.op()});
    BOOST_TEST(end.error.has_value());
    BOOST_TEST(!r.ws.is_stored("p_1"));
    BOOST_TEST(!r.consent("p_1").error);
    BOOST_TEST(r.ws.is_stored("p_1"));
}

BOOST_AUTO_TEST_CASE(a_vote_as_first_request_stores_the_participant_and_the_vote) {
    rig r(open_file);
    r.ws.join_unstored("p_1", "hash-p_1", std::nullopt, t0);
    r.open();
    auto e = r.send("p_1", protocol::vote{r.op(), "a_1", 5});
    BOOST_TEST_REQUIRE(!e.error);
    BOOST_TEST_REQUIRE(e.to_persist.size() >= 2u);
    BOOST_TEST(std::holds_alternative<store::participant_saved>(e.to_persist.front()));
    bool voted = false;
    for (auto const& rec : e.to_persist) {
        voted = voted || std::holds_alternative<store::vote_saved>(rec);
    }
    BOOST_TEST(voted);
    BOOST_TEST(r.ws.summary_of(*r.ws.find_activity("a_1"), role::facilitator)->n() == 1);
}

BOOST_AUTO_TEST_CASE(only_the_oldest_idle_unstored_participants_are_forgotten) {
    rig r;
    // p_online keeps a connection; p_back leaves, comes back and leaves again last.
    r.ws.join_unstored("p_online", "hash-p_online", std::nullopt, t0);
    r.ws.participant_online("p_online");
    r.ws.join_unstored("p_back", "hash-p_back", std::nullopt, t0);
    r.ws.participant_online("p_back");
    r.ws.participant_offline("p_back");
    r.ws.participant_online("p_back");
    r.ws.join_unstored("p_first", "hash-p_first", std::nullopt, t0);
    r.ws.participant_online("p_first");
    r.ws.participant_offline("p_first");
    for (std::size_t i = 0; i < domain::max_idle_unstored; ++i) {
        auto const id = "p_" + std::to_string(i);
        r.ws.join_unstored(id, "hash-" + id, std::nullopt, t0);
        r.ws.participant_online(id);
        r.ws.participant_offline(id);
    }
    // The first to leave made room for the last; the one online and the one that came back
    // are kept.
    BOOST_TEST(r.ws.find_by_token_hash("hash-p_first") == nullptr);
    BOOST_TEST(r.ws.find_participant("p_first") == nullptr);
    BOOST_TEST(r.ws.find_by_token_hash("hash-p_0") != nullptr);
    BOOST_TEST(r.ws.find_by_token_hash("hash-p_online") != nullptr);
    BOOST_TEST(r.ws.find_by_token_hash("hash-p_back") != nullptr);
    BOOST_TEST(r.ws.unstored_count() == domain::max_idle_unstored + 2);
    r.ws.participant_offline("p_back");
    BOOST_TEST(r.ws.find_by_token_hash("hash-p_0") == nullptr);
    BOOST_TEST(r.ws.find_by_token_hash("hash-p_back") != nullptr);
    // A stored participant is never forgotten.
    BOOST_TEST(!r.consent("p_online").error);
    r.ws.participant_offline("p_online");
    BOOST_TEST(r.ws.find_by_token_hash("hash-p_online") != nullptr);
}

BOOST_AUTO_TEST_SUITE_END()
