#include "server/net/http_api.hpp"

#include "server/net/media.hpp"

#include "server/auth/tokens.hpp"
#include "server/export/compare.hpp"
#include "server/export/csv.hpp"
#include "server/export/qr_svg.hpp"
#include "server/export/timings.hpp"
#include "server/log.hpp"
#include "server/store/audit.hpp"
#include "shared/protocol/api.hpp"
#include "shared/protocol/retry_hint.hpp"

#include <algorithm>
#include <mutex>
#include <sstream>

namespace cylch::net {
namespace {

using protocol::error_code;

http_response json(unsigned status, std::string body) {
    http_response r;
    r.status = status;
    r.body = std::make_shared<std::string const>(std::move(body));
    return r;
}

// 204: done, nothing to say.
http_response no_content() {
    return json(204, "");
}

http_response api_error(unsigned status, error_code code, std::string const& message) {
    return json(status, protocol::encode_api_error(code, message));
}

// 400 for a workshop file that is refused: the message and the JSON path of the field.
http_response file_refused(protocol::workshop_file_error const& e) {
    return json(400, protocol::encode_api_error(error_code::bad_request, e.what(), e.path));
}

// 405 with the methods that the path does take (RFC 9110, 15.5.6).
http_response method_not_allowed(std::string allow, std::string const& message) {
    auto r = api_error(405, error_code::bad_request, message);
    r.headers.emplace_back("Allow", std::move(allow));
    return r;
}

bool has_header(http_response const& r, std::string_view name) {
    return std::any_of(r.headers.begin(), r.headers.end(),
                       [&](auto const& h) { return h.first == name; });
}

// API answers and pages may carry tokens, codes and results: no cache keeps them.
std::function<void(http_response)> not_stored(std::function<void(http_response)> respond) {
    return [respond = std::move(respond)](http_response r) {
        if (!has_header(r, "Cache-Control")) {
            r.headers.emplace_back("Cache-Control", "no-store");
        }
        respond(std::move(r));
    };
}

// Splits "/api/workshops/w_x/results" into its segments.
std::vector<std::string> segments(std::string_view path) {
    std::vector<std::string> out;
    std::size_t start = 1;
    while (start <= path.size()) {
        auto end = path.find('/', start);
        if (end == std::string_view::npos) {
            end = path.size();
        }
        out.emplace_back(path.substr(start, end - start));
        start = end + 1;
    }
    return out;
}

} // namespace

std::string bearer_token(std::string_view authorization) {
    constexpr std::string_view prefix = "Bearer ";
    if (authorization.size() <= prefix.size() || !authorization.starts_with(prefix)) {
        return {};
    }
    return std::string(authorization.substr(prefix.size()));
}

std::string session_cookie(std::string_view header) {
    constexpr std::string_view name = "cylch_session=";
    while (!header.empty()) {
        auto const end = header.find(';');
        auto part = header.substr(0, end);
        while (!part.empty() && part.front() == ' ') {
            part.remove_prefix(1);
        }
        if (part.starts_with(name)) {
            return std::string(part.substr(name.size()));
        }
        if (end == std::string_view::npos) {
            break;
        }
        header.remove_prefix(end + 1);
    }
    return {};
}

std::optional<std::string> url_decode(std::string_view text) {
    auto hex = [](char h) -> int {
        if (h >= '0' && h <= '9') {
            return h - '0';
        }
        if (h >= 'a' && h <= 'f') {
            return h - 'a' + 10;
        }
        if (h >= 'A' && h <= 'F') {
            return h - 'A' + 10;
        }
        return -1;
    };
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        char const c = text[i];
        if (c == '+') {
            out += ' ';
        } else if (c != '%') {
            out += c;
        } else {
            if (i + 2 >= text.size()) {
                return std::nullopt;
            }
            int const hi = hex(text[i + 1]);
            int const lo = hex(text[i + 2]);
            if (hi < 0 || lo < 0) {
                return std::nullopt;
            }
            out += static_cast<char>(hi * 16 + lo);
            i += 2;
        }
    }
    return out;
}

http_api::http_api(live::registry& registry, static_files const& files, store::store& store,
                   cylch::metrics& metrics, api_options options, failure_throttle* throttle,
                   auth::accounts* accounts)
    : registry_(registry)
    , files_(files)
    , store_(store)
    , media_(std::make_unique<media_library>(store, store.load_image_ids()))
    , metrics_(metrics)
    , options_(std::move(options))
    , throttle_(throttle)
    , accounts_(accounts) {}

http_api::~http_api() = default;

bool http_api::throttled(http_request const& r, std::function<void(http_response)> const& respond) {
    if (!throttle_ || bearer_token(r.authorization).empty()) {
        return false;
    }
    auto wait = throttle_->check(r.client, failure_throttle::clock::now());
    if (!wait) {
        return false;
    }
    metrics_.auth_throttled.fetch_add(1, std::memory_order_relaxed);
    auto resp = json(429, protocol::encode_api_rate_limited(
                              "too many wrong tokens from this address; try again later", *wait));
    resp.headers.emplace_back("Retry-After", std::to_string((wait->count() + 999) / 1000));
    respond(std::move(resp));
    return true;
}

void http_api::token_failed(http_request const& r) {
    if (throttle_ && !bearer_token(r.authorization).empty()) {
        metrics_.auth_failures.fetch_add(1, std::memory_order_relaxed);
        throttle_->record_failure(r.client, "bearer token", failure_throttle::clock::now());
    }
}

bool http_api::is_admin(std::string const& authorization) const {
    auto token = bearer_token(authorization);
    return !token.empty() && !options_.admin_token_hash.empty() &&
           auth::equal_constant_time(auth::hash_token(token), options_.admin_token_hash);
}

