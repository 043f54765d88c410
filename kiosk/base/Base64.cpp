#include "base/Base64.h"

#include <sodium.h>

#include <cstring>

namespace fd {
namespace {
bool sodium_ready() {
  static const bool ok = sodium_init() >= 0;  // idempotent and thread-safe
  return ok;
}
}  // namespace

Result<std::string> base64_decode(std::string_view text, bool url) {
  if (!sodium_ready()) return Error{"b64.sodium", "libsodium failed to initialise"};
  std::string out(text.size() * 3 / 4 + 3, '\0');
  std::size_t len = 0;
  const int variant =
      url ? sodium_base64_VARIANT_URLSAFE_NO_PADDING : sodium_base64_VARIANT_ORIGINAL;
  std::string_view t = text;
  if (url)
    while (!t.empty() && t.back() == '=') t.remove_suffix(1);
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), t.data(),
                        t.size(), nullptr, &len, nullptr, variant) != 0)
    return Error{"b64.invalid", "not base64"};
  out.resize(len);
  return out;
}

std::string base64_encode(std::string_view bytes, bool url, bool pad) {
  sodium_ready();
  const int variant =
      url ? (pad ? sodium_base64_VARIANT_URLSAFE : sodium_base64_VARIANT_URLSAFE_NO_PADDING)
          : (pad ? sodium_base64_VARIANT_ORIGINAL : sodium_base64_VARIANT_ORIGINAL_NO_PADDING);
  std::string out(sodium_base64_encoded_len(bytes.size(), variant), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()),
                    bytes.size(), variant);
  out.resize(std::strlen(out.c_str()));
  return out;
}

}  // namespace fd
