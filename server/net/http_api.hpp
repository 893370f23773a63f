// Routing of plain HTTP requests: health, metrics, the JSON API, QR codes and static files.
// Knows nothing of Beast: http_session turns its messages into these structs and back.
//
// Thread-safety: handle() may be called from any thread; `respond` may be called on another
// thread (e.g. a workshop's strand), and the caller posts it back to its connection.
#pragma once

#include "server/auth/accounts.hpp"
#include "server/export/csv.hpp"
#include "server/live/registry.hpp"
#include "server/metrics.hpp"
#include "server/net/failure_throttle.hpp"
#include "server/net/static_files.hpp"

#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace cylch::net {

struct http_request {
    std::string method; // "GET", "POST", …
    std::string target; // path and query
    std::string authorization;
    std::string body;
    bool from_loopback = false;
    std::string client;  // the client's address (X-Forwarded-For's last entry behind a local proxy)
    std::string session; // the cylch_session cookie's value; empty when there is none
    std::string csrf;    // the X-CSRF-Token header
};

struct http_response {
    unsigned status = 200;
    std::string content_type = "application/json";
    std::shared_ptr<std::string const> body;
    std::vector<std::pair<std::string, std::string>> headers;
};

struct api_options {
    std::string admin_token_hash;  // hash of the admin token; empty: no admin access
    bool metrics_public = false;   // /metrics for everyone, not only loopback clients
    std::size_t max_workshops = 0; // POST /api/workshops refused past this many; 0: no cap
    bool secure_cookies = false;   // session cookies marked Secure (served over TLS)
};

class media_library;

// Who is asking: the admin token, a signed-in account, or neither.
struct caller {
    bool admin_token = false;
    std::optional<auth::session_info> account;
    bool csrf_ok = false; // the request carried the account's CSRF token
    bool admin() const {
        return admin_token || (account && account->role == protocol::account_role::admin);
    }
};

// Who an audit entry names: an account, "admin token" or "facilitator token" (staff).
struct audit_by {
    protocol::audit_actor kind = protocol::audit_actor::staff;
    std::string name;
};

class http_api {
public:
    // Reads the ids of the uploaded images from the store (before serving).
    http_api(live::registry& registry, static_files const& files, store::store& store,
             cylch::metrics& metrics, api_options options, failure_throttle* throttle = nullptr,
             auth::accounts* accounts = nullptr);

    ~http_api();

    void handle(http_request request, std::function<void(http_response)> respond);

