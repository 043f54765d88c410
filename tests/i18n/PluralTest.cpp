// gettext's Plural-Forms, read from a catalogue: the rules of languages
// with one, two, three and six forms, and rules that cannot be read.
#include <doctest/doctest.h>

#include "i18n/Format.h"
#include "i18n/Plural.h"

using namespace fd;

namespace {
std::string forms(const PluralRule& r, std::initializer_list<int> ns) {
  std::string out;
  for (int n : ns) out += std::to_string(r.form(static_cast<std::uint64_t>(n)));
  return out;
}
}  // namespace

TEST_CASE("English German and Spanish: one for 1 - the other form for 0 and the rest") {
  const PluralRule en;
  CHECK(en.forms() == 2);
  CHECK(forms(en, {0, 1, 2, 5, 11, 21, 100}) == "1011111");
}

TEST_CASE("rules of other languages as their .po files write them") {
  auto fr = PluralRule::parse("nplurals=2; plural=(n > 1);");
  REQUIRE(fr.ok());
  CHECK(forms(*fr, {0, 1, 2, 10}) == "0011");
  auto pl = PluralRule::parse(
      "nplurals=3; plural=(n==1 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);");
  REQUIRE(pl.ok());
  CHECK(pl->forms() == 3);
  CHECK(forms(*pl, {1, 2, 4, 5, 12, 14, 22, 25, 102, 112}) == "0112221212");
  auto ru = PluralRule::parse(
      "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && "
      "(n%100<10 || n%100>=20) ? 1 : 2)");
  REQUIRE(ru.ok());
  CHECK(forms(*ru, {1, 2, 5, 11, 21, 22, 111}) == "0122012");
  auto ar = PluralRule::parse(
      "nplurals=6; plural=(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 : "
      "n%100>=11 ? 4 : 5);");
  REQUIRE(ar.ok());
  CHECK(forms(*ar, {0, 1, 2, 3, 11, 100, 103}) == "0123453");
  auto ja = PluralRule::parse("nplurals=1; plural=0;");
  REQUIRE(ja.ok());
  CHECK(forms(*ja, {0, 1, 2}) == "000");
  // A rule that says more forms than it has is held to the last.
  auto odd = PluralRule::parse("nplurals=2; plural=n;");
  REQUIRE(odd.ok());
  CHECK(forms(*odd, {0, 1, 7}) == "011");
  CHECK(PluralRule::parse("  nplurals = 2 ;plural = !(n == 1)").ok());
}

TEST_CASE("a rule that cannot be read says why") {
  for (const char* bad :
       {"", "plural=(n != 1);", "nplurals=2;", "nplurals=two; plural=n;",
        "nplurals=2; plural=(n != 1;", "nplurals=2; plural=n !=;", "nplurals=2; plural=x;",
        "nplurals=2; plural=n; extra=1", "nplurals=0; plural=0;", "nplurals=2; plural=n = 1;"}) {
    auto r = PluralRule::parse(bad);
    CHECK_MESSAGE(!r.ok(), bad);
    if (!r.ok()) CHECK(!r.error().message.empty());
  }
  // Deep nesting is refused, not a stack overflow.
  CHECK_FALSE(PluralRule::parse("nplurals=2; plural=" + std::string(5000, '(') + "n" +
                                std::string(5000, ')'))
                  .ok());
}

TEST_CASE("format is printf for text - and never reads past its arguments") {
  CHECK(format("Welcome, %s!", "Ana") == "Welcome, Ana!");
  CHECK(format("%d people are here", 3) == "3 people are here");
  CHECK(format("Already checked in at %s (%s)", "18:42", "door 2") ==
        "Already checked in at 18:42 (door 2)");
  CHECK(format("%2$s: %1$s", "first", "second") == "second: first");
  CHECK(format("80%% likely", 1) == "80% likely");
  CHECK(format("fast voll (90 %)") == "fast voll (90 %)");
  CHECK(format("%s and %s and %s", "one") == "one and  and ");
  CHECK(format("%x %5s %") == "%x %5s %");
  CHECK(conversions("About %d people (80%% likely %d–%d)") == "ddd");
  CHECK(conversions("%2$s at %1$d") == "ds");
  CHECK(conversions("%s at %d") == "sd");
  CHECK(conversions("no conversions, 90 %") == "");
}
