// cylch-kiosk: options and config file, then the kiosk program (kiosk/program.hpp).
#include "kiosk/program.hpp"

#include <boost/program_options.hpp>

#include <clocale>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <random>
#include <sstream>

namespace po = boost::program_options;

namespace {

std::string trim(std::string s) {
    auto const first = s.find_first_not_of(" \t\r\n");
    auto const last = s.find_last_not_of(" \t\r\n");
    return first == std::string::npos ? std::string() : s.substr(first, last - first + 1);
}

std::vector<std::string> split(std::string const& s) {
    std::vector<std::string> out;
    std::stringstream in(s);
    for (std::string item; std::getline(in, item, ',');) {
        if (auto t = trim(item); !t.empty()) {
            out.push_back(t);
        }
    }
    return out;
}

unsigned parse_offset(std::string const& text, std::string const& option) {
    if (text.empty() || text.size() > 4 ||
        text.find_first_not_of("0123456789") != std::string::npos) {
        throw std::invalid_argument("--" + option + ": \"" + text +
                                    "\" is not a GPIO line offset (0 to 9999)");
    }
    return static_cast<unsigned>(std::stoul(text));
}

} // namespace

int main(int argc, char** argv) {
    using namespace cylch::kiosk;
    program_options opt;
    std::string config_file;
    std::string token_file;
    std::string input = "keyboard";
    std::string gpio_lines;
    std::string gpio_led;
    std::string languages;
    double thanks_seconds = 5;
    long min_interval_ms = 3000;
    int pass_timeout_seconds = 60;
    long debounce_ms = 30;
    int buttons = 0;

    po::options_description desc(
        "cylch-kiosk: a voting kiosk for Cylch workshops (docs/kiosk.md)\n\n"
        "Shows the current statement full-screen and counts one answer per press, each as a new\n"
        "anonymous respondent. Every press is saved locally before it is shown as counted and is\n"
        "sent when the server can be reached, so nothing is lost offline.\n\n"
        "Every option can also be a line \"name = value\" in the --config file.\n\nOptions");
    desc.add_options()("help,h", "print this help and exit")(
        "config", po::value(&config_file),
        "read options from this file (e.g. /etc/cylch/kiosk.conf)")(
        "server", po::value(&opt.server_url),
        "the Cylch server: http://192.168.1.10:8080 on the local network, or "
        "https://cylch.example.org behind a TLS proxy")(
        "ca-file", po::value(&opt.server.ca_file),
        "https: trust the certificates in this PEM file instead of the system's (e.g. a "
        "venue's own certificate authority)")("kiosk", po::value(&opt.kiosk_id),
                                              "this kiosk's id (k_…), from POST /api/kiosks")(
        "token-file", po::value(&token_file), "file holding this kiosk's device token")(
        "token", po::value(&opt.token), "the device token itself (prefer --token-file)")(
        "db", po::value(&opt.db_path)->default_value("/var/lib/cylch-kiosk/queue.db"),
        "the local queue of presses (SQLite, created when absent)")(
        "input", po::value(&input)->default_value("keyboard"),
        "keyboard (digits, arrows + Enter), gpio (buttons) or both")(
        "gpio-chip", po::value(&opt.gpio.chip)->default_value("gpiochip0"),
        "GPIO chip name, path or number")(
        "gpio-lines", po::value(&gpio_lines),
        "line offsets of the buttons, first = point 1, e.g. 5,6,13,19,26")(
        "gpio-active-low", po::value(&opt.gpio.active_low)->default_value(true),
        "buttons pull the line to ground (pull-up bias); false: to 3.3 V (pull-down)")(
        "gpio-led", po::value(&gpio_led), "line offset of an LED lit briefly on a counted press")(
        "buttons", po::value(&buttons),
        "how many answer buttons the kiosk has (default: the number of --gpio-lines with GPIO "
        "input, else 7 keys); a single-answer choice with more options is answered on phones")(
        "debounce-ms", po::value(&debounce_ms)->default_value(30),
        "edges closer than this are button bounce")(
        "thanks-seconds", po::value(&thanks_seconds)->default_value(5),
        "thank-you screen time before the next person may answer")(
        "min-interval-ms", po::value(&min_interval_ms)->default_value(3000),
        "misuse guard: minimum time between two counted presses (self-paced: between people)")(
        "pass-timeout-seconds", po::value(&pass_timeout_seconds)->default_value(60),
        "self-paced workshops: a person who stops answering part-way is gone after this long; "
        "the next person starts at the first question")(
        "lang", po::value(&languages),
        "display order of the workshop's languages, e.g. cy,en (default: the workshop's)")(
        "allow-quit", po::bool_switch(&opt.allow_quit),
        "let the q key quit (when run by hand; a kiosk should not)");

    try {
        po::variables_map vm;
        po::store(po::parse_command_line(argc, argv, desc), vm);
        if (vm.count("help")) {
            std::cout << desc
                      << "\nLogs go to the systemd journal (to standard error when it "
                         "is not a terminal).\nUnder systemd (Type=notify) it reports "
                         "READY=1 and pings the watchdog (WatchdogSec).\n";
            return 0;
        }
        if (vm.count("config")) {
            std::string const file = vm["config"].as<std::string>();
            std::ifstream in(file);
            if (!in) {
                throw std::invalid_argument("--config: cannot read \"" + file + "\"");
            }
            po::store(po::parse_config_file(in, desc), vm); // the command line wins
        }
        po::notify(vm);
        if (opt.server_url.empty()) {
            throw std::invalid_argument("--server is required (e.g. http://192.168.1.10:8080)");
        }
        auto const ca_file = opt.server.ca_file;
        opt.server = parse_server_url(opt.server_url);
        opt.server.ca_file = ca_file;
        if (!ca_file.empty() && !std::ifstream(ca_file)) {
            throw std::invalid_argument("--ca-file: cannot read \"" + ca_file + "\"");
        }
        if (opt.kiosk_id.empty()) {
            throw std::invalid_argument("--kiosk is required (the k_… id from POST /api/kiosks)");
        }
        if (!token_file.empty()) {
            std::ifstream in(token_file);
            if (!in) {
                throw std::invalid_argument("--token-file: cannot read \"" + token_file + "\"");
            }
            std::stringstream s;
            s << in.rdbuf();
            opt.token = trim(s.str());
        }
        if (opt.token.empty()) {
            throw std::invalid_argument("a device token is required (--token-file or --token)");
        }
        if (input != "keyboard" && input != "gpio" && input != "both") {
            throw std::invalid_argument("--input must be keyboard, gpio or both, not \"" + input +
                                        "\"");
        }
        opt.keyboard = input != "gpio";
        opt.use_gpio = input != "keyboard";
        for (auto const& l : split(gpio_lines)) {
            opt.gpio.lines.push_back(parse_offset(l, "gpio-lines"));
        }
        if (opt.use_gpio && opt.gpio.lines.empty()) {
            throw std::invalid_argument("--input " + input + " needs --gpio-lines");
        }
        if (!trim(gpio_led).empty()) {
            opt.gpio.led = parse_offset(trim(gpio_led), "gpio-led");
        }
        // Keys 1-9 on a keyboard; one GPIO line per button.
        int const most_buttons = opt.use_gpio ? static_cast<int>(opt.gpio.lines.size()) : 9;
        if (!vm.count("buttons")) {
            buttons = opt.use_gpio ? most_buttons : 7;
        } else if (buttons < 1 || buttons > most_buttons) {
            throw std::invalid_argument(
                "--buttons must be 1 to " + std::to_string(most_buttons) +
                (opt.use_gpio ? " (one --gpio-lines line per button)" : " (the keys 1 to 9)"));
        }
        opt.screens.buttons = buttons;
        if (debounce_ms < 0 || debounce_ms > 1000) {
            throw std::invalid_argument("--debounce-ms must be 0 to 1000");
        }
        opt.gpio.debounce_ms = debounce_ms;
        if (thanks_seconds < 0 || thanks_seconds > 600) {
            throw std::invalid_argument("--thanks-seconds must be 0 to 600");
        }
        if (min_interval_ms < 0 || min_interval_ms > 600'000) {
            throw std::invalid_argument("--min-interval-ms must be 0 to 600000");
        }
        opt.screens.thanks_ms = static_cast<std::int64_t>(thanks_seconds * 1000);
        opt.screens.min_interval_ms = min_interval_ms;
        if (pass_timeout_seconds < 5 || pass_timeout_seconds > 3600) {
            throw std::invalid_argument("--pass-timeout-seconds must be 5 to 3600");
        }
        opt.screens.pass_timeout_ms = static_cast<std::int64_t>(pass_timeout_seconds) * 1000;
        // Passes of this run are p<random>-1, p<random>-2, …: never the name of an earlier
        // run's pass, so that the server does not join two people's answers.
        std::random_device entropy;
        char prefix[24];
        std::snprintf(prefix, sizeof prefix, "p%08x%08x", entropy(), entropy());
        opt.screens.pass_prefix = prefix;
        opt.screens.languages = split(languages);
    } catch (std::exception const& e) {
        std::cerr << "cylch-kiosk: " << e.what() << "\n(see cylch-kiosk --help)\n";
        return 2;
    }

    std::setlocale(LC_ALL, "");
    return run_kiosk(opt);
}
