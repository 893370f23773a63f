#include "shared/protocol/scales.hpp"

#include <array>

namespace cylch::protocol {
namespace {

struct standard_scale {
    std::string_view lang;
    int points;
    std::array<std::string_view, 7> labels;
};

constexpr standard_scale scales[] = {
    {"en",
     5,
     {"Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree", "Strongly agree"}},
    {"cy",
     5,
     {"Anghytuno'n gryf", "Anghytuno", "Ddim yn cytuno nac yn anghytuno", "Cytuno",
      "Cytuno'n gryf"}},
    {"en",
     7,
     {"Strongly disagree", "Disagree", "Somewhat disagree", "Neither agree nor disagree",
      "Somewhat agree", "Agree", "Strongly agree"}},
    {"cy",
     7,
     {"Anghytuno'n gryf", "Anghytuno", "Anghytuno rhywfaint", "Ddim yn cytuno nac yn anghytuno",
      "Cytuno rhywfaint", "Cytuno", "Cytuno'n gryf"}},
};

} // namespace

std::optional<std::vector<std::string>> standard_scale_labels(int points, std::string_view lang) {
    for (auto const& s : scales) {
        if (s.points == points && s.lang == lang) {
            return std::vector<std::string>(s.labels.begin(), s.labels.begin() + points);
        }
    }
    return std::nullopt;
}

std::vector<std::string> standard_scale_languages() {
    return {"en", "cy"};
}

} // namespace cylch::protocol
