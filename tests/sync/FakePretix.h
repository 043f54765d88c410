#pragma once
// A loopback pretix that refuses what pretix refuses. Each rule names where
// it comes from in pretix's source (github.com/pretix/pretix, src/pretix/):
//
//   api/views/device.py      InitializationRequestSerializer, InitializeView,
//                            InfoView: device set-up and its answers
//   api/auth/devicesecurity.py  the security profiles' allow-lists
//                            (PretixScanSecurityProfile, ...NoSync..., ...Kiosk)
//   api/views/checkin.py     _redeem_process, CheckinRPCRedeemView,
//                            CheckinRPCAnnulView, CheckinListViewSet.failed_checkins,
//                            CheckinListPositionViewSet (ignore_status)
//   base/services/checkin.py perform_checkin: what even force=true refuses
//   api/views/__init__ + DRF pagination: absolute `next` links built from the
//                            request pretix saw (a proxy changes scheme and host)
//
// Thread-safety: handlers run on httplib's pool; data behind mutex_.
#include <cctype>
#include <set>

#include "FakeServer.h"
#include "base/Time.h"

namespace fdtest {

struct PretixCheckin {
  std::string nonce;
  std::string datetime;
  bool annulled = false;
  bool ours = true;  // false: made by "another device" on the server
  int device = 0;    // the device that made it (0: an API token or pretix itself)
};

struct PretixPosition {
  std::string order, secret, name, email;
  int positionid = 1;
  std::int64_t item = 1;
  char status = 'p';      // the order's: n pending, p paid, e expired, c canceled
  bool canceled = false;  // this position alone
  std::string modified;   // ISO time, for modified_since
  std::vector<PretixCheckin> checkins;
  int live() const {
    int n = 0;
    for (const auto& c : checkins) n += !c.annulled;
    return n;
  }
};

// A refused scan in pretix's log (Checkin with successful=False).
struct PretixFailedScan {
  std::string secret, reason, nonce;
};

class FakePretix : public FakeServer {
 public:
  std::string organizer = "demo", event = "pycon", token = "secret-token";
  std::string init_token = "init-once";
  // The security profile of the device the init token sets up
  // (devicesecurity.py identifiers: full, pretixscan,
  // pretixscan_online_noorders, pretixscan_online_kiosk).
  std::string init_profile = "full";
  std::int64_t list_id = 7;
  std::vector<std::string> keys, revoked, blocked;
  bool all_products = true;
  std::vector<std::int64_t> products;
  int page_size = 50;
  std::map<std::string, PretixPosition> positions;  // by secret
  std::vector<json> failed_checkins;
  std::vector<PretixFailedScan> scan_log;          // refused redeems, as pretix logs them
  std::string generated = "2026-11-29T10:00:00Z";  // X-Page-Generated of the next pull
  int device_inits = 0;
  std::vector<json> init_requests;  // every device/initialize body, valid or not
  // The scheme and host pretix believes it has (behind a proxy: not ours).
  std::string public_base;
  std::map<std::string, int> routes;  // requests per route name
  // pretix's annulment window (15 minutes, "value subject to change" in its
  // docs); a test shortens it instead of waiting a quarter of an hour.
  fd::TimeMs annul_window = 15 * 60 * 1000;

  FakePretix() { routes_(); }

  void add(const std::string& order, const std::string& secret, const std::string& name,
           char status = 'p') {
    std::lock_guard lock(mutex_);
    PretixPosition p;
    p.order = order;
    p.secret = secret;
    p.name = name;
    p.email = secret + "@example.org";
    p.status = status;
    p.modified = "2026-11-29T09:00:00Z";
    positions[secret] = p;
  }
  void modify(const std::string& secret, char status, const std::string& when) {
    std::lock_guard lock(mutex_);
    positions[secret].status = status;
    positions[secret].modified = when;
  }
  void set_item(const std::string& secret, std::int64_t item) {
    std::lock_guard lock(mutex_);
    positions[secret].item = item;
  }
  void checkin_elsewhere(const std::string& secret, const std::string& when) {
    std::lock_guard lock(mutex_);
    positions[secret].checkins.push_back({"", when, false, false, 99});
    positions[secret].modified = when;
  }
  void remove(const std::string& secret) {
    std::lock_guard lock(mutex_);
    positions.erase(secret);
  }
  int live(const std::string& secret) {
    std::lock_guard lock(mutex_);
    return positions.count(secret) ? positions[secret].live() : 0;
  }
  std::map<std::string, int> lives() {
    std::lock_guard lock(mutex_);
    std::map<std::string, int> out;
    for (const auto& [s, p] : positions) out[s] = p.live();
    return out;
  }
  int refused_scans(const std::string& secret) {
    std::lock_guard lock(mutex_);
    int n = 0;
    for (const auto& f : scan_log) n += f.secret == secret;
    return n;
  }
  int route_hits(const std::string& route) {
    std::lock_guard lock(mutex_);
    return routes.count(route) ? routes[route] : 0;
  }

