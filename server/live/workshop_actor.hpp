// The imperative shell around one domain::workshop: owns it on a strand, talks to the store
// and to the connections that joined it.
//
// Every public function may be called from any thread; each posts its work to the strand,
// so the workshop is only ever touched there. Acks are delivered after the store reports the
// commit. Summaries and presence are coalesced: at most one of each per flush interval,
// serialised once and shared by every recipient of the same view, and handed to the
// connections a slice at a time (so that acks and reads are not queued behind the fan-out to
// a large audience); the next flush waits until the last one has been handed out.
#pragma once

#include "server/domain/edit.hpp"
#include "server/domain/workshop.hpp"
#include "server/live/subscriber.hpp"
#include "server/metrics.hpp"
#include "server/store/store.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include <array>
#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <variant>
#include <vector>

namespace cylch::live {

struct actor_options {
    // At most one summary (and one presence) per this interval per workshop...
    std::chrono::milliseconds flush_interval{100};
    // ...stretched by this much per connected member, so that a large audience is not flooded
    // (25 µs: 4,000 members keep 100 ms; 10,000 get 250 ms, 4 summaries a second). With a
    // stretched interval, the first flush after a quiet spell waits one interval (mark_dirty).
    std::chrono::microseconds flush_per_member{25};
    // Board changes (board.changes) go out at most once per this much per member, and never
    // more often than summaries: notes are read, not watched like a tally, so a large room
    // gets fewer, fuller frames (1,000 members: 4 a second; 200: every flush).
    std::chrono::microseconds board_flush_per_member{250};
    // A due flush waits (at most one more interval) while writes are being committed or the
    // last one was handed to the store less than this long ago (or a tenth of the interval,
    // if longer): a burst is summed up once, when it has landed and paused.
    std::chrono::milliseconds settle_quiet{5};
};

class workshop_actor : public std::enable_shared_from_this<workshop_actor> {
public:
    using strand_type = boost::asio::strand<boost::asio::any_io_executor>;

    workshop_actor(boost::asio::any_io_executor executor, std::unique_ptr<domain::workshop> ws,
                   store::store& store, actor_options options, cylch::metrics& metrics);

    // Constant after construction, safe from any thread.
    std::string const& id() const { return id_; }
    std::string const& code() const { return code_; }
    // The facilitator token's hash the workshop was loaded with (the registry keeps the
    // current one: rotate_links tells it).
    std::string const& facilitator_token_hash() const { return facilitator_token_hash_; }
    // Safe from any thread, possibly a moment old: whether the workshop has ended, and how many
    // connections have joined it (the registry drops idle ended workshops from memory).
    bool ended() const { return ended_.load(std::memory_order_relaxed); }
    std::size_t member_count() const { return member_count_.load(std::memory_order_relaxed); }

    // A connection said hello. On success it receives `welcome` (a new participant is not
    // stored until their first request); otherwise an error and a close.
    // `account`: a staff hello without a token that the network layer admitted by a staff
    // sign-in that may act in this role here (http_api::staff_by_session).
    void join(std::shared_ptr<subscriber> who, protocol::hello hello,
              std::optional<signed_in> account = std::nullopt);
    // A decoded request from a joined connection.
    void request(std::uint64_t subscriber_id, protocol::client_message message);
    // The connection is gone.
    void leave(std::uint64_t subscriber_id);

    // Runs `read` on the strand with the workshop; `done` gets what it returns, on the strand.
    // For the HTTP API (results, export): nothing blocking, memory only.
    void inspect(std::function<void(domain::workshop const&)> read);

    // Staff erasure of one respondent by their export number ("r7" is 7), as a withdrawal
    // (docs/protocol.md, "Withdrawal and erasure"). `done` is called on the strand once the
    // erasure is durable: 204 erased, 404 no such respondent (or withdrawn already), 503 the
    // store failed.
    // `by`: who asked (an account name, "admin token", …), for the audit entry.
    enum class erase_outcome { erased, not_found, failed };
    void erase_respondent(std::size_t number, std::string by,
                          std::function<void(erase_outcome)> done);

    // Retention (docs/protocol.md, "Retention"): erases every response of an ended workshop.
    // On the strand: `keep` gives the results to keep (nullopt: none), read from the workshop
    // as it is at that moment; memory then holds the purged workshop at once (so nothing
    // purged is served from here on), every connection is closed with 1001 (they reconnect to
    // the purged state), and the purge is stored. `done` is called on the strand once it is
    // durable: purged; live when the workshop has not ended; already when it was purged
    // before; failed when the store refused it (the workshop is then reloaded from the
    // database). `erased_by` names the staff member when it is an erasure on request
    // (DELETE /api/workshops/{id}/responses) rather than the retention period's purge.
    enum class purge_outcome { purged, live, already, failed };
    using keep_function = std::function<std::optional<std::string>(domain::workshop const&)>;
    // `done` also gets how many respondents' responses were erased.
    void purge(store::time_ms now, keep_function keep,
               std::function<void(purge_outcome, std::size_t)> done,
               std::optional<std::string> erased_by = std::nullopt);