void http_api::handle(http_request r, std::function<void(http_response)> respond) {
    metrics_.http_requests.fetch_add(1, std::memory_order_relaxed);
    std::string path = r.target;
    std::string query;
    if (auto q = path.find('?'); q != std::string::npos) {
        query = path.substr(q + 1);
        path.resize(q);
    }
    bool const get = r.method == "GET" || r.method == "HEAD";

    if (path == "/healthz") {
        respond(get ? json(200, protocol::encode_health())
                    : method_not_allowed("GET, HEAD", "use GET"));
        return;
    }
    if (path == "/metrics") {
        if (!options_.metrics_public && !r.from_loopback) {
            respond(api_error(403, error_code::not_allowed, "metrics are served to loopback only"));
            return;
        }
        respond(metrics_text());
        return;
    }
    if (path == "/qr.svg") {
        std::optional<std::string> data;
        if (query.starts_with("data=")) {
            data = url_decode(std::string_view(query).substr(5));
        }
        auto svg = data ? export_::qr_svg(*data) : std::nullopt;
        if (!svg) {
            respond(api_error(400, error_code::bad_request,
                              "give the text as ?data=… (1 to 1024 bytes, URL-encoded)"));
            return;
        }
        auto resp = json(200, std::move(*svg));
        resp.content_type = "image/svg+xml";
        resp.headers.emplace_back("Cache-Control", "public, max-age=86400");
        respond(std::move(resp));
        return;
    }
    if (path.starts_with("/media/")) {
        auto parts = segments(path);
        if (!get) {
            respond(method_not_allowed("GET, HEAD", "use GET"));
        } else if (parts.size() != 2) {
            respond(api_error(404, error_code::not_found, "no such image"));
        } else {
            media_->serve(parts[1], std::move(respond));
        }
        return;
    }
    if (path.starts_with("/api/")) {
        respond = not_stored(std::move(respond));
    }
    // Paths that take only POST.
    struct post_route {
        std::string_view path;
        char const* refusal;
        void (http_api::*handle)(http_request const&, std::function<void(http_response)>);
    };
    static constexpr post_route post_routes[] = {
        {"/api/images", "use POST to upload an image", &http_api::upload_image},
        {"/api/login", "use POST to sign in", &http_api::login},
        {"/api/logout", "use POST to sign out", &http_api::logout},
        {"/api/purge", "use POST to purge the workshops past their retention period",
         &http_api::purge},
    };
    for (auto const& route : post_routes) {
        if (path == route.path) {
            if (r.method != "POST") {
                respond(method_not_allowed("POST", route.refusal));
            } else {
                (this->*route.handle)(r, std::move(respond));
            }
            return;
        }
    }
    if (path == "/api/me") {
        if (!get) {
            respond(method_not_allowed("GET, HEAD", "use GET"));
            return;
        }
        me(r, std::move(respond));
        return;
    }
    if (path == "/api/audit" || path == "/api/audit.csv") {
        if (!get) {
            respond(method_not_allowed("GET, HEAD", "use GET"));
            return;
        }
        audit_log(r, path == "/api/audit.csv", std::move(respond));
        return;
    }
    if (path == "/api/compare") {
        if (!get) {
            respond(method_not_allowed("GET, HEAD", "use GET"));
            return;
        }
        compare_workshops(r, std::move(respond));
        return;
    }
    if (path == "/api/users" || path.starts_with("/api/users/")) {
        auto parts = segments(path);
        if (parts.size() > 3) {
            respond(api_error(404, error_code::not_found, "no such API path"));
            return;
        }
        users(r, parts.size() == 3 ? parts[2] : "", std::move(respond));
        return;
    }
    if (path == "/api/workshops") {
        if (get) {
            list_workshops(r, std::move(respond));
        } else if (r.method == "POST") {
            create_workshop(r, std::move(respond));
        } else {
            respond(method_not_allowed("GET, HEAD, POST", "use POST to create a workshop"));
        }
        return;
    }
    if (auto parts = segments(path);
        parts.size() == 4 && parts[0] == "api" && parts[1] == "workshops" &&
        (parts[3] == "share" || parts[3] == "duplicate" || parts[3] == "links" ||
         parts[3] == "end" || parts[3] == "archive" || parts[3] == "unarchive")) {
        if (r.method != "POST") {
            respond(method_not_allowed("POST", "use POST to " + parts[3] + " a workshop"));
            return;
        }
        if (parts[3] == "end") {
            end_workshop(r, parts[2], std::move(respond));
        } else if (parts[3] == "archive" || parts[3] == "unarchive") {
            archive_workshop(r, parts[2], parts[3] == "archive", std::move(respond));
        } else if (parts[3] == "share") {
            share_workshop(r, parts[2], std::move(respond));
        } else if (parts[3] == "links") {
            rotate_links(r, parts[2], std::move(respond));
        } else {
            duplicate_workshop(r, parts[2], std::move(respond));
        }
        return;
    }
    if (path == "/api/kiosks" || path.starts_with("/api/kiosks/")) {
        auto parts = segments(path);
        kiosks(r, parts.size() == 3 ? parts[2] : "", std::move(respond));
        return;
    }
    if (path.starts_with("/api/")) {
        auto parts = segments(path);
        if (parts.size() == 5 && parts[1] == "workshops" && parts[3] == "respondents") {
            if (r.method != "DELETE") {
                respond(method_not_allowed("DELETE", "use DELETE to erase a respondent"));
                return;
            }
            erase_respondent(parts[2], parts[4], r, std::move(respond));
            return;
        }
        if (parts.size() == 4 && parts[1] == "workshops" && parts[3] == "responses") {
            if (r.method != "DELETE") {
                respond(method_not_allowed("DELETE", "use DELETE to erase every response"));
                return;
            }
            erase_responses(parts[2], r, std::move(respond));
            return;
        }
        if (parts.size() == 3 && parts[1] == "workshops" && r.method == "DELETE") {
            delete_workshop(parts[2], r, std::move(respond));
            return;
        }
        if (parts.size() == 3 && parts[1] == "workshops" && r.method == "PUT") {
            edit_workshop(parts[2], r, std::move(respond));
            return;
        }
        if (parts.size() >= 3 && parts.size() <= 4 && parts[1] == "workshops") {
            if (!get) {
                respond(parts.size() == 3
                            ? method_not_allowed("GET, HEAD, PUT, DELETE",
                                                 "use GET to read a workshop, PUT to edit it, "
                                                 "DELETE to delete it")
                            : method_not_allowed("GET, HEAD", "use GET"));
                return;
            }
            workshop_get(parts[2], parts.size() == 4 ? parts[3] : "", r, std::move(respond));
            return;
        }
        respond(api_error(404, error_code::not_found, "no such API path"));
        return;
    }
    if (!get) {
        respond(method_not_allowed("GET, HEAD", "use GET"));
        return;
    }
    auto file = files_.find(path);
    if (!file) {
        auto resp = json(404, "Not found\n");
        resp.content_type = "text/plain; charset=utf-8";
        respond(std::move(resp));
        return;
    }
    http_response resp;
    resp.content_type = file->content_type;
    resp.body = file->body;
    // Hashed assets never change; everything else may be a page of the app, whose URL can
    // carry a join code or a token: not stored.
    resp.headers.emplace_back("Cache-Control",
                              file->immutable ? "public, max-age=31536000, immutable" : "no-store");
    respond(std::move(resp));
}

caller http_api::who(http_request const& r) const {
    caller c;
    c.admin_token = is_admin(r.authorization);
    if (accounts_ && !r.session.empty()) {
        c.account = accounts_->session(r.session, auth::clock::now());
        c.csrf_ok =
            c.account && !r.csrf.empty() && auth::equal_constant_time(r.csrf, c.account->csrf);
    }
    return c;
}

std::optional<std::string> http_api::staff_by_session(std::string_view session,
                                                      std::string const& id,
                                                      protocol::role role) const {
    if (!accounts_ || session.empty() || !registry_.facilitator_token_hash(id)) {
        return std::nullopt;
    }
    auto const account = accounts_->session(session, auth::clock::now());
    if (!account) {
        return std::nullopt;
    }
    bool allowed = false;
    switch (account->role) {
    case protocol::account_role::admin:
        allowed = true;
        break;
    case protocol::account_role::facilitator:
        allowed = accounts_->access(account->user_id, id).has_value();
        break;
    case protocol::account_role::reviewer:
        allowed = role == protocol::role::presenter; // reviewers look, never run
        break;
    }
    return allowed ? std::optional(account->name) : std::nullopt;
}

audit_by http_api::audit_name(caller const& c, http_request const& r) const {
    if (!bearer_token(r.authorization).empty()) {
        return {protocol::audit_actor::staff, c.admin_token ? "admin token" : "facilitator token"};
    }
    if (c.account) {
        return {protocol::audit_actor::staff, c.account->name};
    }
    return {protocol::audit_actor::staff, "unknown"};
}

void http_api::audit(protocol::audit_action action, audit_by const& by,
                     std::optional<std::string> workshop, std::optional<std::string> detail,
                     std::optional<std::string> address) {
    store::audit_entry e;
    e.at = store::audit_now();
    e.actor_kind = by.kind;
    e.actor = by.name;
    e.action = action;
    e.workshop = std::move(workshop);
    e.detail = std::move(detail);
    e.address = std::move(address);
    std::vector<store::record> batch;
    batch.emplace_back(std::move(e));
    if (!store_.try_persist(std::move(batch), [action](bool ok) {
            if (!ok) {
                log::warn("an audit entry could not be stored",
                          {{"action", std::string(protocol::to_string(action))}});
            }
        })) {
        log::warn("the store is busy: an audit entry was not kept",
                  {{"action", std::string(protocol::to_string(action))}});
    }
}

bool http_api::may_write(caller const& c, http_request const& r,
                         std::function<void(http_response)> const& respond) {
    if (c.admin_token || !bearer_token(r.authorization).empty()) {
        return true; // scripts with a bearer token: no cookie, so no CSRF to fear
    }
    if (!c.account) {
        respond(api_error(401, error_code::not_allowed, "sign in first"));
        return false;
    }
    if (!c.csrf_ok) {
        respond(api_error(403, error_code::not_allowed,
                          "this change needs the X-CSRF-Token header of your session"));
        return false;
    }
    if (c.account->role == protocol::account_role::reviewer) {
        respond(
            api_error(403, error_code::not_allowed, "reviewers read results but change nothing"));
        return false;
    }
    return true;
}

