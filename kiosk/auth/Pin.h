#pragma once
// The organizer PIN, stored only as a libsodium crypto_pwhash string (Argon2id)
// in a file readable by its owner only. Verification is deliberately slow
// (tens of ms): call it off the UI thread.
//
// Thread-safety: free functions, safe from any thread.
#include <filesystem>
#include <string>

#include "base/Error.h"

namespace fd {

Result<std::string> hash_pin(const std::string& pin);  // 4 to 12 digits
// Why a PIN is among the first anyone tries ("" when it is not): the demo's
// 1234, one digit repeated, a run up or down, a pair repeated, a year, a
// keypad column. The lockout slows guessing; it does not stop these.
std::string guessable_pin(const std::string& pin);
bool verify_pin(const std::string& stored_hash, const std::string& pin);
// Writes the hash with mode 0600; the directory is created owner-only.
Result<bool> save_pin(const std::filesystem::path& file, const std::string& pin);
// The stored hash, or an error when no PIN was set.
Result<std::string> load_pin_hash(const std::filesystem::path& file);

}  // namespace fd
