#include "doors/DoorSecret.h"

#include <sys/stat.h>

#include <fstream>
#include <sstream>

#include "base/Paths.h"
#include "doors/Pairing.h"

namespace fd {

std::filesystem::path door_secret_file(const std::filesystem::path& config_dir,
                                       const std::string& event_slug) {
  return config_dir / "doors" / (event_slug + ".secret");
}

Result<std::string> load_door_secret(const std::filesystem::path& config_dir,
                                     const std::string& event_slug) {
  const auto file = door_secret_file(config_dir, event_slug);
  std::ifstream in(file, std::ios::binary);
  if (!in)
    return Error{"doors.unpaired",
                 "This door is not paired for this event: run `frontdesk doors "
                 "pair` on the first door, or `frontdesk doors join CODE` here"};
  std::ostringstream s;
  s << in.rdbuf();
  const std::string secret = s.str();
  if (secret.size() != kDoorSecretBytes)
    return Error{"doors.secret", file.string() + " is damaged: pair this door again"};
  return secret;
}

Result<bool> save_door_secret(const std::filesystem::path& config_dir,
                              const std::string& event_slug, const std::string& secret) {
  const auto file = door_secret_file(config_dir, event_slug);
  try {
    ensure_private_dir(file.parent_path());
  } catch (const std::exception& e) {
    return Error{"doors.secret", std::string("Cannot keep the door secret: ") + e.what()};
  }
  // Owner-only from the first byte: the secret opens the attendee list.
  const mode_t old = ::umask(077);
  {
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out << secret;
    if (!out) {
      ::umask(old);
      return Error{"doors.secret", "Cannot write " + file.string()};
    }
  }
  ::umask(old);
  ::chmod(file.c_str(), 0600);
  return true;
}

Result<std::string> ensure_door_secret(const std::filesystem::path& config_dir,
                                       const std::string& event_slug) {
  if (auto s = load_door_secret(config_dir, event_slug)) return s;
  const std::string secret = new_door_secret();
  if (secret.size() != kDoorSecretBytes)
    return Error{"doors.secret", "libsodium could not make a secret"};
  auto saved = save_door_secret(config_dir, event_slug, secret);
  if (!saved) return saved.error();
  return secret;
}

}  // namespace fd
