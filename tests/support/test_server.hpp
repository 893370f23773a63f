// A real cylch server for integration tests: 127.0.0.1, an ephemeral port, a database in a
// fresh temporary folder (removed afterwards), the demo workshop imported.
#pragma once

#include "server/app.hpp"
#include "server/log.hpp"
#include "tests/support/temp_files.hpp"
#include "tests/support/ws_client.hpp"

#include <filesystem>
#include <fstream>
#include <memory>
#include <random>
#include <sstream>

namespace cylch::test {

inline std::string const admin_token = "test-admin-token-0123456789";

inline std::string template_path() {
    return std::string(CYLCH_SOURCE_DIR) + "/deploy/templates/persona-validation.json";
}

inline std::string read_text_file(std::string const& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return std::move(s).str();
}

struct test_server {
    explicit test_server(bool import_demo = true, std::function<void(server_config&)> adjust = {}) {
        log::set_level(log::level::warn);
        config.bind = "127.0.0.1";
        config.port = 0;
        config.db_path = dir.file("cylch.db");
        config.threads = 2;
        config.flush_interval = std::chrono::milliseconds(20);
        config.admin_token = admin_token;
        config.stop_grace = std::chrono::milliseconds(2000);
        if (import_demo) {
            config.imports.push_back(template_path());
        }
        if (adjust) {
            adjust(config);
        }
        start();
        if (import_demo) {
            demo = app->imported().at(0);
        }
    }

    void start() {
        app = std::make_unique<server>(config);
        app->start();
    }
    void stop() { app.reset(); }
    // Stops and starts again on the same database, importing nothing.
    void restart() {
        stop();
        config.imports.clear();
        start();
    }
    std::uint16_t port() const { return app->port(); }

    // A connected facilitator of the demo workshop, past its welcome.
    std::pair<ws_client, nlohmann::json> facilitator() {
        ws_client c(port());
        c.send(nlohmann::json{{"type", "hello"},
                              {"v", 1},
                              {"role", "facilitator"},
                              {"workshop", demo.id},
                              {"token", demo.facilitator_token}});
        auto w = c.expect("welcome");
        return {std::move(c), w};
    }

    temp_dir dir;
    server_config config;
    std::unique_ptr<server> app;
    live::created_workshop demo;
};

} // namespace cylch::test
