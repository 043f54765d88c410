#include "model/PersonName.h"

#include <array>
#include <cctype>
#include <vector>

namespace fd {

namespace {

// Lower case, without a trailing dot: how titles are compared.
std::string key_of(std::string_view w) {
  while (!w.empty() && w.back() == '.') w.remove_suffix(1);
  std::string k(w);
  for (char& c : k) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return k;
}

// Titles people put before their names on sign-up forms, in the languages
// meetups see most. Initials ("M.", "J.") are names, not titles: none here.
constexpr std::array<std::string_view, 30> kTitles = {
    // English
    "dr", "prof", "professor", "mr", "mrs", "ms", "miss", "mx", "sir", "dame", "rev",
    // German, Austrian
    "herr", "frau", "dipl.-ing", "dr.-ing", "univ.-prof", "priv.-doz",
    // French, Spanish, Portuguese
    "mme", "mlle", "dra", "profa",
    // Thai: Professor, Associate and Assistant Professor, Dr., Mr., Mrs., Miss
    "ศาสตราจารย์", "รองศาสตราจารย์", "ผู้ช่วยศาสตราจารย์", "ดร", "นาย", "นาง", "นางสาว",
    // Arabic: Dr. (abbreviated and written out)
    "د", "دكتور"};

// Titles that are also names or parts of names ("Ing", "Eng", "Hon", "Sr"):
// only with their dot. Academic suffixes after a title too ("Dr. med.").
constexpr std::array<std::string_view, 22> kDottedTitles = {
    "ing", "mag", "hon", "eng",  "pr",  "sr",    "sra", "srta", "avv", "dott", "dott.ssa",
    "med", "rer", "nat", "phil", "jur", "habil", "ศ",   "รศ",   "ผศ",  "นพ",   "พญ"};

// Thai writes short titles with their dot and no space: "ดร.สมชาย",
// "ศ.ดร.สมชาย". Only dotted abbreviations are taken off a word this way, so
// a name that merely starts like a title keeps its letters.
constexpr std::array<std::string_view, 6> kAttached = {"ดร.", "ศ.", "รศ.", "ผศ.", "นพ.", "พญ."};

std::vector<std::string_view> words_of(std::string_view s) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && s[i] == ' ') ++i;
    const std::size_t start = i;
    while (i < s.size() && s[i] != ' ') ++i;
    if (i > start) out.push_back(s.substr(start, i - start));
  }
  return out;
}

// Takes dotted Thai titles off the front of a word; returns what is left.
std::string_view strip_attached(std::string_view w, std::string& taken) {
  for (bool again = true; again;) {
    again = false;
    for (std::string_view t : kAttached)
      if (w.size() > t.size() && w.substr(0, t.size()) == t) {
        taken += t;
        w.remove_prefix(t.size());
        again = true;
      }
  }
  return w;
}

std::string join(const std::vector<std::string_view>& w, std::size_t from, std::size_t to) {
  std::string out;
  for (std::size_t i = from; i < to; ++i) out += (out.empty() ? "" : " ") + std::string(w[i]);
  return out;
}

}  // namespace

bool is_title(std::string_view word) {
  if (word.empty()) return false;
  const std::string k = key_of(word);
  for (std::string_view t : kTitles)
    if (k == t) return true;
  if (word.back() == '.')
    for (std::string_view t : kDottedTitles)
      if (k == t) return true;
  return false;
}

NameParts split_full_name(std::string_view full) {
  NameParts p;
  const std::vector<std::string_view> w = words_of(full);
  if (w.empty()) return p;
  std::size_t i = 0;
  while (i + 1 < w.size() && is_title(w[i])) ++i;
  p.title = join(w, 0, i);
  std::string attached;
  std::string_view first = strip_attached(w[i], attached);
  if (!attached.empty()) p.title += (p.title.empty() ? "" : " ") + attached;
  p.first = std::string(first);
  p.last = join(w, i + 1, w.size());
  return p;
}

std::string without_title(std::string_view first_name) {
  const NameParts p = split_full_name(first_name);
  if (p.first.empty()) return std::string(first_name);
  return p.last.empty() ? p.first : p.first + " " + p.last;
}

}  // namespace fd
