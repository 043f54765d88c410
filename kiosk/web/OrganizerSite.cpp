#include "web/OrganizerSite.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "auth/Pin.h"
#include "engine/Engine.h"
#include "i18n/Catalog.h"
#include "import/Csv.h"
#include "model/Export.h"
#include "search/SearchIndex.h"
#include "web/Assets.h"
#include "web/LiveFeed.h"
#include "web/Parse.h"
#include "web/VenueLink.h"
#include "web/WebServer.h"

namespace fd {

// ---------------------------------------------------------------------------
// [SECTION] Helpers
// ---------------------------------------------------------------------------

namespace {

using json = nlohmann::json;
constexpr const char* kCookie = "fd_session";
constexpr const char* kCatalogueMarker = "/*CATALOGUE*/null";
constexpr const char* kHtmlLang = "<html lang=\"en\">";

void error(WebResponse& w, int status, const std::string& message) {
  w.json(status, json{{"error", message}}.dump());
}

json who_json(const AttendeeView& a) {
  return {{"id", a.id},           {"name", a.full_name},         {"company", a.company},
          {"role", a.role},       {"rsvp", to_string(a.rsvp)},   {"guests", a.guests},
          {"walk_in", a.walk_in}, {"ticket_type", a.ticket_type}};
}

// The engine's words in the door's language (i18n/Catalog.h: message()).
json decision_json(const Decision& d, const Catalog& words) {
  json j{{"ok", !is_refusal(d.verdict)},
         {"verdict", to_string(d.verdict)},
         {"message", words.message(d.message)},
         {"checkin_uuid", d.checkin_uuid}};
  if (d.who) j["who"] = who_json(*d.who);
  if (d.at) j["at"] = iso8601_utc(d.at);
  if (!d.door.empty()) j["door"] = d.door;
  return j;
}

// Where a person stands tonight, for search results and details.
json presence_json(const Snapshot& s, std::int64_t id) {
  const Presence* p = s.presence(id);
  if (!p) return {{"status", "not-in"}};
  return {{"status", p->in_room ? "in" : "out"},
          {"checkin_uuid", p->uuid},
          {"at", iso8601_utc(p->at)},
          {"door", p->door}};
}

Result<std::map<std::string, std::string>> body_fields(const WebRequest& r) {
  const std::string type = r.header("Content-Type");
  if (type.rfind("application/x-www-form-urlencoded", 0) == 0) {
    auto f = parse_fields(r.body);
    if (!f) return f.error();
    std::map<std::string, std::string> out;
    for (auto& [k, v] : *f) out.emplace(k, v);
    return out;
  }
  return parse_json_object(r.body);
}

}  // namespace

// ---------------------------------------------------------------------------
// [SECTION] Routes
// ---------------------------------------------------------------------------

struct OrganizerSite::Routes {
  using Site = std::shared_ptr<OrganizerSite>;

  enum class Need { Any, Organizer };

  static std::optional<WebSession> session_of(OrganizerSite& site, const WebRequest& r) {
    const auto cookies = parse_cookies(r.header("Cookie"));
    auto it = cookies.find(kCookie);
    if (it == cookies.end()) return std::nullopt;
    return site.sessions_.find(it->second);
  }

  // The gate of every /api/ route: a session, the role, and for changes the
  // CSRF token and a JSON body (a cross-site form cannot send either).
  static std::optional<WebSession> admit(OrganizerSite& site, const WebRequest& r, WebResponse& w,
                                         Need need, bool change) {
    const Catalog& words = site.words();
    auto s = session_of(site, r);
    if (!s) {
      error(w, 401, words.tr("Please log in"));
      return std::nullopt;
    }
    if (change) {
      if (!same_secret(r.header("X-CSRF-Token"), s->csrf)) {
        error(w, 403, words.tr("This page is out of date: reload it and try again (CSRF token)"));
        return std::nullopt;
      }
    }
    if (need == Need::Organizer && s->role != Role::Organizer) {
      error(w, 403, words.tr("Only an organizer may do that (a volunteer code is logged in)"));
      return std::nullopt;
    }
    return s;
  }

