#pragma once
// Translations of the door's words. English is written in the code; other
// languages come from config/i18n/<lang>.toml ("English text" = "translation"),
// so a group can add its own language without a build.
//
// Thread-safety: immutable after load; read from the UI thread.
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "base/Error.h"

namespace fd {

class Catalog {
 public:
  Catalog() = default;  // English
  static Result<Catalog> load(const std::filesystem::path& toml_file, const std::string& language);
  // Every language in a folder of <lang>.toml files, English first.
  static std::vector<Catalog> load_all(const std::filesystem::path& dir);

  const std::string& language() const { return language_; }
  const std::string& name() const { return name_; }  // "Deutsch"
  // The translation, or the English text itself when there is none.
  const char* tr(const char* english) const;

 private:
  std::string language_ = "en";
  std::string name_ = "English";
  std::map<std::string, std::string, std::less<>> text_;
};

}  // namespace fd
