// Random identifiers, secret tokens and their hashes (libsodium).
//
// Tokens are 256-bit random secrets in base64url; only their hash (BLAKE2b-256, hex) is
// stored, so a copy of the database cannot be used to act as anyone. Thread-safe: the
// functions call libsodium, which is initialised once by init().
#pragma once

#include <string>
#include <string_view>

namespace cylch::auth {

// Initialises libsodium; call once before anything else here. Throws when it fails.
void init();

// A new secret token: 32 random bytes, base64url without padding (43 characters).
std::string new_token();
// A new public id such as "w_7f3k2m9q4x8d": prefix, '_', 12 random base32 characters.
std::string new_id(std::string_view prefix);
// A join code of the given number of decimal digits (first digit not 0).
std::string new_join_code(int digits = 6);

// A token derived from a secret for one purpose (keyed BLAKE2b-256, base64url): the
// presenter token is derived from the facilitator token, so a facilitator can always be
// shown the presenter link although the server keeps only hashes. `secret` must be
// 16..64 bytes (tokens are 43).
std::string derive_token(std::string_view secret, std::string_view purpose);

// Hex BLAKE2b-256 of a token. Used as the lookup key; tokens have 256 bits of entropy, so a
// fast hash is enough (passwords, when accounts come, use Argon2id instead).
std::string hash_token(std::string_view token);

// An Argon2id hash of a password in libsodium's crypto_pwhash_str format (salt and limits
// included). Slow on purpose (~0.1 s, 64 MiB): call it off the I/O threads. Throws when
// libsodium runs out of memory.
std::string hash_password(std::string_view password);
// True when `password` matches `hash` (a hash_password result). As slow as hash_password.
bool verify_password(std::string const& hash, std::string_view password);

// Compares two strings in time independent of where they differ.
bool equal_constant_time(std::string_view a, std::string_view b);

} // namespace cylch::auth
