// Strict reading of JSON objects for the codecs in this folder (internal to shared/protocol).
//
// An object_reader walks one JSON object: each field is asked for once with its expected
// type and bounds. Strict (what the server reads from clients and files): finish() rejects
// every key that was not asked for. Lenient (what a client reads from a newer server): keys
// it does not ask for are ignored, and a null counts as absent; a field of the wrong type is
// an error in both. Problems are thrown
// as read_error naming the JSON path ("$.activities[2].scale"), and caught once by the
// public decode functions, which turn them into their own error values.
#pragma once

#include "shared/protocol/user_text.hpp"

#include <nlohmann/json.hpp>

#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace cylch::protocol::detail {

struct read_error {
    std::string path;
    std::string message;
    std::string what() const { return path + ": " + message; }
};

// Returns true when the text nests arrays/objects deeper than max_depth (strings are skipped).
// Cheap pre-check, so that hostile nesting never reaches the parser.
bool nesting_exceeds(std::string_view text, int max_depth);

// Parses text as JSON; throws read_error{"$", …} on a syntax or UTF-8 error and on a number
// too large for a double (1e400, -1e400). Never throws anything else but std::bad_alloc.
nlohmann::json parse_json(std::string_view text);

// Name of a JSON value's type for messages ("a string", "an integer", …).
std::string_view type_phrase(nlohmann::json const&);

enum class strictness { strict, lenient };

class object_reader {
public:
    // Throws read_error when v is not an object.
    object_reader(nlohmann::json const& v, std::string path, strictness mode = strictness::strict);

    bool has(std::string_view key) const;
    std::string path_of(std::string_view key) const;

    // A field that must be present. Text lengths count Unicode code points.
    std::string string(std::string_view key, std::size_t min_len = 0, std::size_t max_len = 1024);
    std::int64_t integer(std::string_view key, std::int64_t min, std::int64_t max);
    bool boolean(std::string_view key);
    nlohmann::json const& value(std::string_view key);

    // A field that may be absent. A null is accepted (as absent) only when null_ok is true.
    std::optional<std::string> opt_string(std::string_view key, std::size_t min_len = 0,
                                          std::size_t max_len = 1024, bool null_ok = false);
    std::optional<std::int64_t> opt_integer(std::string_view key, std::int64_t min,
                                            std::int64_t max);
    std::optional<bool> opt_boolean(std::string_view key);
    nlohmann::json const* opt_value(std::string_view key);

    // Strict: throws read_error for the first key that no accessor asked for.
    void finish() const;
    // The reader for the object at `key` (required), in the same mode.
    object_reader object(std::string_view key);
    // The reader for the object at `key`; nullopt when absent.
    std::optional<object_reader> opt_object(std::string_view key);
    // Throws read_error for the first key not in `known`, before any field is read, so that a
    // misspelt key is reported as such rather than as a missing field.
    void only_keys(std::initializer_list<std::string_view> known) const;

    std::string const& path() const { return path_; }

private:
    nlohmann::json const* find(std::string_view key);
    nlohmann::json const& need(std::string_view key);

    nlohmann::json const& object_;
    std::string path_;
    strictness mode_;
    std::set<std::string, std::less<>> seen_;
};

// A server-issued id or token at `key` (letters, digits, '_', '-'; codec.hpp's valid_id).
std::string read_id(object_reader& r, std::string_view key);

// Checks a string's length in code points (the JSON parser has already checked UTF-8).
std::size_t utf8_length(std::string_view s);
std::string check_string(nlohmann::json const& v, std::string const& path, std::size_t min_len,
                         std::size_t max_len);

// Text a person wrote (user_text.hpp): the string cleaned by clean_user_text, or read_error
// naming the problem ("$.text: control characters are not allowed").
std::string check_user_text(nlohmann::json const& v, std::string const& path,
                            std::size_t max_code_points, line_breaks breaks);
std::string read_user_text(object_reader& r, std::string_view key, std::size_t max_code_points,
                           line_breaks breaks);

} // namespace cylch::protocol::detail
