#pragma once
// Loopback Eventbrite, Meetup and Luma: the attendee lists as each service
// serves them today, refusing what it refuses. Each rule names its source:
//
// Eventbrite  API v3 reference, "List Attendees by Event"
//             (https://www.eventbrite.com/platform/api#/reference/attendee):
//             `status` = attending | not_attending | unpaid; without it only
//             attending people are listed; `changed_since` compares with
//             Eventbrite's own clock, which its Date header gives.
// Meetup      GraphQL guide (https://www.meetup.com/api/guide/) and schema
//             (https://www.meetup.com/api/schema/#Event): `Event.rsvps`
//             without `filter: {rsvpStatus: [...]}` returns YES and ATTENDED
//             only; an expired token must be refreshed at
//             secure.meetup.com/oauth2/access (https://www.meetup.com/api/authentication/,
//             grant_type=refresh_token); rate limits come back as a GraphQL
//             error (extensions.code RATE_LIMITED) inside an HTTP 200; the
//             API is for Meetup Pro organizers.
// Luma        API reference (https://docs.luma.com/reference): `GET
//             /v1/events/guests/list?event_id=` with flat entries (`id`
//             gst-..., `user_name`, `user_email`, `approval_status`,
//             `check_in_qr_code`, `event_tickets[].checked_in_at`), paged by
//             pagination_cursor / next_cursor; x-luma-api-key; the older
//             `GET /v1/event/get-guests?event_api_id=` answers only where a
//             deployment still has it.
//
// Thread-safety: handlers run on httplib's pool; data behind mutex_.
#include <ctime>

#include "FakeServer.h"
#include "base/Time.h"

namespace fdtest {

struct Person {
  std::string id, name, email, code, status;  // status in the service's words
  bool checked_in = false;
  std::string checked_in_at;
  int guests = 0;
  bool refunded = false;   // Eventbrite
  fd::TimeMs changed = 0;  // Eventbrite: on the server's clock
};

// Someone on a list, with the fields every service has.
inline Person person(std::string id, std::string name, std::string email, std::string code,
                     std::string status) {
  Person p;
  p.id = std::move(id);
  p.name = std::move(name);
  p.email = std::move(email);
  p.code = std::move(code);
  p.status = std::move(status);
  return p;
}

// ---------------------------------------------------------------------------
// Eventbrite
// ---------------------------------------------------------------------------

class FakeEventbrite : public FakeServer {
 public:
  std::string token = "eb-token", event_id = "1234";
  std::vector<Person> people;
  int page_size = 50;
  // The server's clock minus ours (a door whose clock is off by this).
  fd::TimeMs clock_offset = 0;
  std::vector<std::string> changed_since_asked;  // every changed_since the client sent

  FakeEventbrite() {
    server_.Get("/v3/events/([^/]+)/attendees/",
                [this](const auto& req, auto& res) { attendees(req, res); });
  }
  fd::TimeMs server_now() const { return fd::now_ms() + clock_offset; }
  // An attendee cancels now (on the server's clock).
  void cancel(const std::string& id) {
    std::lock_guard lock(mutex_);
    for (auto& p : people)
      if (p.id == id) {
        p.status = "Not Attending";
        p.changed = server_now();
      }
  }

