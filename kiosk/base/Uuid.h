#pragma once
#include <string>

namespace fd {
// A random (version 4) UUID in canonical lowercase form. Check-in events carry
// one so that logs from several doors merge as a set union.
// Thread-safety: safe from any thread (libsodium's CSPRNG).
std::string new_uuid();
bool is_uuid(const std::string& s);
// A UUID-shaped name derived from text (a version 8 UUID over BLAKE2b): the
// same text gives the same UUID, so an event learnt twice (a check-in pulled
// from a service on every pull) is stored once.
std::string uuid_from_name(const std::string& name);
}  // namespace fd
