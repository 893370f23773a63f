#include "server/app.hpp"

#include "server/auth/tokens.hpp"
#include "server/log.hpp"
#include "server/net/listener.hpp"
#include "server/store/db_lock.hpp"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include <atomic>
#include <fstream>
#include <future>
#include <sstream>
#include <thread>

namespace cylch {

namespace asio = boost::asio;

struct server::impl {
    explicit impl(server_config c)
        : config(std::move(c))
        , owner(config.db_path, store::db_lock::mode::shared_wait)
        , work(asio::make_work_guard(ioc))
        , db(store::store_options{config.db_path, config.store_queue, 4096,
                                  config.synchronous_full})
        , workshops(ioc.get_executor(), db, live::actor_options{config.flush_interval}, counters,
                    live::registry_options{config.ended_idle})
        , files(config.web_root)
        , throttle(net::throttle_options{config.failed_rate, config.failed_burst,
                                         config.failed_global_rate, config.failed_global_burst}) {}

    server_config config;
    // Held while this server runs: `cylch-server purge` then leaves the database to it.
    store::db_lock owner;
    asio::io_context ioc;
    asio::executor_work_guard<asio::io_context::executor_type> work;
    cylch::metrics counters;
    store::store db;
    live::registry workshops;
    net::static_files files;
    net::failure_throttle throttle;
    std::unique_ptr<auth::accounts> accounts;
    std::unique_ptr<net::http_api> api;
    std::unique_ptr<net::net_context> ctx;
    std::shared_ptr<net::listener> listener;
    std::vector<std::thread> threads;
    std::vector<live::created_workshop> imported;
    std::vector<server::earlier_import> imported_before;
    std::optional<std::string> generated_admin_token;
    std::atomic<int> running_threads{0};
    // The retention run at start and every config.purge_every, on its own strand.
    asio::strand<asio::io_context::executor_type> purge_strand{asio::make_strand(ioc)};
    asio::steady_timer purge_timer{purge_strand};
    bool purge_halted = false; // on purge_strand

    void schedule_purge(std::chrono::milliseconds after) {
        if (config.purge_every.count() <= 0) {
            return;
        }
        purge_timer.expires_after(after);
        purge_timer.async_wait([this](boost::system::error_code ec) {
            if (ec || purge_halted) {
                return;
            }
            retention::purge_due(workshops, db, now_ms(), [this](retention::purge_report r) {
                if (!r.purged.empty() || !r.failed.empty() || !r.listed) {
                    log::info("retention", {{"result", retention::describe(r)}});
                }
                asio::post(purge_strand, [this] {
                    if (!purge_halted) {
                        schedule_purge(config.purge_every);
                    }
                });
            });
        });
    }
    static store::time_ms now_ms() {
        return std::chrono::duration_cast<std::chrono::milliseconds>(
                   std::chrono::system_clock::now().time_since_epoch())
            .count();
    }
    bool started = false;
    bool stopped = false;
};

namespace {

std::string read_file(std::string const& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        throw startup_error("cannot read " + path);
    }
    std::ostringstream s;
    s << in.rdbuf();
    return std::move(s).str();
}

std::string settle_admin_token(store::store& db, std::optional<std::string> const& configured,
                               std::optional<std::string>& generated) {
    constexpr char const* key = "admin_token_hash";
    if (configured) {
        if (configured->size() < 16) {
            throw startup_error("the admin token must be at least 16 characters");
        }
        auto hash = auth::hash_token(*configured);
        db.set_setting(key, hash);
        return hash;
    }
    if (auto stored = db.setting(key)) {
        return *stored;
    }
    auto token = auth::new_token();
    auto hash = auth::hash_token(token);
    db.set_setting(key, hash);
    generated = token;
    return hash;
}

} // namespace

