#include "text/Fold.h"

#include <algorithm>

#include "base/Utf8.h"

namespace fd {
namespace {

struct FoldEntry {
  char32_t cp;
  const char* base;
  const char* alt;
  const char* native;
};

constexpr FoldEntry kTable[] = {
#include "text/FoldTable.inc"
};

const FoldEntry* lookup(char32_t cp) {
  const FoldEntry* end = kTable + std::size(kTable);
  const FoldEntry* it =
      std::lower_bound(kTable, end, cp, [](const FoldEntry& e, char32_t v) { return e.cp < v; });
  return it != end && it->cp == cp ? it : nullptr;
}

bool is_combining(char32_t c) {
  return (c >= 0x0300 && c <= 0x036F) || (c >= 0x1AB0 && c <= 0x1AFF) ||
         (c >= 0x1DC0 && c <= 0x1DFF) || (c >= 0x20D0 && c <= 0x20FF) ||
         (c >= 0xFE20 && c <= 0xFE2F) || (c >= 0x064B && c <= 0x065F) ||
         c == 0x0670 ||                                // Arabic harakat
         (c >= 0x0591 && c <= 0x05C7) ||               // Hebrew points
         c == 0x200D || (c >= 0xFE00 && c <= 0xFE0F);  // joiners, variation selectors
}

bool is_apostrophe(char32_t c) {
  return c == '\'' || c == 0x2019 || c == 0x02BC || c == 0x2018 || c == '`';
}

// Separators: ASCII punctuation and space, Unicode spaces and general
// punctuation, CJK punctuation, full-width punctuation.
bool is_separator(char32_t c) {
  if (c < 0x80)
    return !((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'));
  return c == 0x00A0 || c == 0x00B7 || (c >= 0x00A1 && c <= 0x00BF && c != 0x00AA && c != 0x00BA) ||
         c == 0x00D7 || c == 0x00F7 || (c >= 0x2000 && c <= 0x206F) ||
         (c >= 0x3000 && c <= 0x3003) || (c >= 0x3008 && c <= 0x3011) || c == 0x30FB ||
         (c >= 0xFF01 && c <= 0xFF0F) || (c >= 0xFF1A && c <= 0xFF20) || c == 0xFE0F;
}

bool is_han(char32_t c) {
  return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) ||
         (c >= 0x20000 && c <= 0x2FFFF) || (c >= 0xF900 && c <= 0xFAFF);
}

// One word in its spellings.
struct Word {
  std::string base, alt, native;
  bool has_alt = false, has_native = false;
  std::u32string han;  // the word's code points (Han suffixes, Greek digraphs)
  bool all_han = true;
  bool empty() const { return base.empty(); }
};

void add_cp(Word& w, char32_t c) {
  if (!is_han(c)) w.all_han = false;
  w.han.push_back(c);
  if (c < 0x80) {
    const char l = static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
    w.base += l;
    w.alt += l;
    w.native += l;
    return;
  }
  // Greek ου reads "ou" (Οικονόμου → oikonomou), not "oy".
  const bool greek_ou = (c == 0x03C5 || c == 0x03CD || c == 0x03A5 || c == 0x038E) &&
                        w.han.size() >= 2 &&
                        (w.han[w.han.size() - 2] == 0x03BF || w.han[w.han.size() - 2] == 0x03CC ||
                         w.han[w.han.size() - 2] == 0x039F || w.han[w.han.size() - 2] == 0x038C);
  if (greek_ou) {
    w.base += 'u';
    w.alt += 'u';
    append_utf8(w.native, 0x03C5);
    w.has_native = true;
    return;
  }
  if (const FoldEntry* e = lookup(c)) {
    w.base += e->base;
    if (*e->alt) {
      w.alt += e->alt;
      w.has_alt = true;
    } else {
      w.alt += e->base;
    }
    if (*e->native) {
      w.native += e->native;
      w.has_native = true;
    } else {
      w.native += e->base;
    }
    return;
  }
  // Other scripts are matched as written (Armenian/Georgian case aside).
  append_utf8(w.base, c);
  append_utf8(w.alt, c);
  append_utf8(w.native, c);
}

// Splits into words; apostrophes join (O'Brien is one word "obrien", and
// also "brien" so either spelling finds it).
template <typename OnWord>
void for_each_word(std::string_view utf8, OnWord on_word) {
  Word w;
  std::vector<std::size_t> apostrophes;  // positions in base where one stood
  auto flush = [&] {
    if (!w.empty()) on_word(w, apostrophes);
    w = Word{};
    apostrophes.clear();
  };
  for (char32_t c : decode_utf8(utf8)) {
    if (is_combining(c)) continue;
    if (is_apostrophe(c)) {
      if (!w.empty()) apostrophes.push_back(w.base.size());
      continue;
    }
    if (is_separator(c)) {
      flush();
      continue;
    }
    // Han characters in a run with other scripts (王Li) still split there.
    add_cp(w, c);
  }
  flush();
}

}  // namespace

std::vector<std::string> fold_query(std::string_view utf8) {
  std::vector<std::string> out;
  for_each_word(utf8,
                [&](const Word& w, const std::vector<std::size_t>&) { out.push_back(w.base); });
  return out;
}

std::vector<std::vector<std::string>> fold_words(std::string_view utf8) {
  std::vector<std::vector<std::string>> words;
  for_each_word(utf8, [&](const Word& w, const std::vector<std::size_t>& apostrophes) {
    std::vector<std::string> keys{w.base};
    if (w.has_alt) keys.push_back(w.alt);
    if (w.has_native) keys.push_back(w.native);
    if (!apostrophes.empty() && apostrophes.back() < w.base.size())
      keys.push_back(w.base.substr(apostrophes.back()));
    if (w.all_han && w.han.size() > 1) {
      for (std::size_t i = 1; i < w.han.size(); ++i) {
        std::string suffix;
        for (std::size_t k = i; k < w.han.size(); ++k) append_utf8(suffix, w.han[k]);
        keys.push_back(std::move(suffix));
      }
    }
    words.push_back(std::move(keys));
  });
  return words;
}

std::vector<std::string> fold_tokens(std::string_view utf8) {
  std::vector<std::string> out;
  for (auto& keys : fold_words(utf8))
    for (auto& k : keys) out.push_back(std::move(k));
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::string fold(std::string_view utf8) {
  std::string out;
  for (const auto& t : fold_query(utf8)) {
    if (!out.empty()) out += ' ';
    out += t;
  }
  return out;
}

}  // namespace fd