  static void command(OrganizerSite& site, Command c, WebResponse& w) {
    auto f = site.engine_.post(std::move(c));
    // The engine decides in milliseconds; a store locked by a long import
    // may take seconds. Past this, say so rather than hold the phone.
    if (f.wait_for(std::chrono::seconds(20)) != std::future_status::ready) {
      error(w, 503, site.words().tr("The door is busy; try again in a moment"));
      return;
    }
    w.json(200, decision_json(f.get(), site.words()).dump());
  }

  static std::int64_t id_field(const std::map<std::string, std::string>& f, WebResponse& w,
                               const Catalog& words) {
    auto it = f.find("attendee_id");
    const long long id = it == f.end() ? 0 : parse_id(it->second);
    if (!id) error(w, 400, words.tr("attendee_id must be a positive number"));
    return id;
  }

  // A page or script as built in, or as the door serves it in its language.
  static void asset(WebServer& web, const std::string& path, const std::string& name,
                    const Catalog& words) {
    const Asset* a = find_asset(name);
    if (!a) return;
    web.mount(
        "GET", path,
        [type = a->content_type, body = in_language(*a, words)](const WebRequest&, WebResponse& w) {
          w.status = 200;
          w.content_type = type;
          w.body = body;
          w.set_header("Cache-Control", "no-cache");
        });
  }

  // The pages' words: i18n.js carries the door's catalogue (the marker
  // in it becomes the catalogue as JSON), and each page says its language
  // in <html lang> for screen readers and hyphenation.
  static std::string in_language(const Asset& a, const Catalog& words) {
    std::string body = a.body;
    if (const auto at = body.find(kCatalogueMarker); at != std::string::npos) {
      json plurals = json::object();
      for (const auto& [k, v] : words.plurals()) plurals[k] = v;
      const json c{{"language", words.language()},
                   {"name", words.name()},
                   {"plural_forms", words.plural_rule().header()},
                   {"strings", words.strings()},
                   {"plurals", plurals}};
      body.replace(at, std::string_view(kCatalogueMarker).size(), c.dump());
    }
    if (const auto at = body.find(kHtmlLang); at != std::string::npos)
      body.replace(at, std::string_view(kHtmlLang).size(),
                   "<html lang=\"" + words.language() + "\">");
    return body;
  }

  static void login(const Site& site, WebServer& web) {
    web.mount("POST", "/login", [site](const WebRequest& r, WebResponse& w) {
      const std::string who = r.remote_addr;
      if (const long long wait = site->guard_.locked_for(who, r.loopback); wait > 0) {
        w.set_header("Retry-After", std::to_string(wait));
        return error(
            w, 429,
            site->words().count((wait + 59) / 60, "Too many wrong PINs. Try again in %d minute.",
                                "Too many wrong PINs. Try again in %d minutes."));
      }
      auto f = body_fields(r);
      if (!f) return error(w, 400, site->words().message(f.error().message));
      const std::string pin = (*f)["pin"];
      auto organizer = load_pin_hash(site->options_.organizer_pin_file);
      auto volunteer = load_pin_hash(site->options_.volunteer_pin_file);
      if (!organizer && !volunteer)
        return error(
            w, 503,
            site->words().tr("No organizer PIN is set: run `frontdesk pin set` on the door"));
      std::optional<Role> role;
      {
        std::lock_guard lock(site->pin_mutex_);
        if (organizer && verify_pin(*organizer, pin))
          role = Role::Organizer;
        else if (volunteer && verify_pin(*volunteer, pin))
          role = Role::Volunteer;
      }
      if (!role) {
        site->guard_.failed(who);
        // Never echo the PIN, not even in part.
        return error(w, 401, site->words().tr("Wrong PIN"));
      }
      site->guard_.succeeded(who);
      const WebSession s = site->sessions_.open(*role);
      const long long max_age =
          std::chrono::duration_cast<std::chrono::seconds>(site->options_.session_idle).count();
      w.set_header("Set-Cookie", std::string(kCookie) + "=" + s.token +
                                     "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" +
                                     std::to_string(max_age) + (r.secure ? "; Secure" : ""));
      w.json(200, json{{"role", to_string(s.role)}, {"csrf", s.csrf}}.dump());
    });
  }