server::server(server_config config) {
    auth::init();
    impl_ = std::make_unique<impl>(std::move(config));
    auto& m = *impl_;
    m.workshops.restore(m.db.load_live(), m.db.load_ended());
    m.workshops.restore_kiosks(m.db.load_kiosks());
    auto admin_hash = settle_admin_token(m.db, m.config.admin_token, m.generated_admin_token);

    for (auto const& path : m.config.imports) {
        auto text = read_file(path);
        // The file's fingerprint → "id code" of the workshop made from it (import_once).
        std::string const key = "imported." + auth::hash_token(text);
        if (m.config.import_once) {
            if (auto earlier = m.db.setting(key)) {
                auto const space = earlier->find(' ');
                std::string id = earlier->substr(0, space);
                if (space != std::string::npos && m.workshops.facilitator_token_hash(id)) {
                    m.imported_before.push_back({path, std::move(id), earlier->substr(space + 1)});
                    continue;
                }
            }
        }
        auto parsed = protocol::parse_workshop_file(text);
        if (auto const* err = std::get_if<protocol::workshop_file_error>(&parsed)) {
            throw startup_error(path + ": " + err->what());
        }
        std::promise<std::optional<live::created_workshop>> made;
        m.workshops.create(
            std::get<protocol::workshop_spec>(std::move(parsed)), text,
            [&made](std::optional<live::created_workshop> w) { made.set_value(std::move(w)); });
        auto w = made.get_future().get();
        if (!w) {
            throw startup_error(path + ": the workshop could not be stored");
        }
        if (m.config.import_once) {
            m.db.set_setting(key, w->id + " " + w->code);
        }
        m.imported.push_back(std::move(*w));
    }

    auth::account_options account_opts;
    account_opts.session_lifetime = m.config.session_lifetime;
    m.accounts = std::make_unique<auth::accounts>(m.db.path(), account_opts);
    m.api = std::make_unique<net::http_api>(
        m.workshops, m.files, m.db, m.counters,
        net::api_options{admin_hash, m.config.metrics_public, m.config.max_workshops,
                         m.config.public_url.starts_with("https://")},
        &m.throttle, m.accounts.get());
    m.api->set_purge([&m](std::function<void(std::string)> done) {
        retention::purge_due(m.workshops, m.db, impl::now_ms(), [done](retention::purge_report r) {
            auto summary = retention::describe(r);
            log::info("retention", {{"result", summary}});
            done(std::move(summary));
        });
    });
    m.ctx.reset(new net::net_context{m.workshops, *m.api, m.counters, {}, {}, {1}, {false}});
    auto& limits = m.ctx->limits;
    limits.max_frame = m.config.max_frame;
    limits.hello_timeout = m.config.hello_timeout;
    limits.max_queued_frames = m.config.max_queued_frames;
    limits.max_queued_bytes = m.config.max_queued_bytes;
    limits.max_body = m.config.max_body;
    limits.rate_per_second = m.config.rate_per_second;
    limits.rate_burst = m.config.rate_burst;
    limits.max_total_queued_bytes = m.config.max_total_queued_bytes;
    auto origins = m.config.allowed_origins;
    if (!m.config.public_url.empty()) {
        origins.push_back(m.config.public_url);
    }
    m.ctx->origins = net::origin_policy(std::move(origins));
    m.ctx->ws_limits = std::make_shared<net::connection_limiter>(
        m.config.max_connections_per_address, m.config.max_connections);
    m.ctx->throttle = &m.throttle;
}

server::~server() {
    stop();
}

