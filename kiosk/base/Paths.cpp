#include "base/Paths.h"

#include <cstdlib>
#include <string>

namespace fd {
namespace {
std::filesystem::path xdg(const char* var, const char* fallback_under_home) {
  if (const char* v = std::getenv(var); v && *v == '/')
    return std::filesystem::path(v) / "frontdesk";
  const char* home = std::getenv("HOME");
  const std::filesystem::path base = (home && *home) ? home : ".";
  return base / fallback_under_home / "frontdesk";
}
}  // namespace

std::filesystem::path default_data_dir() { return xdg("XDG_DATA_HOME", ".local/share"); }
std::filesystem::path default_config_dir() { return xdg("XDG_CONFIG_HOME", ".config"); }

void ensure_private_dir(const std::filesystem::path& dir) {
  namespace fs = std::filesystem;
  fs::create_directories(dir);
  fs::permissions(dir, fs::perms::owner_all, fs::perm_options::replace);
}

std::filesystem::path shipped_path(const std::filesystem::path& executable,
                                   std::string_view installed, std::string_view in_source) {
  namespace fs = std::filesystem;
  std::error_code ec;
  // <prefix>/bin/frontdesk -> <prefix>/share/frontdesk/<installed>.
  const fs::path beside = executable.parent_path().parent_path() / "share" / "frontdesk" /
                          fs::path(std::string(installed));
  if (!executable.empty() && fs::exists(beside, ec)) return beside;
#ifdef FD_INSTALL_SHARE_DIR
  // The prefix the build was configured for, for a binary started through a
  // path /proc cannot see (it always can on Linux; this is belt and braces).
  const fs::path configured = fs::path(FD_INSTALL_SHARE_DIR) / fs::path(std::string(installed));
  if (fs::exists(configured, ec)) return configured;
#endif
#ifdef FD_SOURCE_DIR
  // Developer builds run from the build tree: the source tree has the files.
  // Packaged builds leave this out so the binary names no build machine path.
  const fs::path source = fs::path(FD_SOURCE_DIR) / fs::path(std::string(in_source));
  if (fs::exists(source, ec)) return source;
#else
  (void)in_source;
#endif
  return beside;
}

std::filesystem::path shipped_path(std::string_view installed, std::string_view in_source) {
  std::error_code ec;
  const auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
  return shipped_path(ec ? std::filesystem::path() : self, installed, in_source);
}

std::filesystem::path translations_dir() { return shipped_path("i18n", "config/i18n"); }
std::filesystem::path demo_dir() { return shipped_path("demo", "assets/demo"); }
}  // namespace fd
