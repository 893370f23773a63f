#include "shared/protocol/json_reader.hpp"

#include "shared/protocol/codec.hpp"

#include <algorithm>
#include <string>
#include <vector>

namespace cylch::protocol::detail {

bool nesting_exceeds(std::string_view text, int max_depth) {
    int depth = 0;
    bool in_string = false;
    bool escaped = false;
    for (char c : text) {
        if (in_string) {
            if (escaped) {
                escaped = false;
            } else if (c == '\\') {
                escaped = true;
            } else if (c == '"') {
                in_string = false;
            }
            continue;
        }
        if (c == '"') {
            in_string = true;
        } else if (c == '{' || c == '[') {
            if (++depth > max_depth) {
                return true;
            }
        } else if (c == '}' || c == ']') {
            --depth;
        }
    }
    return false;
}

namespace {

// Follows the JSON path of a parse ("$.activities[2].scale") so that an error inside a value,
// such as a number that overflows a double, can name the field that holds it.
class path_tracker : public nlohmann::json_sax<nlohmann::json> {
public:
    std::string path() const {
        std::string out = "$";
        for (auto const& f : frames_) {
            out += f.array ? "[" + std::to_string(f.index) + "]" : "." + f.key;
        }
        return out;
    }

    bool null() override { return value(); }
    bool boolean(bool) override { return value(); }
    bool number_integer(number_integer_t) override { return value(); }
    bool number_unsigned(number_unsigned_t) override { return value(); }
    bool number_float(number_float_t, string_t const&) override { return value(); }
    bool string(string_t&) override { return value(); }
    bool binary(binary_t&) override { return value(); }
    bool start_object(std::size_t) override {
        frames_.push_back({});
        return true;
    }
    bool key(string_t& k) override {
        frames_.back().key = k;
        return true;
    }
    bool end_object() override {
        frames_.pop_back();
        return value();
    }
    bool start_array(std::size_t) override {
        frames_.push_back({true, 0, {}});
        return true;
    }
    bool end_array() override {
        frames_.pop_back();
        return value();
    }
    bool parse_error(std::size_t, std::string const&, nlohmann::detail::exception const&) override {
        return false;
    }

private:
    bool value() {
        if (!frames_.empty() && frames_.back().array) {
            ++frames_.back().index;
        }
        return true;
    }
    struct frame {
        bool array = false;
        std::size_t index = 0;
        std::string key{};
    };
    std::vector<frame> frames_;
};

} // namespace

nlohmann::json parse_json(std::string_view text) {
    try {
        return nlohmann::json::parse(text.begin(), text.end());
    } catch (nlohmann::json::exception const& e) {
        // parse_error (syntax, ill-formed UTF-8) and out_of_range (a number such as 1e400
        // that overflows a double) alike: both describe the text, never the server.
        // e.what() names the byte position and the problem.
        // The parser quotes the bytes it last read, which may be a broken UTF-8 sequence:
        // keep only printable ASCII so that the message can be sent back as JSON.
        std::string what;
        std::string_view full = e.what();
        if (full.starts_with("[json.exception.")) {
            if (auto p = full.find("] "); p != std::string_view::npos) {
                full = full.substr(p + 2); // drop the library's "[json.exception.x.n] " tag
            }
        }
        for (char c : full.substr(0, 200)) {
            what += (c >= 0x20 && c < 0x7F) ? c : '?';
        }
        std::string path = "$";
        if (dynamic_cast<nlohmann::json::out_of_range const*>(&e) != nullptr) {
            // The syntax is fine up to an overflowing number: name the field that holds it.
            path_tracker where;
            nlohmann::json::sax_parse(text.begin(), text.end(), &where);
            path = where.path();
        }
        throw read_error{path, "not valid JSON (" + what + ")"};
    }
}

std::string_view type_phrase(nlohmann::json const& v) {
    switch (v.type()) {
    case nlohmann::json::value_t::null:
        return "null";
    case nlohmann::json::value_t::object:
        return "an object";
    case nlohmann::json::value_t::array:
        return "an array";
    case nlohmann::json::value_t::string:
        return "a string";
    case nlohmann::json::value_t::boolean:
        return "a boolean";
    case nlohmann::json::value_t::number_integer:
    case nlohmann::json::value_t::number_unsigned:
        return "an integer";
    case nlohmann::json::value_t::number_float:
        return "a number with a fraction";
    default:
        return "an unsupported value";
    }
}

std::size_t utf8_length(std::string_view s) {
    std::size_t n = 0;
    for (unsigned char c : s) {
        if ((c & 0xC0) != 0x80) {
            ++n;
        }
    }
    return n;
}

std::string check_string(nlohmann::json const& v, std::string const& path, std::size_t min_len,
                         std::size_t max_len) {
    if (!v.is_string()) {
        throw read_error{path, "expected a string, got " + std::string(type_phrase(v))};
    }
    auto const& s = v.get_ref<std::string const&>();
    auto len = utf8_length(s);
    if (len < min_len) {
        throw read_error{path, min_len == 1
                                   ? std::string("must not be empty")
                                   : "must be at least " + std::to_string(min_len) + " characters"};
    }
    if (len > max_len) {
        throw read_error{path, "must be at most " + std::to_string(max_len) + " characters"};
    }
    return s;
}

std::string check_user_text(nlohmann::json const& v, std::string const& path,
                            std::size_t max_code_points, line_breaks breaks) {
    if (!v.is_string()) {
        throw read_error{path, "expected a string, got " + std::string(type_phrase(v))};
    }
    text_problem why{};
    auto clean = clean_user_text(v.get_ref<std::string const&>(), max_code_points, breaks, &why);
    if (!clean) {
        throw read_error{path, describe(why, max_code_points)};
    }
    return std::move(*clean);
}

object_reader::object_reader(nlohmann::json const& v, std::string path, strictness mode)
    : object_(v)
    , path_(std::move(path))
    , mode_(mode) {
    if (!v.is_object()) {
        throw read_error{path_, "expected an object, got " + std::string(type_phrase(v))};
    }
}

bool object_reader::has(std::string_view key) const {
    auto it = object_.find(std::string(key));
    return it != object_.end() && !(mode_ == strictness::lenient && it->is_null());
}

std::string object_reader::path_of(std::string_view key) const {
    return path_ + "." + std::string(key);
}

nlohmann::json const* object_reader::find(std::string_view key) {
    seen_.emplace(key);
    auto it = object_.find(std::string(key));
    if (it == object_.end() || (mode_ == strictness::lenient && it->is_null())) {
        return nullptr;
    }
    return &*it;
}

nlohmann::json const& object_reader::need(std::string_view key) {
    auto const* v = find(key);
    if (v == nullptr) {
        throw read_error{path_of(key), "is required"};
    }
    return *v;
}

std::string object_reader::string(std::string_view key, std::size_t min_len, std::size_t max_len) {
    return check_string(need(key), path_of(key), min_len, max_len);
}

std::int64_t object_reader::integer(std::string_view key, std::int64_t min, std::int64_t max) {
    auto const& v = need(key);
    if (!v.is_number_integer()) {
        throw read_error{path_of(key), "expected an integer, got " + std::string(type_phrase(v))};
    }
    if (v.is_number_unsigned() && v.get<std::uint64_t>() > static_cast<std::uint64_t>(max)) {
        throw read_error{path_of(key),
                         "must be between " + std::to_string(min) + " and " + std::to_string(max)};
    }
    auto i = v.get<std::int64_t>();
    if (i < min || i > max) {
        throw read_error{path_of(key),
                         "must be between " + std::to_string(min) + " and " + std::to_string(max)};
    }
    return i;
}

bool object_reader::boolean(std::string_view key) {
    auto const& v = need(key);
    if (!v.is_boolean()) {
        throw read_error{path_of(key),
                         "expected true or false, got " + std::string(type_phrase(v))};
    }
    return v.get<bool>();
}

nlohmann::json const& object_reader::value(std::string_view key) {
    return need(key);
}

std::optional<std::string> object_reader::opt_string(std::string_view key, std::size_t min_len,
                                                     std::size_t max_len, bool null_ok) {
    auto const* v = find(key);
    if (v == nullptr || (null_ok && v->is_null())) {
        return std::nullopt;
    }
    return check_string(*v, path_of(key), min_len, max_len);
}

std::optional<std::int64_t> object_reader::opt_integer(std::string_view key, std::int64_t min,
                                                       std::int64_t max) {
    if (!has(key)) {
        seen_.emplace(key);
        return std::nullopt;
    }
    return integer(key, min, max);
}

std::optional<bool> object_reader::opt_boolean(std::string_view key) {
    if (!has(key)) {
        seen_.emplace(key);
        return std::nullopt;
    }
    return boolean(key);
}

nlohmann::json const* object_reader::opt_value(std::string_view key) {
    return find(key);
}

std::string read_user_text(object_reader& r, std::string_view key, std::size_t max_code_points,
                           line_breaks breaks) {
    return check_user_text(r.value(key), r.path_of(key), max_code_points, breaks);
}

std::string read_id(object_reader& r, std::string_view key) {
    auto id = r.string(key, 1, max_id_length);
    if (!valid_id(id)) {
        throw read_error{r.path_of(key), "is not a valid id"};
    }
    return id;
}

object_reader object_reader::object(std::string_view key) {
    return object_reader(need(key), path_of(key), mode_);
}

std::optional<object_reader> object_reader::opt_object(std::string_view key) {
    auto const* v = find(key);
    if (v == nullptr) {
        return std::nullopt;
    }
    return object_reader(*v, path_of(key), mode_);
}

void object_reader::finish() const {
    if (mode_ == strictness::lenient) {
        return;
    }
    for (auto const& [key, value] : object_.items()) {
        if (!seen_.contains(key)) {
            throw read_error{path_ + "." + key, "is not a known field"};
        }
    }
}

void object_reader::only_keys(std::initializer_list<std::string_view> known) const {
    for (auto const& [key, value] : object_.items()) {
        if (std::find(known.begin(), known.end(), key) == known.end()) {
            throw read_error{path_ + "." + key, "is not a known field"};
        }
    }
}

} // namespace cylch::protocol::detail
