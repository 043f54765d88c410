#pragma once
// Base64 in the standard and URL alphabets (libsodium's), for keys, signed
// tickets and pairing codes.
#include <string>
#include <string_view>

#include "base/Error.h"

namespace fd {

Result<std::string> base64_decode(std::string_view text, bool url_alphabet);
std::string base64_encode(std::string_view bytes, bool url_alphabet, bool pad);

}  // namespace fd
