// The pure parts of the web surface's hardening: security headers, the Origin rule, connection
// caps, the failed-attempt throttle, the accept back-off and rate-limited logging.
#include "server/net/web_policy.hpp"

#include "server/net/connection_limits.hpp"
#include "server/net/failure_throttle.hpp"
#include "server/net/listener.hpp"
#include "server/net/rate_limited_log.hpp"

#include <boost/test/unit_test.hpp>

using namespace cylch::net;
using namespace std::chrono_literals;

BOOST_AUTO_TEST_SUITE(net_policy)

BOOST_AUTO_TEST_CASE(csp_refuses_inline_script_and_framing) {
    auto const csp = content_security_policy("cylch.example.org");
    BOOST_TEST(csp.find("default-src 'none'") != std::string::npos);
    BOOST_TEST(csp.find("script-src 'self';") != std::string::npos);
    BOOST_TEST(csp.find("style-src 'self';") != std::string::npos);
    BOOST_TEST(csp.find("frame-ancestors 'none'") != std::string::npos);
    BOOST_TEST(csp.find("connect-src 'self' ws://cylch.example.org wss://cylch.example.org;") !=
               std::string::npos);
    BOOST_TEST(csp.find("unsafe-inline") == std::string::npos);
    // A Host header that is not a host cannot add directives.
    auto const odd = content_security_policy("x; script-src *");
    BOOST_TEST(odd.find("script-src *") == std::string::npos);
    BOOST_TEST(odd.find("connect-src 'self';") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(origins) {
    origin_policy p({"https://Cylch.Example.org/", "not an origin"});
    BOOST_TEST(p.allows("", "127.0.0.1:8080", false)); // no Origin: not a browser page
    BOOST_TEST(p.allows("http://127.0.0.1:8080", "127.0.0.1:8080", true));
    BOOST_TEST(p.allows("https://cylch.example.org", "127.0.0.1:8080", true));
    BOOST_TEST(!p.allows("https://cylch.example.org:444", "127.0.0.1:8080", true));
    BOOST_TEST(!p.allows("https://evil.example", "127.0.0.1:8080", true));
    BOOST_TEST(!p.allows("null", "127.0.0.1:8080", true));
    BOOST_TEST(!p.allows("http://127.0.0.1:8081", "127.0.0.1:8080", true));
    BOOST_TEST(normalise_origin("HTTPS://A.example:8443/x/y") == "https://a.example:8443");
    BOOST_TEST(normalise_origin("a.example") == "");
}

BOOST_AUTO_TEST_CASE(connection_caps) {
    auto caps = std::make_shared<connection_limiter>(2, 3);
    auto [a1, r1] = caps->acquire("10.0.0.1");
    auto [a2, r2] = caps->acquire("10.0.0.1");
    auto [a3, r3] = caps->acquire("10.0.0.1");
    BOOST_TEST(bool(a1));
    BOOST_TEST(bool(a2));
    BOOST_TEST(!a3);
    BOOST_TEST((r3 == connection_limiter::refusal::per_address));
    auto [b1, s1] = caps->acquire("10.0.0.2");
    BOOST_TEST(bool(b1));
    auto [b2, s2] = caps->acquire("10.0.0.2");
    BOOST_TEST(!b2);
    BOOST_TEST((s2 == connection_limiter::refusal::global));
    a1.release();
    BOOST_TEST(caps->open() == 2u);
    BOOST_TEST(caps->open_from("10.0.0.1") == 1u);
    auto [b3, s3] = caps->acquire("10.0.0.2");
    BOOST_TEST(bool(b3));
    { auto moved = std::move(b3); }
    BOOST_TEST(caps->open_from("10.0.0.2") == 1u);
}

BOOST_AUTO_TEST_CASE(failed_attempts_are_throttled_per_address_with_back_off) {
    failure_throttle t({/*address_rate*/ 1.0, /*address_burst*/ 3, /*global_rate*/ 100,
                        /*global_burst*/ 1000, /*max_addresses*/ 100});
    auto const t0 = failure_throttle::clock::time_point{} + 1h;
    BOOST_TEST(!t.check("a", t0));
    for (int i = 0; i < 3; ++i) {
        BOOST_TEST(!t.check("a", t0));
        t.record_failure("a", "join code", t0);
    }
    auto wait = t.check("a", t0);
    BOOST_TEST_REQUIRE(bool(wait));
    BOOST_TEST(wait->count() == 2000); // the refused attempt counted: two tokens to regain
    BOOST_TEST(!t.check("b", t0));     // another address is not affected
    auto again = t.check("a", t0);     // ignoring the hint pushes it back
    BOOST_TEST_REQUIRE(bool(again));
    BOOST_TEST(again->count() == 3000);
    BOOST_TEST(!t.check("a", t0 + 3s)); // once the hint has passed, an attempt goes ahead
    BOOST_TEST(!t.check("a", t0 + 3s)); // a right answer records nothing: still allowed
    t.record_failure("a", "join code", t0 + 3s);
    BOOST_TEST(bool(t.check("a", t0 + 3s))); // a wrong one: throttled again
}

BOOST_AUTO_TEST_CASE(global_bucket_spares_addresses_without_failures) {
    failure_throttle t({1.0, 100, /*global_rate*/ 1.0, /*global_burst*/ 2, 100});
    auto const t0 = failure_throttle::clock::time_point{} + 1h;
    t.record_failure("a", "join code", t0);
    t.record_failure("b", "join code", t0);
    BOOST_TEST(bool(t.check("a", t0))); // global empty, and a failed recently
    BOOST_TEST(!t.check("c", t0));      // c never failed: goes ahead
    BOOST_TEST(!t.check("a", t0 + 1s));
}

BOOST_AUTO_TEST_CASE(throttle_memory_is_bounded) {
    failure_throttle t({1.0, 1, 1000, 1000, /*max_addresses*/ 2});
    auto const t0 = failure_throttle::clock::time_point{} + 1h;
    t.record_failure("a", "x", t0);
    t.record_failure("b", "x", t0);
    t.record_failure("c", "x", t0); // no room, nothing refilled yet: not remembered
    BOOST_TEST(t.addresses() == 2u);
    t.record_failure("d", "x", t0 + 5s); // a and b have refilled: forgotten, d fits
    BOOST_TEST(t.addresses() == 1u);
}

BOOST_AUTO_TEST_CASE(accept_back_off_schedule) {
    std::chrono::milliseconds p{0};
    std::vector<long> seen;
    for (int i = 0; i < 7; ++i) {
        p = next_accept_pause(p);
        seen.push_back(static_cast<long>(p.count()));
    }
    BOOST_TEST(seen == (std::vector<long>{50, 100, 200, 400, 800, 1000, 1000}),
               boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(rate_limited_log_counts) {
    rate_limited_log l(1s);
    auto const t0 = std::chrono::steady_clock::time_point{} + 1h;
    BOOST_TEST(l.note(t0).value_or(0) == 1u);
    BOOST_TEST(!l.note(t0 + 100ms));
    BOOST_TEST(!l.note(t0 + 900ms));
    BOOST_TEST(l.note(t0 + 1s).value_or(0) == 3u);
}

BOOST_AUTO_TEST_SUITE_END()
