#pragma once
// Names as lists carry them: often one "Name" column, sometimes with a title
// in front ("Dr. Jane Smith", "Prof. Dr. Anna Weiß", "ศาสตราจารย์ สมชาย ใจดี").
// A title is not a first name: the badge prints the first name large and
// the door says "Welcome, Jane!", never "Welcome, Dr.!". The full name
// keeps the title as the person wrote it.
//
// Thread-safety: pure functions.
#include <string>
#include <string_view>

namespace fd {

struct NameParts {
  std::string title;  // "Dr.", "Prof. Dr.", "ศาสตราจารย์"; "" when none
  std::string first;  // the first word after the titles
  std::string last;   // the rest
};

// Splits a full name at its first space after any leading titles. A name
// that is nothing but a title ("Dr.") stays the first name.
NameParts split_full_name(std::string_view full);

// A word that is a title, with or without its dot: Dr, Prof., Mrs, Herr,
// Frau, Mme, Dott., Dra., Ing., ศาสตราจารย์, ดร., นาย, ... (case ignored).
bool is_title(std::string_view word);

// A first-name field without its leading titles ("Dr. Jane" -> "Jane",
// "ดร.สมชาย" -> "สมชาย"); the field as is when nothing else would be left.
std::string without_title(std::string_view first_name);

}  // namespace fd
