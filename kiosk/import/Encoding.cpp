#include "import/Encoding.h"

#include <algorithm>
#include <cstdint>

#include "base/Utf8.h"

namespace fd {
namespace {

// Windows-1252's 0x80-0x9F block; the five holes decode as their C1 controls
// so that no byte is lost.
constexpr char16_t kCp1252High[32] = {
    0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0x008D, 0x017D, 0x008F, 0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178};

std::string from_utf16(std::string_view b, bool little_endian) {
  std::string out;
  out.reserve(b.size());
  for (std::size_t i = 0; i + 1 < b.size(); i += 2) {
    const auto lo = static_cast<unsigned char>(b[i]), hi = static_cast<unsigned char>(b[i + 1]);
    char32_t u = little_endian ? static_cast<char32_t>(lo | (hi << 8))
                               : static_cast<char32_t>((lo << 8) | hi);
    if (u >= 0xD800 && u <= 0xDBFF && i + 3 < b.size()) {
      const auto lo2 = static_cast<unsigned char>(b[i + 2]),
                 hi2 = static_cast<unsigned char>(b[i + 3]);
      const char32_t v = little_endian ? static_cast<char32_t>(lo2 | (hi2 << 8))
                                       : static_cast<char32_t>((lo2 << 8) | hi2);
      if (v >= 0xDC00 && v <= 0xDFFF) {
        u = 0x10000 + ((u - 0xD800) << 10) + (v - 0xDC00);
        i += 2;
      }
    }
    append_utf8(out, u);
  }
  return out;
}

}  // namespace

int utf16_without_bom(std::string_view b) {
  // Text in UTF-16 has a zero byte beside nearly every Latin letter, digit,
  // delimiter and line end; no CSV in an 8-bit encoding has zero bytes.
  const std::size_t pairs = std::min<std::size_t>(b.size(), 4096) / 2;
  if (pairs < 2) return 0;
  std::size_t zero_even = 0, zero_odd = 0;
  for (std::size_t i = 0; i < pairs; ++i) {
    zero_even += b[2 * i] == '\0';
    zero_odd += b[2 * i + 1] == '\0';
  }
  if (zero_odd * 10 >= pairs * 3 && zero_even * 20 < pairs) return 1;   // little-endian
  if (zero_even * 10 >= pairs * 3 && zero_odd * 20 < pairs) return -1;  // big-endian
  return 0;
}

DecodedText to_utf8(std::string_view b) {
  if (b.size() >= 3 && b.substr(0, 3) == "\xEF\xBB\xBF") {
    b.remove_prefix(3);
    if (is_valid_utf8(b)) return {std::string(b), "utf-8 (BOM)"};
  }
  if (b.size() >= 2 && b.substr(0, 2) == "\xFF\xFE")
    return {from_utf16(b.substr(2), true), "utf-16le"};
  if (b.size() >= 2 && b.substr(0, 2) == "\xFE\xFF")
    return {from_utf16(b.substr(2), false), "utf-16be"};
  // Excel's and PowerShell's "Unicode" files sometimes come without a BOM.
  if (const int order = utf16_without_bom(b); order != 0)
    return {from_utf16(b, order > 0), order > 0 ? "utf-16le (no BOM)" : "utf-16be (no BOM)"};
  if (is_valid_utf8(b)) return {std::string(b), "utf-8"};
  std::string out;
  out.reserve(b.size() + b.size() / 8);
  for (unsigned char c : b) {
    if (c < 0x80)
      out += static_cast<char>(c);
    else if (c < 0xA0)
      append_utf8(out, kCp1252High[c - 0x80]);
    else
      append_utf8(out, c);  // Latin-1 block is identical in Windows-1252
  }
  return {std::move(out), "windows-1252"};
}

}  // namespace fd
