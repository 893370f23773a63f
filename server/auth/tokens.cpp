#include "server/auth/tokens.hpp"

#include <sodium.h>

#include <algorithm>
#include <array>
#include <stdexcept>

namespace cylch::auth {

void init() {
    if (sodium_init() < 0) {
        throw std::runtime_error("libsodium could not be initialised");
    }
}

namespace {

std::string base64url(std::array<unsigned char, 32> const& bytes) {
    std::string out(
        sodium_base64_ENCODED_LEN(bytes.size(), sodium_base64_VARIANT_URLSAFE_NO_PADDING), '\0');
    sodium_bin2base64(out.data(), out.size(), bytes.data(), bytes.size(),
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    out.resize(out.find('\0'));
    return out;
}

} // namespace

std::string new_token() {
    std::array<unsigned char, 32> bytes{};
    randombytes_buf(bytes.data(), bytes.size());
    return base64url(bytes);
}

std::string derive_token(std::string_view secret, std::string_view purpose) {
    std::array<unsigned char, 32> bytes{};
    auto key_len = std::clamp<std::size_t>(secret.size(), crypto_generichash_KEYBYTES_MIN,
                                           crypto_generichash_KEYBYTES_MAX);
    std::string key(secret.substr(0, key_len));
    key.resize(key_len, '\0');
    crypto_generichash(bytes.data(), bytes.size(),
                       reinterpret_cast<unsigned char const*>(purpose.data()), purpose.size(),
                       reinterpret_cast<unsigned char const*>(key.data()), key.size());
    return base64url(bytes);
}

std::string new_id(std::string_view prefix) {
    static constexpr char alphabet[] = "abcdefghijkmnpqrstuvwxyz23456789"; // 32, no l/o/0/1
    std::string out(prefix);
    out += '_';
    for (int i = 0; i < 12; ++i) {
        out += alphabet[randombytes_uniform(32)];
    }
    return out;
}

std::string new_join_code(int digits) {
    std::string out;
    out += static_cast<char>('1' + randombytes_uniform(9));
    for (int i = 1; i < digits; ++i) {
        out += static_cast<char>('0' + randombytes_uniform(10));
    }
    return out;
}

std::string hash_token(std::string_view token) {
    std::array<unsigned char, 32> digest{};
    crypto_generichash(digest.data(), digest.size(),
                       reinterpret_cast<unsigned char const*>(token.data()), token.size(), nullptr,
                       0);
    std::string hex(digest.size() * 2 + 1, '\0');
    sodium_bin2hex(hex.data(), hex.size(), digest.data(), digest.size());
    hex.pop_back();
    return hex;
}

bool equal_constant_time(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) {
        return false;
    }
    return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string hash_password(std::string_view password) {
    char out[crypto_pwhash_STRBYTES];
    if (crypto_pwhash_str(out, password.data(), password.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                          crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
        throw std::runtime_error("hashing a password failed (out of memory)");
    }
    return out;
}

bool verify_password(std::string const& hash, std::string_view password) {
    return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

} // namespace cylch::auth
