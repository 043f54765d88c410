#pragma once
// Which form a count takes in a language: gettext's Plural-Forms header,
// "nplurals=2; plural=(n != 1);", read from the language's catalogue so a
// group adds a language with three forms (Polish, Russian) or six (Arabic)
// without a build. The rule is a C expression over n (?:, ||, &&, ==, !=,
// <, >, <=, >=, +, -, *, /, %, !, parentheses), exactly as the gettext
// manual and every .po file write it.
//
// Thread-safety: immutable once made.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/Error.h"

namespace fd {

class PluralRule {
 public:
  PluralRule();  // English, German, Spanish: "nplurals=2; plural=(n != 1);"
  static Result<PluralRule> parse(std::string_view header);

  int forms() const { return forms_; }
  // The form for n, 0 .. forms()-1 (a rule that says more is held to the last).
  int form(std::uint64_t n) const;
  const std::string& header() const { return header_; }

  // The expression compiled to a small tree: node 0 is the root.
  struct Node {
    char op;       // 'n', '#' (number), '?', '!', or the operator's first char
    char op2 = 0;  // second char of a two-char operator ("==": '=')
    std::uint64_t value = 0;
    int a = -1, b = -1, c = -1;
  };

 private:
  struct Blank {};
  explicit PluralRule(Blank) {}
  std::uint64_t eval(int node, std::uint64_t n) const;
  int forms_ = 2;
  std::vector<Node> nodes_;
  std::string header_;
};

}  // namespace fd
