#include "base/Uuid.h"

#include <sodium.h>

#include <array>
#include <cstdio>
#include <stdexcept>

namespace fd {
namespace {

void ensure_sodium() {
  static const bool ready = sodium_init() >= 0;  // idempotent, thread-safe
  if (!ready) throw std::runtime_error("libsodium failed to initialise");
}

std::string format_uuid(const std::array<unsigned char, 16>& b) {
  char out[37];
  std::snprintf(out, sizeof out,
                "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0], b[1],
                b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14],
                b[15]);
  return out;
}

}  // namespace

std::string new_uuid() {
  ensure_sodium();
  std::array<unsigned char, 16> b{};
  randombytes_buf(b.data(), b.size());
  b[6] = static_cast<unsigned char>((b[6] & 0x0f) | 0x40);
  b[8] = static_cast<unsigned char>((b[8] & 0x3f) | 0x80);
  return format_uuid(b);
}

std::string uuid_from_name(const std::string& name) {
  ensure_sodium();
  std::array<unsigned char, 16> b{};
  crypto_generichash(b.data(), b.size(), reinterpret_cast<const unsigned char*>(name.data()),
                     name.size(), nullptr, 0);
  b[6] = static_cast<unsigned char>((b[6] & 0x0f) | 0x80);
  b[8] = static_cast<unsigned char>((b[8] & 0x3f) | 0x80);
  return format_uuid(b);
}

bool is_uuid(const std::string& s) {
  if (s.size() != 36) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (c != '-') return false;
    } else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
      return false;
    }
  }
  return true;
}

}  // namespace fd