 private:
  struct Device {
    int id = 0;
    std::string profile;
  };
  std::map<std::string, Device> devices_;  // by api token
  std::set<std::string> used_init_tokens_;

  // Who asks: an API token (full access, device 0), a device, or nobody.
  struct Caller {
    bool ok = false;
    int device = 0;
    std::string profile = "full";
  };

  // devicesecurity.py: the routes each profile allows (method, url_name).
  // Only those this stand-in serves are listed; the rest are 403 for every
  // profile but full. Keep in step with pretix's file when it changes.
  static bool allowed(const std::string& profile, const std::string& route) {
    if (profile == "full") return true;
    static const std::set<std::string> scan = {
        "GET device.info",         "GET event-detail",
        "GET checkinlist-list",    "POST checkinlist-failed_checkins",
        "GET revokedsecrets-list", "GET blockedsecrets-list",
        "POST checkinrpc.redeem"};
    static const std::set<std::string> orders = {"GET order-list", "GET checkinlistpos-list"};
    if (scan.count(route)) return true;
    if (profile == "pretixscan") return orders.count(route) > 0;
    if (profile == "pretixscan_online_noorders") return route == "GET checkinlistpos-list";
    return false;  // pretixscan_online_kiosk, pretixpos, unknown: nothing more
  }

  // A datetime to the millisecond, as Django compares them (base/Time's
  // parse_datetime keeps whole seconds).
  static fd::TimeMs exact_ms(const std::string& iso) {
    fd::TimeMs t = fd::parse_datetime(iso);
    const auto dot = iso.find('.');
    if (t < 0 || dot == std::string::npos) return t;
    int ms = 0, digits = 0;
    for (std::size_t i = dot + 1;
         i < iso.size() && std::isdigit(static_cast<unsigned char>(iso[i])); ++i)
      if (digits < 3) ms = ms * 10 + (iso[i] - '0'), ++digits;
    while (digits++ < 3) ms *= 10;
    return t + ms;
  }

  static void reply(httplib::Response& res, int status, const json& body) {
    res.status = status;
    res.set_content(body.dump(), "application/json");
  }

  // Authentication (api/auth/device.py, token.py), then the profile's
  // allow-list (AllowListSecurityProfile.is_allowed → 403).
  Caller caller(const httplib::Request& req, httplib::Response& res, const std::string& route) {
    const std::string a = req.get_header_value("Authorization");
    Caller c;
    std::lock_guard lock(mutex_);
    ++routes[route];
    if (a == "Token " + token) {
      c.ok = true;
    } else if (a.rfind("Device ", 0) == 0 && devices_.count(a.substr(7))) {
      c.ok = true;
      c.device = devices_[a.substr(7)].id;
      c.profile = devices_[a.substr(7)].profile;
    } else {
      reply(res, 401, {{"detail", "Invalid token."}});
      return c;
    }
    if (!allowed(c.profile, route)) {
      c.ok = false;
      reply(res, 403, {{"detail", "You do not have permission to perform this action."}});
    }
    return c;
  }

  // DRF pagination: `next` is absolute, from the host pretix believes it has.
  std::string link(const std::string& path_and_query) const {
    return (public_base.empty() ? url() : public_base) + path_and_query;
  }
  std::string event_path() const { return "/api/v1/organizers/" + organizer + "/events/" + event; }
  void send(httplib::Response& res, Fault f, const std::string& body, int status = 200) {
    if (fail_before(f, res, body)) return;
    res.status = status;
    res.set_content(body, "application/json");
  }

