#pragma once
// The organizer web of a door process, as `frontdesk serve` and the kiosk
// start it: HTTPS on the LAN with the door's certificate (made on first
// run in the config dir) plus plain HTTP on loopback, or only plain HTTP
// when asked to listen on loopback. The caller hands `server` to its shell.
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "base/Error.h"
#include "base/Worker.h"

namespace fd {

class Engine;
struct Snapshot;
class WebServer;
struct WebEndpoint;
class OrganizerSite;

struct DoorWebOptions {
  std::string listen = "0.0.0.0";    // a loopback address: plain HTTP only
  int port = 8443;                   // 0: any free port
  int loopback_port = 8080;          // plain HTTP on 127.0.0.1 beside HTTPS; 0: any free port
  std::filesystem::path config_dir;  // certificate, PIN files, venue token
  // The door's language ([kiosk] language, or the kiosk's --lang): the
  // pages and their messages speak it. Its catalogue comes from these
  // folders (none: i18n/Catalog.h's catalogue_dirs); "" or "en": English.
  std::string language;
  std::vector<std::filesystem::path> i18n_dirs;
  std::function<std::vector<WorkerHealth>()> health;
  // The headcount forecast for the live view (see OrganizerSiteOptions);
  // empty: the door's own (web/LiveForecast.h).
  std::function<std::string(const Snapshot&)> forecast;
};

struct DoorWeb {
  std::unique_ptr<WebServer> server;
  std::shared_ptr<OrganizerSite> site;
  std::string url;          // what a phone on the LAN opens (https://192.168.1.20:8443/)
  std::string local_url;    // this machine's plain-HTTP address ("" when none)
  std::string fingerprint;  // the certificate's SHA-256 ("" without HTTPS)
};

bool is_loopback_address(const std::string& address);
Result<DoorWeb> start_door_web(Engine& engine, const DoorWebOptions& options);
// Where this door answers other doors, from its web server's bound
// listeners: every LAN address for a 0.0.0.0 listener, loopback as is.
std::vector<std::string> door_addresses(const std::vector<WebEndpoint>& endpoints);
// The venue link for a token, on this door's LAN address.
std::string venue_url(const std::string& base_url, const std::string& token);

}  // namespace fd