 private:
  static std::string http_date(fd::TimeMs t) {
    const std::time_t s = static_cast<std::time_t>(t / 1000);
    std::tm tm{};
    gmtime_r(&s, &tm);
    char buf[64];
    std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S GMT", &tm);
    return buf;
  }
  static bool attending(const Person& p) {
    return (p.status == "Attending" || p.status == "Checked In") && !p.refunded;
  }
  void attendees(const httplib::Request& req, httplib::Response& res) {
    const Fault f = next_fault(false);
    res.set_header("Date", http_date(server_now()));
    if (req.get_header_value("Authorization") != "Bearer " + token) {
      res.status = 401;
      res.set_content(
          R"({"status_code":401,"error":"INVALID_AUTH","error_description":"The OAuth token you provided was invalid."})",
          "application/json");
      return;
    }
    std::lock_guard lock(mutex_);
    // No status: attending people only; the client must ask for the rest.
    const std::string status =
        req.has_param("status") ? req.get_param_value("status") : "attending";
    if (status != "attending" && status != "not_attending" && status != "unpaid") {
      res.status = 400;
      res.set_content(R"({"status_code":400,"error":"ARGUMENTS_ERROR"})", "application/json");
      return;
    }
    fd::TimeMs since = 0;
    if (req.has_param("changed_since")) {
      changed_since_asked.push_back(req.get_param_value("changed_since"));
      since = fd::parse_datetime(req.get_param_value("changed_since"));
    }
    std::vector<const Person*> listed;
    for (const auto& p : people) {
      const bool in = status == "attending"       ? attending(p)
                      : status == "not_attending" ? !attending(p) && p.status != "unpaid"
                                                  : p.status == "unpaid";
      if (in && (!since || p.changed >= since)) listed.push_back(&p);
    }
    std::size_t from =
        req.has_param("continuation") ? std::stoul(req.get_param_value("continuation")) : 0;
    if (f == Fault::Duplicate && from >= static_cast<std::size_t>(page_size)) from -= page_size;
    json list = json::array();
    for (std::size_t i = from; i < listed.size() && i < from + page_size; ++i) {
      const Person& p = *listed[i];
      list.push_back({{"id", p.id},
                      {"status", p.status},
                      {"cancelled", !attending(p) && p.status != "unpaid" && !p.refunded},
                      {"refunded", p.refunded},
                      {"checked_in", p.checked_in},
                      {"ticket_class_name", "General"},
                      {"barcodes", json::array({{{"barcode", p.code}, {"status", "unused"}}})},
                      {"profile", {{"name", p.name}, {"email", p.email}}}});
    }
    const bool more = from + page_size < listed.size();
    json page = {{"page_size", page_size}, {"has_more_items", more}};
    if (more) page["continuation"] = std::to_string(from + page_size);
    const std::string body = json{{"pagination", page}, {"attendees", list}}.dump();
    if (fail_before(f == Fault::Duplicate ? Fault::None : f, res, body)) return;
    res.set_content(body, "application/json");
  }
};

// ---------------------------------------------------------------------------
// Meetup
// ---------------------------------------------------------------------------

class FakeMeetup : public FakeServer {
 public:
  std::string token = "mu-token", event_id = "305";
  std::vector<Person> people;  // status: YES, NO, WAITLIST, ATTENDED, ...
  int page_size = 100;
  // OAuth: the client, and the one refresh token that works (it is
  // replaced by every refresh, so a client must keep the new one).
  std::string client_id = "mu-client", client_secret = "mu-client-secret";
  std::string refresh_token = "mu-refresh-1";
  bool pro = true;            // the group's organizer has Meetup Pro
  int rate_limited_next = 0;  // answer this many queries with RATE_LIMITED
  int refreshes = 0;
  std::vector<std::string> refresh_bodies;  // what the client sent to /oauth2/access

  FakeMeetup() {
    server_.Post("/gql-ext", [this](const auto& req, auto& res) { query(req, res); });
    server_.Post("/oauth2/access", [this](const auto& req, auto& res) { access(req, res); });
  }
  // The access token runs out (Meetup's live an hour).
  void expire_token() {
    std::lock_guard lock(mutex_);
    expired_.insert(token);
  }
  std::string current_token() {
    std::lock_guard lock(mutex_);
    return token;
  }

 private:
  std::set<std::string> expired_;

  static void reply(httplib::Response& res, int status, const json& body) {
    res.status = status;
    res.set_content(body.dump(), "application/json");
  }
  void access(const httplib::Request& req, httplib::Response& res) {
    std::lock_guard lock(mutex_);
    refresh_bodies.push_back(req.body);
    if (req.get_param_value("grant_type") != "refresh_token" ||
        req.get_param_value("client_id") != client_id ||
        req.get_param_value("client_secret") != client_secret)
      return reply(res, 400, {{"error", "invalid_client"}});
    if (req.get_param_value("refresh_token") != refresh_token)
      return reply(res, 400, {{"error", "invalid_grant"}});
    ++refreshes;
    expired_.insert(token);
    token = "mu-token-" + std::to_string(refreshes + 1);
    refresh_token = "mu-refresh-" + std::to_string(refreshes + 1);
    reply(res, 200,
          {{"access_token", token},
           {"refresh_token", refresh_token},
           {"token_type", "bearer"},
           {"expires_in", 3600}});
  }
  void query(const httplib::Request& req, httplib::Response& res) {
    const Fault f = next_fault(false);
    const json b = json::parse(req.body, nullptr, false);
    std::lock_guard lock(mutex_);
    const std::string auth = req.get_header_value("Authorization");
    if (auth != "Bearer " + token || expired_.count(auth.substr(7)))
      return reply(res, 401, {{"errors", {{{"message", "Invalid or expired token"}}}}});
    if (!pro)
      return reply(
          res, 403,
          {{"errors", {{{"message", "Access to the API requires a Meetup Pro account"}}}}});
    if (rate_limited_next > 0) {
      --rate_limited_next;
      return reply(
          res, 200,
          {{"errors",
            {{{"message", "Too many requests, please try again shortly."},
              {"extensions",
               {{"code", "RATE_LIMITED"}, {"resetAt", fd::iso8601_utc(fd::now_ms() + 1000)}}}}}}});
    }
    const json vars = b.is_object() ? b.value("variables", json::object()) : json::object();
    if (vars.value("eventId", "") != event_id)
      return reply(
          res, 200,
          {{"data", {{"event", nullptr}}}, {"errors", {{{"message", "event not found"}}}}});
    // Without a filter, the schema's default: YES and ATTENDED only.
    std::set<std::string> statuses = {"YES", "ATTENDED"};
    const std::string q = b.value("query", "");
    if (q.find("rsvpStatus") != std::string::npos && vars.contains("statuses")) {
      statuses.clear();
      for (const auto& s : vars["statuses"])
        if (s.is_string()) statuses.insert(s.get<std::string>());
    }
    std::vector<const Person*> listed;
    for (const auto& p : people)
      if (statuses.count(p.status)) listed.push_back(&p);
    const std::size_t from = vars.contains("after") && vars["after"].is_string()
                                 ? std::stoul(vars["after"].get<std::string>())
                                 : 0;
    json edges = json::array();
    for (std::size_t i = from; i < listed.size() && i < from + page_size; ++i)
      edges.push_back({{"node",
                        {{"id", "rsvp-" + listed[i]->id},
                         {"status", listed[i]->status},
                         {"guestsCount", listed[i]->guests},
                         {"member", {{"id", listed[i]->id}, {"name", listed[i]->name}}}}}});
    const bool more = from + page_size < listed.size();
    const std::string body =
        json{{"data",
              {{"event",
                {{"rsvps",
                  {{"pageInfo",
                    {{"hasNextPage", more}, {"endCursor", std::to_string(from + page_size)}}},
                   {"edges", edges}}}}}}}}
            .dump();
    if (fail_before(f, res, body)) return;
    res.set_content(body, "application/json");
  }
};

// ---------------------------------------------------------------------------
// Luma
// ---------------------------------------------------------------------------

class FakeLuma : public FakeServer {
 public:
  std::string key = "luma-key", event_id = "evt-abc";
  std::vector<Person> people;  // status: approval_status (approved, declined, waitlist, ...)
  int page_size = 100;
  bool current_route = true;  // GET /v1/events/guests/list (today's reference)
  bool old_route = false;     // GET /v1/event/get-guests (older deployments)

