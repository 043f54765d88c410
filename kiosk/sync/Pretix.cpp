// pretix: the list from the event's orders, check-ins back through
// checkinrpc (redeem with the check-in's UUID as nonce, annul for undos),
// and the ticket rules the door needs offline (signing keys, revoked and
// blocked secrets, the check-in list's products).
#include <sys/stat.h>

#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "sync/Connectors.h"
#include "sync/Parse.h"

namespace fd {

namespace {

using json = nlohmann::json;

class PretixConnector : public Connector {
 public:
  PretixConnector(PretixSettings s, ConnectorOptions o) : s_(std::move(s)), o_(std::move(o)) {}
  std::string name() const override { return "pretix"; }
  bool can_pull() const override { return true; }
  bool can_push() const override { return true; }

  Result<PullResult> pull(const PullRequest& ctx) override {
    if (auto err = authorize(ctx)) return *err;
    PullResult out;
    out.batch.source = "pretix";
    TicketRules rules;
    // The event's signing keys: signed tickets bought after this pull verify offline.
    if (auto err = fetch(http_, get(event_url() + "/"), ctx, [&](const HttpResponse& r) {
          auto keys = parse_pretix_event_keys(r.body);
          if (!keys) return std::optional<Error>(keys.error());
          rules.pretix_keys = *keys;
          return std::optional<Error>();
        }))
      return *err;
    if (auto err = fetch(
            http_, get(event_url() + "/checkinlists/" + std::to_string(s_.checkin_list) + "/"), ctx,
            [&](const HttpResponse& r) {
              auto list = parse_pretix_checkin_list(r.body);
              if (!list) return std::optional<Error>(list.error());
              rules.all_products = list->all_products;
              rules.products = list->products;
              return std::optional<Error>();
            }))
      return *err;
    for (const bool blocked : {false, true}) {
      std::string url = event_url() + (blocked ? "/blockedsecrets/" : "/revokedsecrets/");
      for (int pages = 0; !url.empty() && pages < 1000; ++pages) {
        std::string next;
        if (auto err = fetch(http_, get(url), ctx, [&](const HttpResponse& r) {
              auto page = parse_pretix_secrets(r.body, blocked);
              if (!page) return std::optional<Error>(page.error());
              auto& dest = blocked ? rules.blocked : rules.revoked;
              dest.insert(dest.end(), page->secrets.begin(), page->secrets.end());
              next = page->next;
              return std::optional<Error>();
            })) {
          // Older pretix has no blockedsecrets: not a reason to fail the pull.
          if (blocked && err->code == "sync.refused") break;
          return *err;
        }
        url = same_origin(next) ? next : "";
      }
    }
    out.rules = rules;

    // Orders: paged with `next`; incremental with modified_since from the
    // X-Page-Generated header of the first page of the previous pull.
    std::vector<std::pair<std::string, std::string>> q = {{"include_canceled_positions", "true"}};
    if (!ctx.cursor.empty()) {
      q.emplace_back("modified_since", ctx.cursor);
      out.incremental = true;
    }
    std::string url = event_url() + "/orders/?" + query_string(q);
    std::map<std::string, int> seen_urls;
    int pages = 0;
    while (!url.empty()) {
      if (++pages > 10000) return Error{"sync.size", "pretix: more pages of orders than we accept"};
      // A page served twice is harmless (rows merge by id); a server that
      // keeps pointing back must not loop us forever.
      if (++seen_urls[url] > 3)
        return Error{"sync.shape", "pretix keeps sending the same page of orders"};
      std::string next;
      if (auto err = fetch(http_, get(url), ctx, [&](const HttpResponse& r) {
            auto page = parse_pretix_orders(r.body, s_.checkin_list);
            if (!page) return std::optional<Error>(page.error());
            if (pages == 1) out.cursor = r.header("x-page-generated");
            for (auto& row : page->rows) out.batch.rows.push_back(std::move(row));
            for (auto& rc : page->remote) out.remote.push_back(std::move(rc));
            next = page->next;
            return std::optional<Error>();
          }))
        return *err;
      if (ctx.progress) ctx.progress(static_cast<int>(out.batch.rows.size()), pages);
      if (!next.empty() && !same_origin(next))
        return Error{"sync.shape", "pretix: the next page points to another server"};
      url = next;
    }
    return out;
  }

