#include "base/Paths.h"

#include <cstdlib>

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
}  // namespace fd
