#include "bench/swarm.hpp"

#include "bench/frames.hpp"
#include "bench/histogram.hpp"
#include "bench/processes.hpp"
#include "bench/ws_pool.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <map>
#include <optional>
#include <random>

namespace cylch::bench {

using clock_type = std::chrono::steady_clock;
using json = nlohmann::json;

// Microseconds on CLOCK_MONOTONIC: comparable across the processes of one machine.
std::uint64_t now_us() {
    return static_cast<std::uint64_t>(
        std::chrono::duration_cast<std::chrono::microseconds>(clock_type::now().time_since_epoch())
            .count());
}

int first_value(std::uint32_t index, int points) {
    return 1 + static_cast<int>((index * 7u + 3u) % static_cast<std::uint32_t>(points));
}

int second_value(scenario kind, std::uint32_t index, int points) {
    if (kind != scenario::smoke || index % 3 != 0) {
        return 0;
    }
    return first_value(index, points) % points + 1;
}

note_plan plan_note(std::uint32_t index, int k, std::vector<std::string> const& columns) {
    static constexpr char const* colours[] = {"yellow", "pink",   "blue",
                                              "green",  "orange", "purple"};
    auto const uk = static_cast<std::uint32_t>(k);
    note_plan n;
    n.text = "note " + std::to_string(index) + "-" + std::to_string(k) + " from the load generator";
    n.colour = colours[(index + uk) % 6];
    if (!columns.empty()) {
        n.column = columns[(index + uk) % columns.size()];
        n.move_column = columns[(index + uk + 1) % columns.size()];
    }
    // Thousandths; the move always lands elsewhere (x shifts by 0.25..0.75).
    n.x = static_cast<double>((index * 37u + uk * 101u) % 1000u) / 1000.0;
    n.y = static_cast<double>((index * 53u + uk * 211u + 7u) % 1000u) / 1000.0;
    n.move_x =
        static_cast<double>((index * 37u + uk * 101u + 250u + (index % 500u)) % 1000u) / 1000.0;
    n.move_y = static_cast<double>((index * 71u + uk * 13u + 500u) % 1000u) / 1000.0;
    return n;
}

namespace {

constexpr int points = 5; // the demo workshop's Likert scale

enum class phase { connecting, hello, profile, joined, failed };

struct participant {
    std::uint32_t index = 0; // global
    phase state = phase::connecting;
    std::uint32_t next_seq = 1;
    std::uint32_t profile_seq = 0;
    std::vector<std::pair<std::uint32_t, std::uint64_t>> pending; // vote seq, sent at (µs)
    int value = 0;                                                // last vote sent
    bool voted = false;
    std::uint64_t final_seen = 0;
    std::uint32_t summaries = 0; // during the measured window
    bool closed = false;
    // board
    struct note_op {
        std::uint32_t seq = 0;
        std::uint64_t sent_us = 0;
        bool move = false;
        int k = 0; // which of the participant's notes
    };
    std::vector<note_op> note_pending{};
    bool board_started = false;
    int adds_sent = 0;
    int adds_resolved = 0; // acked or refused
    int moves_sent = 0;
    int moves_resolved = 0;
};

class swarm : public ws_pool::handler {
public:
    explicit swarm(worker_config const& c)
        : config_(c)
        , pool_(options(c), *this)
        , rng_(c.seed * 7919 + c.worker) {
        people_.resize(c.count);
        for (std::uint32_t k = 0; k < c.count; ++k) {
            people_[k].index = c.first + k;
            pool_.add();
        }
    }

