#include <doctest/doctest.h>

#include <algorithm>
#include <random>

#include "import/Encoding.h"
#include "text/Fold.h"

using namespace fd;

namespace {
bool has(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}
}  // namespace

TEST_CASE("Latin accents fold away and special letters spell out") {
  CHECK(fold("José García") == "jose garcia");
  CHECK(fold("Łukasz Wiśniewski") == "lukasz wisniewski");
  CHECK(fold("Søren Ørsted") == "soren orsted");
  CHECK(fold("Weiß") == "weiss");
  CHECK(fold("Æsa Þórsdóttir") == "aesa thorsdottir");
  CHECK(fold("Nguyễn Văn Đức") == "nguyen van duc");
  CHECK(fold("Çağla Yılmaz") == "cagla yilmaz");
  CHECK(fold("ＡＢＣ") == "abc");  // full-width
}

TEST_CASE("umlauts match both ways") {
  const auto keys = fold_tokens("Anna Müller");
  CHECK(has(keys, "muller"));
  CHECK(has(keys, "mueller"));
  CHECK(fold_query("Müller") == std::vector<std::string>{"muller"});
}

TEST_CASE("Cyrillic and Greek match in Latin letters and in their own script") {
  const auto ivan = fold_tokens("Иван Петров");
  CHECK(has(ivan, "ivan"));
  CHECK(has(ivan, "petrov"));
  CHECK(has(ivan, "иван"));
  CHECK(fold("Иван") == "ivan");  // a query typed in Cyrillic folds the same way
  const auto dimitris = fold_tokens("Δημήτρης Οικονόμου");
  CHECK(has(dimitris, "dimitris"));
  CHECK(has(dimitris, "oikonomou"));
  CHECK(has(dimitris, "δημητρης"));
}

TEST_CASE("CJK and Arabic stay as written - Han names are found by any suffix") {
  const auto wang = fold_tokens("王芳");
  CHECK(has(wang, "王芳"));
  CHECK(has(wang, "芳"));
  CHECK(fold("محمد العلي") == "محمد العلي");
  CHECK(fold("مُحَمَّد") == "محمد");  // vowel marks do not matter
  CHECK(fold("佐藤 健") == "佐藤 健");
}

TEST_CASE("punctuation splits words - apostrophes join them") {
  CHECK(fold("Fernández-Villaverde") == "fernandez villaverde");
  const auto obrien = fold_tokens("Seán O'Brien");
  CHECK(has(obrien, "obrien"));
  CHECK(has(obrien, "brien"));
  CHECK(has(fold_tokens("D’Angelo"), "dangelo"));
  CHECK(fold("  Ana   (she/her)  ") == "ana she her");
  CHECK(fold("🎉 Party Parrot 🦜").find("party parrot") != std::string::npos);
}

TEST_CASE("property: any bytes fold to valid UTF-8 without crashing and folding is idempotent") {
  std::mt19937 rng(5);
  for (int i = 0; i < 3000; ++i) {
    std::string s;
    const int len = static_cast<int>(rng() % 40);
    for (int k = 0; k < len; ++k) s += static_cast<char>(rng() % 256);
    const std::string f = fold(s);
    REQUIRE(is_valid_utf8(f));
    REQUIRE(fold(f) == f);
    for (const auto& t : fold_tokens(s)) REQUIRE_FALSE(t.empty());
  }
}
