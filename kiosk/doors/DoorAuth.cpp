#include "doors/DoorAuth.h"

#include <sodium.h>

#include <string>

namespace fd {
namespace {

std::string hex(const unsigned char* p, std::size_t n) {
  std::string out(n * 2 + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), p, n);
  out.pop_back();
  return out;
}

void mac(std::string_view secret, std::string_view what, std::string_view door,
         std::string_view nonce, std::string_view body,
         unsigned char out[crypto_auth_hmacsha256_BYTES]) {
  unsigned char body_hash[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(body_hash, reinterpret_cast<const unsigned char*>(body.data()), body.size());
  const std::string message = std::string(what) + "\n" + std::string(door) + "\n" +
                              std::string(nonce) + "\n" + hex(body_hash, sizeof body_hash);
  crypto_auth_hmacsha256_state st;
  crypto_auth_hmacsha256_init(&st, reinterpret_cast<const unsigned char*>(secret.data()),
                              secret.size());
  crypto_auth_hmacsha256_update(&st, reinterpret_cast<const unsigned char*>(message.data()),
                                message.size());
  crypto_auth_hmacsha256_final(&st, out);
}

}  // namespace

std::string new_nonce() {
  if (sodium_init() < 0) return {};
  unsigned char b[16];
  randombytes_buf(b, sizeof b);
  return hex(b, sizeof b);
}

std::string door_signature(std::string_view secret, std::string_view what, std::string_view door,
                           std::string_view nonce, std::string_view body) {
  if (sodium_init() < 0) return {};
  unsigned char out[crypto_auth_hmacsha256_BYTES];
  mac(secret, what, door, nonce, body, out);
  return hex(out, sizeof out);
}

bool door_signature_ok(std::string_view secret, std::string_view what, std::string_view door,
                       std::string_view nonce, std::string_view body, std::string_view signature) {
  if (secret.empty() || signature.size() != crypto_auth_hmacsha256_BYTES * 2 || nonce.empty() ||
      nonce.size() > 64 || door.size() > 64)
    return false;
  const std::string expected = door_signature(secret, what, door, nonce, body);
  return sodium_memcmp(expected.data(), signature.data(), expected.size()) == 0;
}

}  // namespace fd
