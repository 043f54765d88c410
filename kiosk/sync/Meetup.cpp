// Meetup: the RSVP list through its GraphQL API (api.meetup.com/gql-ext).
// Attendance goes back by `frontdesk sync sheet`: the API has no mutation
// for hosts to record it.
//
// What Meetup does, from its GraphQL guide (https://www.meetup.com/api/guide/),
// schema (https://www.meetup.com/api/schema/#Event) and OAuth page
// (https://www.meetup.com/api/authentication/):
// - `Event.rsvps` without `filter: {rsvpStatus: [...]}` returns YES and
//   ATTENDED only: waitlisted people and a YES that became NO never arrive;
// - access tokens expire (an hour): "if your token is expired … create or
//   refresh your token" at secure.meetup.com/oauth2/access with
//   grant_type=refresh_token; the answer carries a new refresh token too;
// - rate limits come back as a GraphQL error (RATE_LIMITED, with resetAt)
//   inside an HTTP 200;
// - the API is for Meetup Pro organizers: a 403 says so.
#include <sys/stat.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "sync/Connectors.h"
#include "sync/Parse.h"

namespace fd {

namespace {

using json = nlohmann::json;

// Every RSVP status the schema has, so the list is the whole list.
constexpr const char* kMeetupQuery =
    "query ($eventId: ID!, $after: String, $statuses: [RsvpStatus!]) { event(id: $eventId) { "
    "rsvps(first: 100, after: $after, filter: {rsvpStatus: $statuses}) { pageInfo { "
    "hasNextPage endCursor } edges { node { id status guestsCount member { id name } } } } } }";
const char* const kStatuses[] = {"YES",      "NO",
                                 "WAITLIST", "ATTENDED",
                                 "NO_SHOW",  "EXCUSED_ABSENCE",
                                 "MAYBE",    "YES_PENDING_PAYMENT"};

class MeetupConnector : public Connector {
 public:
  MeetupConnector(MeetupSettings s, ConnectorOptions o) : s_(std::move(s)), o_(std::move(o)) {}
  std::string name() const override { return "meetup"; }
  bool can_pull() const override { return true; }
  bool can_push() const override { return false; }
  Result<PullResult> pull(const PullRequest& ctx) override;
  PushOutcome push(const OutboxItem&) override {
    PushOutcome o;
    o.verdict = PushVerdict::Delivered;
    return o;
  }

 private:
  bool can_refresh() const {
    return !refresh_.empty() && !s_.client_id.empty() && !s_.client_secret.empty();
  }
  std::filesystem::path token_file() const { return o_.state_dir / "meetup-token.json"; }
  void load_tokens();
  void save_tokens() const;
  std::optional<Error> refresh(const PullRequest& ctx);
  Error words(const Error& e) const;
  HttpRequest query(const std::string& after) const;

