// Every text the door shows in English is in every shipped catalogue: the
// kiosk's tr(), count() and plural() calls and the N_() marks of texts
// worded later (kiosk/screen, flow, web, report), the organizer and venue
// pages' t() and tn() calls and their data-t words (kiosk/web/assets), and
// every entry any catalogue has (the engine's and workers' words, matched
// by message()). A string added to the code without its German and Spanish
// fails here, naming it.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <regex>
#include <set>
#include <sstream>

#include "i18n/Catalog.h"

using namespace fd;
namespace fs = std::filesystem;

namespace {

const fs::path kSource = FD_SOURCE_DIR;

std::string read(const fs::path& p) {
  std::ifstream in(p);
  return {std::istreambuf_iterator<char>(in), {}};
}

// Comments hold examples of the calls ("tr(\"Find my name\")"): not keys.
std::string without_line_comments(const std::string& text) {
  static const std::regex comment(R"(^\s*//[^\n]*)", std::regex::multiline);
  return std::regex_replace(text, comment, "");
}

// The value of one or more adjacent literals ("a " "b" is "a b"), with
// the escapes a key may hold.
std::string literal_value(const std::string& literals, char quote) {
  std::string out;
  bool inside = false;
  for (std::size_t i = 0; i < literals.size(); ++i) {
    const char c = literals[i];
    if (!inside) {
      if (c == quote) inside = true;
      continue;
    }
    if (c == '\\' && i + 1 < literals.size()) {
      const char e = literals[++i];
      out += e == 'n' ? '\n' : e;
    } else if (c == quote) {
      inside = false;
    } else {
      out += c;
    }
  }
  return out;
}

struct Keys {
  std::map<std::string, std::string> strings;                          // key -> where
  std::map<std::pair<std::string, std::string>, std::string> plurals;  // (one, other) -> where
};

void scan_cpp(const fs::path& file, Keys& keys) {
  const std::string text = without_line_comments(read(file));
  const std::string lit = R"((?:"(?:[^"\\]|\\.)*"\s*)+)";
  static const std::regex one(R"(\b(?:tr|N_)\(\s*()" + lit + R"()\))");
  static const std::regex two(R"(\b(?:count|plural)\(\s*[^,;"]+,\s*()" + lit + R"(),\s*()" + lit +
                              ")");
  const std::string where = fs::relative(file, kSource).string();
  for (std::sregex_iterator m(text.begin(), text.end(), one), end; m != end; ++m)
    keys.strings.emplace(literal_value((*m)[1], '"'), where);
  for (std::sregex_iterator m(text.begin(), text.end(), two), end; m != end; ++m)
    keys.plurals.emplace(std::pair{literal_value((*m)[1], '"'), literal_value((*m)[2], '"')},
                         where);
}

void scan_js(const fs::path& file, Keys& keys) {
  const std::string text = without_line_comments(read(file));
  const std::string lit = R"(('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"))";
  static const std::regex one(R"(\bt\(\s*)" + lit);
  static const std::regex two(R"(\btn\(\s*[^,;'"]+,\s*)" + lit + R"(\s*,\s*)" + lit);
  const std::string where = fs::relative(file, kSource).string();
  const auto value = [](const std::string& l) { return literal_value(l, l.front()); };
  for (std::sregex_iterator m(text.begin(), text.end(), one), end; m != end; ++m)
    keys.strings.emplace(value((*m)[1]), where);
  for (std::sregex_iterator m(text.begin(), text.end(), two), end; m != end; ++m)
    keys.plurals.emplace(std::pair{value((*m)[1]), value((*m)[2])}, where);
}