bool http_api::address_throttled(http_request const& r,
                                 std::function<void(http_response)> const& respond) {
    if (!throttle_) {
        return false;
    }
    auto wait = throttle_->check(r.client, failure_throttle::clock::now());
    if (!wait) {
        return false;
    }
    metrics_.auth_throttled.fetch_add(1, std::memory_order_relaxed);
    auto resp =
        json(429, protocol::encode_api_rate_limited(
                      "too many failed attempts from this address; try again later", *wait));
    resp.headers.emplace_back("Retry-After", std::to_string((wait->count() + 999) / 1000));
    respond(std::move(resp));
    return true;
}

void http_api::login(http_request const& r, std::function<void(http_response)> respond) {
    if (!accounts_) {
        respond(api_error(404, error_code::not_found, "this server has no accounts"));
        return;
    }
    if (address_throttled(r, respond)) {
        return;
    }
    auto parsed = protocol::parse_login(r.body);
    if (auto const* err = std::get_if<protocol::workshop_file_error>(&parsed)) {
        respond(api_error(400, error_code::bad_request, err->what()));
        return;
    }
    auto req = std::get<protocol::login_request>(std::move(parsed));
    auto const secure = options_.secure_cookies;
    auto const lifetime = std::chrono::duration_cast<std::chrono::seconds>(
        std::chrono::hours(12)); // the cookie may outlive nothing: the session decides
    accounts_->login(
        req.name, std::move(req.password), auth::clock::now(),
        [this, respond, secure, lifetime, client = r.client](auth::login_result result) {
            std::visit(
                [&](auto& x) {
                    using T = std::decay_t<decltype(x)>;
                    if constexpr (std::is_same_v<T, auth::login_ok>) {
                        log::info("signed in", {{"user", x.session.name}, {"client", client}});
                        audit(protocol::audit_action::sign_in,
                              {protocol::audit_actor::staff, x.session.name}, std::nullopt,
                              std::nullopt, client);
                        auto resp = json(200, protocol::encode_me(x.session.name, x.session.role,
                                                                  x.session.csrf));
                        auto const max_age = std::chrono::duration_cast<std::chrono::seconds>(
                            x.session.expires - auth::clock::now());
                        resp.headers.emplace_back(
                            "Set-Cookie", "cylch_session=" + x.session_token +
                                              "; HttpOnly; SameSite=Strict; Path=/; Max-Age=" +
                                              std::to_string(std::max<long long>(
                                                  0, std::min(max_age, lifetime).count())) +
                                              (secure ? "; Secure" : ""));
                        respond(std::move(resp));
                    } else if constexpr (std::is_same_v<T, auth::login_refused>) {
                        metrics_.auth_failures.fetch_add(1, std::memory_order_relaxed);
                        if (throttle_) {
                            throttle_->record_failure(client, "password",
                                                      failure_throttle::clock::now());
                        }
                        // Not the name as typed (it may be a password typed into the wrong box).
                        log::warn("sign-in refused", {{"user", x.account.value_or("unknown name")},
                                                      {"client", client}});
                        // The name typed is kept only when it is an account's: an unknown one
                        // may be a password typed in the wrong box.
                        audit(protocol::audit_action::sign_in_failed,
                              {protocol::audit_actor::staff, x.account.value_or("unknown name")},
                              std::nullopt, std::nullopt, client);
                        respond(api_error(401, error_code::not_allowed, "wrong name or password"));
                    } else if constexpr (std::is_same_v<T, auth::login_locked>) {
                        metrics_.auth_throttled.fetch_add(1, std::memory_order_relaxed);
                        auto resp = json(429, protocol::encode_api_rate_limited(
                                                  "too many wrong passwords for this account; "
                                                  "try again later",
                                                  x.retry_after));
                        resp.headers.emplace_back(
                            "Retry-After", std::to_string((x.retry_after.count() + 999) / 1000));
                        respond(std::move(resp));
                    } else {
                        respond(api_error(503, error_code::server_error,
                                          "signing in is not possible just now; try again"));
                    }
                },
                result);
        });
}

void http_api::logout(http_request const& r, std::function<void(http_response)> respond) {
    auto const c = who(r);
    if (!c.account) {
        respond(api_error(401, error_code::not_allowed, "you are not signed in"));
        return;
    }
    if (!c.csrf_ok) {
        respond(api_error(403, error_code::not_allowed,
                          "signing out needs the X-CSRF-Token header of your session"));
        return;
    }
    accounts_->logout(r.session);
    audit(protocol::audit_action::sign_out, {protocol::audit_actor::staff, c.account->name},
          std::nullopt, std::nullopt, r.client);
    auto resp = no_content();
    resp.headers.emplace_back("Set-Cookie", std::string("cylch_session=; HttpOnly; "
                                                        "SameSite=Strict; Path=/; Max-Age=0") +
                                                (options_.secure_cookies ? "; Secure" : ""));
    respond(std::move(resp));
}

void http_api::purge(http_request const& r, std::function<void(http_response)> respond) {
    if (!purge_) {
        respond(api_error(404, error_code::not_found, "no such API path"));
        return;
    }
    if (throttled(r, respond)) {
        return;
    }
    auto const c = who(r);
    if (!c.admin()) {
        token_failed(r);
        respond(api_error(c.account ? 403 : 401, error_code::not_allowed,
                          "purging needs an admin (the admin token or an admin's sign-in)"));
        return;
    }
    if (!may_write(c, r, respond)) {
        return;
    }
    purge_([respond](std::string summary) {
        respond(json(200, protocol::encode_purge_summary(summary)));
    });
}

void http_api::me(http_request const& r, std::function<void(http_response)> respond) {
    auto const c = who(r);
    if (!c.account) {
        respond(api_error(401, error_code::not_allowed, "you are not signed in"));
        return;
    }
    respond(json(200, protocol::encode_me(c.account->name, c.account->role, c.account->csrf)));
}

namespace {
protocol::user_listing listing(store::user_row const& u) {
    return {u.id, u.name, u.role, u.disabled, u.created_at};
}
} // namespace

void http_api::users(http_request const& r, std::string const& id,
                     std::function<void(http_response)> respond) {
    bool const get = r.method == "GET" || r.method == "HEAD";
    if ((id.empty() && !get && r.method != "POST") || (!id.empty() && r.method != "PUT")) {
        respond(method_not_allowed(id.empty() ? "GET, HEAD, POST" : "PUT",
                                   "GET /api/users lists, POST adds, PUT /api/users/{id} changes"));
        return;
    }
    if (!accounts_) {
        respond(api_error(404, error_code::not_found, "this server has no accounts"));
        return;
    }
    if (throttled(r, respond)) {
        return;
    }
    auto const c = who(r);
    if (!c.admin()) {
        token_failed(r);
        respond(api_error(c.account ? 403 : 401, error_code::not_allowed,
                          "managing users needs an admin"));
        return;
    }
    if (get) {
        accounts_->list_users([respond](std::optional<std::vector<store::user_row>> all) {
            if (!all) {
                respond(api_error(503, error_code::server_error, "try again"));
                return;
            }
            std::vector<protocol::user_listing> out;
            for (auto const& u : *all) {
                out.push_back(listing(u));
            }
            respond(json(200, protocol::encode_users(out)));
        });
        return;
    }
    if (!may_write(c, r, respond)) {
        return;
    }
    auto parsed = protocol::parse_user_request(r.body, id.empty());
    if (auto const* err = std::get_if<protocol::workshop_file_error>(&parsed)) {
        respond(api_error(400, error_code::bad_request, err->what()));
        return;
    }
    auto req = std::get<protocol::user_request>(std::move(parsed));
    auto const by = audit_name(c, r);
    if (id.empty()) {
        accounts_->add_user(*req.name, *req.role, std::move(*req.password), auth::clock::now(),
                            [this, respond, by](auth::add_user_result result) {
                                if (auto* made = std::get_if<auth::user_made>(&result)) {
                                    log::info("user added", {{"user", made->user.name}});
                                    audit(protocol::audit_action::user_added, by, std::nullopt,
                                          made->user.name + " " +
                                              std::string(protocol::to_string(made->user.role)));
                                    respond(json(201, protocol::encode_user(listing(made->user))));
                                } else if (std::holds_alternative<auth::name_taken>(result)) {
                                    respond(
                                        api_error(409, error_code::conflict, "that name is taken"));
                                } else {
                                    respond(api_error(503, error_code::server_error, "try again"));
                                }
                            });
        return;
    }
    if (c.account && c.account->user_id == id && req.disabled.value_or(false)) {
        respond(api_error(409, error_code::conflict, "you cannot disable your own account"));
        return;
    }
    accounts_->update_user(
        id, req.role, req.disabled,
        [this, respond, by, disabled = req.disabled](
            std::variant<std::optional<store::user_row>, auth::worker_busy> result) {
            if (auto* user = std::get_if<std::optional<store::user_row>>(&result)) {
                if (!*user) {
                    respond(api_error(404, error_code::not_found, "there is no such user"));
                    return;
                }
                log::info("user changed", {{"user", (*user)->name}});
                auto detail = (*user)->name + " " + std::string(protocol::to_string((*user)->role));
                if (disabled) {
                    detail += *disabled ? " disabled" : " enabled";
                }
                audit(protocol::audit_action::user_changed, by, std::nullopt, std::move(detail));
                respond(json(200, protocol::encode_user(listing(**user))));
                return;
            }
            respond(api_error(503, error_code::server_error, "try again"));
        });
}

