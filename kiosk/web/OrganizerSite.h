#pragma once
// The organizer pages and the venue feed, mounted on a WebServer:
//
//   /                      the organizer app (login, live counts, search, fixes)
//   POST /login            organizer PIN or volunteer code -> session cookie
//   /api/...               JSON for the app; 401 without a session, CSRF
//                          token on every change, 403 when the role may not
//   /api/live              server-sent events: counts, latest check-ins, health
//   /venue/<token>         numbers only for the venue (?format=json for machines)
//   /i18n.js               the door's language for both pages (i18n/Catalog.h)
//
// Every change goes through the engine's commands, exactly as at the kiosk.
//
// Thread-safety: handlers run on the server's threads, many at once; the
// site's state (sessions, login guard, live feed) guards itself.
#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "base/Worker.h"
#include "web/Sessions.h"

namespace fd {

class Engine;
struct Snapshot;
class WebServer;
class LiveFeed;
class Catalog;

struct OrganizerSiteOptions {
  std::filesystem::path organizer_pin_file;  // the kiosk's organizer PIN (Argon2id hash)
  std::filesystem::path volunteer_pin_file;  // the volunteer code's hash
  std::filesystem::path venue_token_file;    // see VenueLink.h
  // The door's workers (printer, sync, ...) for the health panel.
  std::function<std::vector<WorkerHealth>()> health;
  LoginGuard::Options login;
  std::chrono::minutes session_idle{12 * 60};
  // The headcount forecast (filled in by the report module): a JSON object
  // text for the live view's "forecast" key, e.g. {"text": "About 140 by
  // 19:30 (120-155); the room fills at 19:10"}; the page shows its "text"
  // under the arrivals chart. Runs on the live feed's thread once per change.
  std::function<std::string(const Snapshot&)> forecast;
  // The door's words (its language's catalogue): the pages, their
  // messages and the live view's lines speak it. Null: English.
  std::shared_ptr<const Catalog> words;
  // How long a live view waits between keep-alive comments.
  std::chrono::milliseconds keepalive{15000};
};

class OrganizerSite {
 public:
  // Mounts every route on `web`. The site lives as long as the routes do
  // (the server owns them); the engine must outlive the server.
  static std::shared_ptr<OrganizerSite> mount(WebServer& web, Engine& engine,
                                              OrganizerSiteOptions options);
  ~OrganizerSite();
  OrganizerSite(const OrganizerSite&) = delete;
  OrganizerSite& operator=(const OrganizerSite&) = delete;

  Sessions& sessions() { return sessions_; }
  const Catalog& words() const { return *options_.words; }
  LiveFeed& feed() { return *feed_; }

 private:
  OrganizerSite(Engine& engine, OrganizerSiteOptions options);
  struct Routes;
  Engine& engine_;
  OrganizerSiteOptions options_;
  Sessions sessions_;
  LoginGuard guard_;
  std::mutex pin_mutex_;  // one Argon2 check at a time: 64 MiB each, and a natural brake
  std::unique_ptr<LiveFeed> feed_;
};

}  // namespace fd
