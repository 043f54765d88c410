#pragma once
// Organizers' files come from Excel as often as from a web export: UTF-8
// with or without a BOM, UTF-16 ("Unicode text"), or Windows-1252.
#include <string>
#include <string_view>

#include "base/Utf8.h"  // is_valid_utf8

namespace fd {

struct DecodedText {
  std::string utf8;
  std::string encoding;  // "utf-8", "utf-8 (BOM)", "utf-16le", "utf-16be", "windows-1252",
                         // "utf-16le (no BOM)", "utf-16be (no BOM)"
};

// Strips BOMs; valid UTF-8 stays as is; UTF-16 with a BOM, or without one
// when its zero bytes say so, is converted; anything else is read as
// Windows-1252 (every byte maps to a character).
DecodedText to_utf8(std::string_view bytes);
// 1: the bytes look like UTF-16LE without a BOM, -1: UTF-16BE, 0: neither.
int utf16_without_bom(std::string_view bytes);

}  // namespace fd
