// The kiosk program: the durable queue, the screens, the terminal, GPIO buttons and the server
// link wired together on one io_context (one thread; the kiosk serves one person at a time).
#pragma once

#include "kiosk/connection.hpp"
#include "kiosk/core/kiosk.hpp"
#include "kiosk/gpio_input.hpp"

#include <string>

namespace cylch::kiosk {

struct program_options {
    std::string server_url;
    server_address server;
    std::string kiosk_id;
    std::string token;
    std::string db_path;
    bool keyboard = true;
    bool use_gpio = false;
    gpio_config gpio;
    kiosk_settings screens;
    bool allow_quit = false;
};

// Runs until SIGTERM or SIGINT (or q with allow_quit); the exit status.
int run_kiosk(program_options const& options);

} // namespace cylch::kiosk