  static void session(const Site& site, WebServer& web) {
    web.mount("GET", "/api/session", [site](const WebRequest& r, WebResponse& w) {
      auto s = admit(*site, r, w, Need::Any, false);
      if (!s) return;
      const bool org = s->role == Role::Organizer;
      w.json(200,
             json{{"role", to_string(s->role)},
                  {"csrf", s->csrf},
                  {"event", site->engine_.snapshot()->event.name},
                  {"can", {{"undo", org}, {"export", org}, {"emails", org}, {"settings", org}}}}
                 .dump());
    });
    web.mount("POST", "/api/logout", [site](const WebRequest& r, WebResponse& w) {
      auto s = admit(*site, r, w, Need::Any, true);
      if (!s) return;
      site->sessions_.close(s->token);
      w.set_header("Set-Cookie", std::string(kCookie) +
                                     "=; Path=/; HttpOnly; SameSite=Strict; "
                                     "Max-Age=0" +
                                     (r.secure ? "; Secure" : ""));
      w.json(200, R"({"ok":true})");
    });
  }

  static void reads(const Site& site, WebServer& web) {
    web.mount("GET", "/api/stats", [site](const WebRequest& r, WebResponse& w) {
      if (!admit(*site, r, w, Need::Any, false)) return;
      const auto frame = site->feed_->latest();
      w.json(200, stats_json(*site->engine_.snapshot(), frame ? frame->changed_at : now_ms()));
    });
    web.mount("GET", "/api/overview", [site](const WebRequest& r, WebResponse& w) {
      if (!admit(*site, r, w, Need::Any, false)) return;
      w.json(200, site->feed_->latest()->live_json);
    });
    web.mount("GET", "/api/live", [site](const WebRequest& r, WebResponse& w) {
      auto s = admit(*site, r, w, Need::Any, false);
      if (!s) return;
      w.content_type = "text/event-stream";
      w.stream = [site, token = s->token](WebStreamSink& sink) {
        // A browser reconnects by itself after 2 s when the stream drops.
        if (!sink.write("retry: 2000\n\n")) return;
        std::uint64_t seq = 0;
        auto quiet_since = std::chrono::steady_clock::now();
        while (!sink.stopping()) {
          auto frame = site->feed_->wait_newer(seq, std::chrono::milliseconds(500));
          if (!site->sessions_.find(token)) {
            sink.write("event: logout\ndata: {}\n\n");
            return;
          }
          const auto now = std::chrono::steady_clock::now();
          if (frame && frame->seq > seq) {
            seq = frame->seq;
            quiet_since = now;
            if (!sink.write("id: " + std::to_string(seq) +
                            "\nevent: live\ndata: " + frame->live_json + "\n\n"))
              return;
          } else if (now - quiet_since > site->options_.keepalive) {
            quiet_since = now;  // a comment keeps proxies and phones from closing an idle line
            if (!sink.write(": still here\n\n")) return;
          }
        }
      };
    });
    web.mount("GET", "/api/search", [site](const WebRequest& r, WebResponse& w) {
      if (!admit(*site, r, w, Need::Any, false)) return;
      const std::string q = r.query_param("q").value_or("");
      if (q.size() > 200) return error(w, 400, site->words().tr("The search is too long"));
      const auto snap = site->engine_.snapshot();
      json hits = json::array();
      if (!q.empty() && snap->search) {
        for (const SearchHit& h : snap->search->find(q, 25)) {
          const AttendeeView* a = snap->attendee(h.id);
          if (!a) continue;
          json j = who_json(*a);
          j.update(presence_json(*snap, a->id));
          hits.push_back(std::move(j));
        }
      }
      w.json(200, json{{"query", q}, {"results", hits}}.dump());
    });
    web.mount("GET", "/api/attendees/:id", [site](const WebRequest& r, WebResponse& w) {
      auto s = admit(*site, r, w, Need::Any, false);
      if (!s) return;
      const long long id = parse_id(r.param("id"));
      const auto snap = site->engine_.snapshot();
      const AttendeeView* a = id ? snap->attendee(id) : nullptr;
      if (!a) return error(w, 404, site->words().tr("No such attendee"));
      json j = who_json(*a);
      j.update(presence_json(*snap, id));
      // E-mail addresses are for organizers' eyes only (volunteers never).
      if (s->role == Role::Organizer) {
        auto full = site->engine_.attendee(id);
        if (full.wait_for(std::chrono::seconds(20)) == std::future_status::ready)
          if (auto rec = full.get()) j["email"] = rec->email;
      }
      w.json(200, j.dump());
    });
    web.mount("GET", "/api/health", [site](const WebRequest& r, WebResponse& w) {
      if (!admit(*site, r, w, Need::Any, false)) return;
      const json live = json::parse(site->feed_->latest()->live_json);
      w.json(200, json{{"workers", live["health"]},
                       {"queues", live["queues"]},
                       {"print_problem", live["print_problem"]},
                       {"last_error", live["last_error"]}}
                      .dump());
    });
    web.mount("GET", "/api/export.csv", [site](const WebRequest& r, WebResponse& w) {
      if (!admit(*site, r, w, Need::Organizer, false)) return;
      auto people = site->engine_.attendees();
      if (people.wait_for(std::chrono::seconds(30)) != std::future_status::ready)
        return error(w, 503, site->words().tr("The door is busy; try again in a moment"));
      const auto snap = site->engine_.snapshot();
      // The columns of `frontdesk export` (model/Export.h): one definition.
      std::vector<std::vector<std::string>> rows{attendance_columns()};
      for (const AttendeeRecord& a : people.get())
        if (const Presence* p = snap->presence(a.id)) rows.push_back(attendance_row(a, p));
      w.status = 200;
      w.content_type = "text/csv; charset=utf-8";
      w.body = write_csv(rows);
      w.set_header("Content-Disposition",
                   "attachment; filename=\"attendance-" + snap->event.slug + ".csv\"");
    });
  }

