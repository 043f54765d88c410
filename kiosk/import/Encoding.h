#pragma once
// Organizers' files come from Excel as often as from a web export: UTF-8
// with or without a BOM, UTF-16 ("Unicode text"), or Windows-1252.
#include <string>
#include <string_view>

#include "base/Utf8.h"  // is_valid_utf8

namespace fd {

struct DecodedText {
  std::string utf8;
  std::string encoding;  // "utf-8", "utf-8 (BOM)", "utf-16le", "utf-16be", "windows-1252"
};

// Strips BOMs; valid UTF-8 stays as is; UTF-16 with a BOM is converted;
// anything else is read as Windows-1252 (every byte maps to a character).
DecodedText to_utf8(std::string_view bytes);

}  // namespace fd
