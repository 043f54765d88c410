#include "web/VenueLink.h"

#include <sys/stat.h>

#include <fstream>

#include "base/Paths.h"
#include "web/Sessions.h"

namespace fd {

std::string read_venue_token(const std::filesystem::path& file) {
  std::ifstream in(file);
  std::string token;
  if (!in || !std::getline(in, token)) return {};
  // Only what ensure_venue_token writes counts: 64 hex characters.
  if (token.size() != 64 || token.find_first_not_of("0123456789abcdef") != std::string::npos)
    return {};
  return token;
}

Result<std::string> ensure_venue_token(const std::filesystem::path& file) {
  if (std::string t = read_venue_token(file); !t.empty()) return t;
  const std::string token = random_token();
  if (token.empty()) return Error{"venue.random", "libsodium failed to initialise"};
  if (file.has_parent_path()) ensure_private_dir(file.parent_path());
  const std::filesystem::path tmp = file.string() + ".new";
  const mode_t old = ::umask(077);
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << token << "\n";
    if (!out) {
      ::umask(old);
      return Error{"venue.write", "Cannot write " + tmp.string()};
    }
  }
  ::umask(old);
  std::error_code ec;
  std::filesystem::rename(tmp, file, ec);
  if (ec) return Error{"venue.write", "Cannot write " + file.string() + ": " + ec.message()};
  return token;
}

Result<bool> revoke_venue_token(const std::filesystem::path& file) {
  std::error_code ec;
  const bool existed = std::filesystem::remove(file, ec);
  if (ec) return Error{"venue.revoke", "Cannot remove " + file.string() + ": " + ec.message()};
  return existed;
}

}  // namespace fd
