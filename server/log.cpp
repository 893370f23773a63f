#include "server/log.hpp"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <mutex>

namespace cylch::log {
namespace {

std::atomic<level> threshold{level::info};
std::mutex output;

constexpr std::string_view names[] = {"debug", "info", "warn", "error", "off"};

bool needs_quotes(std::string_view v) {
    return v.empty() || v.find_first_of(" \"=\n") != std::string_view::npos;
}

} // namespace

void set_level(level l) {
    threshold.store(l, std::memory_order_relaxed);
}
level current_level() {
    return threshold.load(std::memory_order_relaxed);
}

bool parse_level(std::string_view text, level& out) {
    for (std::size_t i = 0; i < std::size(names); ++i) {
        if (names[i] == text) {
            out = static_cast<level>(i);
            return true;
        }
    }
    return false;
}

void write(level l, std::string_view event, std::initializer_list<field> fields) {
    auto const now = std::chrono::system_clock::now();
    auto const secs = std::chrono::system_clock::to_time_t(now);
    auto const millis =
        std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() %
        1000;
    std::tm tm{};
    gmtime_r(&secs, &tm);
    char stamp[64];
    std::snprintf(stamp, sizeof stamp, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                  tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                  static_cast<int>(millis));
    std::string line = stamp;
    line += ' ';
    line += names[static_cast<std::size_t>(l)];
    line += ' ';
    line += event;
    for (auto const& [key, value] : fields) {
        line += ' ';
        line += key;
        line += '=';
        if (needs_quotes(value)) {
            line += '"';
            for (char c : value) {
                if (c == '"' || c == '\\') {
                    line += '\\';
                }
                line += c == '\n' ? ' ' : c;
            }
            line += '"';
        } else {
            line += value;
        }
    }
    line += '\n';
    std::lock_guard lock(output);
    std::fwrite(line.data(), 1, line.size(), stderr);
}

} // namespace cylch::log