namespace {

// A decimal number of 1 to 15 digits (milliseconds or an entry id), else nullopt.
std::optional<std::int64_t> whole_number(std::string_view text) {
    if (text.empty() || text.size() > 15) {
        return std::nullopt;
    }
    std::int64_t n = 0;
    for (char ch : text) {
        if (ch < '0' || ch > '9') {
            return std::nullopt;
        }
        n = n * 10 + (ch - '0');
    }
    return n;
}

// The filters of GET /api/audit(.csv) from its query string, or the reason they are refused.
std::variant<store::audit_query, std::string> audit_filters(std::string_view query, bool csv) {
    store::audit_query q;
    q.limit = csv ? store::audit_csv_max : 100;
    while (!query.empty()) {
        auto const end = query.find('&');
        auto part = query.substr(0, end);
        query = end == std::string_view::npos ? std::string_view() : query.substr(end + 1);
        if (part.empty()) {
            continue;
        }
        auto const eq = part.find('=');
        auto const key = part.substr(0, eq);
        auto value = url_decode(eq == std::string_view::npos ? "" : part.substr(eq + 1));
        if (!value || value->size() > 128) {
            return "the value of " + std::string(key.substr(0, 32)) + " is malformed or too long";
        }
        if (value->empty()) {
            continue; // an empty filter (an unset form field) filters nothing
        }
        if (key == "action") {
            q.action = protocol::audit_action_from_string(*value);
            if (!q.action) {
                return "there is no audit action \"" + value->substr(0, 32) + "\"";
            }
        } else if (key == "workshop") {
            q.workshop = *value;
        } else if (key == "actor") {
            q.actor = *value;
        } else if (key == "from" || key == "to" || key == "before" || key == "limit") {
            auto n = whole_number(*value);
            if (!n) {
                return std::string(key) + " must be a whole number" +
                       (key == "from" || key == "to" ? " (milliseconds since 1970, UTC)" : "");
            }
            if (key == "from") {
                q.from = *n;
            } else if (key == "to") {
                q.to = *n;
            } else if (key == "before") {
                q.before = *n;
            } else if (csv || *n < 1 || *n > static_cast<std::int64_t>(store::audit_page_max)) {
                return "limit must be 1 to " + std::to_string(store::audit_page_max) +
                       (csv ? " and is not taken by audit.csv" : "");
            } else {
                q.limit = static_cast<std::size_t>(*n);
            }
        } else {
            return "unknown filter \"" + std::string(key.substr(0, 32)) +
                   "\" (action, workshop, actor, from, to, before, limit)";
        }
    }
    return q;
}

std::string describe(store::audit_query const& q) {
    std::string out;
    auto add = [&](char const* key, std::string const& value) {
        out += (out.empty() ? "" : " ") + std::string(key) + "=" + value;
    };
    if (q.action) {
        add("action", std::string(protocol::to_string(*q.action)));
    }
    if (q.workshop) {
        add("workshop", *q.workshop);
    }
    if (q.actor) {
        add("actor", *q.actor);
    }
    if (q.from != 0) {
        add("from", std::to_string(q.from));
    }
    if (q.to != 0) {
        add("to", std::to_string(q.to));
    }
    if (q.before != 0) {
        add("before", std::to_string(q.before));
    }
    return out.empty() ? "all" : out;
}

} // namespace

void http_api::audit_log(http_request const& r, bool csv,
                         std::function<void(http_response)> respond) {
    if (throttled(r, respond)) {
        return;
    }
    auto const c = who(r);
    bool const may_read =
        c.admin_token || (c.account && c.account->role != protocol::account_role::facilitator);
    if (!may_read) {
        token_failed(r);
        respond(api_error(c.account ? 403 : 401, error_code::not_allowed,
                          "the audit log is for admins and reviewers"));
        return;
    }
    auto const q = r.target.find('?');
    auto parsed = audit_filters(q == std::string::npos ? std::string_view()
                                                       : std::string_view(r.target).substr(q + 1),
                                csv);
    if (auto const* err = std::get_if<std::string>(&parsed)) {
        respond(api_error(400, error_code::bad_request, *err));
        return;
    }
    auto query = std::get<store::audit_query>(std::move(parsed));
    auto const limit = query.limit;
    if (csv) {
        // Reading the log is not audited; taking a copy away is.
        audit(protocol::audit_action::audit_exported, audit_name(c, r), query.workshop,
              describe(query));
        query.limit = store::audit_csv_max + 1; // one more: tells whether the bound cut it
    }
    store_.load_audit_async(
        std::move(query),
        [csv, limit, respond](std::optional<std::vector<store::audit_entry>> rows) {
            if (!rows) {
                respond(api_error(503, error_code::server_error,
                                  "the audit log could not be read; try again"));
                return;
            }
            if (!csv) {
                respond(json(200, protocol::encode_audit_page(*rows, limit)));
                return;
            }
            bool const cut = rows->size() > limit;
            if (cut) {
                rows->resize(limit);
            }
            auto resp = json(200, export_::audit_csv(*rows));
            resp.content_type = "text/csv; charset=utf-8";
            resp.headers.emplace_back("Content-Disposition",
                                      "attachment; filename=\"cylch-audit.csv\"");
            if (cut) {
                // The newest audit_csv_max entries only: narrow with from/to for the rest.
                resp.headers.emplace_back("X-Cylch-Truncated", "1");
            }
            respond(std::move(resp));
        });
}

void http_api::list_workshops(http_request const& r, std::function<void(http_response)> respond) {
    if (throttled(r, respond)) {
        return;
    }
    auto const c = who(r);
    if (!c.admin_token && !c.account) {
        token_failed(r);
        respond(api_error(401, error_code::not_allowed, "sign in first"));
        return;
    }
    if (!accounts_) {
        respond(api_error(404, error_code::not_found, "this server has no accounts"));
        return;
    }
    accounts_->list_workshops(
        [respond, c, accounts = accounts_](
            std::optional<std::vector<std::pair<store::workshop_brief, std::optional<std::string>>>>
                all) {
            if (!all) {
                respond(api_error(503, error_code::server_error, "try again"));
                return;
            }
            std::vector<protocol::workshop_listing> out;
            for (auto& [w, owner] : *all) {
                protocol::workshop_listing l;
                auto access = protocol::workshop_access::all;
                if (c.account && c.account->role == protocol::account_role::facilitator) {
                    auto a = accounts->access(c.account->user_id, w.id);
                    if (!a) {
                        continue; // not theirs, not shared with them
                    }
                    access = *a == auth::workshop_access_kind::owner
                                 ? protocol::workshop_access::owner
                                 : protocol::workshop_access::shared;
                }
                auto parsed = protocol::parse_workshop_file(w.definition);
                auto* spec = std::get_if<protocol::workshop_spec>(&parsed);
                if (spec == nullptr) {
                    continue; // never stored without passing the same parser
                }
                l.id = w.id;
                l.title = std::move(spec->title);
                l.languages = std::move(spec->languages);
                l.programme = std::move(spec->programme);
                l.mode = spec->mode;
                l.opens_at = spec->opens_at;
                l.closes_at = spec->closes_at;
                for (auto& g : spec->groups) {
                    std::int64_t reached = 0;
                    for (auto const& [group, n] : w.by_group) {
                        reached += group == g.id ? n : 0;
                    }
                    l.reach.push_back({std::move(g.id), std::move(g.label), g.target, reached});
                }
                l.state = w.state;
                l.created_at = w.created_at;
                l.participants = w.participants;
                l.purged_at = w.purged_at;
                l.archived_at = w.archived_at;
                l.owner = owner;
                l.access = access;
                out.push_back(std::move(l));
            }
            respond(json(200, protocol::encode_workshop_list(out)));
        });
}

