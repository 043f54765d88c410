#include "flow/Catalog.h"

#include <toml++/toml.h>

#include <algorithm>

namespace fd {

Result<Catalog> Catalog::load(const std::filesystem::path& file, const std::string& language) {
  Catalog c;
  c.language_ = language;
  try {
    const toml::table t = toml::parse_file(file.string());
    if (const auto* n = t["language_name"].as_string()) c.name_ = n->get();
    if (const auto* strings = t["strings"].as_table())
      for (const auto& [k, v] : *strings)
        if (const auto* s = v.as_string()) c.text_.emplace(std::string(k.str()), s->get());
  } catch (const toml::parse_error& e) {
    return Error{"i18n.syntax", file.string() + ":" + std::to_string(e.source().begin.line) + ": " +
                                    std::string(e.description())};
  }
  return c;
}

std::vector<Catalog> Catalog::load_all(const std::filesystem::path& dir) {
  std::vector<Catalog> out{Catalog{}};
  std::error_code ec;
  std::vector<std::filesystem::path> files;
  for (const auto& e : std::filesystem::directory_iterator(dir, ec))
    if (e.path().extension() == ".toml") files.push_back(e.path());
  std::sort(files.begin(), files.end());
  for (const auto& f : files)
    if (auto c = load(f, f.stem().string())) out.push_back(std::move(*c));
  return out;
}

const char* Catalog::tr(const char* english) const {
  auto it = text_.find(std::string_view(english));
  return it == text_.end() ? english : it->second.c_str();
}

}  // namespace fd
