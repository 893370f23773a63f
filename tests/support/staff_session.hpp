// Staff accounts in integration tests: add one with the admin token, and sign in as a browser
// does (its session cookie and CSRF token).
#pragma once

#include "tests/support/test_server.hpp"

#include <boost/test/unit_test.hpp>

#include <string>
#include <utility>
#include <vector>

namespace cylch::test {

using header_list = std::vector<std::pair<std::string, std::string>>;

inline void add_user(test_server& s, std::string const& name, std::string const& role,
                     std::string const& password = "correct horse battery") {
    auto r = http(s.port(), "POST", "/api/users",
                  nlohmann::json{{"name", name}, {"role", role}, {"password", password}}.dump(),
                  admin_token);
    BOOST_TEST_REQUIRE(r.status == 201, r.body);
}

// A signed-in browser: its cookie and CSRF token.
struct signed_in {
    std::string cookie;
    std::string csrf;
    std::string set_cookie;
    header_list read() const { return {{"Cookie", cookie}}; }
    header_list write() const { return {{"Cookie", cookie}, {"X-CSRF-Token", csrf}}; }
};

inline http_result try_login(test_server& s, std::string const& name,
                             std::string const& password = "correct horse battery") {
    return http(s.port(), "POST", "/api/login",
                nlohmann::json{{"name", name}, {"password", password}}.dump());
}

inline signed_in login(test_server& s, std::string const& name,
                       std::string const& password = "correct horse battery") {
    auto r = try_login(s, name, password);
    BOOST_TEST_REQUIRE(r.status == 200, r.body);
    signed_in out;
    out.set_cookie = r.header("Set-Cookie");
    out.cookie = out.set_cookie.substr(0, out.set_cookie.find(';'));
    out.csrf = r.json()["csrf"];
    return out;
}

} // namespace cylch::test
