#include "i18n/Catalog.h"

#include <toml++/toml.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <iterator>

#include "base/Log.h"
#include "base/Paths.h"

namespace fd {

namespace {

// The text a pattern key must have besides its conversions to match others.
constexpr std::size_t kPatternText = 8;

// English's own plural rule, for the texts no catalogue translates.
const PluralRule& english_rule() {
  static const PluralRule rule;
  return rule;
}

std::size_t literal_length(std::string_view pattern) {
  std::size_t n = 0;
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] == '%' && i + 1 < pattern.size()) {
      if (pattern[i + 1] == '%') ++n;
      ++i;
      continue;
    }
    ++n;
  }
  return n;
}

// Matches `text` against a key's pattern from (p, t) on, gathering what
// each %s and %d stood for. %d takes digits, %s anything but nothing;
// `budget` bounds the backtracking of a pathological pattern.
bool match(std::string_view pat, std::size_t p, std::string_view text, std::size_t t,
           std::vector<std::string>& parts, int& budget) {
  if (--budget < 0) return false;
  while (p < pat.size()) {
    if (pat[p] != '%' || p + 1 >= pat.size()) {
      if (t >= text.size() || text[t] != pat[p]) return false;
      ++p, ++t;
      continue;
    }
    const char c = pat[p + 1];
    if (c == '%') {
      if (t >= text.size() || text[t] != '%') return false;
      p += 2, ++t;
      continue;
    }
    if (c != 's' && c != 'd') {  // not a conversion: the text itself
      if (t >= text.size() || text[t] != '%') return false;
      ++p, ++t;
      continue;
    }
    std::size_t most = text.size() - t;
    if (c == 'd') {
      std::size_t k = t + (t < text.size() && text[t] == '-');
      while (k < text.size() && std::isdigit(static_cast<unsigned char>(text[k]))) ++k;
      most = k - t;
      if (most == 0 || (most == 1 && text[t] == '-')) return false;
    }
    for (std::size_t len = c == 'd' ? most : 1; len >= 1 && len <= most; c == 'd' ? --len : ++len) {
      parts.emplace_back(text.substr(t, len));
      if (match(pat, p + 2, text, t + len, parts, budget)) return true;
      parts.pop_back();
    }
    return false;
  }
  return t == text.size();
}

}  // namespace

Result<Catalog> Catalog::parse(std::string_view toml_text, const std::string& language,
                               const std::string& origin) {
  Catalog c;
  c.language_ = language;
  c.name_ = language;
  toml::table t;
  try {
    t = toml::parse(toml_text, origin);
  } catch (const toml::parse_error& e) {
    return Error{"i18n.syntax", origin + ":" + std::to_string(e.source().begin.line) + ": " +
                                    std::string(e.description())};
  }
  for (const auto& [k, v] : t) {
    const std::string key(k.str());
    if (key != "language_name" && key != "plural_forms" && key != "strings" && key != "plurals")
      c.problems_.push_back(origin + ": unknown key \"" + key +
                            "\" (a catalogue has language_name, plural_forms, [strings] and "
                            "[plurals])");
  }
  if (const auto* n = t["language_name"].as_string()) {
    c.name_ = n->get();
    c.named_ = true;
  }
  if (const auto* p = t["plural_forms"].as_string()) {
    auto rule = PluralRule::parse(p->get());
    if (!rule) return Error{"i18n.plural", origin + ": plural_forms: " + rule.error().message};
    c.rule_ = std::move(*rule);
    c.ruled_ = true;
  }
  if (const auto* strings = t["strings"].as_table()) {
    for (const auto& [k, v] : *strings) {
      const std::string key(k.str());
      const auto* s = v.as_string();
      if (!s) {
        c.problems_.push_back(origin + ": \"" + key + "\" is not a text in quotes");
      } else if (conversions(key) != conversions(s->get())) {
        c.problems_.push_back(origin + ": \"" + s->get() + "\" must have the %s and %d of \"" +
                              key + "\", in any order (%2$s puts the second first)");
      } else {
        c.text_.emplace(key, s->get());
      }
    }
  }
  if (const auto* plurals = t["plurals"].as_table()) {
    for (const auto& [k, v] : *plurals) {
      const std::string key(k.str());
      const auto* forms = v.as_array();
      std::vector<std::string> out;
      std::string why;
      if (!forms || static_cast<int>(forms->size()) != c.rule_.forms()) {
        why = "needs " + std::to_string(c.rule_.forms()) + " forms in [ ] (plural_forms says " +
              std::to_string(c.rule_.forms()) + ")";
      } else {
        for (const auto& f : *forms) {
          const auto* s = f.as_string();
          if (!s) {
            why = "has a form that is not a text in quotes";
            break;
          }
          // A form may leave the count out ("Eine Person ist da") when it
          // has nothing else to say; otherwise the same conversions.
          const std::string have = conversions(s->get()), want = conversions(key);
          if (have != want && !(have.empty() && want == "d")) {
            why = "has \"" + s->get() + "\", which must have the %s and %d of the English";
            break;
          }
          out.push_back(s->get());
        }
      }
      if (why.empty())
        c.plurals_.emplace(key, std::move(out));
      else
        c.problems_.push_back(origin + ": plural \"" + key + "\" " + why);
    }
  }
  for (const auto& [k, v] : c.text_) c.add_pattern(k);
  return c;
}

