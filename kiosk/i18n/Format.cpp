#include "i18n/Format.h"

#include <algorithm>
#include <cctype>
#include <utility>

namespace fd {

namespace {

// One conversion at s[i] == '%': its length, argument position (1-based;
// 0: the next one) and letter. Letter 0: not a conversion we know.
struct Conversion {
  std::size_t length = 1;
  int position = 0;
  char letter = 0;
};

Conversion read_conversion(std::string_view s, std::size_t i) {
  Conversion c;
  std::size_t j = i + 1;
  if (j < s.size() && s[j] == '%') return {2, 0, '%'};
  // %N$s: gettext's reordering.
  std::size_t k = j;
  int pos = 0;
  while (k < s.size() && std::isdigit(static_cast<unsigned char>(s[k])) && pos < 100)
    pos = pos * 10 + (s[k++] - '0');
  if (pos > 0 && k < s.size() && s[k] == '$') {
    c.position = pos;
    j = k + 1;
  }
  if (j < s.size() && (s[j] == 's' || s[j] == 'd')) {
    c.letter = s[j];
    c.length = j + 1 - i;
  }
  return c;
}

}  // namespace

std::string format_args(std::string_view pattern, const std::vector<std::string>& args) {
  std::string out;
  out.reserve(pattern.size() + 32);
  std::size_t next = 0;
  for (std::size_t i = 0; i < pattern.size();) {
    if (pattern[i] != '%') {
      out += pattern[i++];
      continue;
    }
    const Conversion c = read_conversion(pattern, i);
    if (c.letter == '%') {
      out += '%';
    } else if (c.letter) {
      const std::size_t index = c.position ? static_cast<std::size_t>(c.position - 1) : next++;
      if (index < args.size()) out += args[index];
    } else {
      out += '%';  // a lone percent sign stays itself
    }
    i += c.letter ? c.length : 1;
  }
  return out;
}

std::string conversions(std::string_view pattern) {
  std::vector<std::pair<int, char>> found;
  int next = 0;
  for (std::size_t i = 0; i < pattern.size();) {
    if (pattern[i] != '%') {
      ++i;
      continue;
    }
    const Conversion c = read_conversion(pattern, i);
    if (c.letter && c.letter != '%') found.emplace_back(c.position ? c.position : ++next, c.letter);
    i += c.letter ? c.length : 1;
  }
  std::sort(found.begin(), found.end());
  std::string out;
  for (const auto& [pos, letter] : found) out += letter;
  return out;
}

}  // namespace fd
