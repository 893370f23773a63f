// Writing JSON for the encoders in this folder (internal to shared/protocol): the JSON form of
// each view, shared by the WebSocket frames (encode.cpp) and the HTTP API bodies (api.cpp).
#pragma once

#include "shared/protocol/messages.hpp"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

namespace cylch::protocol::detail {

using ojson = nlohmann::ordered_json;

// Serialises; a string that is not valid UTF-8 (never expected: inputs are checked) has its
// bad bytes replaced rather than failing the whole frame.
std::string to_text(ojson const& j);
// Rounds to a number of decimals so that the JSON shows e.g. 78.6, not 78.60000000000001.
double round_to(double v, int decimals);
// A share 0..1 as a percentage with one decimal; null when there is none.
ojson pct(std::optional<double> const& share);
ojson opt_text(std::optional<std::string> const& s);

ojson to_json(text_map const& t);
ojson to_json(activity_view const& a);
ojson to_json(std::optional<activity_view> const& a);
ojson to_json(mine_view const& m);
ojson to_json(workshop_view const& w);
ojson to_json(note_view const& n);
ojson to_json(std::vector<cluster_view> const& clusters);
// The statistics of one set of Likert answers ("n", "counts", "median", …), as in a summary.
void put_stats(ojson& j, stats::likert_summary const& s);
// A summary frame's object ({"type":"summary",…}).
ojson summary_json(summary const& s);

} // namespace cylch::protocol::detail
