// The wire names of the protocol's enums and messages (types.hpp, messages.hpp).
#include "shared/protocol/audit.hpp"
#include "shared/protocol/messages.hpp"

#include <array>

namespace cylch::protocol {
namespace {

template <class Enum, std::size_t N>
std::optional<Enum> lookup(std::array<std::string_view, N> const& names, std::string_view s) {
    for (std::size_t i = 0; i < N; ++i) {
        if (names[i] == s) {
            return static_cast<Enum>(i);
        }
    }
    return std::nullopt;
}

constexpr std::array<std::string_view, 4> role_names{"participant", "kiosk", "facilitator",
                                                     "presenter"};
constexpr std::array<std::string_view, 4> activity_state_names{"pending", "open", "closed",
                                                               "revealed"};
constexpr std::array<std::string_view, 3> results_names{"live", "on_reveal", "hidden"};
constexpr std::array<std::string_view, 2> workshop_state_names{"live", "ended"};
constexpr std::array<std::string_view, 2> workshop_mode_names{"live", "self_paced"};
constexpr std::array<std::string_view, 2> channel_names{"web", "kiosk"};
constexpr std::array<std::string_view, 5> kind_names{"likert", "board", "choice", "ranking",
                                                     "open_text"};
constexpr std::array<std::string_view, 3> account_role_names{"admin", "facilitator", "reviewer"};
constexpr std::array<std::string_view, 11> error_names{
    "bad_json", "bad_request",  "unknown_type", "not_allowed", "not_found",   "closed",
    "conflict", "rate_limited", "too_large",    "version",     "server_error"};
constexpr std::array<std::string_view, 4> verb_names{"activity.open", "activity.close",
                                                     "activity.reveal", "activity.goto"};
constexpr std::array<std::string_view, audit_action_count> audit_action_names{
    "sign_in",
    "sign_in_failed",
    "sign_out",
    "user_added",
    "user_changed",
    "workshop_created",
    "workshop_duplicated",
    "workshop_shared",
    "workshop_ended",
    "activity_opened",
    "activity_closed",
    "activity_revealed",
    "activity_reopened",
    "note_hidden",
    "note_shown",
    "note_deleted",
    "exported",
    "audit_exported",
    "withdrawn",
    "erased",
    "backup",
    "purged",
    "links_rotated",
    "workshop_deleted",
    "workshop_edited",
    "workshop_archived",
    "workshop_unarchived"};
static_assert(static_cast<std::size_t>(audit_action::workshop_unarchived) + 1 ==
              audit_action_count);
constexpr std::array<std::string_view, 4> audit_actor_names{"participant", "staff", "operator",
                                                            "system"};
constexpr std::array<std::string_view, 2> notice_names{"note_hidden", "dots_returned"};

} // namespace

std::string_view to_string(role v) {
    return role_names[static_cast<std::size_t>(v)];
}
std::string_view to_string(activity_state v) {
    return activity_state_names[static_cast<std::size_t>(v)];
}
std::string_view to_string(results_visibility v) {
    return results_names[static_cast<std::size_t>(v)];
}
std::string_view to_string(workshop_state v) {
    return workshop_state_names[static_cast<std::size_t>(v)];
}
std::string_view to_string(workshop_mode v) {
    return workshop_mode_names[static_cast<std::size_t>(v)];
}
std::string_view to_string(channel v) {
    return channel_names[static_cast<std::size_t>(v)];
}
std::string_view to_string(error_code v) {
    return error_names[static_cast<std::size_t>(v)];
}
std::string_view to_string(notice_code v) {
    return notice_names[static_cast<std::size_t>(v)];
}
std::string_view to_string(activity_command::verb v) {
    return verb_names[static_cast<std::size_t>(v)];
}

std::optional<role> role_from_string(std::string_view s) {
    return lookup<role>(role_names, s);
}
std::optional<activity_state> activity_state_from_string(std::string_view s) {
    return lookup<activity_state>(activity_state_names, s);
}
std::optional<results_visibility> results_visibility_from_string(std::string_view s) {
    return lookup<results_visibility>(results_names, s);
}
std::optional<workshop_state> workshop_state_from_string(std::string_view s) {
    return lookup<workshop_state>(workshop_state_names, s);
}
std::optional<workshop_mode> workshop_mode_from_string(std::string_view s) {
    return lookup<workshop_mode>(workshop_mode_names, s);
}
std::string_view to_string(activity_kind v) {
    return kind_names[static_cast<std::size_t>(v)];
}
std::optional<activity_kind> activity_kind_from_string(std::string_view s) {
    return lookup<activity_kind>(kind_names, s);
}
std::string_view to_string(account_role v) {
    return account_role_names[static_cast<std::size_t>(v)];
}
std::optional<account_role> account_role_from_string(std::string_view s) {
    return lookup<account_role>(account_role_names, s);
}
std::string_view to_string(audit_action v) {
    return audit_action_names[static_cast<std::size_t>(v)];
}
std::optional<audit_action> audit_action_from_string(std::string_view s) {
    return lookup<audit_action>(audit_action_names, s);
}
std::string_view to_string(audit_actor v) {
    return audit_actor_names[static_cast<std::size_t>(v)];
}
std::optional<audit_actor> audit_actor_from_string(std::string_view s) {
    return lookup<audit_actor>(audit_actor_names, s);
}
std::optional<channel> channel_from_string(std::string_view s) {
    return lookup<channel>(channel_names, s);
}

std::string_view op_of(client_message const& m) {
    return std::visit(
        [](auto const& msg) -> std::string_view {
            if constexpr (requires { msg.op; }) {
                return msg.op;
            } else {
                return {};
            }
        },
        m);
}

std::string_view type_name(client_message const& m) {
    struct namer {
        std::string_view operator()(hello const&) const { return "hello"; }
        std::string_view operator()(profile const&) const { return "profile"; }
        std::string_view operator()(vote const&) const { return "vote"; }
        std::string_view operator()(vote_clear const&) const { return "vote.clear"; }
        std::string_view operator()(activity_command const& c) const { return to_string(c.what); }
        std::string_view operator()(workshop_end const&) const { return "workshop.end"; }
        std::string_view operator()(note_add const&) const { return "note.add"; }
        std::string_view operator()(note_edit const&) const { return "note.edit"; }
        std::string_view operator()(note_move const&) const { return "note.move"; }
        std::string_view operator()(note_delete const&) const { return "note.delete"; }
        std::string_view operator()(dot const&) const { return "dot"; }
        std::string_view operator()(note_hide const&) const { return "note.hide"; }
        std::string_view operator()(cluster_set const&) const { return "cluster.set"; }
        std::string_view operator()(cluster_dissolve const&) const { return "cluster.dissolve"; }
        std::string_view operator()(board_lock const&) const { return "board.lock"; }
        std::string_view operator()(choose const&) const { return "choose"; }
        std::string_view operator()(rank const&) const { return "rank"; }
        std::string_view operator()(answer const&) const { return "answer"; }
        std::string_view operator()(answer_show const&) const { return "answer.show"; }
        std::string_view operator()(answer_hide const&) const { return "answer.hide"; }
        std::string_view operator()(withdraw const&) const { return "withdraw"; }
    };
    return std::visit(namer{}, m);
}

std::optional<activity_command::verb> activity_command_verb_from_string(std::string_view s) {
    return lookup<activity_command::verb>(verb_names, s);
}

std::optional<error_code> error_code_from_string(std::string_view s) {
    return lookup<error_code>(error_names, s);
}

int summary::n() const {
    struct count {
        int operator()(likert_results const& r) const { return r.overall.n; }
        int operator()(choice_results const& r) const { return r.overall.n; }
        int operator()(ranking_results const& r) const { return r.overall.n; }
        int operator()(open_text_results const& r) const { return r.n; }
    };
    return std::visit(count{}, body);
}

activity_kind summary::kind() const {
    struct namer {
        activity_kind operator()(likert_results const&) const { return activity_kind::likert; }
        activity_kind operator()(choice_results const&) const { return activity_kind::choice; }
        activity_kind operator()(ranking_results const&) const { return activity_kind::ranking; }
        activity_kind operator()(open_text_results const&) const {
            return activity_kind::open_text;
        }
    };
    return std::visit(namer{}, body);
}

std::string_view activity_view::kind_name() const {
    struct namer {
        std::string_view operator()(likert_view const&) const {
            return to_string(activity_kind::likert);
        }
        std::string_view operator()(board_settings_view const&) const {
            return to_string(activity_kind::board);
        }
        std::string_view operator()(choice_view const&) const {
            return to_string(activity_kind::choice);
        }
        std::string_view operator()(ranking_view const&) const {
            return to_string(activity_kind::ranking);
        }
        std::string_view operator()(open_text_view const&) const {
            return to_string(activity_kind::open_text);
        }
        std::string_view operator()(foreign_kind_view const& f) const { return f.kind; }
    };
    return std::visit(namer{}, body);
}

} // namespace cylch::protocol
