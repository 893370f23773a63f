#include "shared/protocol/times.hpp"

#include <cctype>
#include <ctime>

namespace cylch::protocol {

std::optional<std::int64_t> parse_rfc3339(std::string_view t) {
    auto digits = [&](std::size_t at, std::size_t n) -> std::optional<int> {
        if (at + n > t.size()) {
            return std::nullopt;
        }
        int v = 0;
        for (std::size_t i = at; i < at + n; ++i) {
            if (!std::isdigit(static_cast<unsigned char>(t[i]))) {
                return std::nullopt;
            }
            v = v * 10 + (t[i] - '0');
        }
        return v;
    };
    if (t.size() < 20 || t[4] != '-' || t[7] != '-' || (t[10] != 'T' && t[10] != 't') ||
        t[13] != ':' || t[16] != ':') {
        return std::nullopt;
    }
    auto year = digits(0, 4), month = digits(5, 2), day = digits(8, 2), hour = digits(11, 2),
         minute = digits(14, 2), second = digits(17, 2);
    if (!year || !month || !day || !hour || !minute || !second || *month < 1 || *month > 12 ||
        *day < 1 || *day > 31 || *hour > 23 || *minute > 59 || *second > 60) {
        return std::nullopt;
    }
    std::size_t at = 19;
    if (at < t.size() && t[at] == '.') {
        ++at;
        std::size_t const first = at;
        while (at < t.size() && std::isdigit(static_cast<unsigned char>(t[at]))) {
            ++at;
        }
        if (at == first) {
            return std::nullopt;
        }
    }
    int offset_minutes = 0;
    if (at < t.size() && (t[at] == 'Z' || t[at] == 'z') && at + 1 == t.size()) {
        offset_minutes = 0;
    } else if (at + 6 == t.size() && (t[at] == '+' || t[at] == '-') && t[at + 3] == ':') {
        auto oh = digits(at + 1, 2), om = digits(at + 4, 2);
        if (!oh || !om || *oh > 23 || *om > 59) {
            return std::nullopt;
        }
        offset_minutes = (*oh * 60 + *om) * (t[at] == '-' ? -1 : 1);
    } else {
        return std::nullopt;
    }
    std::tm tm{};
    tm.tm_year = *year - 1900;
    tm.tm_mon = *month - 1;
    tm.tm_mday = *day;
    tm.tm_hour = *hour;
    tm.tm_min = *minute;
    tm.tm_sec = *second;
    auto const secs = timegm(&tm);
    if (tm.tm_mday != *day) {
        return std::nullopt; // 31 November and the like
    }
    return (static_cast<std::int64_t>(secs) - offset_minutes * 60LL) * 1000;
}

std::string format_rfc3339(std::int64_t ms) {
    std::time_t secs = ms / 1000;
    std::tm tm{};
    gmtime_r(&secs, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

} // namespace cylch::protocol
