#pragma once
#include <filesystem>
#include <string_view>

namespace fd {
// Where Linux users expect our files (XDG Base Directory spec):
// data under $XDG_DATA_HOME/frontdesk (default ~/.local/share/frontdesk),
// config under $XDG_CONFIG_HOME/frontdesk (default ~/.config/frontdesk).
std::filesystem::path default_data_dir();
std::filesystem::path default_config_dir();
// Creates the directory (and parents) readable by its owner only, since it
// holds attendee data and secrets.
void ensure_private_dir(const std::filesystem::path& dir);

// Read-only files that ship with Frontdesk. An installed copy keeps them in
// <prefix>/share/frontdesk next to <prefix>/bin (found from the running
// executable, so /usr, /usr/local and an unpacked .deb all work); a developer
// build finds them in its source tree. The first that exists wins; when none
// does, the installed path is returned so that a message names where it
// should have been.
std::filesystem::path shipped_path(std::string_view installed, std::string_view in_source);
// The same search for a given executable (tests, and the kiosk's own binary).
std::filesystem::path shipped_path(const std::filesystem::path& executable,
                                   std::string_view installed, std::string_view in_source);
// Translations, <lang>.toml (share/frontdesk/i18n; config/i18n in the source).
std::filesystem::path translations_dir();
// The demo event: attendees.csv and logo.png (share/frontdesk/demo; assets/demo).
std::filesystem::path demo_dir();
}  // namespace fd
