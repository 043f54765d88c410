// pretix: the list from the event's orders (or, for a device whose security
// profile does not read orders, from the check-in list's positions), the
// ticket rules the door needs offline (signing keys, revoked and blocked
// secrets, the check-in list's products), and check-ins back through
// checkinrpc (redeem with the check-in's UUID as nonce, annul for undos).
//
// [SECTION] Device set-up      device/initialize, the token file
// [SECTION] Pull               keys, list, secrets, people
// [SECTION] Push               redeem and annul, each answer as pretix means it
//
// What pretix accepts is read from its source: api/views/device.py
// (InitializationRequestSerializer), api/auth/devicesecurity.py (the device
// security profiles' allow-lists), api/views/checkin.py (_redeem_process,
// CheckinRPCAnnulView) and base/services/checkin.py (perform_checkin); and
// from libpretixsync's SyncManager.uploadCheckins (how pretixSCAN uploads).
#include <sys/stat.h>
#include <sys/utsname.h>

#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "sync/Connectors.h"
#include "sync/Parse.h"

#ifndef FD_VERSION
#define FD_VERSION "0.0.0"
#endif

namespace fd {

namespace {

using json = nlohmann::json;

// pretix's CharFields on device/initialize hold at most 190 characters.
std::string field190(std::string s) {
  if (s.size() <= 190) return s;
  std::size_t n = 190;
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
  s.resize(n);
  return s;
}

// What a device's security profile is called in pretix's device settings.
std::string profile_words(const std::string& id) {
  if (id == "full") return "“Full device access”";
  if (id == "pretixscan") return "“pretixSCAN”";
  if (id == "pretixscan_online_noorders") return "“pretixSCAN (online only, no order sync)”";
  if (id == "pretixscan_online_kiosk") return "“pretixSCAN (kiosk mode, no order sync, no search)”";
  if (id == "pretixpos") return "“pretixPOS”";
  return id.empty() ? "its security profile" : "“" + id + "”";
}

// Where the people come from; a profile that forbids one source falls back
// to the next (devicesecurity.py: only `pretixscan` and full access read
// order-list; `pretixscan_online_noorders` reads checkinlistpos-list; the
// kiosk profile reads neither).
enum class PeopleSource { Unknown, Orders, Positions, None };

class PretixConnector : public Connector {
 public:
  PretixConnector(PretixSettings s, ConnectorOptions o) : s_(std::move(s)), o_(std::move(o)) {}
  std::string name() const override { return "pretix"; }
  bool can_pull() const override { return true; }
  bool can_push() const override { return true; }
  Result<PullResult> pull(const PullRequest& ctx) override;
  PushOutcome push(const OutboxItem& item) override;

 protected:
  std::string refusal_words(const HttpResponse& r) const override {
    const std::string said = pretix_refusal_words(r.body);
    return status_words("pretix", r.status) + (said.empty() ? "" : " — pretix says: " + said);
  }

 private:
  // --- device set-up
  std::optional<Error> authorize(const PullRequest& ctx);
  bool load_device();
  void save_device(const PretixDevice& d);
  Error init_refused(const Error& err) const;
  std::string device_profile(const PullRequest& ctx);
  // --- pull
  std::optional<Error> pull_rules(const PullRequest& ctx, TicketRules& rules);
  std::optional<Error> find_list(const PullRequest& ctx, TicketRules& rules);
  std::optional<Error> pull_people(const PullRequest& ctx, PullResult& out);
  std::optional<Error> pull_pages(const PullRequest& ctx, std::string url, PullResult& out,
                                  bool orders);
  std::optional<Error> page_through(
      const PullRequest& ctx, std::string url, const char* what,
      const std::function<Result<std::string>(std::string_view, const HttpResponse&)>& page);
  Result<std::string> rebase(const std::string& next) const;
  // --- push
  PushOutcome redeem(const OutboxItem& item, const json& p);
  PushOutcome annul(const OutboxItem& item, const json& p);
  PushOutcome request_refused(const HttpResponse& r, const std::string& what);

