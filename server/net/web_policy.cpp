#include "server/net/web_policy.hpp"

#include <algorithm>
#include <cctype>

namespace cylch::net {
namespace {

std::string lower(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

// The authority of an origin ("https://host:port" -> "host:port"), lower case; empty if none.
std::string authority_of(std::string_view origin) {
    auto const sep = origin.find("://");
    if (sep == std::string_view::npos) {
        return {};
    }
    auto rest = origin.substr(sep + 3);
    rest = rest.substr(0, rest.find('/'));
    return is_plain_host(rest) ? lower(rest) : std::string();
}

} // namespace

bool is_plain_host(std::string_view host) {
    if (host.empty() || host.size() > 255) {
        return false;
    }
    return std::all_of(host.begin(), host.end(), [](unsigned char c) {
        return std::isalnum(c) || c == '.' || c == '-' || c == ':' || c == '[' || c == ']' ||
               c == '_';
    });
}

std::string content_security_policy(std::string_view host) {
    std::string connect = "'self'";
    if (is_plain_host(host)) {
        auto const h = lower(host);
        connect += " ws://" + h + " wss://" + h;
    }
    return "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
           "font-src 'self'; connect-src " +
           connect +
           "; manifest-src 'self'; base-uri 'none'; form-action 'self'; "
           "frame-ancestors 'none'";
}

std::string normalise_origin(std::string_view url) {
    auto const sep = url.find("://");
    if (sep == std::string_view::npos || sep == 0) {
        return {};
    }
    auto const authority = authority_of(url);
    if (authority.empty()) {
        return {};
    }
    return lower(url.substr(0, sep)) + "://" + authority;
}

origin_policy::origin_policy(std::vector<std::string> allowed) {
    for (auto const& a : allowed) {
        if (auto o = normalise_origin(a); !o.empty()) {
            allowed_.push_back(std::move(o));
        }
    }
}

bool origin_policy::allows(std::string_view origin, std::string_view host, bool has_origin) const {
    if (!has_origin) {
        return true;
    }
    auto const normal = normalise_origin(origin);
    if (normal.empty()) {
        return false; // "null", or not an origin at all
    }
    if (is_plain_host(host) && authority_of(normal) == lower(host)) {
        return true;
    }
    return std::find(allowed_.begin(), allowed_.end(), normal) != allowed_.end();
}

} // namespace cylch::net
