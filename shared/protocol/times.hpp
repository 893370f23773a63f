// Times on the wire and in files: RFC 3339 text and milliseconds since the Unix epoch.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace cylch::protocol {

// Reads an RFC 3339 time with a Z or ±hh:mm offset ("2026-12-01T09:00:00Z"); seconds may
// have a fraction (dropped). nullopt when it is not one (31 November included).
std::optional<std::int64_t> parse_rfc3339(std::string_view text);

// The time in UTC to the second: "2026-11-28T04:00:00Z".
std::string format_rfc3339(std::int64_t ms);

} // namespace cylch::protocol
