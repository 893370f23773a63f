// Vocabulary shared by every message: languages, texts in several languages, roles,
// activity states and result visibility, with their wire names.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace cylch::protocol {

// A text in several languages, keyed by language code ("en", "cy"). The workshop's first
// language is always present; others fall back to it.
using text_map = std::map<std::string, std::string, std::less<>>;

enum class role { participant, kiosk, facilitator, presenter };
enum class activity_state { pending, open, closed, revealed };
enum class results_visibility { live, on_reveal, hidden };
enum class workshop_state { live, ended };
// How a workshop runs: a facilitator opens each activity, or every activity is open between
// two dates for people to answer at their own pace (docs/protocol.md, "Self-paced workshops").
enum class workshop_mode { live, self_paced };
enum class channel { web, kiosk };
enum class activity_kind { likert, board, choice, ranking, open_text };
// A staff account's role (docs/protocol.md, "Accounts").
enum class account_role { admin, facilitator, reviewer };

std::string_view to_string(role);
std::string_view to_string(activity_state);
std::string_view to_string(results_visibility);
std::string_view to_string(workshop_state);
std::string_view to_string(workshop_mode);
std::string_view to_string(channel);
std::string_view to_string(activity_kind);
std::string_view to_string(account_role);

std::optional<role> role_from_string(std::string_view);
std::optional<activity_state> activity_state_from_string(std::string_view);
std::optional<results_visibility> results_visibility_from_string(std::string_view);
std::optional<workshop_state> workshop_state_from_string(std::string_view);
std::optional<workshop_mode> workshop_mode_from_string(std::string_view);
std::optional<channel> channel_from_string(std::string_view);
std::optional<activity_kind> activity_kind_from_string(std::string_view);
std::optional<account_role> account_role_from_string(std::string_view);

// The error codes of the protocol (`error` frames and HTTP API errors).
enum class error_code {
    bad_json,
    bad_request,
    unknown_type,
    not_allowed,
    not_found,
    closed,
    conflict,
    rate_limited,
    too_large,
    version,
    server_error, // extension: the server could not store the change; retry with the same op
};
std::string_view to_string(error_code);
std::optional<error_code> error_code_from_string(std::string_view);

// Limits that the codec enforces (the server may lower the frame limit).
inline constexpr std::size_t max_op_length = 128;
inline constexpr std::size_t min_op_length = 16;
inline constexpr std::size_t max_id_length = 64;
inline constexpr int max_json_depth = 16;
// Question kinds (docs/protocol.md, Choice, ranking and open text).
inline constexpr std::size_t max_comment_length = 500; // code points
inline constexpr std::size_t min_choice_options = 2;
inline constexpr std::size_t max_choice_options = 12;
inline constexpr std::size_t min_ranking_items = 3;
inline constexpr std::size_t max_ranking_items = 10;
inline constexpr std::size_t max_open_text_length = 500; // code points

} // namespace cylch::protocol
