#pragma once
#include <filesystem>

namespace fd {
// Where Linux users expect our files (XDG Base Directory spec):
// data under $XDG_DATA_HOME/frontdesk (default ~/.local/share/frontdesk),
// config under $XDG_CONFIG_HOME/frontdesk (default ~/.config/frontdesk).
std::filesystem::path default_data_dir();
std::filesystem::path default_config_dir();
// Creates the directory (and parents) readable by its owner only, since it
// holds attendee data and secrets.
void ensure_private_dir(const std::filesystem::path& dir);
}  // namespace fd