    // New facilitator and presenter links: stores the new tokens' hashes, then (on the strand,
    // once durable) the old links stop working and every connection opened as facilitator or
    // presenter is closed with 1001 (one opened by a sign-in is admitted again on its
    // reconnect; one opened by an old link is refused). `done(false)`: not stored, nothing
    // changed.
    void rotate_links(std::string facilitator_hash, std::string presenter_hash,
                      std::function<void(bool)> done);

    // Staff edit (PUT /api/workshops/{id}; docs/protocol.md, "Editing a workshop"): on the
    // strand, checks the edited file against the workshop as it is (domain/edit.hpp), reads the
    // workshop back from the database, builds the edited one from that (the path a restart
    // takes, so a workshop that would not load is never stored) and stores the edit with its
    // audit entry. Once durable, memory holds it and every connection is closed with 1001:
    // they reconnect to the edited agenda. Requests meanwhile are refused as busy (clients send
    // them again). `done` is called on the strand: the new agenda's ids, a refusal, or
    // `edit_failed` when the store could not read or write (nothing changed).
    struct edit_failed {};
    using edit_outcome = std::variant<std::vector<std::string>, domain::edit_refusal, edit_failed>;
    void edit(protocol::workshop_spec spec, std::string definition, std::string by,
              std::function<void(edit_outcome)> done);

    // A console request made by staff over HTTP (POST /api/workshops/{id}/end): applied and
    // audited as from a console opened by `account`, pushed to everyone as usual. `done` on
    // the strand once stored: nullopt, or why it was refused (nothing changed).
    void staff_request(protocol::client_message m, std::string account,
                       std::function<void(std::optional<protocol::error>)> done);

    // Self-paced workshops: opens or closes the questionnaire as its dates say now, then at
    // each of its dates (docs/protocol.md, "Self-paced workshops"). Called once the actor is
    // made; nothing for a live workshop.
    void start();

    // Closes every joined connection with 1001 after its queued frames.
    void close_all();
    // Stops the flush timer for good (server stop): no more pushes are scheduled.
    void halt();

private:
    struct member {
        std::weak_ptr<subscriber> conn;
        domain::actor who;
    };

    void on_join(std::shared_ptr<subscriber> const& s, protocol::hello const& h,
                 std::optional<signed_in> const& account);
    // `secret`: a new participant's token, or the facilitator's presenter token.
    void welcome(std::shared_ptr<subscriber> const& s, domain::actor const& who,
                 std::optional<std::string> secret);
    void on_request(std::uint64_t sid, protocol::client_message const& m);
    // The audit entry of an applied staff request (activity open/close/reveal/reopen, workshop
    // end, note hidden/shown/deleted), if it makes one; `before`: the activity's prior state.
    std::optional<store::audit_entry> audit_of(domain::actor const& who,
                                               protocol::client_message const& m,
                                               std::optional<domain::activity_state> before,
                                               store::time_ms at) const;
    // The pushes that follow an applied change (activity, workshop, boards, summaries).
    void announce(domain::effects const& e, protocol::client_message const* m);
    // After a withdrawal is durable: the participant's connections are closed.
    void close_participant(std::string const& participant_id);
    void persist_then(std::vector<store::record> records, std::function<void(bool)> after);
    // Runs, on the strand, the completions the writer has reported (see completed_).
    void run_completed();
    void reload();
    // Memory holds `ws` from now on (purge, edit, reload): summaries being handed out are of
    // the old one, and every connection is closed with 1001 to reconnect to the new one.
    void adopt(std::unique_ptr<domain::workshop> ws);