  PushOutcome push(const OutboxItem& item) override {
    const json p = json::parse(item.payload, nullptr, false);
    PushOutcome o;
    if (!p.is_object()) {
      o.verdict = PushVerdict::Refused;
      o.message = "the queued check-in is damaged";
      return o;
    }
    // Walk-ins and people from other lists are not pretix's to know.
    if (p.value("source", "") != "pretix" && item.kind == "checkin") {
      o.verdict = PushVerdict::Delivered;
      o.message = "not a pretix ticket";
      return o;
    }
    PullRequest none;
    if (auto err = authorize(none)) {
      o.message = err->message;
      o.offline = true;
      return o;
    }
    if (item.kind == "annul") return annul(item, p);
    const std::string secret = p.value("ticket_code", "");
    if (secret.empty()) {
      o.verdict = PushVerdict::Delivered;
      o.message = "no pretix ticket code to report";
      return o;
    }
    json body = {{"secret", secret},
                 {"source_type", "barcode"},
                 {"lists", json::array({s_.checkin_list})},
                 {"type", "entry"},
                 {"datetime", p.value("at", "")},
                 // The door decided already (offline or not): pretix records it.
                 {"force", true},
                 {"ignore_unpaid", false},
                 {"questions_supported", false},
                 {"nonce", item.key}};
    ++counters_.requests;
    auto r = http_.send(post(org_url() + "/checkinrpc/redeem/", body.dump()));
    if (!r || r->status == 408 || r->status == 429 || r->status >= 500 || r->status == 401 ||
        r->status == 403)
      return classify_failure(r, "pretix");
    const PretixAnswer a = parse_pretix_answer(r->body);
    if (r->ok() && a.status == "ok") {
      o.verdict = PushVerdict::Delivered;
      return o;
    }
    if (r->ok() && a.status.empty()) {
      // Accepted, but the answer was cut off: ask again with the same
      // nonce; pretix answers the first result and records nothing twice.
      ++counters_.faults;
      o.message = "pretix's answer was cut off";
      return o;
    }
    if (a.status == "error" && a.reason == "already_redeemed") {
      o.verdict = PushVerdict::Delivered;  // pretix has this person in: that is what we wanted
      o.message = "already checked in on pretix";
      return o;
    }
    if (a.status.empty() && !r->ok()) {
      ++counters_.faults;  // an error page without pretix's JSON: a proxy, not pretix
      o.message = status_words("pretix", r->status);
      return o;
    }
    o.verdict = PushVerdict::Refused;
    o.message =
        "pretix refused the check-in: " +
        (a.reason.empty() ? status_words("pretix", r->status) : pretix_reason_words(a.reason));
    last_reason_[item.key] = a.reason.empty() ? "error" : a.reason;
    return o;
  }

  void dead_letter(const OutboxItem& item, const std::string&) override {
    // pretix keeps a record of refused scans on the list: upload ours.
    const json p = json::parse(item.payload, nullptr, false);
    if (!p.is_object() || item.kind != "checkin") return;
    std::string reason = last_reason_.count(item.key) ? last_reason_[item.key] : "error";
    static const char* known[] = {"canceled",    "invalid", "unpaid",     "product",
                                  "rules",       "revoked", "incomplete", "already_redeemed",
                                  "ambiguous",   "error",   "blocked",    "unapproved",
                                  "invalid_time"};
    if (std::find(std::begin(known), std::end(known), reason) == std::end(known)) reason = "error";
    json body = {{"raw_barcode", p.value("ticket_code", "")},
                 {"error_reason", reason},
                 {"datetime", p.value("at", "")},
                 {"type", "entry"},
                 {"nonce", item.key}};
    ++counters_.requests;
    (void)http_.send(
        post(event_url() + "/checkinlists/" + std::to_string(s_.checkin_list) + "/failed_checkins/",
             body.dump()));
  }

 private:
  PushOutcome annul(const OutboxItem& item, const json& p) {
    PushOutcome o;
    // The check-in came from pretix itself (another device), or was never
    // ours to send: nothing of ours to take back there.
    if (item.ref_state == "none" || p.value("source", "") != "pretix") {
      o.verdict = PushVerdict::Delivered;
      o.message = "nothing to annul on pretix";
      return o;
    }
    json body = {
        {"nonce", p.value("ref_uuid", "")},
        {"lists", json::array({s_.checkin_list})},
        {"datetime", p.value("at", "")},
        {"error_explanation", "Undone at the Frontdesk kiosk (" + p.value("door", "") + ")"}};
    ++counters_.requests;
    auto r = http_.send(post(org_url() + "/checkinrpc/annul/", body.dump()));
    if (!r || r->status == 408 || r->status == 429 || r->status >= 500 || r->status == 401 ||
        r->status == 403)
      return classify_failure(r, "pretix");
    if (r->ok()) {
      o.verdict = PushVerdict::Delivered;
      return o;
    }
    // pretix answers 400 when the check-in is already annulled: after an
    // earlier try of ours whose answer was lost, that is success.
    if (r->status == 400 && item.attempts > 0) {
      o.verdict = PushVerdict::Delivered;
      o.message = "annulled by an earlier try";
      return o;
    }
    o.verdict = PushVerdict::Refused;
    o.message = r->status == 404 ? "pretix has no such check-in to annul"
                                 : "pretix refused the undo (it annuls only within 15 minutes, "
                                   "from the device that checked in)";
    return o;
  }

