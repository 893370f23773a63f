#include "server/net/media.hpp"

#include "shared/protocol/api.hpp"

#include <sodium.h>

#include <chrono>

namespace cylch::net {
namespace {

using protocol::error_code;

http_response error(unsigned status, error_code code, std::string message) {
    http_response r;
    r.status = status;
    r.body = std::make_shared<std::string const>(protocol::encode_api_error(code, message));
    return r;
}

// "img_" and the hex of a 128-bit BLAKE2b hash of the bytes.
std::string content_id(std::string const& bytes) {
    unsigned char hash[16];
    crypto_generichash(hash, sizeof hash, reinterpret_cast<unsigned char const*>(bytes.data()),
                       bytes.size(), nullptr, 0);
    char hex[sizeof hash * 2 + 1];
    sodium_bin2hex(hex, sizeof hex, hash, sizeof hash);
    return "img_" + std::string(hex);
}

} // namespace

std::optional<std::string> image_type_of(std::string_view b) {
    if (b.size() >= 8 && b.substr(0, 8) == std::string_view("\x89PNG\r\n\x1a\n", 8)) {
        return "image/png";
    }
    if (b.size() >= 3 && b.substr(0, 3) == "\xFF\xD8\xFF") {
        return "image/jpeg";
    }
    if (b.size() >= 12 && b.substr(0, 4) == "RIFF" && b.substr(8, 4) == "WEBP") {
        return "image/webp";
    }
    return std::nullopt;
}

media_library::media_library(store::store& store, std::vector<std::string> known)
    : store_(store)
    , known_(std::make_move_iterator(known.begin()), std::make_move_iterator(known.end())) {}

bool media_library::has(std::string const& id) const {
    std::lock_guard lock(mutex_);
    return known_.contains(id);
}

void media_library::upload(std::string bytes, std::function<void(http_response)> respond) {
    if (bytes.size() > max_image_bytes) {
        respond(
            error(413, error_code::too_large,
                  "an image may be at most " + std::to_string(max_image_bytes / 1024) + " KiB"));
        return;
    }
    auto type = image_type_of(bytes);
    if (!type) {
        respond(error(415, error_code::bad_request, "send a PNG, JPEG or WebP image"));
        return;
    }
    auto id = content_id(bytes);
    auto created = [id](unsigned status) {
        http_response r;
        r.status = status;
        r.body = std::make_shared<std::string const>(protocol::encode_image_created(id));
        return r;
    };
    {
        std::lock_guard lock(mutex_);
        if (known_.contains(id)) {
            respond(created(200)); // the same picture again: the same id
            return;
        }
        if (known_.size() >= max_images) {
            respond(
                error(403, error_code::not_allowed,
                      "this server holds its limit of " + std::to_string(max_images) + " images"));
            return;
        }
    }
    auto const now = std::chrono::duration_cast<std::chrono::milliseconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count();
    std::vector<store::record> batch{store::image_saved{id, *type, std::move(bytes), now}};
    bool const queued = store_.try_persist(std::move(batch), [this, id, created, respond](bool ok) {
        if (!ok) {
            respond(
                error(503, error_code::server_error, "the image could not be stored; try again"));
            return;
        }
        {
            std::lock_guard lock(mutex_);
            known_.insert(id);
        }
        respond(created(201));
    });
    if (!queued) {
        respond(error(503, error_code::server_error, "the server is busy; try again shortly"));
    }
}

http_response media_library::image_response(cached const& c) {
    http_response r;
    r.content_type = c.content_type;
    r.body = c.bytes;
    // An id names one content for ever.
    r.headers.emplace_back("Cache-Control", "public, max-age=31536000, immutable");
    return r;
}

void media_library::serve(std::string const& id, std::function<void(http_response)> respond) {
    {
        std::lock_guard lock(mutex_);
        if (!known_.contains(id)) {
            respond(error(404, error_code::not_found, "no such image"));
            return;
        }
        if (auto it = cache_.find(id); it != cache_.end()) {
            respond(image_response(it->second));
            return;
        }
    }
    store_.load_image_async(id, [this, id, respond](std::optional<store::image_row> row) {
        if (!row) {
            respond(error(404, error_code::not_found, "no such image"));
            return;
        }
        cached c{row->content_type, std::make_shared<std::string const>(std::move(row->bytes))};
        respond(image_response(c));
        remember(id, std::move(c));
    });
}

void media_library::remember(std::string const& id, cached c) {
    std::lock_guard lock(mutex_);
    if (cache_.contains(id) || c.bytes->size() > image_cache_bytes) {
        return;
    }
    while (cache_size_ + c.bytes->size() > image_cache_bytes && !cache_order_.empty()) {
        auto const oldest = cache_order_.front();
        cache_order_.pop_front();
        cache_size_ -= cache_.at(oldest).bytes->size();
        cache_.erase(oldest);
    }
    cache_size_ += c.bytes->size();
    cache_order_.push_back(id);
    cache_.emplace(id, std::move(c));
}

} // namespace cylch::net
