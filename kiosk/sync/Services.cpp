// Eventbrite, Meetup and Luma (lists only: none has a public way for
// hosts to record attendance, so `frontdesk sync sheet` serves them), the
// webhook (pushes only), and make_connectors.
#include <nlohmann/json.hpp>
#include <thread>

#include "sync/Connectors.h"
#include "sync/Parse.h"

namespace fd {

namespace {

using json = nlohmann::json;

PushOutcome nothing_to_push() {
  PushOutcome o;
  o.verdict = PushVerdict::Delivered;
  return o;
}

HttpRequest request(const std::string& url, const ConnectorOptions& o) {
  HttpRequest r;
  r.url = url;
  r.total_timeout = o.timeout;
  r.connect_timeout = o.connect_timeout;
  r.headers = {{"Accept", "application/json"}};
  return r;
}

// Pages through a cursor-paged list until the service says there is no more.
template <typename Request>
std::optional<Error> page_through(
    Connector& c, const PullRequest& ctx, PullResult& out, Request make_request,
    Result<AttendeePage> (*parse)(std::string_view),
    const std::function<std::optional<Error>(
        HttpClient&, const HttpRequest&, const PullRequest&,
        const std::function<std::optional<Error>(const HttpResponse&)>&)>& fetch,
    HttpClient& http) {
  std::string cursor;
  std::vector<std::string> seen;
  for (int pages = 1;; ++pages) {
    if (pages > 10000) return Error{"sync.size", c.name() + ": more pages than we accept"};
    bool more = false;
    std::string next;
    if (auto err = fetch(http, make_request(cursor), ctx, [&](const HttpResponse& r) {
          auto page = parse(r.body);
          if (!page) return std::optional<Error>(page.error());
          for (auto& row : page->rows) out.batch.rows.push_back(std::move(row));
          for (auto& rc : page->remote) out.remote.push_back(std::move(rc));
          more = page->more;
          next = page->next;
          return std::optional<Error>();
        }))
      return err;
    if (ctx.progress) ctx.progress(static_cast<int>(out.batch.rows.size()), pages);
    if (!more || next.empty()) return std::nullopt;
    // A cursor handed out again repeats a page (harmless: rows merge by
    // id); one that keeps coming back would loop us forever.
    if (std::count(seen.begin(), seen.end(), next) >= 3)
      return Error{"sync.shape", c.name() + " keeps sending the same page"};
    seen.push_back(next);
    cursor = next;
  }
}

// ---------------------------------------------------------------------------
// [SECTION] Eventbrite
// ---------------------------------------------------------------------------

class EventbriteConnector : public Connector {
 public:
  EventbriteConnector(EventbriteSettings s, ConnectorOptions o)
      : s_(std::move(s)), o_(std::move(o)) {}
  std::string name() const override { return "eventbrite"; }
  bool can_pull() const override { return true; }
  bool can_push() const override { return false; }
  Result<PullResult> pull(const PullRequest& ctx) override {
    if (s_.token.empty())
      return Error{"sync.config", "[eventbrite] needs token (or FRONTDESK_EVENTBRITE_TOKEN)"};
    PullResult out;
    out.batch.source = "eventbrite";
    out.incremental = !ctx.cursor.empty();
    const std::string started = iso8601_utc(now_ms()).substr(0, 19) + "Z";
    auto make = [&](const std::string& continuation) {
      std::vector<std::pair<std::string, std::string>> q;
      if (!continuation.empty()) q.emplace_back("continuation", continuation);
      if (!ctx.cursor.empty()) q.emplace_back("changed_since", ctx.cursor);
      HttpRequest r = request(s_.url + "/v3/events/" + url_encode(s_.event_id) + "/attendees/" +
                                  (q.empty() ? "" : "?" + query_string(q)),
                              o_);
      r.headers.emplace_back("Authorization", "Bearer " + s_.token);
      return r;
    };
    auto fetcher = [this](HttpClient& h, const HttpRequest& r, const PullRequest& c,
                          const std::function<std::optional<Error>(const HttpResponse&)>& a) {
      return fetch(h, r, c, a);
    };
    if (auto err = page_through(*this, ctx, out, make, parse_eventbrite_attendees, fetcher, http_))
      return *err;
    out.cursor = started;
    return out;
  }
  PushOutcome push(const OutboxItem&) override { return nothing_to_push(); }

 private:
  EventbriteSettings s_;
  ConnectorOptions o_;
  HttpClient http_;
};

// ---------------------------------------------------------------------------
// [SECTION] Meetup
// ---------------------------------------------------------------------------

constexpr const char* kMeetupQuery =
    "query ($eventId: ID!, $after: String) { event(id: $eventId) { rsvps(first: 100, after: "
    "$after) { pageInfo { hasNextPage endCursor } edges { node { id status guestsCount member { "
    "id name } } } } } }";

class MeetupConnector : public Connector {
 public:
  MeetupConnector(MeetupSettings s, ConnectorOptions o) : s_(std::move(s)), o_(std::move(o)) {}
  std::string name() const override { return "meetup"; }
  bool can_pull() const override { return true; }
  bool can_push() const override { return false; }
  Result<PullResult> pull(const PullRequest& ctx) override {
    if (s_.token.empty())
      return Error{"sync.config", "[meetup] needs token (or FRONTDESK_MEETUP_TOKEN)"};
    PullResult out;
    out.batch.source = "meetup";
    auto make = [&](const std::string& after) {
      json vars = {{"eventId", s_.event_id}};
      vars["after"] = after.empty() ? json(nullptr) : json(after);
      HttpRequest r = request(s_.url, o_);
      r.method = "POST";
      r.body = json{{"query", kMeetupQuery}, {"variables", vars}}.dump();
      r.headers.emplace_back("Authorization", "Bearer " + s_.token);
      r.headers.emplace_back("Content-Type", "application/json");
      return r;
    };
    auto fetcher = [this](HttpClient& h, const HttpRequest& r, const PullRequest& c,
                          const std::function<std::optional<Error>(const HttpResponse&)>& a) {
      return fetch(h, r, c, a);
    };
    if (auto err = page_through(*this, ctx, out, make, parse_meetup_rsvps, fetcher, http_))
      return *err;
    return out;
  }
  PushOutcome push(const OutboxItem&) override { return nothing_to_push(); }