  FakeLuma() {
    server_.Get("/v1/events/guests/list", [this](const auto& req, auto& res) {
      if (!current_route) return not_found(res);
      guests(req, res, req.get_param_value("event_id"), true);
    });
    server_.Get("/v1/event/get-guests", [this](const auto& req, auto& res) {
      if (!old_route) return not_found(res);
      guests(req, res, req.get_param_value("event_api_id"), false);
    });
  }

 private:
  static void not_found(httplib::Response& res) {
    res.status = 404;
    res.set_content(R"({"message":"Not found"})", "application/json");
  }
  json flat(const Person& p) const {
    const auto space = p.name.find(' ');
    json ticket = {{"id", "gtk-" + p.id}, {"name", "Standard"}};
    ticket["checked_in_at"] = p.checked_in_at.empty() ? json(nullptr) : json(p.checked_in_at);
    return {{"id", p.id},
            {"user_name", p.name},
            {"user_first_name", p.name.substr(0, space)},
            {"user_last_name", space == std::string::npos ? "" : p.name.substr(space + 1)},
            {"user_email", p.email},
            {"approval_status", p.status},
            {"registered_at", "2026-11-01T10:00:00.000Z"},
            {"check_in_qr_code", "https://lu.ma/check-in/" + event_id + "?pk=" + p.code},
            {"event_tickets", json::array({ticket})}};
  }
  json nested(const Person& p) const {
    json g = {{"api_id", p.id},
              {"name", p.name},
              {"email", p.email},
              {"approval_status", p.status},
              {"check_in_qr_code", "https://lu.ma/check-in/" + event_id + "?pk=" + p.code}};
    g["checked_in_at"] = p.checked_in_at.empty() ? json(nullptr) : json(p.checked_in_at);
    return {{"api_id", p.id}, {"guest", g}};
  }
  void guests(const httplib::Request& req, httplib::Response& res, const std::string& event,
              bool current) {
    const Fault f = next_fault(false);
    if (req.get_header_value("x-luma-api-key") != key) {
      res.status = 401;
      res.set_content(R"({"message":"Invalid API key"})", "application/json");
      return;
    }
    if (event.empty()) {
      res.status = 400;
      res.set_content(R"({"message":"event_id is required"})", "application/json");
      return;
    }
    std::lock_guard lock(mutex_);
    if (event != event_id) {
      res.status = 404;
      res.set_content(R"({"message":"Event not found"})", "application/json");
      return;
    }
    const std::size_t from = req.has_param("pagination_cursor")
                                 ? std::stoul(req.get_param_value("pagination_cursor"))
                                 : 0;
    json entries = json::array();
    for (std::size_t i = from; i < people.size() && i < from + page_size; ++i)
      entries.push_back(current ? flat(people[i]) : nested(people[i]));
    const bool more = from + page_size < people.size();
    json body = {{"entries", entries}, {"has_more", more}};
    if (more) body["next_cursor"] = std::to_string(from + page_size);
    if (fail_before(f, res, body.dump())) return;
    res.set_content(body.dump(), "application/json");
  }
};

}  // namespace fdtest
