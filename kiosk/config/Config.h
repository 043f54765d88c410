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

  // --- Unattended door ---------------------------------------------------
  // [kiosk]: every screen but the ready screen goes back to it after this
  // long without a touch; the attendee modes the door starts in.
  int idle_seconds = 45;
  bool large_text = false;
  bool high_contrast = false;
  // [backup]: copies of the store on a second device (a USB stick). Empty
  // dir: no automatic copies (`frontdesk backup --to DIR` still works).
  std::filesystem::path backup_dir;
  int backup_every_minutes = 5;  // while check-ins come in
  int backup_quiet_minutes = 2;  // and once the door has been quiet this long
  int backup_keep = 24;          // copies kept in the folder, newest first
  // [doctor]: the ticketing service(s) the door talks to: reachable, and is
  // our clock within a minute of theirs? (sync adds its own service here.)
  std::vector<std::string> service_urls;
  int min_free_mb = 200;  // free space the store's disk should keep
};

// Parses TOML text; errors carry the line and column in plain words.
Result<Config> parse_config(std::string_view toml_text, const std::string& origin);
// A missing file is not an error: it yields the defaults.
Result<Config> load_config(const std::filesystem::path& file);

}  // namespace fd
