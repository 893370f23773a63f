// The built web client, read into memory once at start-up so that serving a file never
// touches the disk on an I/O thread.
//
// Thread-safety: immutable after construction; lookups from any thread.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace cylch::net {

struct static_file {
    std::shared_ptr<std::string const> body;
    std::string content_type;
    bool immutable = false; // hashed asset names (assets/…): cache for a year
};

class static_files {
public:
    // Loads every regular file under `root` (up to max_total bytes in all). Symbolic links
    // (to files or folders) and names starting with a dot (.vite/manifest.json) are skipped,
    // and no file outside the root's real path is read. A missing or empty root leaves a
    // built-in page that says the web client is not built.
    explicit static_files(std::string const& root, std::size_t max_total = 64 * 1024 * 1024);

    // The file for a URL path. Paths of the single-page app (/, /j/…, /f/…, /p/…) give
    // index.html. nullopt when there is no such file.
    std::optional<static_file> find(std::string_view path) const;

    std::size_t file_count() const { return files_.size(); }
    bool has_client() const { return has_client_; }

private:
    std::unordered_map<std::string, static_file> files_; // "/assets/app.js" -> file
    bool has_client_ = false;
};

std::string_view content_type_for(std::string_view path);

} // namespace cylch::net