void http_api::share_workshop(http_request const& r, std::string const& id,
                              std::function<void(http_response)> respond) {
    auto const c = who(r);
    if (!accounts_ || !c.account) {
        respond(api_error(401, error_code::not_allowed, "sign in first"));
        return;
    }
    if (!may_write(c, r, respond)) {
        return;
    }
    if (!registry_.facilitator_token_hash(id)) {
        respond(api_error(404, error_code::not_found, "there is no workshop with that id"));
        return;
    }
    if (!c.admin() && accounts_->access(c.account->user_id, id) !=
                          std::optional(auth::workshop_access_kind::owner)) {
        respond(api_error(403, error_code::not_allowed,
                          "only its owner or an admin shares a workshop"));
        return;
    }
    auto parsed = protocol::parse_share_request(r.body);
    if (auto const* err = std::get_if<protocol::workshop_file_error>(&parsed)) {
        respond(api_error(400, error_code::bad_request, err->what()));
        return;
    }
    accounts_->share(
        id, std::get<std::string>(std::move(parsed)),
        [this, respond, id, by = audit_name(c, r)](
            std::variant<std::optional<store::user_row>, auth::worker_busy> result) {
            if (auto* user = std::get_if<std::optional<store::user_row>>(&result)) {
                if (!*user) {
                    respond(api_error(404, error_code::not_found,
                                      "there is no active facilitator of that name"));
                    return;
                }
                log::info("workshop shared", {{"workshop", id}, {"user", (*user)->name}});
                audit(protocol::audit_action::workshop_shared, by, id, (*user)->name);
                respond(json(200, protocol::encode_user(listing(**user))));
                return;
            }
            respond(api_error(503, error_code::server_error, "try again"));
        });
}

void http_api::create_workshop(http_request const& r, std::function<void(http_response)> respond) {
    if (throttled(r, respond)) {
        return;
    }
    auto const c = who(r);
    if (!c.admin_token && !c.account) {
        token_failed(r);
        respond(api_error(401, error_code::not_allowed,
                          "creating a workshop needs the admin token (Authorization: Bearer …) "
                          "or a facilitator's sign-in"));
        return;
    }
    if (!may_write(c, r, respond)) {
        return;
    }
    if (options_.max_workshops != 0 && registry_.count() >= options_.max_workshops) {
        respond(api_error(403, error_code::not_allowed,
                          "this server already holds its limit of " +
                              std::to_string(options_.max_workshops) +
                              " workshops (--max-workshops); no more can be created"));
        return;
    }
    auto parsed = protocol::parse_workshop_file(r.body);
    if (auto const* err = std::get_if<protocol::workshop_file_error>(&parsed)) {
        respond(file_refused(*err));
        return;
    }
    if (auto missing = missing_image(std::get<protocol::workshop_spec>(parsed))) {
        respond(file_refused(*missing));
        return;
    }
    std::optional<std::string> owner;
    if (c.account && !c.admin_token) {
        owner = c.account->user_id;
    }
    store_workshop(std::get<protocol::workshop_spec>(std::move(parsed)), r.body, std::move(owner),
                   audit_name(c, r), std::nullopt, std::move(respond));
}

void http_api::store_workshop(protocol::workshop_spec spec, std::string const& text,
                              std::optional<std::string> owner, audit_by by,
                              std::optional<std::string> original,
                              std::function<void(http_response)> respond) {
    registry_.create(std::move(spec), text,
                     [this, respond, owner, by = std::move(by), original = std::move(original),
                      accounts = accounts_](std::optional<live::created_workshop> made) {
                         if (made && owner && accounts) {
                             accounts->set_owner(made->id, *owner);
                         }
                         if (made) {
                             audit(original ? protocol::audit_action::workshop_duplicated
                                            : protocol::audit_action::workshop_created,
                                   by, made->id, original);
                         }
                         if (!made) {
                             respond(api_error(503, error_code::server_error,
                                               "the workshop could not be stored; try again"));
                             return;
                         }
                         respond(json(201, protocol::encode_created(made->id, made->code,
                                                                    made->facilitator_token,
                                                                    made->presenter_token)));
                     });
}

void http_api::rotate_links(http_request const& r, std::string const& id,
                            std::function<void(http_response)> respond) {
    if (throttled(r, respond)) {
        return;
    }
    if (!may_use_workshop(id, r, true, respond)) {
        return;
    }
    registry_.rotate_links(id, [this, respond, by = audit_name(who(r), r)](
                                   std::optional<live::created_workshop> links) {
        if (!links) {
            respond(api_error(503, error_code::server_error,
                              "the new links could not be stored; try again"));
            return;
        }
        audit(protocol::audit_action::links_rotated, by, links->id, std::nullopt);
        respond(json(200, protocol::encode_created(links->id, links->code, links->facilitator_token,
                                                   links->presenter_token)));
    });
}

void http_api::duplicate_workshop(http_request const& r, std::string const& id,
                                  std::function<void(http_response)> respond) {
    if (throttled(r, respond)) {
        return;
    }
    auto const c = who(r);
    if (!c.admin_token && !c.account) {
        token_failed(r);
        respond(api_error(401, error_code::not_allowed, "sign in first"));
        return;
    }
    if (!may_write(c, r, respond)) {
        return;
    }
    if (!accounts_ || !registry_.facilitator_token_hash(id)) {
        respond(api_error(404, error_code::not_found, "there is no workshop with that id"));
        return;
    }
    if (!c.admin() && !accounts_->access(c.account->user_id, id)) {
        respond(api_error(403, error_code::not_allowed,
                          "only its owner, those it is shared with and admins copy a workshop"));
        return;
    }
    if (options_.max_workshops != 0 && registry_.count() >= options_.max_workshops) {
        respond(api_error(403, error_code::not_allowed,
                          "this server already holds its limit of workshops (--max-workshops)"));
        return;
    }
    std::optional<std::string> owner;
    if (c.account && !c.admin_token) {
        owner = c.account->user_id;
    }
    accounts_->definition_of(id, [this, owner, id, by = audit_name(c, r),
                                  respond](std::optional<std::string> text) {
        auto parsed = text ? protocol::parse_workshop_file(*text)
                           : std::variant<protocol::workshop_spec, protocol::workshop_file_error>(
                                 protocol::workshop_file_error{"$", "not readable"});
        if (!std::holds_alternative<protocol::workshop_spec>(parsed)) {
            respond(api_error(503, error_code::server_error,
                              "the workshop could not be read; try again"));
            return;
        }
        store_workshop(std::get<protocol::workshop_spec>(std::move(parsed)), *text, owner, by, id,
                       respond);
    });
}

void http_api::upload_image(http_request const& r, std::function<void(http_response)> respond) {
    if (throttled(r, respond)) {
        return;
    }
    if (!is_admin(r.authorization)) {
        token_failed(r);
        respond(api_error(401, error_code::not_allowed,
                          "uploading an image needs the admin token (Authorization: Bearer …)"));
        return;
    }
    media_->upload(r.body, std::move(respond));
}

std::optional<protocol::workshop_file_error>
http_api::missing_image(protocol::workshop_spec const& spec) const {
    for (std::size_t i = 0; i < spec.activities.size(); ++i) {
        auto const image = std::visit(
            [](auto const& k) -> std::optional<std::string> {
                if constexpr (requires { k.card; }) {
                    return k.card ? k.card->image : std::nullopt;
                } else {
                    return std::nullopt; // boards carry no card
                }
            },
            spec.activities[i].body);
        if (image && !media_->has(*image)) {
            return protocol::workshop_file_error{
                "$.activities[" + std::to_string(i) + "].card.image",
                "no image " + *image + " was uploaded (POST /api/images first)"};
        }
    }
    return std::nullopt;
}

