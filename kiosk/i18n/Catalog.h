#pragma once
// The door's words in one language, for the kiosk's screen and the
// organizer and venue pages alike. English is written in the code; every
// other language is a file, config/i18n/<lang>.toml, so a group adds its
// own language (or rewords one phrase) without a build:
//
//   language_name = "Deutsch"
//   plural_forms = "nplurals=2; plural=(n != 1);"      # gettext's header
//   [strings]
//   "Find my name" = "Namen suchen"                    # English = translation
//   "Welcome, %s!" = "Willkommen, %s!"                 # printf's %s, %d, %%
//   [plurals]
//   "%d person is here" = ["%d Person ist da", "%d Personen sind da"]
//
// A plural is keyed by its English singular and lists one form per
// plural_forms index, as msgstr[0..] in a .po file. Code asks with both
// English forms: plural(n, "%d person is here", "%d people are here").
//
// Texts made elsewhere (the engine's "Already checked in at 18:42 (door 2)",
// a worker's health line) are translated by message(): a key with
// conversions (and 8 characters of its own at least: "%s at %s" would match
// nearly anything) is also a pattern the English text is matched against,
// its parts carried into the translation.
//
// Thread-safety: immutable after loading; share it between threads freely.
#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "base/Error.h"
#include "i18n/Format.h"
#include "i18n/Plural.h"

namespace fd {

class Catalog {
 public:
  Catalog() = default;  // English: every text as the code writes it
  static Result<Catalog> parse(std::string_view toml, const std::string& language,
                               const std::string& origin);
  static Result<Catalog> load(const std::filesystem::path& toml_file, const std::string& language);
  // Every <lang>.toml of the folders, English first, then by language code.
  // A language found again in a later folder (the config dir's i18n/ after
  // the shipped one) is laid over the earlier: its entries win one by one.
  // Files that cannot be read are left out with a warning in the journal,
  // and so are the problems() of those that can.
  static std::vector<Catalog> load_all(const std::vector<std::filesystem::path>& dirs);
  // Lays `over`'s entries (and name and plural rule, when it has them) over these.
  void merge(const Catalog& over);

  const std::string& language() const { return language_; }
  const std::string& name() const { return name_; }  // "Deutsch"
  const PluralRule& plural_rule() const { return rule_; }

  // The translation, or the English text itself when there is none.
  const char* tr(const char* english) const;
  // The form of a count for n: the translation of `one` (the English
  // singular) for n, else English's own. Not formatted: see count().
  const char* plural(long long n, const char* one, const char* other) const;
  // The count's words formatted: the form for n with n as its first
  // argument ("%d people are here"), then the others.
  template <typename... A>
  std::string count(long long n, const char* one, const char* other, const A&... more) const {
    return format(plural(n, one, other), n, more...);
  }
  // A text made elsewhere in English: its translation (exactly, or by a
  // pattern key: "Welcome, %s!" words "Welcome, Ana!"), else itself.
  std::string message(std::string_view english) const;

  // What the file holds, for the organizer pages' copy and for tests.
  const std::map<std::string, std::string, std::less<>>& strings() const { return text_; }
  const std::map<std::string, std::vector<std::string>, std::less<>>& plurals() const {
    return plurals_;
  }
  // Entries left out when loading, in plain words: a plural with the wrong
  // number of forms, a translation whose %s and %d differ from the English,
  // a key the file format does not know.
  const std::vector<std::string>& problems() const { return problems_; }

 private:
  void add_pattern(const std::string& key);

  std::string language_ = "en";
  std::string name_ = "English";
  PluralRule rule_;
  bool named_ = false, ruled_ = false;  // the file said language_name / plural_forms
  std::map<std::string, std::string, std::less<>> text_;
  std::map<std::string, std::vector<std::string>, std::less<>> plurals_;
  // The keys with conversions, longest literal text first (the most
  // specific pattern wins: "Welcome back, %s!" before "Welcome%s").
  std::vector<std::string> patterns_;
  std::vector<std::string> problems_;
};

// Marks an English text that is translated later, where it is shown (by
// tr() or message()): the catalogue check (tests/i18n) finds it here.
constexpr const char* N_(const char* english) { return english; }

// Where the catalogues are: the shipped ones (installed, or the source
// tree of a developer build), then the config dir's i18n/ (a group's own).
std::vector<std::filesystem::path> catalogue_dirs(const std::filesystem::path& config_dir);

}  // namespace fd