    void broadcast_activity(std::optional<std::string> const& changed);
    // Self-paced: every activity to staff (one activity push each) and the questionnaire to
    // participants and kiosks (one shared `activities` push).
    void broadcast_questionnaire();
    // Self-paced: applies the window as it is now (storing and announcing what changed) and
    // sets the timer for its next date.
    void check_window();
    // Self-paced: the facilitator's and presenter's summaries of the activities answered since
    // the last flush, to the staff connections.
    void send_answered_summaries();
    void broadcast_workshop();
    // Note changes wait for the next flush (send_board_changes); whole boards go at once.
    void broadcast_board(std::vector<domain::effects::board_change> const& changes);
    // One board.changes per board per recipient with the notes changed since the last flush.
    void send_board_changes();
    // The board's reach (who added a note or gave a dot) to every facilitator connection.
    void send_reach(domain::activity const& a);
    // Each notice to the connections of the participant it is for, and to no one else.
    void send_notices(std::vector<domain::effects::notice_to> const& notices);
    // Whether this member is shown the board `a` now (participants: the current board, once
    // it is not pending; staff: every board; kiosks: none).
    bool sees_board(member const& m, domain::activity const& a) const;
    void mark_dirty(bool summary, bool presence);
    // Arms the flush timer for `at`; an earlier arming no longer counts.
    void arm_flush(std::chrono::steady_clock::time_point at);
    // The flush is due: it goes now, unless writes are still being committed or arriving
    // (options.settle_quiet), in which case it waits until they have landed and paused (at
    // most one more interval), so that a burst of answers is summed up once, when it has
    // landed, not once at its start and again at its end. A flush that went at that limit
    // makes the next one due at once (waiting only for the pause): during a stream a tally
    // per interval, and the final one as soon as the stream ends.
    void on_flush_due();
    // The flush interval for the present audience.
    std::chrono::milliseconds flush_interval() const;
    void flush();
    // Hands the current fan-out to its next slice of members, then posts the rest.
    void deliver_slice();
    void send_to(std::uint64_t sid, shared_frame frame, frame_kind kind);
    void send_error(std::uint64_t sid, protocol::error e);

    static store::time_ms now_ms();
    // Updates ended_ and member_count_ from the strand's state.
    void publish_status();
    bool is_staff(member const& m) const {
        return m.who.role == protocol::role::facilitator || m.who.role == protocol::role::presenter;
    }

    // Constant after construction.
    strand_type strand_;
    std::string const id_;
    std::string const code_;
    std::string const facilitator_token_hash_; // at load; the strand reads ws_'s
    store::store& store_;
    actor_options const options_;
    cylch::metrics& metrics_;

    // Completions reported by the store's writer thread, waiting for the strand. The writer
    // reports a whole commit at once; the strand is posted to once per commit, not once per
    // request. Guarded by completed_mutex_ (held only to append or to swap the list).
    struct completed {
        std::function<void(bool)> after;
        bool ok;
    };
    std::mutex completed_mutex_;
    std::vector<completed> completed_;
    bool completed_posted_ = false;

    // Touched on the strand only.
    std::unique_ptr<domain::workshop> ws_;
    std::unordered_map<std::uint64_t, member> members_;
    std::unordered_map<std::string, int> online_; // participant id -> open connections
    boost::asio::steady_timer flush_timer_;
    bool flush_scheduled_ = false;
    std::uint64_t flush_generation_ = 0; // of the last arming: an older wait does nothing
    bool flush_settling_ = false; // a due flush waits for the writes to settle (on_flush_due)
    std::chrono::steady_clock::time_point settle_until_{}; // ...but not past this
    bool flush_owed_ = false;          // the last flush went at that limit, answers still coming
    std::size_t writes_in_flight_ = 0; // handed to the store, commit not reported yet
    std::chrono::steady_clock::time_point last_write_at_{}; // the last handed to the store
    boost::asio::steady_timer window_timer_; // self-paced: the questionnaire's next date
    // Self-paced: activities answered since the last flush (at most one entry per activity).
    std::unordered_set<std::string> answered_;
    // A flush being handed out: its frames, the members to hand them to (staff first), and
    // how far it has got. Null when none is under way.
    // Who a summary is encoded for: the facilitator (everything, with private texts), the
    // presenter (a shared screen), participants and kiosks.
    enum class audience : std::uint8_t { facilitator, presenter, participant };
    static audience audience_of(member const& m);
    struct fanout {
        std::array<shared_frame, 3> summary; // by audience
        shared_frame presence;
        std::vector<std::pair<std::weak_ptr<subscriber>, audience>> to;
        std::size_t next = 0;
    };
    std::unique_ptr<fanout> fanout_;
    bool summary_dirty_ = false;
    bool presence_dirty_ = false;
    bool reach_dirty_ = false; // a board's notes or dots changed: its reach goes out at the flush
    // Notes changed since the last flush, per board: what the window's first change knew
    // (whether the note was new, hidden, and its author), so that a participant is told of a
    // removal only for a note they could see before. Bounded by the boards' note limit.
    struct pending_note {
        std::string author;
        bool was_hidden = false;
        bool created = false;
    };
    std::map<std::string, std::map<std::string, pending_note>> board_pending_;
    bool reloading_ = false;
    bool halted_ = false;
    std::chrono::steady_clock::time_point last_flush_{};
    std::chrono::steady_clock::time_point last_board_flush_{};

    // Written on the strand (publish_status), read from any thread.
    std::atomic<bool> ended_{false};
    std::atomic<std::size_t> member_count_{0};
};

} // namespace cylch::live
