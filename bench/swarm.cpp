#include "bench/swarm.hpp"

#include "bench/frames.hpp"
#include "bench/histogram.hpp"
#include "bench/processes.hpp"
#include "bench/ws_pool.hpp"

#include <nlohmann/json.hpp>

#include <map>
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
        while (!finished() && clock_type::now() < run_deadline) {
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
            on_ack(i, p, f.op);
        } else if (f.type == "error") {
            on_error(i, p, f);
        } else if (f.type == "summary") {
            on_summary(p, f);
        } else if (f.type == "activity") {
            if (f.state == "open" && config_.kind != scenario::ingest &&
                config_.kind != scenario::fanout && armed_ && !p.voted &&
                p.state == phase::joined) {
                p.voted = true;
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

    void on_ack(ws_pool::id i, participant& p, std::string_view op) {
        auto const seq = op_sequence(op);
        if (!seq) {
            ++unexpected_acks_;
            return;
        }
        if (p.state == phase::profile && *seq == p.profile_seq) {
            set_joined(p);
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
        if (auto seq = op_sequence(f.op)) {
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
            unanswered += p.pending.size();
            summaries.push_back(p.summaries);
            if (p.final_seen != 0) {
                final_seen.push_back(p.final_seen);
            } else {
                ++missing_final;
            }
        }
        json hist = json::array();
        for (auto const& [b, n] : ack_latency_.sparse()) {
            hist.push_back({b, n});
        }
        return json{{"ev", "result"},
                    {"joined", joined_},
                    {"failed", failed_},
                    {"fail_reasons", fail_reasons_},
                    {"closed_unexpectedly", closed_unexpectedly_},
                    {"close_reasons", close_reasons_},
                    {"votes_sent", votes_sent_},
                    {"votes_acked", votes_acked_},
                    {"unexpected_acks", unexpected_acks_},
                    {"unanswered", unanswered},
                    {"errors", errors_},
                    {"ack_hist", hist},
                    {"ack_max_us", ack_latency_.max()},
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
    int expected_n_ = -1;
    std::vector<int> expected_counts_;
    std::uint64_t votes_sent_ = 0;
    std::uint64_t votes_acked_ = 0;
    std::uint64_t unexpected_acks_ = 0;
    std::int64_t in_flight_ = 0;
    histogram ack_latency_;
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