void http_api::kiosks(http_request const& r, std::string const& id,
                      std::function<void(http_response)> respond) {
    bool const create = id.empty();
    if ((create && r.method != "POST") || (!create && r.method != "PUT")) {
        respond(
            method_not_allowed(create ? "POST" : "PUT",
                               "use POST /api/kiosks to register, PUT /api/kiosks/{id} to rebind"));
        return;
    }
    if (throttled(r, respond)) {
        return;
    }
    if (!is_admin(r.authorization)) {
        token_failed(r);
        respond(api_error(401, error_code::not_allowed,
                          "kiosks are managed with the admin token (Authorization: Bearer …)"));
        return;
    }
    auto parsed = protocol::parse_kiosk_request(r.body, create);
    if (auto const* err = std::get_if<protocol::workshop_file_error>(&parsed)) {
        respond(api_error(400, error_code::bad_request, err->what()));
        return;
    }
    auto req = std::get<protocol::kiosk_request>(std::move(parsed));
    if (!registry_.facilitator_token_hash(req.workshop)) { // no such workshop
        respond(api_error(404, error_code::not_found, "there is no workshop " + req.workshop));
        return;
    }
    if (create) {
        registry_.register_kiosk(
            *req.name, req.workshop,
            [respond](std::optional<std::pair<live::kiosk_entry, std::string>> made) {
                if (!made) {
                    respond(api_error(503, error_code::server_error,
                                      "the kiosk could not be stored; try again"));
                    return;
                }
                respond(json(201, protocol::encode_kiosk_created(made->first.id, made->second,
                                                                 made->first.workshop)));
            });
        return;
    }
    if (!registry_.kiosk(id)) {
        respond(api_error(404, error_code::not_found, "there is no kiosk " + id));
        return;
    }
    registry_.rebind_kiosk(
        id, req.name, req.workshop, [respond](std::optional<live::kiosk_entry> k) {
            if (!k) {
                respond(api_error(503, error_code::server_error,
                                  "the kiosk could not be stored; try again"));
                return;
            }
            respond(json(200, protocol::encode_kiosk(k->id, k->name, k->workshop)));
        });
}

bool http_api::may_use_workshop(std::string const& id, http_request const& r, bool write,
                                std::function<void(http_response)> const& respond) {
    // Checked before an ended workshop is loaded from the database.
    auto const expected = registry_.facilitator_token_hash(id);
    auto token = bearer_token(r.authorization);
    bool allowed = expected && !token.empty() &&
                   (auth::equal_constant_time(auth::hash_token(token), *expected) ||
                    is_admin(r.authorization));
    auto const c = who(r);
    if (expected && !allowed && c.account) {
        // Reviewers and admins read every workshop; facilitators those they own or share.
        // Changes: admins, and facilitators who own or share it (with the CSRF token).
        bool const reach = c.account->role != protocol::account_role::facilitator ||
                           (accounts_ && accounts_->access(c.account->user_id, id));
        if (reach && write) {
            return may_write(c, r, respond);
        }
        allowed = reach;
    }
    if (!expected || !allowed) {
        token_failed(r);
        // The same answer for "no such workshop" and "not yours": ids are not probed.
        respond(api_error(expected ? 403 : 404,
                          expected ? error_code::not_allowed : error_code::not_found,
                          expected ? "this needs the workshop's facilitator token or a sign-in "
                                     "that may see it"
                                   : "there is no workshop with that id"));
        return false;
    }
    return true;
}

void http_api::workshop_get(std::string const& id, std::string const& what, http_request const& r,
                            std::function<void(http_response)> respond) {
    if (what != "" && what != "file" && what != "workshop.json" && what != "results" &&
        what != "export.csv" && what != "boards.csv" && what != "export.json") {
        respond(api_error(404, error_code::not_found, "no such API path"));
        return;
    }
    if (throttled(r, respond)) {
        return;
    }
    if (!may_use_workshop(id, r, false, respond)) {
        return;
    }
    // ?publishable=1: results as shared screens may show them (docs/protocol.md, "Small cells").
    auto const query = r.target.find('?');
    bool const publishable =
        query != std::string::npos &&
        ("&" + r.target.substr(query + 1) + "&").find("&publishable=1&") != std::string::npos;
    auto const to = publishable ? export_::audience::publication : export_::audience::staff;
    if (!what.empty() && what != "file" && what != "workshop.json") {
        // Who exported what (answers; the workshop's own file holds none); recorded before the
        // answer, so an audit read after it shows it.
        audit(protocol::audit_action::exported, audit_name(who(r), r), id,
              (what == "results" ? std::string("results.json") : what) +
                  (publishable ? " publishable" : ""));
    }
    registry_.find_by_id(id, [what, to, respond](std::shared_ptr<live::workshop_actor> actor) {
        if (!actor) {
            respond(api_error(503, error_code::server_error,
                              "the workshop could not be read; try again"));
            return;
        }
        inspect_workshop(*actor, what, to, respond);
    });
}

void http_api::erase_respondent(std::string const& id, std::string const& respondent,
                                http_request const& r, std::function<void(http_response)> respond) {
    if (throttled(r, respond)) {
        return;
    }
    if (!may_use_workshop(id, r, true, respond)) {
        return;
    }
    // "r7" as in the exports; 1..10^9.
    std::size_t number = 0;
    bool well_formed = respondent.size() >= 2 && respondent.size() <= 10 && respondent[0] == 'r' &&
                       respondent[1] != '0';
    for (std::size_t i = 1; well_formed && i < respondent.size(); ++i) {
        well_formed = respondent[i] >= '0' && respondent[i] <= '9';
        number = number * 10 + static_cast<std::size_t>(respondent[i] - '0');
    }
    if (!well_formed) {
        respond(api_error(404, error_code::not_found,
                          "there is no respondent \"" + respondent.substr(0, 32) +
                              "\" (respondents are numbered r1, r2, … as in the exports)"));
        return;
    }
    registry_.find_by_id(id, [number, respondent, respond, by = audit_name(who(r), r).name](
                                 std::shared_ptr<live::workshop_actor> actor) {
        if (!actor) {
            respond(api_error(503, error_code::server_error,
                              "the workshop could not be read; try again"));
            return;
        }
        using outcome = live::workshop_actor::erase_outcome;
        actor->erase_respondent(number, by, [respondent, respond](outcome o) {
            switch (o) {
            case outcome::erased:
                respond(no_content());
                return;
            case outcome::not_found:
                respond(api_error(404, error_code::not_found,
                                  "there is no respondent " + respondent +
                                      " with data in this workshop"));
                return;
            case outcome::failed:
                respond(api_error(503, error_code::server_error,
                                  "the erasure could not be stored; try again"));
                return;
            }
        });
    });
}

void http_api::erase_responses(std::string const& id, http_request const& r,
                               std::function<void(http_response)> respond) {
    if (throttled(r, respond)) {
        return;
    }
    if (!may_use_workshop(id, r, true, respond)) {
        return;
    }
    registry_.find_by_id(id, [respond, by = audit_name(who(r), r).name](
                                 std::shared_ptr<live::workshop_actor> actor) {
        if (!actor) {
            respond(api_error(503, error_code::server_error,
                              "the workshop could not be read; try again"));
            return;
        }
        using outcome = live::workshop_actor::purge_outcome;
        auto nothing = [](domain::workshop const&) { return std::optional<std::string>{}; };
        actor->purge(
            store::audit_now(), nothing,
            [respond](outcome o, std::size_t) {
                switch (o) {
                case outcome::purged:
                case outcome::already:
                    respond(no_content());
                    return;
                case outcome::live:
                    respond(api_error(409, error_code::conflict,
                                      "the workshop is still running: end it before erasing "
                                      "its responses"));
                    return;
                case outcome::failed:
                    respond(api_error(503, error_code::server_error,
                                      "the erasure could not be stored; try again"));
                    return;
                }
            },
            by);
    });
}

