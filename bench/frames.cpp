#include "bench/frames.hpp"

#include "shared/protocol/codec.hpp"

#include <cassert>
#include <charconv>
#include <cstdio>

namespace cylch::bench {
namespace {

// The string value of the first `"key":"…"` at or after `from` (escapes left as they are).
std::string_view string_after(std::string_view text, std::string_view quoted_key,
                              std::size_t from = 0) {
    auto at = text.find(quoted_key, from);
    if (at == std::string_view::npos) {
        return {};
    }
    at += quoted_key.size();
    if (at >= text.size() || text[at] != '"') {
        return {};
    }
    ++at;
    auto end = at;
    while (end < text.size() && text[end] != '"') {
        end += text[end] == '\\' ? 2 : 1;
    }
    return end <= text.size() ? text.substr(at, end - at) : std::string_view{};
}

int int_at(std::string_view text, std::size_t at) {
    int v = -1;
    if (at < text.size()) {
        std::from_chars(text.data() + at, text.data() + text.size(), v);
    }
    return v;
}

} // namespace

bool scan(std::string_view text, server_frame& out) {
    out = server_frame{};
    out.type = string_after(text, R"("type":)");
    if (out.type.empty()) {
        return false;
    }
    if (out.type == "ack") {
        out.op = string_after(text, R"("op":)");
        out.note = string_after(text, R"("note":)");
    } else if (out.type == "error") {
        out.op = string_after(text, R"("op":)");
        out.code = string_after(text, R"("code":)");
    } else if (out.type == "summary") {
        out.activity = string_after(text, R"("activity":)");
        if (auto at = text.find(R"("n":)"); at != std::string_view::npos) {
            out.n = int_at(text, at + 4);
        }
        if (auto at = text.find(R"("counts":[)"); at != std::string_view::npos) {
            at += 10;
            while (at < text.size() && text[at] != ']' &&
                   out.points < static_cast<int>(out.counts.size())) {
                int v = 0;
                auto r = std::from_chars(text.data() + at, text.data() + text.size(), v);
                if (r.ec != std::errc{}) {
                    break;
                }
                out.counts[static_cast<std::size_t>(out.points++)] = v;
                at = static_cast<std::size_t>(r.ptr - text.data());
                if (at < text.size() && text[at] == ',') {
                    ++at;
                }
            }
        }
    } else if (out.type == "activity") {
        auto at = text.find(R"("activity":{)");
        if (at != std::string_view::npos) {
            out.activity = string_after(text, R"("id":)", at);
            out.state = string_after(text, R"("state":)", at);
        }
    } else if (out.type == "vote") { // the baseline server's echo
        out.op = string_after(text, R"("op":)");
    }
    return true;
}

std::string hello_participant(std::string_view code) {
    return R"({"type":"hello","v":1,"role":"participant","code":")" + std::string(code) +
           R"(","token":null})";
}

std::string hello_staff(std::string_view role, std::string_view workshop, std::string_view token) {
    return R"({"type":"hello","v":1,"role":")" + std::string(role) + R"(","workshop":")" +
           std::string(workshop) + R"(","token":")" + std::string(token) + R"("})";
}

std::string profile_frame(std::string_view op, std::string_view group) {
    return R"({"type":"profile","op":")" + std::string(op) + R"(","consent":true,"group":")" +
           std::string(group) + R"("})";
}

std::string vote_frame(std::string_view op, std::string_view activity, int value) {
    return R"({"type":"vote","op":")" + std::string(op) + R"(","activity":")" +
           std::string(activity) + R"(","value":)" + std::to_string(value) + "}";
}

namespace {

std::string column_json(std::string_view column) {
    return column.empty() ? std::string("null") : "\"" + std::string(column) + "\"";
}

std::string fraction(double v) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%.3f", v);
    return buf;
}

} // namespace

// Texts come from plan_note (letters, digits, spaces): nothing to escape.
std::string note_add_frame(std::string_view op, std::string_view activity, std::string_view text,
                           std::string_view colour, std::string_view column, double x, double y) {
    return R"({"type":"note.add","op":")" + std::string(op) + R"(","activity":")" +
           std::string(activity) + R"(","text":")" + std::string(text) + R"(","colour":")" +
           std::string(colour) + R"(","column":)" + column_json(column) + R"(,"x":)" + fraction(x) +
           R"(,"y":)" + fraction(y) + "}";
}

std::string note_move_frame(std::string_view op, std::string_view note, std::string_view column,
                            double x, double y) {
    return R"({"type":"note.move","op":")" + std::string(op) + R"(","note":")" + std::string(note) +
           R"(","column":)" + column_json(column) + R"(,"x":)" + fraction(x) + R"(,"y":)" +
           fraction(y) + "}";
}

std::string activity_command(std::string_view verb, std::string_view op,
                             std::string_view activity) {
    return R"({"type":"activity.)" + std::string(verb) + R"(","op":")" + std::string(op) +
           R"(","activity":")" + std::string(activity) + R"("})";
}

std::string make_op(unsigned tag, std::uint32_t client, std::uint32_t seq) {
    char buf[48];
    std::snprintf(buf, sizeof buf, "lg%03u-%07u-%09u", tag % 1000, client, seq);
    std::string op(buf);
    assert(protocol::valid_op(op));
    return op;
}

std::optional<std::uint32_t> op_sequence(std::string_view op) {
    if (op.size() < 10) {
        return std::nullopt;
    }
    std::uint32_t v = 0;
    auto const tail = op.substr(op.size() - 9);
    auto r = std::from_chars(tail.data(), tail.data() + tail.size(), v);
    if (r.ec != std::errc{}) {
        return std::nullopt;
    }
    return v;
}

} // namespace cylch::bench
