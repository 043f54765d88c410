// One catalogue per language: its strings and plural forms, texts made
// elsewhere matched against its patterns, what a broken file loses, and a
// group's own language or rewording added without a build.
#include <doctest/doctest.h>

#include <fstream>

#include "TestSupport.h"
#include "i18n/Catalog.h"

using namespace fd;

namespace {

const char* kGerman = R"toml(
language_name = "Deutsch"
plural_forms = "nplurals=2; plural=(n != 1);"
[strings]
"Find my name" = "Namen suchen"
"Welcome, %s!" = "Willkommen, %s!"
"Welcome back, %s!" = "Willkommen zurück, %s!"
"Already checked in at %s (%s)" = "Bereits eingecheckt um %s (%s)"
"The room is full (capacity %d) — please see an organizer" = "Der Raum ist voll (%d Plätze) — bitte wende dich an das Orga-Team"
"%s is not checked in" = "%s ist nicht eingecheckt"
"Check-in undone" = "Check-in rückgängig gemacht"
[plurals]
"%d person is here" = ["%d Person ist da", "%d Personen sind da"]
)toml";

Catalog german() {
  auto c = Catalog::parse(kGerman, "de", "de.toml");
  REQUIRE(c.ok());
  CHECK(c->problems().empty());
  return *c;
}

void write(const std::filesystem::path& p, const std::string& text) { std::ofstream(p) << text; }

}  // namespace

TEST_CASE("English is the code's own text - and counts 1 apart from the rest") {
  const Catalog en;
  CHECK(en.language() == "en");
  CHECK(std::string(en.tr("Find my name")) == "Find my name");
  CHECK(en.count(1, "%d person is here", "%d people are here") == "1 person is here");
  CHECK(en.count(0, "%d person is here", "%d people are here") == "0 people are here");
  CHECK(en.count(2, "%d person is here", "%d people are here") == "2 people are here");
  CHECK(en.message("Welcome, Ana!") == "Welcome, Ana!");
}

TEST_CASE("a catalogue translates - and falls back to English for what it lacks") {
  const Catalog de = german();
  CHECK(de.name() == "Deutsch");
  CHECK(std::string(de.tr("Find my name")) == "Namen suchen");
  CHECK(std::string(de.tr("a string nobody translated")) == "a string nobody translated");
  CHECK(de.count(1, "%d person is here", "%d people are here") == "1 Person ist da");
  CHECK(de.count(2, "%d person is here", "%d people are here") == "2 Personen sind da");
  CHECK(de.count(0, "%d person is here", "%d people are here") == "0 Personen sind da");
  // A count the catalogue lacks stays English, in English's forms.
  CHECK(de.count(1, "%d badge waits", "%d badges wait") == "1 badge waits");
  CHECK(de.count(3, "%d badge waits", "%d badges wait") == "3 badges wait");
}

TEST_CASE("texts made elsewhere are translated by the catalogue's patterns") {
  const Catalog de = german();
  CHECK(de.message("Check-in undone") == "Check-in rückgängig gemacht");
  CHECK(de.message("Welcome, Ana!") == "Willkommen, Ana!");
  // The most specific pattern wins.
  CHECK(de.message("Welcome back, Ana!") == "Willkommen zurück, Ana!");
  CHECK(de.message("Already checked in at 18:42 (door 2)") ==
        "Bereits eingecheckt um 18:42 (door 2)");
  CHECK(de.message("The room is full (capacity 120) — please see an organizer") ==
        "Der Raum ist voll (120 Plätze) — bitte wende dich an das Orga-Team");
  // %d takes digits only; names may hold anything.
  CHECK(de.message("The room is full (capacity lots) — please see an organizer") ==
        "The room is full (capacity lots) — please see an organizer");
  CHECK(de.message("José (he/him) García is not checked in") ==
        "José (he/him) García ist nicht eingecheckt");
  CHECK(de.message("Something else entirely") == "Something else entirely");
  CHECK(de.message("") == "");
}

TEST_CASE("a broken entry is left out and named - a broken file is refused") {
  auto c = Catalog::parse(R"toml(
language_name = "Kaputt"
colour = "blue"
[strings]
"Welcome, %s!" = "Willkommen!"
"Find my name" = 3
"Done" = "Fertig"
[plurals]
"%d person is here" = ["%d Person ist da"]
"%d badge" = ["%s Schild", "%d Schilder"]
"%d door" = ["eine Tür", "%d Türen"]
)toml",
                          "xx", "xx.toml");
  REQUIRE(c.ok());
  CHECK(c->problems().size() == 5);
  CHECK(std::string(c->tr("Welcome, %s!")) == "Welcome, %s!");  // would drop the name
  CHECK(std::string(c->tr("Done")) == "Fertig");
  CHECK(c->count(1, "%d person is here", "%d people are here") == "1 person is here");
  // A form may leave the count out when it says nothing else.
  CHECK(c->count(1, "%d door", "%d doors") == "eine Tür");
  CHECK(c->count(4, "%d door", "%d doors") == "4 Türen");

  CHECK_FALSE(Catalog::parse("[strings\n", "xx", "xx.toml").ok());
  auto bad_rule = Catalog::parse("plural_forms = \"nplurals=2\"", "xx", "xx.toml");
  REQUIRE_FALSE(bad_rule.ok());
  CHECK(bad_rule.error().message.find("plural_forms") != std::string::npos);
}

TEST_CASE("a group adds a language with three forms - and rewords one phrase - without a build") {
  test::TempDir dir;
  const auto shipped = dir.path / "shipped", own = dir.path / "own";
  std::filesystem::create_directories(shipped);
  std::filesystem::create_directories(own);
  write(shipped / "de.toml", kGerman);
  write(own / "pl.toml", R"toml(
language_name = "Polski"
plural_forms = "nplurals=3; plural=(n==1 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);"
[strings]
"Find my name" = "Znajdź moje nazwisko"
[plurals]
"%d person is here" = ["%d osoba jest tutaj", "%d osoby są tutaj", "%d osób jest tutaj"]
)toml");
  write(own / "de.toml", R"toml(
[strings]
"Find my name" = "Mich finden"
)toml");
  write(own / "notes.txt", "not a catalogue");
  const auto all = Catalog::load_all({shipped, own, dir.path / "missing"});
  REQUIRE(all.size() == 3);
  CHECK(all[0].language() == "en");
  CHECK(all[1].language() == "de");
  CHECK(all[2].language() == "pl");
  // The group's wording wins; the rest of the shipped German stays.
  CHECK(std::string(all[1].tr("Find my name")) == "Mich finden");
  CHECK(all[1].name() == "Deutsch");
  CHECK(all[1].count(2, "%d person is here", "%d people are here") == "2 Personen sind da");
  const Catalog& pl = all[2];
  CHECK(pl.count(1, "%d person is here", "%d people are here") == "1 osoba jest tutaj");
  CHECK(pl.count(3, "%d person is here", "%d people are here") == "3 osoby są tutaj");
  CHECK(pl.count(5, "%d person is here", "%d people are here") == "5 osób jest tutaj");
  CHECK(pl.count(22, "%d person is here", "%d people are here") == "22 osoby są tutaj");
}