  static void changes(const Site& site, WebServer& web) {
    // Each change: who may do it, and the engine command it becomes.
    struct Change {
      const char* path;
      Need need;
      std::function<std::optional<Command>(const std::map<std::string, std::string>&, WebResponse&,
                                           Role, const Catalog&)>
          make;
    };
    const std::vector<Change> all = {
        {"/api/checkin", Need::Any,
         [](const auto& f, WebResponse& w, Role role,
            const Catalog& words) -> std::optional<Command> {
           const auto id = id_field(f, w, words);
           if (!id) return std::nullopt;
           // An organizer's hand check-in overrides the list (cancelled,
           // waitlisted, room full), as at the kiosk; a volunteer's follows
           // the door's rules.
           return CheckInAttendee{id, role == Role::Organizer ? Method::Manual : Method::Search};
         }},
        {"/api/undo", Need::Organizer,
         [](const auto& f, WebResponse& w, Role, const Catalog& words) -> std::optional<Command> {
           Undo u;
           if (auto it = f.find("checkin_uuid"); it != f.end()) u.checkin_uuid = it->second;
           if (auto it = f.find("attendee_id"); it != f.end()) u.attendee_id = parse_id(it->second);
           if (u.checkin_uuid.empty() && !u.attendee_id) {
             error(w, 400, words.tr("Say which check-in to undo (checkin_uuid or attendee_id)"));
             return std::nullopt;
           }
           return u;
         }},
        {"/api/reprint", Need::Any,
         [](const auto& f, WebResponse& w, Role, const Catalog& words) -> std::optional<Command> {
           const auto id = id_field(f, w, words);
           if (!id) return std::nullopt;
           return Reprint{id};
         }},
        {"/api/left", Need::Any,
         [](const auto& f, WebResponse& w, Role, const Catalog& words) -> std::optional<Command> {
           const auto id = id_field(f, w, words);
           if (!id) return std::nullopt;
           return MarkLeft{id};
         }},
        {"/api/returned", Need::Any,
         [](const auto& f, WebResponse& w, Role, const Catalog& words) -> std::optional<Command> {
           const auto id = id_field(f, w, words);
           if (!id) return std::nullopt;
           return MarkReturned{id};
         }},
        {"/api/walkin", Need::Any,
         [](const auto& f, WebResponse& w, Role, const Catalog& words) -> std::optional<Command> {
           auto get = [&](const char* k) {
             auto it = f.find(k);
             return it == f.end() ? std::string() : it->second;
           };
           WalkIn wi{get("first_name"), get("last_name"), get("email"), get("company")};
           wi.new_person = get("new") == "1";  // asked "is this you?" and answered no
           for (const std::string* s : {&wi.first_name, &wi.last_name, &wi.email, &wi.company})
             if (s->size() > 200) {
               error(w, 400, words.tr("A field is too long (200 characters at most)"));
               return std::nullopt;
             }
           return wi;
         }},
        {"/api/event", Need::Organizer,
         [](const auto& f, WebResponse& w, Role, const Catalog& words) -> std::optional<Command> {
           SetEventDetails e;
           if (auto it = f.find("capacity"); it != f.end()) {
             const long long c = it->second == "0" ? 0 : parse_id(it->second);
             if ((c == 0 && it->second != "0") || c > 1000000) {
               error(w, 400, words.tr("capacity must be a number (0: no limit)"));
               return std::nullopt;
             }
             e.capacity = static_cast<int>(c);
           }
           return e;
         }},
    };
    for (const Change& c : all) {
      web.mount("POST", c.path,
                [site, need = c.need, make = c.make](const WebRequest& r, WebResponse& w) {
                  auto session = admit(*site, r, w, need, true);
                  if (!session) return;
                  auto f = body_fields(r);
                  if (!f) return error(w, 400, site->words().message(f.error().message));
                  auto cmd = make(*f, w, session->role, site->words());
                  if (!cmd) return;
                  command(*site, std::move(*cmd), w);
                });
    }
  }