    int run(int command_fd, int report_fd) {
        line_reader commands(command_fd);
        auto const join_deadline =
            clock_type::now() + std::chrono::milliseconds(config_.join_timeout_ms);
        while (joined_ + failed_ < config_.count && clock_type::now() < join_deadline) {
            pool_.run_for(std::chrono::milliseconds(20));
        }
        // Still joining at the deadline counts as a failure.
        for (auto& p : people_) {
            if (p.state != phase::joined && p.state != phase::failed) {
                p.state = phase::failed;
                ++failed_;
                ++fail_reasons_["join timeout"];
            }
        }
        write_line(report_fd, ready_report().dump());

        auto go = wait_command(commands, "go");
        if (!go) {
            return 1;
        }
        start(*go);
        write_line(report_fd, json{{"ev", "armed"}}.dump());
        auto const run_deadline =
            clock_type::now() + std::chrono::milliseconds(config_.run_timeout_ms);
        bool reported_holding = false;
        while (!finished() && clock_type::now() < run_deadline) {
            if (holding_) {
                // Spread 0: tell the parent that every participant here holds the open, and
                // send all votes at once on its "fire" (every worker fires together).
                if (!reported_holding) {
                    reported_holding = true;
                    write_line(report_fd, json{{"ev", "holding"}}.dump());
                }
                if (auto line = commands.next(std::chrono::milliseconds(0))) {
                    auto j = json::parse(*line, nullptr, false);
                    if (!j.is_discarded() && j.value("ev", "") == "fire") {
                        holding_ = false;
                        for (auto k : waiting_) {
                            burst_vote(k, activity_);
                        }
                        waiting_.clear();
                    }
                }
                pool_.run_for(std::chrono::milliseconds(1));
                continue;
            }
            pool_.run_for(std::chrono::milliseconds(10));
            if (sending_ && now_us() >= end_us_) {
                sending_ = false;
            }
        }
        done_us_ = now_us();
        write_line(report_fd, json{{"ev", "done"}, {"tally", tally()}}.dump());

        if (!wait_command(commands, "stop")) {
            return 1;
        }
        stopping_ = true;
        for (std::uint32_t k = 0; k < config_.count; ++k) {
            pool_.close(k);
        }
        auto const close_deadline = clock_type::now() + std::chrono::seconds(3);
        while (pool_.open_count() > 0 && clock_type::now() < close_deadline) {
            pool_.run_for(std::chrono::milliseconds(20));
        }
        write_line(report_fd, result_report().dump());
        return 0;
    }

    // ---- ws_pool::handler ----

    void on_open(ws_pool::id i) override {
        auto& p = people_[i];
        if (config_.target == target_kind::baseline) {
            set_joined(p);
            return;
        }
        p.state = phase::hello;
        pool_.send(i, hello_participant(config_.code));
    }

    void on_frame(ws_pool::id i, std::string_view text) override {
        auto& p = people_[i];
        server_frame f;
        if (!scan(text, f)) {
            ++errors_["unreadable frame"];
            return;
        }
        if (f.type == "welcome") {
            p.state = phase::profile;
            p.profile_seq = p.next_seq++;
            auto const& group = config_.groups[p.index % config_.groups.size()];
            pool_.send(i, profile_frame(make_op(config_.worker, p.index, p.profile_seq), group));
        } else if (f.type == "ack" || f.type == "vote") {
            on_ack(i, p, f);
        } else if (f.type == "error") {
            on_error(i, p, f);
        } else if (f.type == "summary") {
            on_summary(p, f);
        } else if (f.type == "activity") {
            if (config_.kind == scenario::board) {
                if (f.state == "open" && armed_ && f.activity == activity_ && !p.board_started &&
                    p.state == phase::joined) {
                    start_notes(i, p);
                }
            } else if (f.state == "open" && config_.kind != scenario::ingest &&
                       config_.kind != scenario::fanout && armed_ && !p.voted &&
                       p.state == phase::joined) {
                p.voted = true;
                if (config_.spread_ms == 0) {
                    // All at once: the votes leave together once every participant of every
                    // worker has the open activity (the parent's "fire"), not one by one as
                    // the push arrives.
                    waiting_.push_back(i);
                    activity_ = std::string(f.activity);
                    holding_ = waiting_.size() == joined_;
                    return;
                }
                std::uniform_int_distribution<int> delay(0, std::max(0, config_.spread_ms * 1000));
                pool_.after(
                    std::chrono::microseconds(delay(rng_)),
                    [this, i, activity = std::string(f.activity)] { burst_vote(i, activity); });
            }
        }
    }

    void on_close(ws_pool::id i, std::string_view why) override {
        auto& p = people_[i];
        p.closed = true;
        if (p.state == phase::joined) {
            if (!stopping_) {
                ++closed_unexpectedly_;
                ++close_reasons_[std::string(why)];
            }
        } else if (p.state != phase::failed) {
            p.state = phase::failed;
            ++failed_;
            ++fail_reasons_[std::string(why)];
        }
    }

private:
    static pool_options options(worker_config const& c) {
        pool_options o;
        o.port = c.port;
        o.source_addresses = c.sources;
        return o;
    }

    std::optional<json> wait_command(line_reader& commands, std::string const& ev) {
        for (;;) {
            auto line = commands.next(std::chrono::milliseconds(pool_.open_count() ? 0 : 20));
            if (line) {
                auto j = json::parse(*line, nullptr, false);
                if (!j.is_discarded() && j.value("ev", "") == ev) {
                    return j;
                }
                continue;
            }
            if (commands.eof()) {
                return std::nullopt; // the parent is gone
            }
            pool_.run_for(std::chrono::milliseconds(20));
        }
    }