void http_api::delete_workshop(std::string const& id, http_request const& r,
                               std::function<void(http_response)> respond) {
    if (throttled(r, respond)) {
        return;
    }
    auto const c = who(r);
    if (!c.admin_token && !c.account) {
        // A workshop's own link (or any other token) does not delete it: a sign-in does.
        token_failed(r);
        bool const token = !bearer_token(r.authorization).empty();
        respond(
            api_error(token ? 403 : 401, error_code::not_allowed,
                      token ? "only its owner or an admin deletes a workshop" : "sign in first"));
        return;
    }
    if (!may_write(c, r, respond)) {
        return;
    }
    if (!registry_.facilitator_token_hash(id)) {
        respond(api_error(404, error_code::not_found, "there is no workshop with that id"));
        return;
    }
    bool const owner = c.account && accounts_ &&
                       accounts_->access(c.account->user_id, id) ==
                           std::optional(auth::workshop_access_kind::owner);
    if (!c.admin() && !owner) {
        respond(api_error(403, error_code::not_allowed,
                          "only its owner or an admin deletes a workshop"));
        return;
    }
    using outcome = live::registry::remove_outcome;
    registry_.remove(id, audit_name(c, r).name, [respond, id, accounts = accounts_](outcome o) {
        switch (o) {
        case outcome::removed: {
            if (accounts) {
                accounts->forget_workshop(id);
            }
            respond(no_content());
            return;
        }
        case outcome::not_found:
            respond(api_error(404, error_code::not_found, "there is no workshop with that id"));
            return;
        case outcome::live:
            respond(api_error(409, error_code::conflict,
                              "the workshop is still running: end it before "
                              "deleting it"));
            return;
        case outcome::kiosks_bound:
            respond(api_error(409, error_code::conflict,
                              "a kiosk is bound to this workshop: bind it to "
                              "another workshop first"));
            return;
        case outcome::failed:
            respond(api_error(503, error_code::server_error,
                              "the workshop could not be deleted; try again"));
            return;
        }
    });
}

void http_api::end_workshop(http_request const& r, std::string const& id,
                            std::function<void(http_response)> respond) {
    if (throttled(r, respond)) {
        return;
    }
    if (!may_use_workshop(id, r, true, respond)) {
        return;
    }
    registry_.find_by_id(id, [by = audit_name(who(r), r).name,
                              respond](std::shared_ptr<live::workshop_actor> actor) {
        if (!actor) {
            respond(api_error(503, error_code::server_error,
                              "the workshop could not be read; try again"));
            return;
        }
        actor->staff_request(protocol::workshop_end{"http-" + auth::new_id("end")}, by,
                             [respond](std::optional<protocol::error> refused) {
                                 if (!refused) {
                                     respond(no_content());
                                     return;
                                 }
                                 auto const status =
                                     refused->code == error_code::rate_limited   ? 503u
                                     : refused->code == error_code::server_error ? 503u
                                                                                 : 409u;
                                 respond(api_error(status, refused->code, refused->message));
                             });
    });
}

void http_api::archive_workshop(http_request const& r, std::string const& id, bool archive,
                                std::function<void(http_response)> respond) {
    if (throttled(r, respond) || !may_change_workshop(r, id, "archive", respond)) {
        return;
    }
    auto const c = who(r);
    std::optional<std::int64_t> at;
    if (archive) {
        at = store::audit_now();
    }
    accounts_->set_archived(
        id, at,
        [this, id, archive, respond,
         by = audit_name(c, r)](std::variant<bool, auth::worker_busy> result) {
            auto const* done = std::get_if<bool>(&result);
            if (done == nullptr) {
                respond(api_error(503, error_code::server_error, "try again"));
                return;
            }
            if (!*done) {
                respond(api_error(409, error_code::conflict,
                                  "only an ended workshop is archived: end it first"));
                return;
            }
            audit(archive ? protocol::audit_action::workshop_archived
                          : protocol::audit_action::workshop_unarchived,
                  by, id, std::nullopt);
            respond(no_content());
        });
}

void http_api::compare_workshops(http_request const& r,
                                 std::function<void(http_response)> respond) {
    if (throttled(r, respond)) {
        return;
    }
    auto const c = who(r);
    if (!c.admin_token && !c.account) {
        token_failed(r);
        respond(api_error(401, error_code::not_allowed, "sign in first"));
        return;
    }
    // ?workshops=w_a,w_b,… (1 to max_compared, each once)
    constexpr std::size_t max_compared = 50;
    std::vector<std::string> ids;
    auto const q = r.target.find('?');
    for (std::string_view query = q == std::string::npos ? ""
                                                         : std::string_view(r.target).substr(q + 1);
         !query.empty();) {
        auto const end = query.find('&');
        auto const part = query.substr(0, end);
        query = end == std::string_view::npos ? std::string_view() : query.substr(end + 1);
        if (!part.starts_with("workshops=")) {
            continue;
        }
        auto list = url_decode(part.substr(10));
        std::string_view rest = list ? std::string_view(*list) : std::string_view();
        while (!rest.empty()) {
            auto const comma = rest.find(',');
            auto const id = rest.substr(0, comma);
            rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
            if (!id.empty() && std::find(ids.begin(), ids.end(), id) == ids.end()) {
                ids.emplace_back(id);
            }
        }
    }
    if (ids.empty() || ids.size() > max_compared) {
        respond(api_error(400, error_code::bad_request,
                          "name 1 to " + std::to_string(max_compared) +
                              " workshops: ?workshops=w_a,w_b"));
        return;
    }
    for (auto const& id : ids) {
        if (!registry_.facilitator_token_hash(id)) {
            respond(api_error(404, error_code::not_found, "there is no workshop " + id));
            return;
        }
        bool const reach = c.admin_token ||
                           c.account->role != protocol::account_role::facilitator ||
                           (accounts_ && accounts_->access(c.account->user_id, id));
        if (!reach) {
            respond(api_error(403, error_code::not_allowed,
                              "workshop " + id + " is not yours or shared with you"));
            return;
        }
    }
    auto const by = audit_name(c, r);
    for (auto const& id : ids) {
        audit(protocol::audit_action::exported, by, id, std::string("comparison"));
    }
    // Each part is read on its workshop's strand; the last one in answers.
    struct gathering {
        std::mutex mutex;
        std::vector<std::optional<export_::compare_part>> parts;
        std::size_t left = 0;
        bool failed = false;
        std::function<void(http_response)> respond;
    };
    auto g = std::make_shared<gathering>();
    g->parts.resize(ids.size());
    g->left = ids.size();
    g->respond = std::move(respond);
    auto arrive = [g](std::size_t i, std::optional<export_::compare_part> part) {
        std::unique_lock lock(g->mutex);
        g->failed = g->failed || !part;
        g->parts[i] = std::move(part);
        if (--g->left != 0) {
            return;
        }
        lock.unlock();
        if (g->failed) {
            g->respond(api_error(503, error_code::server_error,
                                 "a workshop could not be read; try again"));
            return;
        }
        std::vector<export_::compare_part> all;
        for (auto& p : g->parts) {
            all.push_back(std::move(*p));
        }
        g->respond(json(200, protocol::encode_comparison(export_::compare(all))));
    };
    for (std::size_t i = 0; i < ids.size(); ++i) {
        registry_.find_by_id(ids[i], [i, arrive](std::shared_ptr<live::workshop_actor> actor) {
            if (!actor) {
                arrive(i, std::nullopt);
                return;
            }
            actor->inspect(
                [i, arrive](domain::workshop const& ws) { arrive(i, export_::part_of(ws)); });
        });
    }
}

bool http_api::may_change_workshop(http_request const& r, std::string const& id,
                                   std::string_view verb,
                                   std::function<void(http_response)> const& respond) {
    auto const c = who(r);
    if (!c.admin_token && !c.account) {
        // A workshop's own link (or any other token) does not: a sign-in does.
        token_failed(r);
        bool const token = !bearer_token(r.authorization).empty();
        respond(api_error(token ? 403 : 401, error_code::not_allowed,
                          token ? "to " + std::string(verb) +
                                      " a workshop needs a sign-in that may change it"
                                : "sign in first"));
        return false;
    }
    if (!may_write(c, r, respond)) {
        return false;
    }
    if (!accounts_ || !registry_.facilitator_token_hash(id)) {
        respond(api_error(404, error_code::not_found, "there is no workshop with that id"));
        return false;
    }
    if (!c.admin() && !accounts_->access(c.account->user_id, id)) {
        respond(api_error(403, error_code::not_allowed,
                          "only its owner, those it is shared with and admins " +
                              std::string(verb) + " a workshop"));
        return false;
    }
    return true;
}