  static void venue(const Site& site, WebServer& web) {
    const Asset* a = find_asset("venue.html");
    const std::string page = a ? in_language(*a, site->words()) : std::string();
    web.mount("GET", "/venue/:token", [site, page](const WebRequest& r, WebResponse& w) {
      const std::string token = read_venue_token(site->options_.venue_token_file);
      if (token.empty() || !same_secret(r.param("token"), token))
        return error(w, 404,
                     site->words().tr("This venue link is not valid (it may have been revoked)"));
      if (r.query_param("format").value_or("") == "json") {
        const auto frame = site->feed_->latest();
        w.json(200, frame->venue_json);
        return;
      }
      w.status = 200;
      w.content_type = "text/html; charset=utf-8";
      w.body = page;
    });
  }

  static void fallbacks(const Site& site, WebServer& web) {
    // Anything else under /api/ answers 401 without a session, so nothing
    // there can be probed without logging in.
    for (const char* method : {"GET", "POST", "PUT", "PATCH", "DELETE"})
      web.mount(method, "/api/*", [site](const WebRequest& r, WebResponse& w) {
        if (!admit(*site, r, w, Need::Any, false)) return;
        error(w, 404, site->words().tr("No such API"));
      });
    web.mount("GET", "/favicon.ico", [](const WebRequest&, WebResponse& w) { w.text(204, ""); });
  }
};

// ---------------------------------------------------------------------------
// [SECTION] OrganizerSite
// ---------------------------------------------------------------------------

OrganizerSite::OrganizerSite(Engine& engine, OrganizerSiteOptions options)
    : engine_(engine),
      options_(std::move(options)),
      sessions_(options_.session_idle),
      guard_(options_.login),
      feed_(
          std::make_unique<LiveFeed>(engine, options_.health, options_.forecast, options_.words)) {}

OrganizerSite::~OrganizerSite() = default;

std::shared_ptr<OrganizerSite> OrganizerSite::mount(WebServer& web, Engine& engine,
                                                    OrganizerSiteOptions options) {
  if (!options.words) options.words = std::make_shared<const Catalog>();
  std::shared_ptr<OrganizerSite> site(new OrganizerSite(engine, std::move(options)));
  const Catalog& words = site->words();
  Routes::asset(web, "/", "index.html", words);
  Routes::asset(web, "/app.js", "app.js", words);
  Routes::asset(web, "/app.css", "app.css", words);
  Routes::asset(web, "/venue.js", "venue.js", words);
  Routes::asset(web, "/i18n.js", "i18n.js", words);
  Routes::login(site, web);
  Routes::session(site, web);
  Routes::reads(site, web);
  Routes::changes(site, web);
  Routes::venue(site, web);
  Routes::fallbacks(site, web);
  return site;
}

}  // namespace fd