  std::string org_url() const { return s_.url + "/api/v1/organizers/" + url_encode(s_.organizer); }
  std::string event_url() const { return org_url() + "/events/" + url_encode(s_.event); }
  bool same_origin(const std::string& url) const {
    return !url.empty() && url.rfind(s_.url + "/", 0) == 0;
  }

  HttpRequest get(const std::string& url) const {
    HttpRequest r;
    r.url = url;
    r.headers = {{"Authorization", auth_}, {"Accept", "application/json"}};
    r.total_timeout = o_.timeout;
    r.connect_timeout = o_.connect_timeout;
    return r;
  }
  HttpRequest post(const std::string& url, std::string body) const {
    HttpRequest r = get(url);
    r.method = "POST";
    r.body = std::move(body);
    r.headers.emplace_back("Content-Type", "application/json");
    return r;
  }

  // Token auth, or a device initialised once with the init token; the
  // device's token is kept owner-only beside the config.
  std::optional<Error> authorize(const PullRequest& ctx) {
    if (!auth_.empty()) return std::nullopt;
    if (!s_.token.empty()) {
      auth_ = "Token " + s_.token;
      return std::nullopt;
    }
    if (s_.init_token.empty())
      return Error{"sync.config", "[pretix] needs token or init_token (or FRONTDESK_PRETIX_TOKEN)"};
    const auto file = o_.state_dir / "pretix-device.json";
    {
      std::ifstream in(file);
      std::stringstream ss;
      ss << in.rdbuf();
      const json saved = json::parse(ss.str(), nullptr, false);
      if (saved.is_object() && saved.value("url", "") == s_.url &&
          saved.value("organizer", "") == s_.organizer && !saved.value("api_token", "").empty()) {
        auth_ = "Device " + saved.value("api_token", "");
        return std::nullopt;
      }
    }
    json body = {{"token", s_.init_token},
                 {"hardware_brand", "Frontdesk"},
                 {"hardware_model", "Check-in kiosk"},
                 {"os_name", "Linux"},
                 {"os_version", ""},
                 {"software_brand", "Frontdesk"},
                 {"software_version", "0.1.0"}};
    HttpRequest r;
    r.method = "POST";
    r.url = s_.url + "/api/v1/device/initialize";
    r.body = body.dump();
    r.headers = {{"Content-Type", "application/json"}, {"Accept", "application/json"}};
    r.total_timeout = o_.timeout;
    std::string token;
    if (auto err = fetch(http_, r, ctx, [&](const HttpResponse& resp) {
          auto t = parse_pretix_device(resp.body);
          if (!t) return std::optional<Error>(t.error());
          token = *t;
          return std::optional<Error>();
        }))
      return Error{err->code, "Setting up this kiosk as a pretix device failed: " + err->message +
                                  " (an init token works once; make a new one in pretix)"};
    std::error_code ec;
    std::filesystem::create_directories(o_.state_dir, ec);
    const mode_t old = ::umask(077);
    {
      std::ofstream out(file, std::ios::trunc);
      out << json{{"url", s_.url}, {"organizer", s_.organizer}, {"api_token", token}}.dump();
    }
    ::umask(old);
    std::filesystem::permissions(
        file, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write, ec);
    auth_ = "Device " + token;
    return std::nullopt;
  }

  PretixSettings s_;
  ConnectorOptions o_;
  HttpClient http_;
  std::string auth_;
  std::unordered_map<std::string, std::string> last_reason_;  // nonce -> pretix's last refusal
};

}  // namespace

std::unique_ptr<Connector> make_pretix(const PretixSettings& s, const ConnectorOptions& o) {
  return std::make_unique<PretixConnector>(s, o);
}

}  // namespace fd
