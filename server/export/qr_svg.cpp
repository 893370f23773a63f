#include "server/export/qr_svg.hpp"

#include <qrencode.h>

#include <memory>

namespace cylch::export_ {

std::optional<std::string> qr_svg(std::string_view text) {
    if (text.empty() || text.size() > 1024) {
        return std::nullopt;
    }
    std::string input(text);
    std::unique_ptr<QRcode, void (*)(QRcode*)> code(
        QRcode_encodeString8bit(input.c_str(), 0, QR_ECLEVEL_M), QRcode_free);
    if (!code) {
        return std::nullopt;
    }
    int const width = code->width;
    int const quiet = 4;
    int const size = width + 2 * quiet;
    std::string svg =
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " + std::to_string(size) + " " +
        std::to_string(size) +
        "\" shape-rendering=\"crispEdges\" role=\"img\">"
        "<rect width=\"100%\" height=\"100%\" fill=\"#fff\"/><path fill=\"#000\" d=\"";
    for (int y = 0; y < width; ++y) {
        for (int x = 0; x < width; ++x) {
            if (code->data[y * width + x] & 1) {
                svg +=
                    'M' + std::to_string(x + quiet) + ',' + std::to_string(y + quiet) + "h1v1h-1z";
            }
        }
    }
    svg += "\"/></svg>";
    return svg;
}

} // namespace cylch::export_