  MeetupSettings s_;
  ConnectorOptions o_;
  HttpClient http_;
  bool loaded_ = false;
  std::string token_, refresh_;  // the newest pair (the config's, or renewed)
  TimeMs expires_at_ = 0;        // 0: not known
};

// The newest tokens, kept owner-only beside the config: a refresh replaces
// the refresh token, so the one in frontdesk.toml stops working after the
// first renewal. The file is used only while the config still holds the
// tokens it was renewed from (a new token in the config wins).
void MeetupConnector::load_tokens() {
  loaded_ = true;
  token_ = s_.token;
  refresh_ = s_.refresh_token;
  std::ifstream in(token_file());
  std::stringstream ss;
  ss << in.rdbuf();
  const json saved = json::parse(ss.str(), nullptr, false);
  if (!saved.is_object() || saved.value("from_token", "") != s_.token ||
      saved.value("from_refresh_token", "") != s_.refresh_token ||
      saved.value("client_id", "") != s_.client_id)
    return;
  token_ = saved.value("access_token", token_);
  refresh_ = saved.value("refresh_token", refresh_);
  expires_at_ = saved.value("expires_at", TimeMs{0});
}

void MeetupConnector::save_tokens() const {
  std::error_code ec;
  std::filesystem::create_directories(o_.state_dir, ec);
  const mode_t old = ::umask(077);  // owner-only from the first byte
  {
    std::ofstream out(token_file(), std::ios::trunc);
    out << json{{"client_id", s_.client_id},
                {"from_token", s_.token},
                {"from_refresh_token", s_.refresh_token},
                {"access_token", token_},
                {"refresh_token", refresh_},
                {"expires_at", expires_at_}}
               .dump();
  }
  ::umask(old);
  std::filesystem::permissions(
      token_file(), std::filesystem::perms::owner_read | std::filesystem::perms::owner_write, ec);
}

std::optional<Error> MeetupConnector::refresh(const PullRequest& ctx) {
  HttpRequest r;
  r.method = "POST";
  r.url = s_.oauth_url;
  r.body = query_string({{"client_id", s_.client_id},
                         {"client_secret", s_.client_secret},
                         {"grant_type", "refresh_token"},
                         {"refresh_token", refresh_}});
  r.headers = {{"Content-Type", "application/x-www-form-urlencoded"},
               {"Accept", "application/json"}};
  r.total_timeout = o_.timeout;
  r.connect_timeout = o_.connect_timeout;
  OAuthToken t;
  if (auto err = fetch(http_, r, ctx, [&](const HttpResponse& resp) {
        auto parsed = parse_oauth_token(resp.body);
        if (!parsed) return std::optional<Error>(parsed.error());
        t = *parsed;
        return std::optional<Error>();
      }))
    return Error{"sync.auth", "Meetup would not renew the access token (" + err->message +
                                  "): the refresh token was revoked or replaced, or client_id "
                                  "and client_secret are not that client's. Make a new token "
                                  "(secure.meetup.com/oauth2/authorize) and put it in [meetup] "
                                  "token and refresh_token"};
  token_ = t.access_token;
  if (!t.refresh_token.empty()) refresh_ = t.refresh_token;
  expires_at_ = t.expires_in_s > 0 ? now_ms() + t.expires_in_s * 1000 : 0;
  save_tokens();
  return std::nullopt;
}

// Meetup's refusals in words that say what to do.
Error MeetupConnector::words(const Error& e) const {
  if (e.code == "sync.auth")
    return Error{e.code, can_refresh() ? "Meetup refuses the access token even after renewing "
                                         "it: check that the token belongs to an organizer of "
                                         "this group (Meetup's API needs Meetup Pro)"
                                       : "Meetup refuses the access token: it expires after an "
                                         "hour. Add refresh_token, client_id and client_secret "
                                         "to [meetup] so Frontdesk renews it by itself"};
  if (e.code == "sync.forbidden")
    return Error{e.code,
                 "Meetup refuses to show this event's RSVPs (HTTP 403): its API is for Meetup "
                 "Pro organizers; the token must belong to an organizer of this group with Meetup "
                 "Pro"};
  return e;
}

HttpRequest MeetupConnector::query(const std::string& after) const {
  json vars = {{"eventId", s_.event_id}, {"statuses", kStatuses}};
  vars["after"] = after.empty() ? json(nullptr) : json(after);
  HttpRequest r;
  r.url = s_.url;
  r.method = "POST";
  r.total_timeout = o_.timeout;
  r.connect_timeout = o_.connect_timeout;
  r.body = json{{"query", kMeetupQuery}, {"variables", vars}}.dump();
  r.headers = {{"Accept", "application/json"},
               {"Authorization", "Bearer " + token_},
               {"Content-Type", "application/json"}};
  return r;
}

Result<PullResult> MeetupConnector::pull(const PullRequest& ctx) {
  if (!loaded_) load_tokens();
  if (token_.empty() && !can_refresh())
    return Error{"sync.config", "[meetup] needs token (or FRONTDESK_MEETUP_TOKEN)"};
  // Renew ahead of time when the token is known to run out within a minute.
  if (can_refresh() && (token_.empty() || (expires_at_ && now_ms() > expires_at_ - 60000)))
    if (auto err = refresh(ctx)) return *err;
  PullResult out;
  out.batch.source = "meetup";
  out.complete = true;  // every status, every page: the whole list
  auto parse = [this](const HttpResponse& r) {
    auto page = parse_meetup_rsvps(r.body);
    if (!page && page.error().code == "sync.busy") busy_wait_ = meetup_retry_ms(r.body, now_ms());
    return page;
  };
  // An expired token: renew it (once a pull) and ask for the same page again.
  bool renewed = false;
  std::optional<Error> renewal;
  auto recover = [&](const Error& e) {
    if (e.code != "sync.auth" || renewed) return false;
    renewed = true;
    // Another Frontdesk process (`sync pull` beside the kiosk) may have
    // renewed it already, which replaced the refresh token we hold: use
    // theirs rather than fail with ours.
    const std::string before = token_;
    load_tokens();
    if (token_ != before) return true;
    if (!can_refresh()) return false;
    renewal = refresh(ctx);
    return !renewal.has_value();
  };
  auto make = [this](const std::string& after) { return query(after); };
  if (auto err = page_through(http_, ctx, out, make, parse, recover)) {
    if (renewal) return *renewal;
    return words(*err);
  }
  return out;
}

}  // namespace

std::unique_ptr<Connector> make_meetup(const MeetupSettings& s, const ConnectorOptions& o) {
  return std::make_unique<MeetupConnector>(s, o);
}

}  // namespace fd