void scan_html(const fs::path& file, Keys& keys) {
  const std::string text = read(file);
  const std::string where = fs::relative(file, kSource).string();
  static const std::regex marked(R"(<[a-z0-9]+\b[^>]*\sdata-t(?![-\w])[^>]*>([^<]*)<)");
  static const std::regex space(R"(\s+)");
  for (std::sregex_iterator m(text.begin(), text.end(), marked), end; m != end; ++m) {
    std::string words = std::regex_replace((*m)[1].str(), space, " ");
    words.erase(0, words.find_first_not_of(' '));
    words.erase(words.find_last_not_of(' ') + 1);
    keys.strings.emplace(words, where);
  }
  static const std::regex tag(R"re(<[a-z0-9]+\b[^>]*\sdata-t-attr="([^"]*)"[^>]*>)re");
  for (std::sregex_iterator m(text.begin(), text.end(), tag), end; m != end; ++m) {
    const std::string whole = (*m)[0];
    std::istringstream names((*m)[1].str());
    for (std::string name; names >> name;) {
      const std::regex attr("\\s" + name + "=\"([^\"]*)\"");
      std::smatch a;
      if (std::regex_search(whole, a, attr))
        keys.strings.emplace(a[1].str(), where);
      else
        FAIL_CHECK(where << ": data-t-attr names " << name << ", which the tag lacks");
    }
  }
}

Keys keys_in_code() {
  Keys keys;
  for (const char* dir : {"kiosk/screen", "kiosk/flow", "kiosk/web", "kiosk/report"})
    for (const auto& f : fs::directory_iterator(kSource / dir)) {
      const auto ext = f.path().extension();
      if (ext == ".cpp" || ext == ".h") scan_cpp(f.path(), keys);
    }
  for (const auto& f : fs::directory_iterator(kSource / "kiosk/web/assets")) {
    if (f.path().extension() == ".js") scan_js(f.path(), keys);
    if (f.path().extension() == ".html") scan_html(f.path(), keys);
  }
  return keys;
}

std::vector<Catalog> shipped() {
  std::vector<Catalog> out;
  for (const auto& f : fs::directory_iterator(kSource / "config/i18n")) {
    if (f.path().extension() != ".toml") continue;
    auto c = Catalog::load(f.path(), f.path().stem().string());
    REQUIRE_MESSAGE(c.ok(), (c.ok() ? "" : c.error().message));
    out.push_back(std::move(*c));
  }
  return out;
}

}  // namespace

TEST_CASE("the source scan finds the door's words where they are") {
  const Keys k = keys_in_code();
  // One of each kind of place: a sign of a scan that still works.
  CHECK(k.strings.count("Find my name"));                                    // tr() on the screen
  CHECK(k.strings.count("Wrong PIN"));                                       // N_() in the flow
  CHECK(k.strings.count("Please log in"));                                   // the web server
  CHECK(k.strings.count("; the room is full"));                              // the forecast
  CHECK(k.strings.count("The door cannot be reached"));                      // app.js
  CHECK(k.strings.count("This link was revoked by the organizers."));        // venue.js
  CHECK(k.strings.count("Enter the organizer PIN or the volunteer code."));  // data-t
  CHECK(k.strings.count("Name or company"));                                 // data-t-attr
  CHECK(
      k.strings.count("On the other door: Organizer → scan this code, or run `frontdesk doors "
                      "join` with it"));  // adjacent literals
  CHECK(k.plurals.count({"%d person is here", "%d people are here"}));
  CHECK(k.plurals.count({"%d check-in waiting to sync", "%d check-ins waiting to sync"}));
  CHECK(k.plurals.count({"Too many wrong PINs. Try again in %d minute.",
                         "Too many wrong PINs. Try again in %d minutes."}));
  CHECK(k.plurals.count({"%d badge waiting to print", "%d badges waiting to print"}));  // tn()
  CHECK(k.strings.size() > 150);
}

TEST_CASE("every string in the code is translated in every shipped language") {
  const Keys keys = keys_in_code();
  const auto all = shipped();
  REQUIRE(all.size() >= 2);
  for (const Catalog& c : all) {
    INFO("config/i18n/" << c.language() << ".toml");
    for (const std::string& p : c.problems()) FAIL_CHECK(p);
    for (const auto& [key, where] : keys.strings)
      CHECK_MESSAGE(c.strings().count(key), "lacks \"" << key << "\" (" << where << ")");
    for (const auto& [forms, where] : keys.plurals) {
      CHECK_MESSAGE(c.plurals().count(forms.first), "lacks the plural \""
                                                        << forms.first << "\" / \"" << forms.second
                                                        << "\" (" << where << ")");
      // The English forms must agree too: a count's conversions.
      CHECK_MESSAGE(conversions(forms.first) == conversions(forms.second),
                    where << ": \"" << forms.first << "\" and \"" << forms.second << "\"");
    }
    // A count is asked for as a plural, never as a plain string.
    for (const auto& [forms, where] : keys.plurals)
      CHECK_MESSAGE(!keys.strings.count(forms.first), "\"" << forms.first << "\" used both ways");
  }
}

TEST_CASE("every catalogue has what every other has - the engine's words included") {
  const auto all = shipped();
  for (const Catalog& a : all)
    for (const Catalog& b : all) {
      if (&a == &b) continue;
      INFO("config/i18n/" << b.language() << ".toml, next to " << a.language() << ".toml");
      for (const auto& [key, text] : a.strings())
        CHECK_MESSAGE(b.strings().count(key), "lacks \"" << key << "\"");
      for (const auto& [key, forms] : a.plurals())
        CHECK_MESSAGE(b.plurals().count(key), "lacks the plural \"" << key << "\"");
    }
}

TEST_CASE("a catalogue key the code no longer says is named - so old wording goes") {
  // Keys the code asks for by tr()/N_()/t()/data-t, plural keys by count()
  // and tn(); the others are the engine's, the tickets' and the workers'
  // words, which the door translates with message(): each must still be
  // written by one of those modules (which know nothing of languages).
  const Keys keys = keys_in_code();
  std::set<std::string> used;
  for (const auto& [k, w] : keys.strings) used.insert(k);
  for (const auto& [k, w] : keys.plurals) used.insert(k.first);
  // The words of other modules.
  std::string others;
  for (const char* dir : {"kiosk/engine", "kiosk/tickets", "kiosk/print", "kiosk/badge",
                          "kiosk/backup", "kiosk/doors", "kiosk/sync", "kiosk/web", "kiosk/shell"})
    for (const auto& f : fs::recursive_directory_iterator(kSource / dir))
      if (f.path().extension() == ".cpp" || f.path().extension() == ".h") others += read(f.path());
  // Literals a module continues on the next line are one text.
  others = std::regex_replace(others, std::regex("\"\\s*\\n\\s*\""), "");
  // The pieces of a key between its conversions, cut where modules join
  // their texts (" · ", ": ", " (", quotes), each still written somewhere.
  const auto still_said = [&](const std::string& key) {
    std::string piece;
    bool found = true;
    const auto check_piece = [&] {
      piece.erase(0, piece.find_first_not_of(' '));
      if (const auto end = piece.find_last_not_of(' '); end != std::string::npos)
        piece.erase(end + 1);
      if (piece.size() >= 4 && others.find(piece) == std::string::npos) found = false;
      piece.clear();
    };
    for (std::size_t i = 0; i < key.size(); ++i) {
      const std::string_view rest = std::string_view(key).substr(i);
      if (key[i] == '%' && i + 1 < key.size() && (key[i + 1] == 's' || key[i + 1] == 'd')) {
        check_piece();
        ++i;
      } else if (key[i] == '%' && i + 1 < key.size() && key[i + 1] == '%') {
        piece += '%';
        ++i;
      } else if (key[i] == '"' || rest.rfind(": ", 0) == 0 || rest.rfind(" (", 0) == 0) {
        check_piece();
      } else if (rest.rfind(" · ", 0) == 0) {
        check_piece();
        i += std::string_view(" · ").size() - 1;
      } else {
        piece += key[i];
      }
    }
    check_piece();
    return found;
  };
  for (const Catalog& c : shipped()) {
    INFO("config/i18n/" << c.language() << ".toml");
    for (const auto& [key, text] : c.strings())
      CHECK_MESSAGE((used.count(key) || still_said(key)),
                    "\"" << key << "\" is neither in the code nor said by another module");
    for (const auto& [key, forms] : c.plurals())
      CHECK_MESSAGE(used.count(key), "the plural \"" << key << "\" is not asked for in the code");
  }
}