  std::string org_url() const { return s_.url + "/api/v1/organizers/" + url_encode(s_.organizer); }
  std::string event_url() const { return org_url() + "/events/" + url_encode(s_.event); }
  std::filesystem::path device_file() const { return o_.state_dir / "pretix-device.json"; }
  HttpRequest get(const std::string& url) const;
  HttpRequest post(const std::string& url, std::string body) const;

  PretixSettings s_;
  ConnectorOptions o_;
  HttpClient http_;
  std::string auth_;
  bool device_ = false;  // auth_ is a device token (it has a security profile)
  std::string profile_;  // the device's profile, once known
  PeopleSource source_ = PeopleSource::Unknown;
  bool include_pending_ = false;  // the check-in list admits pending orders
};

HttpRequest PretixConnector::get(const std::string& url) const {
  HttpRequest r;
  r.url = url;
  r.headers = {{"Authorization", auth_}, {"Accept", "application/json"}};
  r.total_timeout = o_.timeout;
  r.connect_timeout = o_.connect_timeout;
  return r;
}

HttpRequest PretixConnector::post(const std::string& url, std::string body) const {
  HttpRequest r = get(url);
  r.method = "POST";
  r.body = std::move(body);
  r.headers.emplace_back("Content-Type", "application/json");
  return r;
}

// ---------------------------------------------------------------------------
// [SECTION] Device set-up
// ---------------------------------------------------------------------------

bool PretixConnector::load_device() {
  std::ifstream in(device_file());
  std::stringstream ss;
  ss << in.rdbuf();
  const json saved = json::parse(ss.str(), nullptr, false);
  if (!saved.is_object() || saved.value("url", "") != s_.url ||
      saved.value("organizer", "") != s_.organizer || saved.value("api_token", "").empty())
    return false;
  auth_ = "Device " + saved.value("api_token", "");
  profile_ = saved.value("security_profile", "");
  device_ = true;
  return true;
}

void PretixConnector::save_device(const PretixDevice& d) {
  std::error_code ec;
  std::filesystem::create_directories(o_.state_dir, ec);
  const mode_t old = ::umask(077);  // owner-only from the first byte
  {
    std::ofstream out(device_file(), std::ios::trunc);
    out << json{{"url", s_.url},
                {"organizer", s_.organizer},
                {"api_token", d.api_token},
                {"security_profile", d.security_profile}}
               .dump();
  }
  ::umask(old);
  std::filesystem::permissions(
      device_file(), std::filesystem::perms::owner_read | std::filesystem::perms::owner_write, ec);
}

// A refused device set-up, worded by what pretix said: only the token's own
// problems mean "make a new one"; a refusal of our fields is our bug.
Error PretixConnector::init_refused(const Error& err) const {
  const std::string head = "Setting up this kiosk as a pretix device failed: ";
  if (err.code != "sync.invalid") return Error{err.code, head + err.message};
  const bool token = err.message.find("pretix says: token:") != std::string::npos;
  if (!token)
    return Error{err.code, head + err.message +
                               " (pretix refused the details Frontdesk sent about this kiosk, not "
                               "your token: please report this as a Frontdesk bug)"};
  std::string advice;
  if (err.message.find("already been used") != std::string::npos)
    advice =
        " An init token works once: if this kiosk used it before and lost its device file, or "
        "another device used it, connect a new device in pretix (Organizer → Devices) and put its "
        "token in init_token.";
  else if (err.message.find("revoked") != std::string::npos)
    advice = " This device was revoked in pretix: connect a new device and use its token.";
  else
    advice =
        " Check init_token against the device in pretix (Organizer → Devices), and that url "
        "is the pretix the token comes from.";
  return Error{err.code, head + err.message + "." + advice};
}

// Token auth, or a device initialised once with the init token; the device's
// token is kept owner-only beside the config.
std::optional<Error> PretixConnector::authorize(const PullRequest& ctx) {
  if (!auth_.empty()) return std::nullopt;
  if (!s_.token.empty()) {
    auth_ = "Token " + s_.token;
    return std::nullopt;
  }
  if (s_.init_token.empty())
    return Error{"sync.config", "[pretix] needs token or init_token (or FRONTDESK_PRETIX_TOKEN)"};
  if (load_device()) return std::nullopt;
  // InitializationRequestSerializer: os_name and os_version may be null but
  // never blank; the others are required; each at most 190 characters.
  struct utsname u {};
  const bool known = ::uname(&u) == 0;
  const std::string os = known ? field190(u.sysname) : "";
  const std::string release = known ? field190(u.release) : "";
  json body = {{"token", field190(s_.init_token)},
               {"hardware_brand", "Frontdesk"},
               {"hardware_model", "Check-in kiosk"},
               {"os_name", os.empty() ? json(nullptr) : json(os)},
               {"os_version", release.empty() ? json(nullptr) : json(release)},
               {"software_brand", "Frontdesk"},
               {"software_version", FD_VERSION}};
  HttpRequest r;
  r.method = "POST";
  r.url = s_.url + "/api/v1/device/initialize";
  r.body = body.dump();
  r.headers = {{"Content-Type", "application/json"}, {"Accept", "application/json"}};
  r.total_timeout = o_.timeout;
  r.connect_timeout = o_.connect_timeout;
  PretixDevice device;
  if (auto err = fetch(http_, r, ctx, [&](const HttpResponse& resp) {
        auto d = parse_pretix_device(resp.body);
        if (!d) return std::optional<Error>(d.error());
        device = *d;
        return std::optional<Error>();
      }))
    return init_refused(*err);
  save_device(device);
  auth_ = "Device " + device.api_token;
  profile_ = device.security_profile;
  device_ = true;
  return std::nullopt;
}

// The device's current profile (an organizer may change it after set-up):
// device/info is in every pretixSCAN allow-list.
std::string PretixConnector::device_profile(const PullRequest& ctx) {
  if (!device_) return "";
  (void)fetch(http_, get(s_.url + "/api/v1/device/info"), ctx, [&](const HttpResponse& r) {
    if (auto d = parse_pretix_device(r.body); d && !d->security_profile.empty())
      profile_ = d->security_profile;
    return std::optional<Error>();
  });
  return profile_;
}

// ---------------------------------------------------------------------------
// [SECTION] Pull
// ---------------------------------------------------------------------------

// pretix writes absolute `next` links from the request it saw: behind a
// proxy, or when it thinks it runs on http, the scheme or host differ from
// the configured url. The path below /api/v1/ is what counts, and the token
// only ever goes to the configured server.
Result<std::string> PretixConnector::rebase(const std::string& next) const {
  const auto at = next.find("/api/v1/");
  if (at == std::string::npos)
    return Error{"sync.shape", "pretix sent a next-page link that is not its API (" +
                                   next.substr(0, 120) + "): check [pretix] url"};
  return s_.url + next.substr(at);
}

std::optional<Error> PretixConnector::page_through(
    const PullRequest& ctx, std::string url, const char* what,
    const std::function<Result<std::string>(std::string_view, const HttpResponse&)>& page) {
  std::map<std::string, int> seen;
  for (int pages = 1; !url.empty(); ++pages) {
    if (pages > 10000) return Error{"sync.size", std::string("pretix: more pages of ") + what};
    // A page served twice is harmless (rows merge by id); a server that keeps
    // pointing back must not loop us forever.
    if (++seen[url] > 3)
      return Error{"sync.shape", std::string("pretix keeps sending the same page of ") + what};
    std::string next;
    if (auto err = fetch(http_, get(url), ctx, [&](const HttpResponse& r) {
          auto n = page(r.body, r);
          if (!n) return std::optional<Error>(n.error());
          next = *n;
          return std::optional<Error>();
        }))
      return err;
    if (next.empty()) break;
    auto rebased = rebase(next);
    if (!rebased) return rebased.error();
    url = *rebased;
  }
  return std::nullopt;
}

// The check-in list from the lists' index: its detail route is not in the
// pretixSCAN allow-lists, checkinlist-list is in every one.
std::optional<Error> PretixConnector::find_list(const PullRequest& ctx, TicketRules& rules) {
  std::vector<PretixCheckinList> lists;
  if (auto err =
          page_through(ctx, event_url() + "/checkinlists/", "check-in lists",
                       [&](std::string_view body, const HttpResponse&) -> Result<std::string> {
                         auto p = parse_pretix_checkin_lists(body);
                         if (!p) return p.error();
                         for (auto& l : p->lists)
                           if (lists.size() < 1000) lists.push_back(std::move(l));
                         return p->next;
                       }))
    return err;
  for (const auto& l : lists)
    if (l.id == s_.checkin_list) {
      rules.all_products = l.all_products;
      rules.products = l.products;
      include_pending_ = l.include_pending;
      return std::nullopt;
    }
  std::string known;
  for (std::size_t i = 0; i < lists.size() && i < 10; ++i)
    known += (i ? ", " : "") + std::to_string(lists[i].id) + " “" + lists[i].name + "”";
  return Error{"sync.config",
               "pretix has no check-in list " + std::to_string(s_.checkin_list) + " in event " +
                   s_.event + (known.empty() ? " (it has none)" : " (its lists: " + known + ")") +
                   ": set [pretix] checkin_list to one of them"};
}

std::optional<Error> PretixConnector::pull_rules(const PullRequest& ctx, TicketRules& rules) {
  // The event's signing keys: signed tickets bought after this pull verify offline.
  if (auto err = fetch(http_, get(event_url() + "/"), ctx, [&](const HttpResponse& r) {
        auto keys = parse_pretix_event_keys(r.body);
        if (!keys) return std::optional<Error>(keys.error());
        rules.pretix_keys = *keys;
        return std::optional<Error>();
      }))
    return err;
  if (auto err = find_list(ctx, rules)) return err;
  for (const bool blocked : {false, true}) {
    auto& dest = blocked ? rules.blocked : rules.revoked;
    auto err = page_through(ctx, event_url() + (blocked ? "/blockedsecrets/" : "/revokedsecrets/"),
                            "secrets",
                            [&](std::string_view body, const HttpResponse&) -> Result<std::string> {
                              auto page = parse_pretix_secrets(body, blocked);
                              if (!page) return page.error();
                              dest.insert(dest.end(), page->secrets.begin(), page->secrets.end());
                              return page->next;
                            });
    // Older pretix has no blockedsecrets (404), older profiles do not allow
    // it (403): not a reason to fail the pull.
    if (err && blocked && (err->code == "sync.notfound" || err->code == "sync.forbidden")) {
      dest.clear();
      continue;
    }
    if (err) return err;
  }
  return std::nullopt;
}

std::optional<Error> PretixConnector::pull_pages(const PullRequest& ctx, std::string url,
                                                 PullResult& out, bool orders) {
  int pages = 0;
  return page_through(ctx, std::move(url), orders ? "orders" : "positions",
                      [&](std::string_view body, const HttpResponse& r) -> Result<std::string> {
                        auto page = orders ? parse_pretix_orders(body, s_.checkin_list)
                                           : parse_pretix_positions(body, s_.checkin_list,
                                                                    include_pending_);
                        if (!page) return page.error();
                        // Incremental pulls start from pretix's own clock: X-Page-Generated
                        // of the first page (not ours, which may be wrong).
                        if (++pages == 1 && orders) out.cursor = r.header("x-page-generated");
                        for (auto& row : page->rows) out.batch.rows.push_back(std::move(row));
                        for (auto& rc : page->remote) out.remote.push_back(std::move(rc));
                        if (ctx.progress)
                          ctx.progress(static_cast<int>(out.batch.rows.size()), pages);
                        return page->next;
                      });
}

std::optional<Error> PretixConnector::pull_people(const PullRequest& ctx, PullResult& out) {
  if (source_ == PeopleSource::Unknown || source_ == PeopleSource::Orders) {
    std::vector<std::pair<std::string, std::string>> q = {{"include_canceled_positions", "true"}};
    if (!ctx.cursor.empty()) q.emplace_back("modified_since", ctx.cursor);
    auto err = pull_pages(ctx, event_url() + "/orders/?" + query_string(q), out, true);
    if (!err || err->code != "sync.forbidden" || !device_) {
      if (!err) source_ = PeopleSource::Orders;
      out.incremental = !ctx.cursor.empty();
      out.complete = !out.incremental;
      return err;
    }
    out.batch.rows.clear();
    out.remote.clear();
  }
  if (source_ != PeopleSource::None) {
    // Every ticket of the list, cancelled orders too (so the door refuses them).
    auto err = pull_pages(ctx,
                          event_url() + "/checkinlists/" + std::to_string(s_.checkin_list) +
                              "/positions/?ignore_status=true",
                          out, false);
    if (!err || err->code != "sync.forbidden") {
      if (!err) source_ = PeopleSource::Positions;
      out.complete = !err.has_value();
      return err;
    }
    out.batch.rows.clear();
    out.remote.clear();
  }
  source_ = PeopleSource::None;
  out.notice = "pretix's device profile " + profile_words(device_profile(ctx)) +
               " lets Frontdesk read neither orders nor the check-in list's tickets: the door "
               "knows signed tickets only (no names, no plain ticket codes). In pretix, "
               "Organizer → Devices → this device, choose the profile “pretixSCAN” and pull again";
  return std::nullopt;
}

Result<PullResult> PretixConnector::pull(const PullRequest& ctx) {
  if (auto err = authorize(ctx)) return *err;
  PullResult out;
  out.batch.source = "pretix";
  TicketRules rules;
  if (auto err = pull_rules(ctx, rules)) return *err;
  out.rules = rules;
  if (auto err = pull_people(ctx, out)) return *err;
  return out;
}

// ---------------------------------------------------------------------------
// [SECTION] Push
// ---------------------------------------------------------------------------

// A 4xx that is about the request, not the ticket (a check-in list pretix
// does not know, an organizer that is not there): every row would get the
// same answer, so the whole service waits with pretix's words until the
// organizer fixes the setting.
PushOutcome PretixConnector::request_refused(const HttpResponse& r, const std::string& what) {
  PushOutcome o;
  o.offline = true;
  const std::string said = pretix_refusal_words(r.body);
  o.message = "pretix refused " + what + " (HTTP " + std::to_string(r.status) +
              (said.empty() ? "" : ": " + said) + "): check [pretix] url, organizer and " +
              "checkin_list (" + std::to_string(s_.checkin_list) + "); they wait until then";
  return o;
}

PushOutcome PretixConnector::push(const OutboxItem& item) {
  const json p = json::parse(item.payload, nullptr, false);
  PushOutcome o;
  if (!p.is_object()) {
    o.verdict = PushVerdict::Refused;
    o.final = true;
    o.message = "the queued check-in is damaged";
    return o;
  }
  // Leaving the room and coming back stay at the door: this list counts
  // entries (pretix's exit scans would be a later, deliberate choice).
  if (item.kind != "checkin" && item.kind != "annul") {
    o.verdict = PushVerdict::Delivered;
    o.message = "not a check-in";
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
  return item.kind == "annul" ? annul(item, p) : redeem(item, p);
}

PushOutcome PretixConnector::redeem(const OutboxItem& item, const json& p) {
  PushOutcome o;
  const std::string secret = p.value("ticket_code", "");
  if (secret.empty()) {
    o.verdict = PushVerdict::Delivered;
    o.message = "no pretix ticket code to report";
    return o;
  }
  // force: the door decided already (offline or not) and pretix records it,
  // as pretixSCAN does for its queued scans (libpretixsync uploadCheckins).
  json body = {{"secret", secret},
               {"source_type", "barcode"},
               {"lists", json::array({s_.checkin_list})},
               {"type", "entry"},
               {"datetime", p.value("at", "")},
               {"force", true},
               {"ignore_unpaid", false},
               {"questions_supported", false},
               {"nonce", item.key}};
  ++counters_.requests;
  auto r = http_.send(post(org_url() + "/checkinrpc/redeem/", body.dump()));
  if (!r || r->status == 408 || r->status == 429 || r->status >= 500 || r->status == 401)
    return classify_failure(r, "pretix");
  if (r->status == 403) {
    o = classify_failure(r, "pretix");
    o.message = "pretix says this device may not check people in to event " + s_.event +
                " (HTTP 403): in pretix, Organizer → Devices, give it access to the event";
    return o;
  }
  const PretixAnswer a = parse_pretix_answer(r->body);
  if (r->ok() && a.status == "ok") {
    o.verdict = PushVerdict::Delivered;
    return o;
  }
  if (r->ok()) {
    // Accepted, but the answer was cut off: ask again with the same nonce;
    // pretix answers the first result and records nothing twice.
    ++counters_.faults;
    o.message = "pretix's answer was cut off";
    return o;
  }
  if (a.status == "error" && a.reason == "already_redeemed") {
    o.verdict = PushVerdict::Delivered;  // pretix has this person in: that is what we wanted
    o.message = "already checked in on pretix";
    return o;
  }
  if (a.status.empty()) return request_refused(*r, "check-ins");
  // pretix refused this ticket (_redeem_process: unknown, cancelled, another
  // product, ...) and logged the refused scan. Asking again cannot change it
  // and would log it again: libpretixsync drops a 400/404 after one try too.
  o.verdict = PushVerdict::Refused;
  o.final = true;
  o.message = "pretix refused the check-in: " +
              (a.reason.empty() ? a.status : pretix_reason_words(a.reason)) +
              (a.explanation.empty() ? "" : " (" + a.explanation + ")");
  return o;
}

PushOutcome PretixConnector::annul(const OutboxItem& item, const json& p) {
  PushOutcome o;
  // The check-in came from pretix itself (another device), or was never
  // ours to send: nothing of ours to take back there.
  if (item.ref_state == "none" || p.value("source", "") != "pretix") {
    o.verdict = PushVerdict::Delivered;
    o.message = "nothing to annul on pretix";
    return o;
  }
  // datetime: when the undo happened at the door; pretix compares it with
  // the check-in's time (15 minutes), so a late delivery still counts.
  json body = {
      {"nonce", p.value("ref_uuid", "")},
      {"lists", json::array({s_.checkin_list})},
      {"datetime", p.value("at", "")},
      {"error_explanation", "Undone at the Frontdesk kiosk (" + p.value("door", "") + ")"}};
  ++counters_.requests;
  auto r = http_.send(post(org_url() + "/checkinrpc/annul/", body.dump()));
  if (!r || r->status == 408 || r->status == 429 || r->status >= 500 || r->status == 401)
    return classify_failure(r, "pretix");
  if (r->ok()) {
    o.verdict = PushVerdict::Delivered;
    return o;
  }
  o.verdict = PushVerdict::Refused;
  o.final = true;
  const std::string said = pretix_refusal_words(r->body);
  if (r->status == 403) {
    // No pretixSCAN profile allows checkinrpc.annul (devicesecurity.py).
    o.message = device_ ? "pretix's device profile " + profile_words(profile_) +
                              " does not allow undoing a check-in (only “Full device access” "
                              "does): undo it in pretix (the order → Check-ins), or choose that "
                              "profile"
                        : "pretix says this API token may not undo check-ins (HTTP 403): undo "
                          "it in pretix (the order → Check-ins), or give the token's team the "
                          "check-in permission";
    return o;
  }
  if (r->status == 404) {
    o.message = "pretix has no such check-in to undo";
    return o;
  }
  // CheckinRPCAnnulView's 400s, each meaning something else.
  if (said.find("unsuccessful") != std::string::npos) {
    // Our check-in reached pretix as a success; now it is not: our earlier
    // try (whose answer was lost) or someone in pretix annulled it already.
    o.verdict = PushVerdict::Delivered;
    o.final = false;
    o.message = "already annulled on pretix";
    return o;
  }
  if (said.find("15 minutes") != std::string::npos)
    o.message = "more than 15 minutes after the check-in (pretix's limit): undo it in pretix";
  else if (said.find("same device") != std::string::npos)
    o.message =
        "another device made this check-in on pretix, and only it may undo it: undo it "
        "in pretix";
  else if (said.find("Multiple") != std::string::npos)
    o.message = "pretix finds several check-ins for this one: undo it in pretix";
  else
    return request_refused(*r, "undos");
  return o;
}

}  // namespace

std::unique_ptr<Connector> make_pretix(const PretixSettings& s, const ConnectorOptions& o) {
  return std::make_unique<PretixConnector>(s, o);
}

}  // namespace fd
