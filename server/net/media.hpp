// Uploaded images (cards' pictures): `POST /api/images` stores one (PNG, JPEG or WebP, up to
// max_image_bytes, recognised by its bytes, not by what the client says it is) under an id
// that is the hash of its content, and `GET /media/{id}` serves it with long caching (the
// content of an id never changes). Images live in the database, so backups include them.
//
// Thread-safety: every member may be called from any I/O thread. The known ids and a bounded
// cache of recently served images are guarded by one mutex; reads that miss the cache go to
// the store's writer thread.
#pragma once

#include "server/net/http_api.hpp"
#include "server/store/store.hpp"

#include <cstddef>
#include <functional>
#include <list>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace cylch::net {

inline constexpr std::size_t max_image_bytes = 1024 * 1024;
inline constexpr std::size_t max_images = 2000;
inline constexpr std::size_t image_cache_bytes = 32 * 1024 * 1024;

// The image type of these bytes ("image/png", "image/jpeg", "image/webp"); nullopt for
// anything else.
std::optional<std::string> image_type_of(std::string_view bytes);

class media_library {
public:
    // `known` are the ids already stored (read at start-up).
    media_library(store::store& store, std::vector<std::string> known);

    // POST /api/images, already authorised.
    void upload(std::string bytes, std::function<void(http_response)> respond);
    // GET /media/{id}.
    void serve(std::string const& id, std::function<void(http_response)> respond);
    // True when an image with this id was uploaded.
    bool has(std::string const& id) const;

private:
    struct cached {
        std::string content_type;
        std::shared_ptr<std::string const> bytes;
    };
    void remember(std::string const& id, cached c);
    static http_response image_response(cached const& c);

    store::store& store_;
    mutable std::mutex mutex_;
    std::unordered_set<std::string> known_;         // guarded by mutex_
    std::unordered_map<std::string, cached> cache_; // guarded by mutex_
    std::list<std::string> cache_order_;            // oldest first; guarded by mutex_
    std::size_t cache_size_ = 0;                    // guarded by mutex_
};

} // namespace cylch::net
