// The standard agreement scales (5 and 7 points) with their labels in English and Welsh,
// from the project glossary. A workshop file that says `"scale": 5` gets these labels.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cylch::protocol {

// Labels of the standard scale with the given number of points in the given language;
// empty when there is no standard scale of that size or no translation in that language.
std::optional<std::vector<std::string>> standard_scale_labels(int points, std::string_view lang);

// Languages that have standard labels.
std::vector<std::string> standard_scale_languages();

} // namespace cylch::protocol