  void routes_() {
    const std::string org = "/api/v1/organizers/([^/]+)";
    const std::string ev = org + "/events/([^/]+)";
    server_.Post("/api/v1/device/initialize",
                 [this](const auto& req, auto& res) { initialize(req, res); });
    server_.Get("/api/v1/device/info", [this](const auto& req, auto& res) { info(req, res); });
    server_.Get(ev + "/", [this](const auto& req, auto& res) { event_info(req, res); });
    server_.Get(ev + "/checkinlists/", [this](const auto& req, auto& res) { lists(req, res); });
    server_.Get(ev + "/checkinlists/(\\d+)/",
                [this](const auto& req, auto& res) { list_detail(req, res); });
    server_.Get(ev + "/checkinlists/(\\d+)/positions/",
                [this](const auto& req, auto& res) { list_positions(req, res); });
    server_.Get(ev + "/revokedsecrets/",
                [this](const auto& req, auto& res) { secrets(req, res, false); });
    server_.Get(ev + "/blockedsecrets/",
                [this](const auto& req, auto& res) { secrets(req, res, true); });
    server_.Get(ev + "/orders/", [this](const auto& req, auto& res) { orders(req, res); });
    server_.Post(org + "/checkinrpc/redeem/",
                 [this](const auto& req, auto& res) { redeem(req, res); });
    server_.Post(org + "/checkinrpc/annul/",
                 [this](const auto& req, auto& res) { annul(req, res); });
    server_.Post(ev + "/checkinlists/(\\d+)/failed_checkins/", [this](const auto& req, auto& res) {
      if (!caller(req, res, "POST checkinlist-failed_checkins").ok) return;
      std::lock_guard lock(mutex_);
      failed_checkins.push_back(json::parse(req.body, nullptr, false));
      reply(res, 201, json::object());
    });
  }

