#pragma once
// The kiosk's configuration file ($XDG_CONFIG_HOME/frontdesk/frontdesk.toml;
// config/frontdesk.toml is the commented example). Every key is optional.
#include <filesystem>
#include <string>
#include <vector>

#include "base/Error.h"

namespace fd {

struct Config {
  std::filesystem::path store;  // empty: <data dir>/frontdesk.db
  std::string event;            // default event slug
  std::string door = "door 1";  // this kiosk's name at the venue
  bool admit_not_expected = false;
  std::filesystem::path logo;  // PNG shown next to the event's name
  // [printer]: badges. Empty name: no printing (check-ins still queue badges).
  std::string printer;  // CUPS queue, ipp://... address, or folder:/path
  std::string printer_fallback;
  std::filesystem::path badge_template;  // default: <config dir>/badge.toml when present
  // [tickets]: verify signed tickets offline until sync fetches the keys.
  std::vector<std::string> pretix_public_keys;  // pretix's valid_keys.pretix_sig1 entries
  std::string luma_event_id;                    // "evt-...": refuses other events' Luma codes
  // [kiosk] exit_door: tickets shown here mark people as gone out of the room.
  bool exit_door = false;
  // [web]: the organizer pages and the venue feed served by this door.
  bool web_serve = false;              // the kiosk serves them too
  std::string web_listen = "0.0.0.0";  // HTTPS on the LAN
  int web_port = 8443;
  int web_loopback_port = 8080;  // plain HTTP for this machine; 0: none
};

// Parses TOML text; errors carry the line and column in plain words.
Result<Config> parse_config(std::string_view toml_text, const std::string& origin);
// A missing file is not an error: it yields the defaults.
Result<Config> load_config(const std::filesystem::path& file);

}  // namespace fd
