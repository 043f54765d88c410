#pragma once
// UTF-8 helpers shared by import (decoding files) and text (folding names).
#include <string>
#include <string_view>

namespace fd {
void append_utf8(std::string& out, char32_t cp);  // invalid code points become U+FFFD
std::u32string decode_utf8(std::string_view s);   // invalid bytes are skipped
bool is_valid_utf8(std::string_view s);           // strict: no overlongs, no surrogates
}  // namespace fd
