// QR codes as SVG (libqrencode), for join links on the presenter screen and printouts.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace cylch::export_ {

// An SVG image of the QR code for `text` (error correction M, 4-module quiet zone);
// nullopt when the text is empty or too long for a QR code.
std::optional<std::string> qr_svg(std::string_view text);

} // namespace cylch::export_
