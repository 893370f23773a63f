// One activity of a workshop's agenda: what every kind has (id, place, the shared state
// machine pending → open → closed → revealed, with reopening) and its kind's own state.
//
// A kind is one alternative of `body`, in the order of protocol::activity_kind; code that
// depends on the kind visits `body`, so a kind that a visitor forgets is a compile error and
// never falls back to another kind (docs/architecture.md, "Adding an activity kind").
#pragma once

#include "server/domain/board.hpp"
#include "server/domain/choice.hpp"
#include "server/domain/likert.hpp"
#include "server/domain/open_text.hpp"
#include "server/domain/ranking.hpp"

#include <variant>

namespace cylch::domain {

using activity_body = std::variant<likert, board, choice, ranking, open_text>;
static_assert(std::variant_size_v<activity_body> ==
                  std::variant_size_v<decltype(protocol::activity_spec::body)>,
              "one domain state per kind of the workshop file");

struct activity {
    std::string id;
    int position = 0;
    protocol::activity_state state = protocol::activity_state::pending;
    store::time_ms opened_at = 0;   // last opened; 0: never
    store::time_ms closed_at = 0;   // last closed after that opening; 0: not since
    store::time_ms revealed_at = 0; // results revealed; 0: not yet. They stay revealed when
                                    // the activity is opened again.
    activity_body body;

    bool revealed() const { return revealed_at != 0; }

    protocol::activity_kind kind() const {
        return static_cast<protocol::activity_kind>(body.index());
    }
    template <class Kind>
    Kind* as() {
        return std::get_if<Kind>(&body);
    }
    template <class Kind>
    Kind const* as() const {
        return std::get_if<Kind>(&body);
    }
};

// The kind's state for a new activity of this spec, in a workshop with `groups` groups.
activity_body make_body(protocol::activity_spec const& spec, std::size_t groups);

} // namespace cylch::domain
