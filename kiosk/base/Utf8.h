#pragma once
// UTF-8 helpers shared by import (decoding files) and text (folding names).
#include <cstddef>
#include <string>
#include <string_view>

namespace fd {
void append_utf8(std::string& out, char32_t cp);  // invalid code points become U+FFFD
std::u32string decode_utf8(std::string_view s);   // invalid bytes are skipped
bool is_valid_utf8(std::string_view s);           // strict: no overlongs, no surrogates
// Outside input quoted back in a message: at most `max_chars` code points of
// valid UTF-8 (bad bytes dropped, control characters as spaces), with "…"
// when cut, so a 5 MB name or a binary file never floods a terminal or log.
std::string excerpt(std::string_view s, std::size_t max_chars = 40);
}  // namespace fd
