#include "web/DoorWeb.h"

#include <nlohmann/json.hpp>

#include "base/Log.h"
#include "engine/Engine.h"
#include "i18n/Catalog.h"
#include "report/LiveForecast.h"
#include "web/Certificate.h"
#include "web/OrganizerSite.h"
#include "web/WebServer.h"

namespace fd {

bool is_loopback_address(const std::string& a) {
  return a == "localhost" || a == "::1" || a.rfind("127.", 0) == 0;
}

std::string venue_url(const std::string& base_url, const std::string& token) {
  return base_url + "venue/" + token;
}

namespace {

// {"text", "expected", "low", "high", "full_at", "basis"} for the live view,
// in the door's language; "" when there is no forecast.
std::string forecast_json(LiveForecast& forecast, const Snapshot& snap, const Catalog& words) {
  const auto f = forecast.forecast(snap, now_ms());
  if (!f) return "";
  const int capacity = snap.event.capacity;
  nlohmann::json j;
  j["text"] = forecast_words(*f, capacity, words);
  // The phone writes the time in its own format, where the language puts
  // it ("…gegen 19:10 voll"): the words before and after it.
  if (f->full_at && !f->full_now && capacity > 0) {
    const std::string marked = forecast_words(*f, capacity, words, std::string("\x1f"));
    const std::size_t at = marked.find('\x1f');
    if (at != std::string::npos) {
      j["text_before_full_at"] = marked.substr(0, at);
      j["text_after_full_at"] = marked.substr(at + 1);
    }
  }
  j["expected"] = f->expected;
  j["low"] = f->low;
  j["high"] = f->high;
  j["full_at"] = f->full_at ? nlohmann::json(iso8601_utc(*f->full_at)) : nlohmann::json(nullptr);
  j["basis"] = f->basis;
  return j.dump();
}

// The door's language for its pages: its catalogue (English, which a
// group's en.toml may reword, when none is asked for or found).
std::shared_ptr<const Catalog> door_words(const DoorWebOptions& o) {
  const auto dirs = o.i18n_dirs.empty() ? catalogue_dirs(o.config_dir) : o.i18n_dirs;
  std::vector<Catalog> all = Catalog::load_all(dirs);
  const std::string want = o.language.empty() ? "en" : o.language;
  for (Catalog& c : all)
    if (c.language() == want) return std::make_shared<const Catalog>(std::move(c));
  std::string where;
  for (const auto& d : dirs) where += (where.empty() ? "" : " or ") + d.string();
  log_warning("no translation \"" + want + "\" in " + where +
              ": the organizer pages speak English");
  return std::make_shared<const Catalog>(std::move(all.front()));
}

}  // namespace

Result<DoorWeb> start_door_web(Engine& engine, const DoorWebOptions& o) {
  WebServerOptions wo;
  TlsIdentity id;
  const bool local_only = is_loopback_address(o.listen);
  const std::vector<std::string> lan = lan_addresses();
  if (local_only) {
    wo.listen.push_back(WebListen{o.listen, o.port, false});
  } else {
    auto made = ensure_certificate(o.config_dir, lan);
    if (!made) return made.error();
    id = *made;
    wo.cert_file = id.cert_file;
    wo.key_file = id.key_file;
    wo.listen.push_back(WebListen{o.listen, o.port, true});
    wo.listen.push_back(WebListen{"127.0.0.1", o.loopback_port, false});
  }
  auto server = WebServer::start(wo);
  if (!server) return server.error();
  DoorWeb web;
  web.server = std::move(*server);
  OrganizerSiteOptions so;
  so.organizer_pin_file = o.config_dir / "organizer.pin";
  so.volunteer_pin_file = o.config_dir / "volunteer.pin";
  so.venue_token_file = o.config_dir / "venue.token";
  so.health = o.health;
  so.words = door_words(o);
  so.forecast = o.forecast;
  if (!so.forecast) {  // the door's own forecast, asked on the live feed's thread
    auto forecast = std::make_shared<LiveForecast>([&engine] { return engine.attendance().get(); });
    so.forecast = [forecast, words = so.words](const Snapshot& snap) {
      return forecast_json(*forecast, snap, *words);
    };
  }
  web.site = OrganizerSite::mount(*web.server, engine, so);
  for (const WebEndpoint& e : web.server->endpoints()) {
    if (e.tls) {
      const std::string host = e.address == "0.0.0.0" || e.address == "::"
                                   ? (lan.empty() ? "127.0.0.1" : lan.front())
                                   : e.address;
      web.url = "https://" + host + ":" + std::to_string(e.port) + "/";
      web.fingerprint = id.fingerprint;
    } else {
      web.local_url = "http://" + e.address + ":" + std::to_string(e.port) + "/";
    }
  }
  if (web.url.empty()) web.url = web.local_url;
  return web;
}

std::vector<std::string> door_addresses(const std::vector<WebEndpoint>& endpoints) {
  std::vector<std::string> out;
  // LAN first: that is how other machines reach this door.
  for (const WebEndpoint& e : endpoints)
    if (e.address == "0.0.0.0")
      for (const std::string& ip : lan_addresses())
        out.push_back(ip + ":" + std::to_string(e.port));
  for (const WebEndpoint& e : endpoints)
    if (e.address != "0.0.0.0") out.push_back(e.address + ":" + std::to_string(e.port));
  return out;
}

}  // namespace fd
