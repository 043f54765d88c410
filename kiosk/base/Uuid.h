#pragma once
#include <string>

namespace fd {
// A random (version 4) UUID in canonical lowercase form. Check-in events carry
// one so that logs from several doors merge as a set union.
// Thread-safety: safe from any thread (libsodium's CSPRNG).
std::string new_uuid();
bool is_uuid(const std::string& s);
}  // namespace fd
