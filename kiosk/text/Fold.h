#pragma once
// Folding names for matching at a door, where people type on whatever
// keyboard is there: case and accents do not matter, German umlauts match
// both ways (muller, mueller → Müller), Greek and Cyrillic names match their
// Latin transliteration as well as their own script, CJK and other scripts
// match as written. Pure functions; invalid UTF-8 is skipped, never fatal.
#include <string>
#include <string_view>
#include <vector>

#include "base/Utf8.h"  // decode_utf8, append_utf8

namespace fd {

// The tokens a query is matched with: the first spelling of each word.
std::vector<std::string> fold_query(std::string_view utf8);
// Every key a name is found by: each word in each spelling (plain, umlaut
// as ae/oe/ue, own script), apostrophe-joined words also whole, and for Han
// names without spaces every suffix (so 芳 finds 王芳). Deduplicated.
std::vector<std::string> fold_tokens(std::string_view utf8);
// The same keys grouped by word, in the name's word order.
std::vector<std::vector<std::string>> fold_words(std::string_view utf8);
// The canonical folding: query tokens joined by single spaces.
std::string fold(std::string_view utf8);

}  // namespace fd
