#pragma once
// The event's door secret: 32 random bytes in the config dir
// (doors/<event-slug>.secret, owner-only), made by `frontdesk doors pair`
// on the first door and carried to the others by the pairing code. A door
// without it is not paired: it serves nothing to other doors and asks
// nothing of them.
#include <filesystem>
#include <string>

#include "base/Error.h"

namespace fd {

std::filesystem::path door_secret_file(const std::filesystem::path& config_dir,
                                       const std::string& event_slug);
// The secret, or an error "not paired" (code doors.unpaired).
Result<std::string> load_door_secret(const std::filesystem::path& config_dir,
                                     const std::string& event_slug);
// Loads it, or makes one.
Result<std::string> ensure_door_secret(const std::filesystem::path& config_dir,
                                       const std::string& event_slug);
Result<bool> save_door_secret(const std::filesystem::path& config_dir,
                              const std::string& event_slug, const std::string& secret);

}  // namespace fd