    // A staff hello without a token (websocket_session): the name of the signed-in account
    // (session cookie value `session`) when it may act as `role` in workshop `id`:
    // facilitator — admins, and facilitators who own it or with whom it is shared;
    // presenter — those, and reviewers. Memory only; any thread.
    std::optional<std::string> staff_by_session(std::string_view session, std::string const& id,
                                                protocol::role role) const;
    // What POST /api/purge runs (the retention run of server/retention.hpp, wired by the app;
    // `done` gets "purged 2 workshops: …"). Set before serving; unset: 404.
    using purge_summary = std::function<void(std::function<void(std::string summary)>)>;
    void set_purge(purge_summary run) { purge_ = std::move(run); }

private:
    caller who(http_request const& r) const;
    // The staff member a request is audited as: its bearer token's kind, else the account.
    audit_by audit_name(caller const& c, http_request const& r) const;
    // Appends one entry to the audit log through the store's writer queue, in order with the
    // workshops' batches. At the queue's bound the entry is not kept (logged as a warning).
    void audit(protocol::audit_action action, audit_by const& by,
               std::optional<std::string> workshop, std::optional<std::string> detail,
               std::optional<std::string> address = std::nullopt);
    // GET /api/audit and /api/audit.csv (admins, reviewers, the admin token).
    void audit_log(http_request const& r, bool csv, std::function<void(http_response)> respond);
    // True when the caller may write: the admin token, or an account (not a reviewer) whose
    // request carries its CSRF token. Otherwise answers 401/403 and returns false.
    bool may_write(caller const& c, http_request const& r,
                   std::function<void(http_response)> const& respond);
    // True when the caller may read (or, with `write`, change) workshop `id`: its facilitator
    // token, the admin token, or an account that may reach it. Otherwise answers and false.
    bool may_use_workshop(std::string const& id, http_request const& r, bool write,
                          std::function<void(http_response)> const& respond);
    void login(http_request const& r, std::function<void(http_response)> respond);
    void logout(http_request const& r, std::function<void(http_response)> respond);
    void me(http_request const& r, std::function<void(http_response)> respond);
    // POST /api/purge (admins): purges the workshops past their retention period now.
    void purge(http_request const& r, std::function<void(http_response)> respond);
    void users(http_request const& r, std::string const& id,
               std::function<void(http_response)> respond);
    void list_workshops(http_request const& r, std::function<void(http_response)> respond);
    // POST /api/workshops/{id}/end: ends it as the console's "End workshop" does.
    void end_workshop(http_request const& r, std::string const& id,
                      std::function<void(http_response)> respond);
    // POST /api/workshops/{id}/archive, …/unarchive: an ended workshop out of the list's way.
    void archive_workshop(http_request const& r, std::string const& id, bool archive,
                          std::function<void(http_response)> respond);
    // GET /api/compare?workshops=w_a,w_b: the same statements across workshops, pooled.
    void compare_workshops(http_request const& r, std::function<void(http_response)> respond);
    void share_workshop(http_request const& r, std::string const& id,
                        std::function<void(http_response)> respond);
    void duplicate_workshop(http_request const& r, std::string const& id,
                            std::function<void(http_response)> respond);
    // Stores a parsed workshop file as a new workshop owned by `owner` (none: made by token).
    // Audited as workshop_created, or workshop_duplicated when `original` is given.
    void store_workshop(protocol::workshop_spec spec, std::string const& text,
                        std::optional<std::string> owner, audit_by by,
                        std::optional<std::string> original,
                        std::function<void(http_response)> respond);
    // True (and `respond` called with 429) when the client's address may not try now.
    bool address_throttled(http_request const& r,
                           std::function<void(http_response)> const& respond);
    void create_workshop(http_request const& r, std::function<void(http_response)> respond);
    void upload_image(http_request const& r, std::function<void(http_response)> respond);
    // The first card image of the workshop that was never uploaded, as an error; nullopt when
    // every one was.
    std::optional<protocol::workshop_file_error>
    missing_image(protocol::workshop_spec const& spec) const;
    void kiosks(http_request const& r, std::string const& id,
                std::function<void(http_response)> respond);
    void workshop_get(std::string const& id, std::string const& what, http_request const& r,
                      std::function<void(http_response)> respond);
    // True when the caller may change the workshop (a sign-in of its owner, of someone it is
    // shared with or of an admin, with the CSRF token; or the admin token); else answers
    // 401/403/404 and returns false. `verb` names the change in the refusal.
    bool may_change_workshop(http_request const& r, std::string const& id, std::string_view verb,
                             std::function<void(http_response)> const& respond);
    // PUT /api/workshops/{id}: staff who may write it edit it (docs/protocol.md, "Editing a
    // workshop").
    void edit_workshop(std::string const& id, http_request const& r,
                       std::function<void(http_response)> respond);
    // Answers a GET of a workshop (what: "", "file", "results", "export.csv", "boards.csv") from
    // its actor's memory, on its strand, for its staff or for publication (?publishable=1).
    static void inspect_workshop(live::workshop_actor& actor, std::string const& what,
                                 export_::audience to,
                                 std::function<void(http_response)> const& respond);
    // DELETE /api/workshops/{id}/respondents/{r}: staff erasure of one respondent.
    void erase_respondent(std::string const& id, std::string const& respondent,
                          http_request const& r, std::function<void(http_response)> respond);
    // POST /api/workshops/{id}/links: new facilitator and presenter links (200, the shape of
    // a creation's 201); the old ones stop working.
    void rotate_links(http_request const& r, std::string const& id,
                      std::function<void(http_response)> respond);
    // DELETE /api/workshops/{id}/responses: staff erasure of every response of an ended
    // workshop (the retention purge, now, keeping nothing).
    // DELETE /api/workshops/{id}: the owner or an admin deletes an ended workshop.
    void delete_workshop(std::string const& id, http_request const& r,
                         std::function<void(http_response)> respond);
    void erase_responses(std::string const& id, http_request const& r,
                         std::function<void(http_response)> respond);
    http_response metrics_text() const;
    bool is_admin(std::string const& authorization) const;
    // True (and `respond` called with 429) when the client may not try a token now.
    bool throttled(http_request const& r, std::function<void(http_response)> const& respond);
    // Counts a request whose bearer token was wrong.
    void token_failed(http_request const& r);

    live::registry& registry_;
    static_files const& files_;
    store::store& store_;
    std::unique_ptr<media_library> media_;
    cylch::metrics& metrics_;
    api_options const options_;
    failure_throttle* const throttle_;
    auth::accounts* const accounts_;
    purge_summary purge_;
};

// The token of an "Authorization: Bearer <token>" header; empty when there is none.
std::string bearer_token(std::string_view authorization);
// The value of the cylch_session cookie in a Cookie header; empty when there is none.
std::string session_cookie(std::string_view cookie_header);
// Percent-decodes a URL query value; nullopt on a malformed escape.
std::optional<std::string> url_decode(std::string_view text);

} // namespace cylch::net