 private:
  MeetupSettings s_;
  ConnectorOptions o_;
  HttpClient http_;
};

// ---------------------------------------------------------------------------
// [SECTION] Luma
// ---------------------------------------------------------------------------

class LumaConnector : public Connector {
 public:
  LumaConnector(LumaSettings s, ConnectorOptions o) : s_(std::move(s)), o_(std::move(o)) {}
  std::string name() const override { return "luma"; }
  bool can_pull() const override { return true; }
  bool can_push() const override { return false; }
  Result<PullResult> pull(const PullRequest& ctx) override {
    if (s_.api_key.empty())
      return Error{"sync.config", "[luma] needs api_key (or FRONTDESK_LUMA_API_KEY)"};
    PullResult out;
    out.batch.source = "luma";
    auto make = [&](const std::string& cursor) {
      // 200 requests a minute per key: stay under it on our side.
      const auto since = std::chrono::steady_clock::now() - last_;
      if (since < std::chrono::milliseconds(300))
        std::this_thread::sleep_for(std::chrono::milliseconds(300) - since);
      last_ = std::chrono::steady_clock::now();
      std::vector<std::pair<std::string, std::string>> q = {{"event_api_id", s_.event_id},
                                                            {"pagination_limit", "100"}};
      if (!cursor.empty()) q.emplace_back("pagination_cursor", cursor);
      HttpRequest r = request(s_.url + "/v1/event/get-guests?" + query_string(q), o_);
      r.headers.emplace_back("x-luma-api-key", s_.api_key);
      return r;
    };
    auto fetcher = [this](HttpClient& h, const HttpRequest& r, const PullRequest& c,
                          const std::function<std::optional<Error>(const HttpResponse&)>& a) {
      return fetch(h, r, c, a);
    };
    if (auto err = page_through(*this, ctx, out, make, parse_luma_guests, fetcher, http_))
      return *err;
    return out;
  }
  PushOutcome push(const OutboxItem&) override { return nothing_to_push(); }

 private:
  LumaSettings s_;
  ConnectorOptions o_;
  HttpClient http_;
  std::chrono::steady_clock::time_point last_{};
};

// ---------------------------------------------------------------------------
// [SECTION] Webhook
// ---------------------------------------------------------------------------

class WebhookConnector : public Connector {
 public:
  WebhookConnector(WebhookSettings s, ConnectorOptions o) : s_(std::move(s)), o_(std::move(o)) {}
  std::string name() const override { return "webhook"; }
  bool can_pull() const override { return false; }
  bool can_push() const override { return true; }
  Result<PullResult> pull(const PullRequest&) override {
    return Error{"sync.config", "a webhook only receives"};
  }
  PushOutcome push(const OutboxItem& item) override {
    const json p = json::parse(item.payload, nullptr, false);
    // The same body on every retry: receivers compare or deduplicate by key.
    const std::string body =
        json{{"type", item.kind}, {"idempotency_key", item.key}, {"check_in", p}}.dump();
    HttpRequest r = request(s_.url, o_);
    r.method = "POST";
    r.body = body;
    r.headers.emplace_back("Content-Type", "application/json");
    r.headers.emplace_back("Idempotency-Key", item.key);
    if (!s_.secret.empty())
      r.headers.emplace_back("X-Frontdesk-Signature", webhook_signature(s_.secret, body));
    ++counters_.requests;
    auto resp = http_.send(r);
    if (resp && (resp->ok() || resp->status == 409)) {  // 409: the receiver has it already
      PushOutcome o;
      o.verdict = PushVerdict::Delivered;
      return o;
    }
    return classify_failure(resp, "the webhook");
  }

 private:
  WebhookSettings s_;
  ConnectorOptions o_;
  HttpClient http_;
};

}  // namespace

std::unique_ptr<Connector> make_eventbrite(const EventbriteSettings& s, const ConnectorOptions& o) {
  return std::make_unique<EventbriteConnector>(s, o);
}
std::unique_ptr<Connector> make_meetup(const MeetupSettings& s, const ConnectorOptions& o) {
  return std::make_unique<MeetupConnector>(s, o);
}
std::unique_ptr<Connector> make_luma(const LumaSettings& s, const ConnectorOptions& o) {
  return std::make_unique<LumaConnector>(s, o);
}
std::unique_ptr<Connector> make_webhook(const WebhookSettings& s, const ConnectorOptions& o) {
  return std::make_unique<WebhookConnector>(s, o);
}

std::vector<std::unique_ptr<Connector>> make_connectors(const Config& c,
                                                        const ConnectorOptions& o) {
  std::vector<std::unique_ptr<Connector>> out;
  if (c.pretix) out.push_back(make_pretix(*c.pretix, o));
  if (c.eventbrite) out.push_back(make_eventbrite(*c.eventbrite, o));
  if (c.meetup) out.push_back(make_meetup(*c.meetup, o));
  if (c.luma) out.push_back(make_luma(*c.luma, o));
  if (c.webhook) out.push_back(make_webhook(*c.webhook, o));
  return out;
}

}  // namespace fd
