#pragma once
// The kiosk's configuration file ($XDG_CONFIG_HOME/frontdesk/frontdesk.toml;
// config/frontdesk.toml is the commented example). Every key is optional.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "base/Error.h"

namespace fd {

// [pretix]: check-ins go back by API (checkinrpc), the list comes from the
// event's orders. `token` (an API token) or `init_token` (a device's
// initialisation token, exchanged once for a device token kept beside the
// config).
struct PretixSettings {
  std::string url;  // https://pretix.eu (the installation, without /api/v1)
  std::string organizer, event;
  std::int64_t checkin_list = 0;
  std::string token, init_token;
};
// [eventbrite]: the list only (Eventbrite has no public check-in API).
struct EventbriteSettings {
  std::string url = "https://www.eventbriteapi.com";
  std::string event_id, token;
};
// [meetup]: the RSVP list through GraphQL; attendance by the sheet. Access
// tokens expire (an hour): with refresh_token, client_id and client_secret
// the connector renews them itself (and keeps the newest owner-only).
struct MeetupSettings {
  std::string url = "https://api.meetup.com/gql-ext";
  std::string event_id, token;
  std::string refresh_token, client_id, client_secret;
  std::string oauth_url = "https://secure.meetup.com/oauth2/access";
};
// [luma]: the guest list (Luma Plus API key); attendance by the sheet.
struct LumaSettings {
  std::string url = "https://public-api.luma.com";
  std::string event_id, api_key;
};
// [webhook]: every check-in and undo POSTed as JSON, signed with `secret`.
struct WebhookSettings {
  std::string url, secret;
};
// [sync]: how the background worker paces itself.
struct SyncSettings {
  int pull_every_s = 120;  // background pulls
  int max_refusals = 3;    // a row a service refused this often becomes a dead letter
  int timeout_s = 15;      // one request, start to end (a stalled service is given up on)
};

struct Config {
  std::filesystem::path store;  // empty: <data dir>/frontdesk.db
  std::string event;            // default event slug
  // This door's name at the venue; "" (unset): the name the door got when it
  // joined the event ("door 2"), or `frontdesk doors name`, else "door 1".
  std::string door;
  bool admit_not_expected = false;
  std::filesystem::path logo;  // PNG shown next to the event's name
  // [printer]: badges. Empty name: no printing (check-ins still queue badges).
  std::string printer;  // CUPS queue, ipp://... address, or folder:/path
  std::string printer_fallback;
  std::filesystem::path badge_template;  // default: <config dir>/badge.toml when present
  // [tickets]: verify signed tickets offline until sync fetches the keys.
  std::vector<std::string> pretix_public_keys;  // pretix's valid_keys.pretix_sig1 entries
  std::string luma_event_id;                    // "evt-...": refuses other events' Luma codes
  // Sync sections; a service is configured when its section is present.
  std::optional<PretixSettings> pretix;
  std::optional<EventbriteSettings> eventbrite;
  std::optional<MeetupSettings> meetup;
  std::optional<LumaSettings> luma;
  std::optional<WebhookSettings> webhook;
  SyncSettings sync;
  bool has_sync() const { return pretix || eventbrite || meetup || luma || webhook; }
  // [kiosk] exit_door: tickets shown here mark people as gone out of the room.
  bool exit_door = false;
  // [web]: the organizer pages and the venue feed served by this door.
  bool web_serve = false;              // the kiosk serves them too
  std::string web_listen = "0.0.0.0";  // HTTPS on the LAN
  int web_port = 8443;
  int web_loopback_port = 8080;  // plain HTTP for this machine; 0: none
  // [doors]: other doors of the event (besides the pairing code's and those
  // found on the LAN), for networks that block multicast.
  std::vector<std::string> door_peers;
  bool door_discover = true;

  // --- Unattended door ---------------------------------------------------
  // [kiosk]: every screen but the ready screen goes back to it after this
  // long without a touch; the attendee modes the door starts in.
  int idle_seconds = 45;
  bool large_text = false;
  bool high_contrast = false;
  // [kiosk] language: the door's language ("de": config/i18n/de.toml), for
  // the kiosk's screen (where attendees may switch for themselves) and the
  // organizer and venue pages. "" : English.
  std::string language;
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

  // Sections and settings the file holds that Frontdesk does not know (a
  // typo like [printr]): each with its line and the nearest known name.
  // They are ignored, so they are said out loud: on every command's
  // standard error, and first in `frontdesk doctor`.
  std::vector<std::string> notes;
};

// Tokens from the environment win over the file's: FRONTDESK_PRETIX_TOKEN,
// FRONTDESK_PRETIX_INIT_TOKEN, FRONTDESK_EVENTBRITE_TOKEN,
// FRONTDESK_MEETUP_TOKEN, FRONTDESK_LUMA_API_KEY, FRONTDESK_WEBHOOK_SECRET.
void apply_token_environment(Config& c);

// Parses TOML text. An error names the file and line, the problem in plain
// words and the fix ("x.toml line 2: a text in quotes is not closed; add
// the closing \" at the end of the value (the line reads: ...)"); its code
// starts with "config." (the command line exits 2 for those).
Result<Config> parse_config(std::string_view toml_text, const std::string& origin);
// A missing file is not an error: it yields the defaults. A file holding a
// token that others can read is refused (tokens never leave the owner).
// The notes are logged as warnings unless `log_notes` is false (doctor
// reports them itself).
Result<Config> load_config(const std::filesystem::path& file, bool log_notes = true);

}  // namespace fd