  // InitializationRequestSerializer: token, hardware_brand, hardware_model,
  // software_brand, software_version are required CharFields; os_name and
  // os_version are optional and may be null, but a CharField never takes a
  // blank string ("This field may not be blank."); every one at most 190.
  // InitializeView: an unknown, used or revoked token is a 400 on `token`.
  void initialize(const httplib::Request& req, httplib::Response& res) {
    (void)next_fault(true);
    const json b = json::parse(req.body, nullptr, false);
    std::lock_guard lock(mutex_);
    init_requests.push_back(b);
    if (!b.is_object()) return reply(res, 400, {{"non_field_errors", {"Invalid data."}}});
    json errors = json::object();
    for (const char* f : {"token", "hardware_brand", "hardware_model", "os_name", "os_version",
                          "software_brand", "software_version"}) {
      const bool optional = std::string(f) == "os_name" || std::string(f) == "os_version";
      if (!b.contains(f)) {
        if (!optional) errors[f] = {"This field is required."};
      } else if (b[f].is_null()) {
        if (!optional) errors[f] = {"This field may not be null."};
      } else if (!b[f].is_string()) {
        errors[f] = {"Not a valid string."};
      } else if (b[f].get<std::string>().empty()) {
        errors[f] = {"This field may not be blank."};
      } else if (b[f].get<std::string>().size() > 190) {
        errors[f] = {"Ensure this field has no more than 190 characters."};
      }
    }
    if (!errors.empty()) return reply(res, 400, errors);
    const std::string t = b["token"];
    if (t != init_token && !used_init_tokens_.count(t))
      return reply(res, 400, {{"token", {"Unknown initialization token."}}});
    if (used_init_tokens_.count(t))
      return reply(res, 400, {{"token", {"This initialization token has already been used."}}});
    used_init_tokens_.insert(t);
    ++device_inits;
    const int id = static_cast<int>(devices_.size()) + 5;
    const std::string api_token = "device-token-" + std::to_string(id);
    devices_[api_token] = {id, init_profile};
    reply(res, 200,
          {{"organizer", organizer},
           {"device_id", id},
           {"unique_serial", "SERIAL" + std::to_string(id)},
           {"api_token", api_token},
           {"name", "Frontdesk " + std::to_string(id)},
           {"security_profile", init_profile},
           {"gate", nullptr}});
  }
  void info(const httplib::Request& req, httplib::Response& res) {
    const Caller c = caller(req, res, "GET device.info");
    if (!c.ok) return;
    reply(res, 200,
          {{"device", {{"device_id", c.device}, {"security_profile", c.profile}}},
           {"server", {{"version", {{"pretix", "2025.1.0"}}}}}});
  }
  void event_info(const httplib::Request& req, httplib::Response& res) {
    const Fault f = next_fault(false);
    if (!caller(req, res, "GET event-detail").ok) return;
    std::lock_guard lock(mutex_);
    send(res, f,
         json{{"slug", event}, {"name", {{"en", "PyCon"}}}, {"valid_keys", {{"pretix_sig1", keys}}}}
             .dump());
  }
  json list_json() const {
    return {{"id", list_id},
            {"name", "Entrance"},
            {"all_products", all_products},
            {"limit_products", products},
            {"include_pending", false}};
  }
  // Two lists, one per page (page_size 1 here): the client must follow `next`.
  void lists(const httplib::Request& req, httplib::Response& res) {
    const Fault f = next_fault(false);
    if (!caller(req, res, "GET checkinlist-list").ok) return;
    std::lock_guard lock(mutex_);
    const int page = req.has_param("page") ? std::stoi(req.get_param_value("page")) : 1;
    const json other = {{"id", list_id + 1000},
                        {"name", "Workshop"},
                        {"all_products", true},
                        {"limit_products", json::array()}};
    const json results = json::array({page == 1 ? other : list_json()});
    const json next = page == 1 ? json(link(event_path() + "/checkinlists/?page=2")) : json();
    send(res, f, json{{"count", 2}, {"next", next}, {"results", results}}.dump());
  }
  void list_detail(const httplib::Request& req, httplib::Response& res) {
    const Fault f = next_fault(false);
    if (!caller(req, res, "GET checkinlist-detail").ok) return;
    std::lock_guard lock(mutex_);
    if (std::stoll(req.matches[3]) != list_id) return reply(res, 404, {{"detail", "Not found."}});
    send(res, f, list_json().dump());
  }
  void secrets(const httplib::Request& req, httplib::Response& res, bool blocked_list) {
    const Fault f = next_fault(false);
    if (!caller(req, res, blocked_list ? "GET blockedsecrets-list" : "GET revokedsecrets-list").ok)
      return;
    std::lock_guard lock(mutex_);
    const auto& all = blocked_list ? blocked : revoked;
    const std::size_t page = req.has_param("page") ? std::stoul(req.get_param_value("page")) : 1;
    const std::size_t per = 2;
    json results = json::array();
    for (std::size_t i = (page - 1) * per; i < all.size() && i < page * per; ++i)
      results.push_back(blocked_list ? json{{"secret", all[i]}, {"blocked", true}}
                                     : json{{"secret", all[i]}});
    json next = nullptr;
    if (page * per < all.size())
      next = link(event_path() + (blocked_list ? "/blockedsecrets/" : "/revokedsecrets/") +
                  "?page=" + std::to_string(page + 1));
    send(res, f, json{{"count", all.size()}, {"next", next}, {"results", results}}.dump());
  }
  json position_json(const PretixPosition& p, std::size_t id) const {
    json checkins = json::array();
    for (const auto& c : p.checkins)
      if (!c.annulled)
        checkins.push_back({{"list", list_id},
                            {"type", "entry"},
                            {"datetime", c.datetime},
                            {"gate", nullptr},
                            {"device", c.device ? json(c.device) : json()}});
    return {{"id", id},
            {"positionid", p.positionid},
            {"item", p.item},
            {"variation", nullptr},
            {"attendee_name", p.name},
            {"attendee_email", nullptr},
            {"secret", p.secret},
            {"addon_to", nullptr},
            {"canceled", p.canceled},
            {"checkins", checkins}};
  }
  std::vector<const PretixPosition*> sorted(const std::string& since) const {
    std::vector<const PretixPosition*> all;
    for (const auto& [s, p] : positions)
      if (since.empty() || p.modified >= since) all.push_back(&p);
    std::sort(all.begin(), all.end(), [](auto* a, auto* b) { return a->order < b->order; });
    return all;
  }
  void orders(const httplib::Request& req, httplib::Response& res) {
    const Fault f = next_fault(false);
    if (!caller(req, res, "GET order-list").ok) return;
    std::lock_guard lock(mutex_);
    const std::string since =
        req.has_param("modified_since") ? req.get_param_value("modified_since") : "";
    int page = req.has_param("page") ? std::stoi(req.get_param_value("page")) : 1;
    if (f == Fault::Duplicate && page > 1) --page;  // the previous page once more
    const auto all = sorted(since);                 // one position per order here
    json results = json::array();
    const std::size_t from = static_cast<std::size_t>(page - 1) * page_size;
    for (std::size_t i = from; i < all.size() && i < from + page_size; ++i)
      results.push_back({{"code", all[i]->order},
                         {"status", std::string(1, all[i]->status)},
                         {"email", all[i]->email},
                         {"positions", json::array({position_json(*all[i], i + 1)})}});
    json next = nullptr;
    if (from + page_size < all.size()) {
      std::string q = "?page=" + std::to_string(page + 1) + "&include_canceled_positions=true";
      if (!since.empty()) q += "&modified_since=" + httplib::detail::encode_query_param(since);
      next = link(event_path() + "/orders/" + q);
    }
    if (page == 1 || f == Fault::Duplicate) res.set_header("X-Page-Generated", generated);
    send(res, f == Fault::Duplicate ? Fault::None : f,
         json{{"count", all.size()}, {"next", next}, {"previous", nullptr}, {"results", results}}
             .dump());
  }
  // CheckinListPositionViewSet: the list's positions (paid, or every status
  // with ignore_status=true), with the order's code and status flattened in.
  void list_positions(const httplib::Request& req, httplib::Response& res) {
    const Fault f = next_fault(false);
    if (!caller(req, res, "GET checkinlistpos-list").ok) return;
    std::lock_guard lock(mutex_);
    if (std::stoll(req.matches[3]) != list_id) return reply(res, 404, {{"detail", "Not found."}});
    const bool any = req.get_param_value("ignore_status") == "true";
    const int page = req.has_param("page") ? std::stoi(req.get_param_value("page")) : 1;
    std::vector<const PretixPosition*> all;
    for (const auto* p : sorted(""))
      if (!p->canceled && (any || p->status == 'p')) all.push_back(p);
    json results = json::array();
    const std::size_t from = static_cast<std::size_t>(page - 1) * page_size;
    for (std::size_t i = from; i < all.size() && i < from + page_size; ++i) {
      json p = position_json(*all[i], i + 1);
      p["order"] = all[i]->order;
      p["order__status"] = std::string(1, all[i]->status);
      p.erase("canceled");
      results.push_back(p);
    }
    json next = nullptr;
    if (from + page_size < all.size())
      next = link(event_path() + "/checkinlists/" + std::to_string(list_id) +
                  "/positions/?ignore_status=" + (any ? "true" : "false") +
                  "&page=" + std::to_string(page + 1));
    send(res, f, json{{"count", all.size()}, {"next", next}, {"results", results}}.dump());
  }
  // CheckinRPCRedeemInputSerializer: `lists` must name lists the caller may
  // use (else a 400 on `lists`, with no `status`).
  bool lists_ok(const json& b, httplib::Response& res) {
    const json lists = b.is_object() ? b.value("lists", json::array()) : json::array();
    for (const auto& l : lists)
      if (!l.is_number_integer() || l.get<std::int64_t>() != list_id) {
        reply(res, 400, {{"lists", {"Invalid pk \"" + l.dump() + "\" - object does not exist."}}});
        return false;
      }
    if (lists.empty()) reply(res, 400, {{"lists", {"This list may not be empty."}}});
    return !lists.empty();
  }
  json refusal(const std::string& reason, const std::string& secret, const std::string& nonce) {
    scan_log.push_back({secret, reason, nonce});  // pretix logs every refused scan
    return {{"status", "error"},
            {"reason", reason},
            {"reason_explanation", nullptr},
            {"require_attention", false},
            {"checkin_texts", json::array()}};
  }
  // _redeem_process + perform_checkin with force=true: an unknown secret is
  // a 404 (reason invalid); a cancelled or expired order or position, or a
  // product the list does not admit, is a 400 even when forced; each refusal
  // is logged as a failed scan. A revoked secret is accepted when forced.
  // A nonce seen before answers ok and records nothing twice.
  void redeem(const httplib::Request& req, httplib::Response& res) {
    const Fault f = next_fault(true);
    const Caller c = caller(req, res, "POST checkinrpc.redeem");
    if (!c.ok) return;
    const json b = json::parse(req.body, nullptr, false);
    std::unique_lock lock(mutex_);
    if (before_write(f) && fail_before(f, res, R"({"status":"ok"})")) return;
    if (!lists_ok(b, res)) return;
    const std::string secret = b.value("secret", "");
    const std::string nonce = b.value("nonce", "");
    const bool force = b.value("force", false);
    auto it = positions.find(secret);
    if (it == positions.end()) {
      json r = refusal("invalid", secret, nonce);
      r["detail"] = "Not found.";
      return reply(res, 404, r);
    }
    PretixPosition& p = it->second;
    if (p.canceled || (p.status != 'p' && p.status != 'n'))
      return reply(res, 400, refusal("canceled", secret, nonce));
    if (!all_products && std::find(products.begin(), products.end(), p.item) == products.end())
      return reply(res, 400, refusal("product", secret, nonce));
    if (p.status != 'p' && !force) return reply(res, 400, refusal("unpaid", secret, nonce));
    bool known = false;
    for (const auto& ci : p.checkins) known = known || (!nonce.empty() && ci.nonce == nonce);
    if (!known) {
      if (p.live() > 0 && !force)
        return reply(res, 400, refusal("already_redeemed", secret, nonce));
      p.checkins.push_back({nonce, b.value("datetime", ""), false, true, c.device});
    }
    const std::string ok =
        json{{"status", "ok"}, {"position", {{"secret", secret}}}, {"list", {{"id", list_id}}}}
            .dump();
    lock.unlock();
    if (fail_after(f, res, ok)) return;
    res.status = 201;
    res.set_content(ok, "application/json");
  }
  // CheckinRPCAnnulView: a device finds only its own check-ins (else 404);
  // a check-in no longer successful is a 400 ["Cannot annul an unsuccessful
  // checkin"]; more than 15 minutes between check-in and annulment, or an
  // API token annulling a device's check-in, are 400s with
  // non_field_errors. No pretixSCAN profile allows this route (403).
  void annul(const httplib::Request& req, httplib::Response& res) {
    const Fault f = next_fault(true);
    const Caller c = caller(req, res, "POST checkinrpc.annul");
    if (!c.ok) return;
    const json b = json::parse(req.body, nullptr, false);
    std::unique_lock lock(mutex_);
    if (before_write(f) && fail_before(f, res, R"({"status":"ok"})")) return;
    if (!lists_ok(b, res)) return;
    const std::string nonce = b.value("nonce", "");
    for (auto& [s, p] : positions)
      for (auto& ci : p.checkins) {
        if (ci.nonce != nonce || nonce.empty() || (c.device && ci.device != c.device)) continue;
        if (ci.annulled)
          return reply(res, 400, json::array({"Cannot annul an unsuccessful checkin"}));
        const fd::TimeMs at =
            b.contains("datetime") ? exact_ms(b.value("datetime", "")) : fd::now_ms();
        if (at - exact_ms(ci.datetime) > annul_window)
          return reply(res, 400,
                       {{"non_field_errors",
                         {"Annulment is not allowed more than 15 minutes after check-in"}}});
        if (ci.device && ci.device != c.device)
          return reply(res, 400,
                       {{"non_field_errors", {"Annulment is only allowed from the same device"}}});
        ci.annulled = true;
        lock.unlock();
        if (fail_after(f, res, R"({"status":"ok"})")) return;
        res.set_content(R"({"status":"ok"})", "application/json");
        return;
      }
    reply(res, 404, {{"detail", "No check-in found based on nonce"}});
  }
};

}  // namespace fdtest