void server::start() {
    auto& m = *impl_;
    if (m.started) {
        return;
    }
    boost::system::error_code ec;
    auto address = asio::ip::make_address(m.config.bind, ec);
    if (ec) {
        throw startup_error("--bind: \"" + m.config.bind + "\" is not an IP address");
    }
    try {
        m.listener = std::make_shared<net::listener>(
            m.ioc, asio::ip::tcp::endpoint(address, m.config.port), *m.ctx);
    } catch (boost::system::system_error const& e) {
        throw startup_error("cannot listen on " + m.config.bind + ":" +
                            std::to_string(m.config.port) + ": " + e.code().message());
    }
    m.listener->run();
    int n = m.config.threads > 0
                ? m.config.threads
                : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    for (int i = 0; i < n; ++i) {
        m.running_threads.fetch_add(1);
        m.threads.emplace_back([&m] {
            // A handler that throws must not take the process with it: sessions and the API
            // catch their own failures, so an exception here is a defect to log, and the
            // thread goes back to work.
            for (;;) {
                try {
                    m.ioc.run();
                    break;
                } catch (std::exception const& e) {
                    log::error("a handler failed unexpectedly", {{"error", e.what()}});
                }
            }
            m.running_threads.fetch_sub(1);
        });
    }
    m.started = true;
    // Where `cylch-server purge` finds this server (it asks it to purge: POST /api/purge).
    auto const local = m.config.bind == "0.0.0.0" ? std::string("127.0.0.1")
                       : m.config.bind == "::"    ? std::string("::1")
                                                  : m.config.bind;
    try {
        m.db.set_setting("listening", local + " " + std::to_string(m.listener->port()));
    } catch (std::exception const& e) {
        log::warn("could not note the listening address", {{"error", e.what()}});
    }
    asio::post(m.purge_strand, [&m] { m.schedule_purge(std::chrono::milliseconds(0)); });
    log::info("listening", {{"bind", m.config.bind},
                            {"port", std::to_string(m.listener->port())},
                            {"threads", std::to_string(n)},
                            {"db", m.config.db_path}});
}

void server::stop() {
    if (!impl_) {
        return;
    }
    auto& m = *impl_;
    if (m.stopped) {
        return;
    }
    m.stopped = true;
    if (m.started) {
        m.ctx->stopping = true;
        m.listener->stop();
        // 1. Every change accepted so far is committed (acks are posted to the workshops).
        for (;;) {
            std::promise<void> drained;
            if (m.db.try_persist({}, [&drained](bool) { drained.set_value(); })) {
                drained.get_future().wait();
                break;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
        // 2. Each workshop has handed its acks to the connections.
        for (auto const& actor : m.workshops.all()) {
            std::promise<void> passed;
            actor->inspect([&passed](domain::workshop const&) { passed.set_value(); });
            passed.get_future().wait();
        }
        // 3. Every WebSocket closes with 1001 after what is queued for it.
        m.ctx->connections.shut_all(false);
        auto wait_until = [](auto deadline, auto done) {
            while (!done() && std::chrono::steady_clock::now() < deadline) {
                std::this_thread::sleep_for(std::chrono::milliseconds(10));
            }
            return done();
        };
        auto const grace = std::chrono::steady_clock::now() + m.config.stop_grace;
        wait_until(grace, [&] { return m.counters.connections_open.load() == 0; });
        // 4. What is left (idle HTTP keep-alives, clients that did not answer the close) is cut,
        //    timers stop, and the I/O threads run out of work by themselves, so no handler is
        //    left queued when the objects it refers to are destroyed.
        m.ctx->connections.shut_all(true);
        {
            std::promise<void> halted;
            asio::post(m.purge_strand, [&m, &halted] {
                m.purge_halted = true;
                m.purge_timer.cancel();
                halted.set_value();
            });
            halted.get_future().wait();
        }
        m.workshops.halt();
        m.work.reset();
        if (!wait_until(std::chrono::steady_clock::now() + std::chrono::seconds(5),
                        [&] { return m.running_threads.load() == 0; })) {
            log::warn("I/O threads still busy at stop; stopping them");
            m.ioc.stop();
        }
        for (auto& t : m.threads) {
            t.join();
        }
        log::info("stopped", {{"db", m.config.db_path}});
    }
    if (m.accounts) {
        m.accounts->stop();
    }
    m.db.stop();
}

retention::purge_report server::purge(store::time_ms now) {
    auto& m = *impl_;
    std::promise<retention::purge_report> result;
    retention::purge_due(m.workshops, m.db, now,
                         [&result](retention::purge_report r) { result.set_value(std::move(r)); });
    return result.get_future().get();
}

std::uint16_t server::port() const {
    return impl_->listener ? impl_->listener->port() : impl_->config.port;
}

std::vector<live::created_workshop> const& server::imported() const {
    return impl_->imported;
}

std::vector<server::earlier_import> const& server::imported_before() const {
    return impl_->imported_before;
}

std::optional<std::string> const& server::generated_admin_token() const {
    return impl_->generated_admin_token;
}

} // namespace cylch