    void set_joined(participant& p) {
        p.state = phase::joined;
        ++joined_;
    }

    void start(json const& go) {
        go_us_ = now_us();
        expected_n_ = go.value("expected_n", -1);
        if (go.contains("expected_counts")) {
            expected_counts_ = go["expected_counts"].get<std::vector<int>>();
        }
        if (config_.kind == scenario::board) {
            activity_ = go.value("activity", "");
        }
        armed_ = true;
        if (config_.kind == scenario::ingest || config_.kind == scenario::fanout) {
            activity_ = go.value("activity", "");
            end_us_ = go_us_ + static_cast<std::uint64_t>(go.value("duration_ms", 10'000)) * 1000;
            sending_ = true;
            for (std::uint32_t k = 0; k < config_.count; ++k) {
                auto const& p = people_[k];
                if (p.state == phase::joined && p.index < config_.voters) {
                    for (int w = 0; w < config_.window; ++w) {
                        send_vote(k, activity_,
                                  1 + static_cast<int>((p.index + p.next_seq) % points));
                    }
                }
            }
        }
    }

    bool finished() const {
        switch (config_.kind) {
        case scenario::capacity:
            return true;
        case scenario::ingest:
        case scenario::fanout:
            return !sending_ && in_flight_ == 0;
        case scenario::board:
            for (auto const& p : people_) {
                if (p.state == phase::joined && !p.closed &&
                    (p.adds_sent < config_.notes || p.adds_resolved < p.adds_sent ||
                     p.moves_resolved < p.moves_sent)) {
                    return false;
                }
            }
            return true;
        case scenario::smoke:
        case scenario::burst:
            for (auto const& p : people_) {
                if (p.state == phase::joined && !p.closed &&
                    (!p.voted || !p.pending.empty() || p.final_seen == 0 ||
                     (second_value(config_.kind, p.index, points) != 0 &&
                      p.value != second_value(config_.kind, p.index, points)))) {
                    return false;
                }
            }
            return true;
        }
        return true;
    }

    void burst_vote(ws_pool::id i, std::string const& activity) {
        auto const& p = people_[i];
        send_vote(i, activity, first_value(p.index, points));
    }

    void send_vote(ws_pool::id i, std::string const& activity, int value) {
        auto& p = people_[i];
        if (p.closed) {
            return;
        }
        auto const seq = p.next_seq++;
        auto const t = now_us();
        p.pending.emplace_back(seq, t);
        p.value = value;
        ++votes_sent_;
        ++in_flight_;
        if (first_vote_us_ == 0) {
            first_vote_us_ = t;
        }
        last_vote_us_ = std::max(last_vote_us_, t);
        pool_.send(i, vote_frame(make_op(config_.worker, p.index, seq), activity, value));
        last_activity_ = activity;
    }

    // Board: each of the participant's notes is added at a random moment within the spread.
    void start_notes(ws_pool::id i, participant& p) {
        p.board_started = true;
        std::uniform_int_distribution<int> delay(0, std::max(0, config_.spread_ms * 1000));
        for (int k = 0; k < config_.notes; ++k) {
            pool_.after(std::chrono::microseconds(delay(rng_)), [this, i, k] { send_add(i, k); });
        }
    }

    void send_add(ws_pool::id i, int k) {
        auto& p = people_[i];
        if (p.closed) {
            return;
        }
        auto const n = plan_note(p.index, k, config_.columns);
        auto const seq = p.next_seq++;
        auto const t = now_us();
        p.note_pending.push_back({seq, t, false, k});
        ++p.adds_sent;
        ++adds_sent_;
        if (first_vote_us_ == 0) {
            first_vote_us_ = t;
        }
        last_vote_us_ = std::max(last_vote_us_, t);
        pool_.send(i, note_add_frame(make_op(config_.worker, p.index, seq), activity_, n.text,
                                     n.colour, n.column, n.x, n.y));
    }

    void send_move(ws_pool::id i, int k, std::string_view note) {
        auto& p = people_[i];
        auto const n = plan_note(p.index, k, config_.columns);
        auto const seq = p.next_seq++;
        auto const t = now_us();
        p.note_pending.push_back({seq, t, true, k});
        ++p.moves_sent;
        ++moves_sent_;
        last_vote_us_ = std::max(last_vote_us_, t);
        pool_.send(i, note_move_frame(make_op(config_.worker, p.index, seq), note, n.move_column,
                                      n.move_x, n.move_y));
    }

    // Takes op `seq` off the participant's board requests in flight; false when it is not there.
    std::optional<participant::note_op> take_note_op(participant& p, std::uint32_t seq) {
        auto it = std::find_if(p.note_pending.begin(), p.note_pending.end(),
                               [&](auto const& e) { return e.seq == seq; });
        if (it == p.note_pending.end()) {
            return std::nullopt;
        }
        auto const op = *it;
        p.note_pending.erase(it);
        if (op.move) {
            ++p.moves_resolved;
        } else {
            ++p.adds_resolved;
        }
        return op;
    }

    void on_note_ack(ws_pool::id i, participant& p, std::uint32_t seq, std::string_view note) {
        auto const op = take_note_op(p, seq);
        if (!op) {
            ++unexpected_acks_; // a second ack for one op, or one for an op never sent
            return;
        }
        auto const t = now_us();
        last_ack_us_ = std::max(last_ack_us_, t);
        if (op->move) {
            move_latency_.add(t - op->sent_us);
            ++moves_acked_;
            return;
        }
        ack_latency_.add(t - op->sent_us);
        ++adds_acked_;
        if (note.empty()) {
            ++adds_without_note_; // the ack must name the new note: nothing to move
            return;
        }
        send_move(i, op->k, note);
    }

    void on_ack(ws_pool::id i, participant& p, server_frame const& f) {
        auto const seq = op_sequence(f.op);
        if (!seq) {
            ++unexpected_acks_;
            return;
        }
        if (p.state == phase::profile && *seq == p.profile_seq) {
            set_joined(p);
            return;
        }
        if (config_.kind == scenario::board) {
            on_note_ack(i, p, *seq, f.note);
            return;
        }
        auto it = std::find_if(p.pending.begin(), p.pending.end(),
                               [&](auto const& e) { return e.first == *seq; });
        if (it == p.pending.end()) {
            ++unexpected_acks_; // a second ack for one op, or one for an op never sent
            return;
        }
        auto const t = now_us();
        ack_latency_.add(t - it->second);
        p.pending.erase(it);
        ++votes_acked_;
        --in_flight_;
        last_ack_us_ = std::max(last_ack_us_, t);
        if (sending_ && p.index < config_.voters) {
            if (t < end_us_) {
                send_vote(i, activity_, 1 + static_cast<int>((p.index + p.next_seq) % points));
            } else {
                sending_ = false;
            }
        } else if ((config_.kind == scenario::smoke || config_.kind == scenario::burst) &&
                   p.value == first_value(p.index, points)) {
            if (auto v2 = second_value(config_.kind, p.index, points); v2 != 0) {
                send_vote(i, last_activity_, v2);
            }
        }
    }

    void on_error(ws_pool::id, participant& p, server_frame const& f) {
        ++errors_[std::string(f.code)];
        if (p.state == phase::hello || p.state == phase::profile) {
            p.state = phase::failed;
            ++failed_;
            ++fail_reasons_["error " + std::string(f.code)];
            return;
        }
        if (auto seq = op_sequence(f.op); seq && config_.kind == scenario::board) {
            take_note_op(p, *seq);
        } else if (seq) {
            auto it = std::find_if(p.pending.begin(), p.pending.end(),
                                   [&](auto const& e) { return e.first == *seq; });
            if (it != p.pending.end()) {
                p.pending.erase(it);
                --in_flight_;
            }
        }
    }

    void on_summary(participant& p, server_frame const& f) {
        if (!armed_) {
            return;
        }
        if (done_us_ == 0 && (end_us_ == 0 || now_us() < end_us_)) {
            ++p.summaries;
        }
        if (p.final_seen != 0 || expected_n_ < 0 || f.n != expected_n_) {
            return;
        }
        if (f.points > 0) {
            if (expected_counts_.size() != static_cast<std::size_t>(f.points)) {
                return;
            }
            for (int k = 0; k < f.points; ++k) {
                if (f.counts[static_cast<std::size_t>(k)] !=
                    expected_counts_[static_cast<std::size_t>(k)]) {
                    return;
                }
            }
        }
        p.final_seen = now_us();
    }

    // Joined participants by [group][value] of their planned final answer (burst/smoke).
    json ready_report() const {
        std::vector<std::vector<int>> plan(config_.groups.size(), std::vector<int>(points, 0));
        int votes = 0;
        for (auto const& p : people_) {
            if (p.state != phase::joined) {
                continue;
            }
            auto v = second_value(config_.kind, p.index, points);
            votes += v == 0 ? 1 : 2;
            if (v == 0) {
                v = first_value(p.index, points);
            }
            ++plan[p.index % config_.groups.size()][static_cast<std::size_t>(v - 1)];
        }
        return json{{"ev", "ready"},     {"joined", joined_},
                    {"failed", failed_}, {"fail_reasons", fail_reasons_},
                    {"plan", plan},      {"votes_planned", votes}};
    }

    // Last value sent by each voter, by [group][value] (ingest/fanout final tally).
    json tally() const {
        std::vector<std::vector<int>> t(config_.groups.size(), std::vector<int>(points, 0));
        for (auto const& p : people_) {
            if (p.state == phase::joined && p.value != 0) {
                ++t[p.index % config_.groups.size()][static_cast<std::size_t>(p.value - 1)];
            }
        }
        return t;
    }

    json result_report() const {
        std::vector<std::uint64_t> final_seen;
        std::vector<std::uint32_t> summaries;
        std::uint64_t unanswered = 0;
        std::uint32_t missing_final = 0;
        for (auto const& p : people_) {
            if (p.state != phase::joined) {
                continue;
            }
            unanswered += p.pending.size() + p.note_pending.size();
            summaries.push_back(p.summaries);
            if (p.final_seen != 0) {
                final_seen.push_back(p.final_seen);
            } else {
                ++missing_final;
            }
        }
        auto sparse = [](histogram const& h) {
            json hist = json::array();
            for (auto const& [b, n] : h.sparse()) {
                hist.push_back({b, n});
            }
            return hist;
        };
        // Board: "votes" are note.add requests, the ack histogram theirs; moves are apart.
        std::uint64_t const sent = config_.kind == scenario::board ? adds_sent_ : votes_sent_;
        std::uint64_t const acked = config_.kind == scenario::board ? adds_acked_ : votes_acked_;
        return json{{"ev", "result"},
                    {"joined", joined_},
                    {"failed", failed_},
                    {"fail_reasons", fail_reasons_},
                    {"closed_unexpectedly", closed_unexpectedly_},
                    {"close_reasons", close_reasons_},
                    {"votes_sent", sent},
                    {"votes_acked", acked},
                    {"moves_sent", moves_sent_},
                    {"moves_acked", moves_acked_},
                    {"adds_without_note", adds_without_note_},
                    {"unexpected_acks", unexpected_acks_},
                    {"unanswered", unanswered},
                    {"errors", errors_},
                    {"ack_hist", sparse(ack_latency_)},
                    {"ack_max_us", ack_latency_.max()},
                    {"move_hist", sparse(move_latency_)},
                    {"move_max_us", move_latency_.max()},
                    {"first_vote_us", first_vote_us_},
                    {"last_vote_us", last_vote_us_},
                    {"last_ack_us", last_ack_us_},
                    {"go_us", go_us_},
                    {"end_us", end_us_ ? std::min(end_us_, done_us_) : done_us_},
                    {"done_us", done_us_},
                    {"final_seen_us", final_seen},
                    {"missing_final", missing_final},
                    {"summaries", summaries},
                    {"cpu_seconds", own_cpu_seconds()}};
    }

    worker_config const& config_;
    ws_pool pool_;
    std::mt19937_64 rng_;
    std::vector<participant> people_;
    std::uint32_t joined_ = 0;
    std::uint32_t failed_ = 0;
    std::uint32_t closed_unexpectedly_ = 0;
    std::map<std::string, int> fail_reasons_;
    std::map<std::string, int> close_reasons_;
    std::map<std::string, int> errors_;
    bool armed_ = false;
    bool sending_ = false;
    bool stopping_ = false;
    std::string activity_;
    std::string last_activity_;
    std::vector<ws_pool::id> waiting_; // spread 0: participants holding the open, not yet voted
    bool holding_ = false;             // spread 0: all of them hold it; waiting for "fire"
    int expected_n_ = -1;
    std::vector<int> expected_counts_;
    std::uint64_t votes_sent_ = 0;
    std::uint64_t votes_acked_ = 0;
    std::uint64_t unexpected_acks_ = 0;
    std::int64_t in_flight_ = 0;
    histogram ack_latency_; // votes, or (board) note.add
    std::uint64_t adds_sent_ = 0;
    std::uint64_t adds_acked_ = 0;
    std::uint64_t adds_without_note_ = 0;
    std::uint64_t moves_sent_ = 0;
    std::uint64_t moves_acked_ = 0;
    histogram move_latency_;
    std::uint64_t go_us_ = 0;
    std::uint64_t end_us_ = 0;
    std::uint64_t done_us_ = 0;
    std::uint64_t first_vote_us_ = 0;
    std::uint64_t last_vote_us_ = 0;
    std::uint64_t last_ack_us_ = 0;
};

} // namespace

int run_worker(worker_config const& config, int command_fd, int report_fd) {
    swarm s(config);
    return s.run(command_fd, report_fd);
}

} // namespace cylch::bench
