// Eventbrite and Luma (lists only: neither has a public way for hosts to
// record attendance, so `frontdesk sync sheet` serves them), the webhook
// (pushes only), and make_connectors. Meetup is in Meetup.cpp.
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

// ---------------------------------------------------------------------------
// [SECTION] Eventbrite
// ---------------------------------------------------------------------------

// Eventbrite's attendee list (API v3, "List Attendees by Event"): without a
// `status` it may hold attending people only, so each status is asked for
// (attending; not_attending: cancelled, refunded, deleted; unpaid). The
// incremental cursor (`changed_since`) is Eventbrite's own clock, from the
// Date header of the pull's first answer, less a minute: a door whose clock
// runs ahead of Eventbrite's would otherwise ask for changes "since" a time
// Eventbrite has not reached yet, and miss them.
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
    out.complete = !out.incremental;
    TimeMs server_now = -1;
    for (const char* status : {"attending", "not_attending", "unpaid"}) {
      auto make = [&](const std::string& continuation) {
        std::vector<std::pair<std::string, std::string>> q = {{"status", status}};
        if (!continuation.empty()) q.emplace_back("continuation", continuation);
        if (!ctx.cursor.empty()) q.emplace_back("changed_since", ctx.cursor);
        HttpRequest r = request(
            s_.url + "/v3/events/" + url_encode(s_.event_id) + "/attendees/?" + query_string(q),
            o_);
        r.headers.emplace_back("Authorization", "Bearer " + s_.token);
        return r;
      };
      auto parse = [](const HttpResponse& r) { return parse_eventbrite_attendees(r.body); };
      auto first = [&](const HttpResponse& r) {
        if (server_now < 0) server_now = server_date_ms(r);
      };
      if (auto err = page_through(http_, ctx, out, make, parse, {}, first)) return *err;
    }
    // Without a Date header the cursor stays where it was (the next pull
    // asks for a little more rather than missing anything).
    if (server_now > 0) out.cursor = iso8601_utc(server_now - 60000).substr(0, 19) + "Z";
    return out;
  }
  PushOutcome push(const OutboxItem&) override { return nothing_to_push(); }

 private:
  EventbriteSettings s_;
  ConnectorOptions o_;
  HttpClient http_;
};

// ---------------------------------------------------------------------------
// [SECTION] Luma
// ---------------------------------------------------------------------------

// Luma's guest list: today's reference documents GET /v1/events/guests/list
// (flat entries); older deployments answer GET /v1/event/get-guests. The
// current route is asked first, the older one only when the current one is
// not there (404), and then remembered.
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
    out.complete = true;  // the whole guest list every time
    std::optional<Error> current;
    if (!old_route_) {
      current = pull_route(ctx, out, false);
      if (!current) return out;
      if (current->code != "sync.notfound") return *current;
      out.batch.rows.clear();
      out.remote.clear();
    }
    if (auto old = pull_route(ctx, out, true)) {
      if (old->code != "sync.notfound" || !current) return *old;
      // Neither route knows it: the event id is what is wrong.
      return Error{current->code, current->message + " (check [luma] event_id: evt-...)"};
    }
    old_route_ = true;
    return out;
  }
  PushOutcome push(const OutboxItem&) override { return nothing_to_push(); }

 protected:
  std::string refusal_words(const HttpResponse& r) const override {
    const json j = json::parse(r.body, nullptr, false);
    std::string said;
    if (j.is_object() && j.contains("message") && j["message"].is_string())
      said = j["message"].get<std::string>().substr(0, 300);
    // API keys are a Luma Plus feature (https://docs.luma.com/reference).
    const std::string plus = r.status == 403 || r.status == 401
                                 ? " (Luma's API needs Luma Plus, and a key of the calendar that "
                                   "hosts the event)"
                                 : "";
    return status_words("luma", r.status) + (said.empty() ? "" : " — Luma says: " + said) + plus;
  }

 private:
  std::optional<Error> pull_route(const PullRequest& ctx, PullResult& out, bool old) {
    auto make = [&](const std::string& cursor) {
      // 200 requests a minute per key: stay under it on our side.
      const auto since = std::chrono::steady_clock::now() - last_;
      if (since < std::chrono::milliseconds(300))
        std::this_thread::sleep_for(std::chrono::milliseconds(300) - since);
      last_ = std::chrono::steady_clock::now();
      std::vector<std::pair<std::string, std::string>> q = {
          {old ? "event_api_id" : "event_id", s_.event_id}, {"pagination_limit", "100"}};
      if (!cursor.empty()) q.emplace_back("pagination_cursor", cursor);
      HttpRequest r = request(
          s_.url + (old ? "/v1/event/get-guests?" : "/v1/events/guests/list?") + query_string(q),
          o_);
      r.headers.emplace_back("x-luma-api-key", s_.api_key);
      return r;
    };
    auto parse = [](const HttpResponse& r) { return parse_luma_guests(r.body); };
    return page_through(http_, ctx, out, make, parse);
  }

  LumaSettings s_;
  ConnectorOptions o_;
  HttpClient http_;
  std::chrono::steady_clock::time_point last_{};
  bool old_route_ = false;  // this deployment answers only the older route
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
