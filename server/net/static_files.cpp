#include "server/net/static_files.hpp"

#include "server/log.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>

namespace cylch::net {
namespace {

constexpr char const* placeholder_page = R"html(<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Cylch</title></head>
<body><main><h1>Cylch</h1>
<p>The server is running. The web client has not been built, so there are no pages to show yet.</p>
<p>Participants and tools can use the WebSocket protocol at <code>/ws</code>; see docs/protocol.md.</p>
<p lang="cy">Mae'r gweinydd yn rhedeg. Nid yw'r cleient gwe wedi'i adeiladu eto.</p>
</main></body></html>
)html";

// True when `path` (canonical) is `base` (canonical) or below it.
bool is_inside(std::filesystem::path const& path, std::filesystem::path const& base) {
    auto p = path.begin();
    for (auto b = base.begin(); b != base.end(); ++b, ++p) {
        if (p == path.end() || *p != *b) {
            return false;
        }
    }
    return true;
}

bool is_app_route(std::string_view path) {
    return path == "/" || path.starts_with("/j/") || path.starts_with("/f/") ||
           path.starts_with("/p/") || path.starts_with("/k/") || path.starts_with("/s/") ||
           path == "/j" || path == "/f" || path == "/p" || path == "/k" || path == "/s";
}

} // namespace

std::string_view content_type_for(std::string_view path) {
    auto ends = [&](std::string_view ext) { return path.ends_with(ext); };
    if (ends(".html"))
        return "text/html; charset=utf-8";
    if (ends(".js") || ends(".mjs"))
        return "text/javascript; charset=utf-8";
    if (ends(".css"))
        return "text/css; charset=utf-8";
    if (ends(".json") || ends(".webmanifest"))
        return "application/json";
    if (ends(".svg"))
        return "image/svg+xml";
    if (ends(".png"))
        return "image/png";
    if (ends(".jpg") || ends(".jpeg"))
        return "image/jpeg";
    if (ends(".ico"))
        return "image/x-icon";
    if (ends(".woff2"))
        return "font/woff2";
    if (ends(".txt"))
        return "text/plain; charset=utf-8";
    return "application/octet-stream";
}

static_files::static_files(std::string const& root, std::size_t max_total) {
    namespace fs = std::filesystem;
    std::error_code ec;
    std::size_t total = 0;
    // The root may itself be a link (e.g. /usr/local/share/cylch/web -> a release folder);
    // nothing below it may lead out of it.
    auto const base = root.empty() ? fs::path() : fs::canonical(root, ec);
    if (!root.empty() && !ec && fs::is_directory(base, ec)) {
        for (auto it = fs::recursive_directory_iterator(base, ec);
             !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
            auto const name = it->path().filename().string();
            // Dotfiles and dot folders (.vite/manifest.json, .git, .env) are build or tool
            // files, never pages: not even looked into.
            if (name.starts_with(".")) {
                if (it->is_directory(ec)) {
                    it.disable_recursion_pending();
                }
                continue;
            }
            // Only real files: a symbolic link is skipped (the iterator does not follow linked
            // folders either), and a path that resolves outside the root is never read.
            if (it->is_symlink(ec) || !it->is_regular_file(ec)) {
                if (it->is_symlink(ec)) {
                    log::warn("symbolic link in the web root not served",
                              {{"path", it->path().string()}});
                }
                continue;
            }
            auto const real = fs::canonical(it->path(), ec);
            if (ec || !is_inside(real, base)) {
                ec.clear();
                continue;
            }
            auto rel = fs::relative(real, base, ec).generic_string();
            if (ec) {
                ec.clear();
                continue;
            }
            std::ifstream in(real, std::ios::binary);
            std::ostringstream body;
            body << in.rdbuf();
            auto text = std::move(body).str();
            total += text.size();
            if (total > max_total) {
                log::warn("web root larger than the cache; the rest is not served",
                          {{"root", root}});
                break;
            }
            auto url = "/" + rel;
            files_[url] =
                static_file{std::make_shared<std::string const>(std::move(text)),
                            std::string(content_type_for(url)), url.starts_with("/assets/")};
        }
    }
    has_client_ = files_.contains("/index.html");
    if (!has_client_) {
        files_["/index.html"] = static_file{std::make_shared<std::string const>(placeholder_page),
                                            "text/html; charset=utf-8", false};
    }
}

std::optional<static_file> static_files::find(std::string_view path) const {
    if (is_app_route(path)) {
        path = "/index.html";
    }
    auto it = files_.find(std::string(path));
    if (it == files_.end()) {
        return std::nullopt;
    }
    return it->second;
}

} // namespace cylch::net
