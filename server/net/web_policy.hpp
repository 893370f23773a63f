// What the web surface promises a browser: the security headers of every response and the
// Origin rule for WebSocket upgrades. Pure functions of the request's values: no Beast, no I/O.
//
// Thread-safety: free functions; origin_policy is immutable after construction.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace cylch::net {

// The Content-Security-Policy of every response. The web client is built to same-origin
// module scripts and stylesheets with no inline script or style element, and its only images
// are same-origin (favicon, /qr.svg), so everything else is refused; framing is refused.
// `host` is the request's Host header: when it is a plain host[:port], ws:// and wss:// of it
// are named in connect-src (browsers before CSP 3 do not count them as 'self'); anything else
// (absent, or characters a host cannot have) leaves connect-src at 'self'.
std::string content_security_policy(std::string_view host);

// True when `host` (a Host header) is a host name or IP literal with an optional port.
bool is_plain_host(std::string_view host);

// Which browser origins may open a WebSocket. A request without an Origin header is not from
// a browser page (kiosks, tools, tests) and is allowed: the check defends participants'
// browsers against other sites' pages, not the server against clients. A page of the same host
// as the request's Host header (any scheme, same host and port) is allowed, and so is every
// origin given to the constructor (--allowed-origin, and --public-url's origin); others,
// including "null", are refused.
class origin_policy {
public:
    origin_policy() = default;
    // Origins such as "https://cylch.example.org" (a trailing slash or path is ignored; the
    // comparison is case-insensitive).
    explicit origin_policy(std::vector<std::string> allowed);

    bool allows(std::string_view origin, std::string_view host, bool has_origin) const;

private:
    std::vector<std::string> allowed_; // scheme://authority, lower case
};

// "https://Example.org:8443/path" -> "https://example.org:8443"; empty when not an origin.
std::string normalise_origin(std::string_view url);

} // namespace cylch::net