void http_api::edit_workshop(std::string const& id, http_request const& r,
                             std::function<void(http_response)> respond) {
    if (throttled(r, respond) || !may_change_workshop(r, id, "edit", respond)) {
        return;
    }
    auto const c = who(r);
    auto parsed = protocol::parse_workshop_file(r.body);
    if (auto const* err = std::get_if<protocol::workshop_file_error>(&parsed)) {
        respond(file_refused(*err));
        return;
    }
    auto& spec = std::get<protocol::workshop_spec>(parsed);
    if (auto missing = missing_image(spec)) {
        respond(file_refused(*missing));
        return;
    }
    registry_.find_by_id(id, [spec = std::move(spec), text = r.body, by = audit_name(c, r).name,
                              respond](std::shared_ptr<live::workshop_actor> actor) mutable {
        if (!actor) {
            respond(api_error(503, error_code::server_error,
                              "the workshop could not be read; try again"));
            return;
        }
        auto const wid = actor->id();
        actor->edit(std::move(spec), std::move(text), std::move(by),
                    [respond, wid](live::workshop_actor::edit_outcome outcome) {
                        if (auto* order = std::get_if<std::vector<std::string>>(&outcome)) {
                            respond(json(200, protocol::encode_edited(wid, *order)));
                        } else if (auto* no = std::get_if<domain::edit_refusal>(&outcome)) {
                            // An id that is not the workshop's is a mistake in the file (400);
                            // the rest protect what was answered (409).
                            bool const file =
                                no->problem == domain::edit_problem::unknown_activity ||
                                no->problem == domain::edit_problem::repeated_activity;
                            respond(json(file ? 400 : 409,
                                         protocol::encode_api_error(
                                             file ? error_code::bad_request : error_code::conflict,
                                             no->path + ": " + no->message, no->path,
                                             domain::to_string(no->problem))));
                        } else {
                            respond(api_error(503, error_code::server_error,
                                              "the edit could not be stored; try again"));
                        }
                    });
    });
}

void http_api::inspect_workshop(live::workshop_actor& actor, std::string const& what,
                                export_::audience to,
                                std::function<void(http_response)> const& respond) {
    actor.inspect([what, to, respond](domain::workshop const& ws) {
        if (what.empty()) {
            std::optional<std::string> current;
            if (auto const* a = ws.current()) {
                current = a->id;
            }
            respond(json(200, protocol::encode_workshop_detail(ws.view(), ws.agenda(), current)));
        } else if (what == "file") {
            std::vector<std::string> ids;
            std::vector<std::string> answered;
            for (auto const& a : ws.activities()) {
                ids.push_back(a.id);
                if (domain::has_responses(a)) {
                    answered.push_back(a.id);
                }
            }
            respond(json(200, protocol::encode_file_for_editing(ws.definition(), ids, answered)));
        } else if (what == "workshop.json") {
            // The workshop file as stored: import it again (POST /api/workshops, --import)
            // here or on another server. No answers, no links.
            auto resp = json(200, ws.definition());
            resp.headers.emplace_back("Content-Disposition",
                                      "attachment; filename=\"" + ws.id() + "-workshop.json\"");
            respond(std::move(resp));
        } else if (ws.purged_at() != 0) {
            // Retention: the responses are gone; the results say so and carry what was kept.
            auto const date = export_::iso_time(ws.purged_at());
            if (what == "results") {
                respond(json(200, protocol::encode_purged_results(ws.view(), ws.purged_at(), date,
                                                                  ws.kept_results())));
            } else {
                respond(api_error(410, error_code::not_found,
                                  "the responses of this workshop were purged on " + date +
                                      " at the end of its retention period; there are none to "
                                      "export (GET /api/workshops/" +
                                      ws.id() + "/results has what was kept, if anything)"));
            }
        } else if (what == "results") {
            // Timings are the staff's: times of answers in a small workshop could point at
            // someone, so the publication view has none.
            respond(json(200, protocol::encode_results(ws.view(), export_::results_of(ws, to),
                                                       to == export_::audience::staff
                                                           ? std::optional(export_::timings_of(ws))
                                                           : std::nullopt)));
        } else if (what == "export.json") {
            auto resp = json(200, protocol::encode_export(ws.id(), export_::response_rows(ws, to),
                                                          export_::note_rows(ws, to)));
            resp.headers.emplace_back("Content-Disposition",
                                      "attachment; filename=\"" + ws.id() + ".json\"");
            respond(std::move(resp));
        } else {
            bool const boards = what == "boards.csv";
            auto resp =
                json(200, boards ? export_::boards_csv(ws, to) : export_::results_csv(ws, to));
            resp.content_type = "text/csv; charset=utf-8";
            resp.headers.emplace_back("Content-Disposition",
                                      "attachment; filename=\"" + ws.id() +
                                          (boards ? "-boards.csv\"" : ".csv\""));
            respond(std::move(resp));
        }
    });
}

http_response http_api::metrics_text() const {
    auto const& c = store_.counters();
    std::ostringstream out;
    auto metric = [&](char const* name, char const* type, char const* help, auto value) {
        out << "# HELP " << name << ' ' << help << "\n# TYPE " << name << ' ' << type << '\n'
            << name << ' ' << value << '\n';
    };
    auto load = [](auto const& a) { return a.load(std::memory_order_relaxed); };
    metric("cylch_connections", "gauge", "Open WebSocket connections.",
           load(metrics_.connections_open));
    metric("cylch_connections_total", "counter", "WebSocket connections accepted.",
           load(metrics_.connections_total));
    metric("cylch_connections_dropped_slow_total", "counter",
           "Connections closed for falling behind their write queue bound.",
           load(metrics_.connections_dropped_slow));
    metric("cylch_connections_refused_total", "counter",
           "WebSocket upgrades refused by a connection cap (503).",
           load(metrics_.connections_refused));
    metric("cylch_connections_dropped_budget_total", "counter",
           "Connections closed to keep all queued frames within the server's write budget.",
           load(metrics_.connections_dropped_budget));
    metric("cylch_auth_failures_total", "counter", "Wrong join codes and tokens.",
           load(metrics_.auth_failures));
    metric("cylch_auth_throttled_total", "counter",
           "Attempts refused as rate_limited after too many wrong codes or tokens.",
           load(metrics_.auth_throttled));
    metric("cylch_frames_in_total", "counter", "WebSocket frames received.",
           load(metrics_.frames_in));
    metric("cylch_frames_out_total", "counter", "WebSocket frames sent.",
           load(metrics_.frames_out));
    metric("cylch_acks_total", "counter", "Requests acknowledged after commit.",
           load(metrics_.acks_sent));
    metric("cylch_errors_total", "counter", "Error frames sent.", load(metrics_.errors_sent));
    metric("cylch_votes_total", "counter", "Votes applied and committed.",
           load(metrics_.votes_applied));
    metric("cylch_summaries_total", "counter", "Summaries serialised and fanned out.",
           load(metrics_.summaries_flushed));
    metric("cylch_http_requests_total", "counter", "HTTP requests handled.",
           load(metrics_.http_requests));
    metric("cylch_workshops", "gauge", "Workshops in memory (live ones, and ended ones in use).",
           load(metrics_.workshops));
    metric("cylch_workshops_stored", "gauge", "Workshops in the database, live and ended.",
           registry_.count());
    metric("cylch_store_commits_total", "counter", "Store transactions committed.",
           load(c.commits));
    metric("cylch_store_batches_total", "counter", "Batches made durable.", load(c.batches));
    metric("cylch_store_failures_total", "counter", "Batches the store could not write.",
           load(c.failures));
    metric("cylch_store_queue", "gauge", "Batches waiting for the writer.", load(c.queued));
    metric("cylch_store_commit_seconds_sum", "counter", "Time spent in commits.",
           static_cast<double>(load(c.commit_micros)) / 1e6);
    metric("cylch_store_commit_seconds_count", "counter", "Commits timed.", load(c.commits));
    http_response r = json(200, std::move(out).str());
    r.content_type = "text/plain; version=0.0.4; charset=utf-8";
    return r;
}

} // namespace cylch::net
