// One line per notable event, with its context as key=value pairs, on standard error:
//   2026-11-26T12:00:00.123Z info vote refused workshop=w_… role=participant code=closed
// Thread-safe: each line is written with one call under a mutex.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

namespace cylch::log {

enum class level { debug, info, warn, error, off };

using field = std::pair<std::string_view, std::string_view>;

void set_level(level l);
level current_level();
// Parses "debug", "info", "warn", "error" or "off".
bool parse_level(std::string_view text, level& out);

void write(level l, std::string_view event, std::initializer_list<field> fields);

inline void debug(std::string_view e, std::initializer_list<field> f = {}) {
    if (current_level() <= level::debug) {
        write(level::debug, e, f);
    }
}
inline void info(std::string_view e, std::initializer_list<field> f = {}) {
    if (current_level() <= level::info) {
        write(level::info, e, f);
    }
}
inline void warn(std::string_view e, std::initializer_list<field> f = {}) {
    if (current_level() <= level::warn) {
        write(level::warn, e, f);
    }
}
inline void error(std::string_view e, std::initializer_list<field> f = {}) {
    if (current_level() <= level::error) {
        write(level::error, e, f);
    }
}

} // namespace cylch::log