Result<Catalog> Catalog::load(const std::filesystem::path& file, const std::string& language) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return Error{"i18n.read", "cannot read " + file.string()};
  const std::string text((std::istreambuf_iterator<char>(in)), {});
  return parse(text, language, file.string());
}

void Catalog::add_pattern(const std::string& key) {
  // Too little text of its own ("%s at %s") would match almost anything.
  if (conversions(key).empty() || literal_length(key) < kPatternText) return;
  if (std::find(patterns_.begin(), patterns_.end(), key) != patterns_.end()) return;
  patterns_.push_back(key);
  std::stable_sort(patterns_.begin(), patterns_.end(), [](const auto& a, const auto& b) {
    return literal_length(a) > literal_length(b);
  });
}

void Catalog::merge(const Catalog& over) {
  if (over.named_) name_ = over.name_;
  if (over.ruled_) {
    rule_ = over.rule_;
    // Forms counted for the old rule would pick the wrong one now.
    std::erase_if(plurals_, [&](const auto& p) {
      return static_cast<int>(p.second.size()) != rule_.forms();
    });
  }
  for (const auto& [k, v] : over.text_) {
    text_[k] = v;
    add_pattern(k);
  }
  for (const auto& [k, v] : over.plurals_) plurals_[k] = v;
  problems_.insert(problems_.end(), over.problems_.begin(), over.problems_.end());
}

std::vector<Catalog> Catalog::load_all(const std::vector<std::filesystem::path>& dirs) {
  std::vector<Catalog> out{Catalog{}};
  for (const auto& dir : dirs) {
    std::error_code ec;
    std::vector<std::filesystem::path> files;
    for (const auto& e : std::filesystem::directory_iterator(dir, ec))
      if (e.path().extension() == ".toml") files.push_back(e.path());
    std::sort(files.begin(), files.end());
    for (const auto& f : files) {
      auto c = load(f, f.stem().string());
      if (!c) {
        log_warning("translation left out: " + c.error().message);
        continue;
      }
      for (const std::string& p : c->problems()) log_warning("translation: " + p);
      auto same = std::find_if(out.begin(), out.end(),
                               [&](const Catalog& o) { return o.language() == c->language(); });
      if (same != out.end())
        same->merge(*c);
      else
        out.push_back(std::move(*c));
    }
  }
  return out;
}

const char* Catalog::tr(const char* english) const {
  auto it = text_.find(std::string_view(english));
  return it == text_.end() ? english : it->second.c_str();
}

const char* Catalog::plural(long long n, const char* one, const char* other) const {
  const std::uint64_t count =
      n < 0 ? static_cast<std::uint64_t>(-n) : static_cast<std::uint64_t>(n);
  auto it = plurals_.find(std::string_view(one));
  if (it == plurals_.end()) return english_rule().form(count) == 0 ? one : other;
  return it->second[static_cast<std::size_t>(rule_.form(count))].c_str();
}

std::string Catalog::message(std::string_view english) const {
  if (auto it = text_.find(english); it != text_.end()) return it->second;
  for (const std::string& key : patterns_) {
    std::vector<std::string> parts;
    int budget = 4096;
    if (match(key, 0, english, 0, parts, budget)) return format_args(text_.at(key), parts);
  }
  return std::string(english);
}

std::vector<std::filesystem::path> catalogue_dirs(const std::filesystem::path& config_dir) {
  std::vector<std::filesystem::path> dirs{translations_dir()};
  const auto own = config_dir / "i18n";
  std::error_code ec;
  if (!std::filesystem::equivalent(dirs.front(), own, ec)) dirs.push_back(own);
  return dirs;
}

}  // namespace fd
