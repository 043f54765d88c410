#pragma once
// Loopback stand-ins for the RSVP services, speaking their documented APIs
// (pretix REST + checkinrpc, Eventbrite v3, Meetup GraphQL, Luma, a
// webhook receiver) on real HTTP (cpp-httplib on a thread), with faults
// injected on demand: 500/502/503, 429 with Retry-After, a connection cut
// mid-answer, a stalled answer, JSON cut off, a page served twice, and a
// write applied and then answered with 500.
//
// Thread-safety: handlers run on httplib's pool; state behind one mutex.
#include <httplib.h>
#include <sodium.h>

#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <random>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "TestSupport.h"

namespace fdtest {

using json = nlohmann::json;

enum class Fault {
  None,
  E500,
  E502,
  E503,
  TooMany,
  Reset,
  Stall,
  Truncate,
  Duplicate,
  AppliedThen500
};

inline const char* fault_name(Fault f) {
  switch (f) {
    case Fault::None: return "none";
    case Fault::E500: return "500";
    case Fault::E502: return "502";
    case Fault::E503: return "503";
    case Fault::TooMany: return "429";
    case Fault::Reset: return "reset";
    case Fault::Stall: return "stall";
    case Fault::Truncate: return "truncated";
    case Fault::Duplicate: return "duplicate page";
    case Fault::AppliedThen500: return "applied then 500";
  }
  return "?";
}

// Which faults to inject: a fixed script first (one per request), then
// at random with `rate` among `mix`.
struct FaultPlan {
  std::vector<Fault> script;
  double rate = 0;
  std::vector<Fault> mix;
  std::chrono::milliseconds stall{3000};
  std::string retry_after = "1";  // seconds, as the 429 says
};

class FakeServer {
 public:
  FakeServer() {
    server_.new_task_queue = [] { return new httplib::ThreadPool(16); };
    // Headers and body go out in separate writes: without this, Nagle and
    // the client's delayed ACK add 40 ms to every answer.
    server_.set_tcp_nodelay(true);
  }
  virtual ~FakeServer() { stop(); }
  void start() {
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    // cpp-httplib 0.11 has no wait_until_ready(): is_running() turns true
    // once the listener accepts (PLATFORM.md).
    if (!fd::test::wait_for([this] { return server_.is_running(); }, std::chrono::seconds(10)))
      throw std::runtime_error("the loopback server did not start");
  }
  void stop() {
    if (thread_.joinable()) {
      server_.stop();
      thread_.join();
    }
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  void plan(FaultPlan p) {
    std::lock_guard lock(fault_mutex_);
    plan_ = std::move(p);
  }
  int requests() const { return requests_; }
  int faults() const { return faults_; }
  std::map<std::string, int> fault_counts() const {
    std::lock_guard lock(fault_mutex_);
    return fault_counts_;
  }

 protected:
  // Picks this request's fault (counting it).
  Fault next_fault(bool write) {
    ++requests_;
    std::lock_guard lock(fault_mutex_);
    Fault f = Fault::None;
    if (!plan_.script.empty()) {
      f = plan_.script.front();
      plan_.script.erase(plan_.script.begin());
    } else if (plan_.rate > 0 && !plan_.mix.empty()) {
      std::uniform_real_distribution<double> u(0, 1);
      if (u(rng_) < plan_.rate) f = plan_.mix[rng_() % plan_.mix.size()];
    }
    if (f == Fault::AppliedThen500 && !write) f = Fault::E500;
    if (f == Fault::Duplicate && write) f = Fault::E502;
    if (f != Fault::None) {
      ++faults_;
      ++fault_counts_[fault_name(f)];
    }
    return f;
  }
  // Answers with a fault instead of `body` when one applies before the
  // handler's work; returns true when the request is answered.
  bool fail_before(Fault f, httplib::Response& res, const std::string& body) {
    switch (f) {
      case Fault::E500:
      case Fault::E502:
      case Fault::E503:
        res.status = f == Fault::E500 ? 500 : f == Fault::E502 ? 502 : 503;
        res.set_content("<html><body>Bad gateway</body></html>", "text/html");
        return true;
      case Fault::TooMany:
        res.status = 429;
        res.set_header("Retry-After", plan_retry_after());
        res.set_content(R"({"detail":"Request was throttled."})", "application/json");
        return true;
      case Fault::Stall: {
        // A service that takes too long: time passing on purpose, not a wait
        // for another thread.
        std::this_thread::sleep_for(plan_stall());
        res.status = 200;
        res.set_content(body, "application/json");
        return true;
      }
      case Fault::Reset: {
        // Headers promise the whole body; the connection ends halfway.
        auto shared = std::make_shared<std::string>(body.size() > 8 ? body : body + "          ");
        res.status = 200;
        res.set_content_provider(shared->size(), "application/json",
                                 [shared](size_t offset, size_t, httplib::DataSink& sink) {
                                   if (offset > 0) return false;
                                   sink.write(shared->data(), shared->size() / 2);
                                   return true;
                                 });
        return true;
      }
      case Fault::Truncate:
        res.status = 200;
        res.set_content(body.substr(0, body.size() / 2), "application/json");
        return true;
      default: return false;
    }
  }
  // Writes: a fault that strikes before the service acts (the request never
  // arrived whole) answers here; the others strike after it acted.
  static bool before_write(Fault f) {
    return f == Fault::E500 || f == Fault::E502 || f == Fault::E503 || f == Fault::TooMany ||
           f == Fault::Reset;
  }
  // After the write was applied: the answer is lost, late or cut off.
  bool fail_after(Fault f, httplib::Response& res, const std::string& body) {
    if (f == Fault::AppliedThen500) {
      res.status = 500;
      res.set_content("Internal Server Error", "text/plain");
      return true;
    }
    if (f == Fault::Stall || f == Fault::Truncate) return fail_before(f, res, body);
    return false;
  }
  std::string plan_retry_after() {
    std::lock_guard lock(fault_mutex_);
    return plan_.retry_after;
  }
  std::chrono::milliseconds plan_stall() {
    std::lock_guard lock(fault_mutex_);
    return plan_.stall;
  }

  httplib::Server server_;
  std::mutex mutex_;  // the service's data

 private:
  int port_ = 0;
  std::thread thread_;
  mutable std::mutex fault_mutex_;
  FaultPlan plan_;
  std::mt19937 rng_{42};
  std::atomic<int> requests_{0}, faults_{0};
  std::map<std::string, int> fault_counts_;
};

// ---------------------------------------------------------------------------
// pretix
// ---------------------------------------------------------------------------

struct PretixCheckin {
  std::string nonce;
  std::string datetime;
  bool annulled = false;
  bool ours = true;  // false: made by "another device" on the server
};

struct PretixPosition {
  std::string order, secret, name, email;
  int positionid = 1;
  std::int64_t item = 1;
  char status = 'p';
  std::string modified;  // ISO time, for modified_since
  std::vector<PretixCheckin> checkins;
  int live() const {
    int n = 0;
    for (const auto& c : checkins) n += !c.annulled;
    return n;
  }
};

class FakePretix : public FakeServer {
 public:
  std::string organizer = "demo", event = "pycon", token = "secret-token";
  std::string init_token = "init-once";
  std::int64_t list_id = 7;
  std::vector<std::string> keys, revoked, blocked;
  bool all_products = true;
  std::vector<std::int64_t> products;
  int page_size = 50;
  std::map<std::string, PretixPosition> positions;  // by secret
  std::vector<json> failed_checkins;
  std::string generated = "2026-11-29T10:00:00Z";  // X-Page-Generated of the next pull
  int device_inits = 0;

  FakePretix() {
    const std::string org = "/api/v1/organizers/([^/]+)";
    const std::string ev = org + "/events/([^/]+)";
    server_.Get(ev + "/", [this](const auto& req, auto& res) { event_info(req, res); });
    server_.Get(ev + "/checkinlists/(\\d+)/",
                [this](const auto& req, auto& res) { list(req, res); });
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
      if (!authorized(req, res)) return;
      std::lock_guard lock(mutex_);
      failed_checkins.push_back(json::parse(req.body, nullptr, false));
      res.status = 201;
      res.set_content("{}", "application/json");
    });
    server_.Post("/api/v1/device/initialize", [this](const auto& req, auto& res) {
      const json b = json::parse(req.body, nullptr, false);
      std::lock_guard lock(mutex_);
      if (!b.is_object() || b.value("token", "") != init_token) {
        res.status = 400;
        res.set_content(R"({"token":["This initialization token is not known."]})",
                        "application/json");
        return;
      }
      ++device_inits;
      init_token.clear();  // an init token works once
      res.set_content(
          json{{"organizer", organizer}, {"device_id", 5}, {"api_token", "device-token"}}.dump(),
          "application/json");
    });
  }

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
  void checkin_elsewhere(const std::string& secret, const std::string& when) {
    std::lock_guard lock(mutex_);
    positions[secret].checkins.push_back({"", when, false, false});
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

 private:
  bool authorized(const httplib::Request& req, httplib::Response& res) {
    const std::string a = req.get_header_value("Authorization");
    if (a == "Token " + token || a == "Device device-token") return true;
    res.status = 401;
    res.set_content(R"({"detail":"Invalid token."})", "application/json");
    return false;
  }
  void send(httplib::Response& res, Fault f, const std::string& body, int status = 200) {
    if (fail_before(f, res, body)) return;
    res.status = status;
    res.set_content(body, "application/json");
  }
  void event_info(const httplib::Request& req, httplib::Response& res) {
    const Fault f = next_fault(false);
    if (!authorized(req, res)) return;
    std::lock_guard lock(mutex_);
    send(res, f,
         json{{"slug", event}, {"name", {{"en", "PyCon"}}}, {"valid_keys", {{"pretix_sig1", keys}}}}
             .dump());
  }
  void list(const httplib::Request& req, httplib::Response& res) {
    const Fault f = next_fault(false);
    if (!authorized(req, res)) return;
    std::lock_guard lock(mutex_);
    if (std::stoll(req.matches[3]) != list_id) {
      res.status = 404;
      res.set_content(R"({"detail":"Not found."})", "application/json");
      return;
    }
    send(res, f,
         json{{"id", list_id},
              {"name", "Entrance"},
              {"all_products", all_products},
              {"limit_products", products}}
             .dump());
  }
  void secrets(const httplib::Request& req, httplib::Response& res, bool blocked_list) {
    const Fault f = next_fault(false);
    if (!authorized(req, res)) return;
    std::lock_guard lock(mutex_);
    json results = json::array();
    for (const auto& s : blocked_list ? blocked : revoked)
      results.push_back(blocked_list ? json{{"secret", s}, {"blocked", true}}
                                     : json{{"secret", s}});
    send(res, f, json{{"count", results.size()}, {"next", nullptr}, {"results", results}}.dump());
  }
  void orders(const httplib::Request& req, httplib::Response& res) {
    const Fault f = next_fault(false);
    if (!authorized(req, res)) return;
    std::lock_guard lock(mutex_);
    const std::string since =
        req.has_param("modified_since") ? req.get_param_value("modified_since") : "";
    int page = req.has_param("page") ? std::stoi(req.get_param_value("page")) : 1;
    if (f == Fault::Duplicate && page > 1) --page;  // the previous page once more
    // Orders in code order, filtered; one position per order here.
    std::vector<const PretixPosition*> all;
    for (const auto& [s, p] : positions)
      if (since.empty() || p.modified >= since) all.push_back(&p);
    std::sort(all.begin(), all.end(), [](auto* a, auto* b) { return a->order < b->order; });
    json results = json::array();
    const std::size_t from = static_cast<std::size_t>(page - 1) * page_size;
    for (std::size_t i = from; i < all.size() && i < from + page_size; ++i) {
      const PretixPosition& p = *all[i];
      json checkins = json::array();
      for (const auto& c : p.checkins)
        if (!c.annulled)
          checkins.push_back({{"list", list_id},
                              {"type", "entry"},
                              {"datetime", c.datetime},
                              {"gate", nullptr},
                              {"device", c.ours ? 1 : 2}});
      results.push_back({{"code", p.order},
                         {"status", std::string(1, p.status)},
                         {"email", p.email},
                         {"positions", json::array({{{"id", i + 1},
                                                     {"positionid", p.positionid},
                                                     {"item", p.item},
                                                     {"variation", nullptr},
                                                     {"attendee_name", p.name},
                                                     {"attendee_email", nullptr},
                                                     {"secret", p.secret},
                                                     {"addon_to", nullptr},
                                                     {"canceled", false},
                                                     {"checkins", checkins}}})}});
    }
    json next = nullptr;
    if (from + page_size < all.size()) {
      std::string q = "?page=" + std::to_string(page + 1) + "&include_canceled_positions=true";
      if (!since.empty()) q += "&modified_since=" + httplib::detail::encode_query_param(since);
      next = url() + "/api/v1/organizers/" + organizer + "/events/" + event + "/orders/" + q;
    }
    if (page == 1 || f == Fault::Duplicate) res.set_header("X-Page-Generated", generated);
    send(res, f == Fault::Duplicate ? Fault::None : f,
         json{{"count", all.size()}, {"next", next}, {"previous", nullptr}, {"results", results}}
             .dump());
  }
  void redeem(const httplib::Request& req, httplib::Response& res) {
    const Fault f = next_fault(true);
    if (!authorized(req, res)) return;
    const json b = json::parse(req.body, nullptr, false);
    std::unique_lock lock(mutex_);
    if (before_write(f) && fail_before(f, res, R"({"status":"ok"})")) return;
    const std::string secret = b.value("secret", "");
    auto it = positions.find(secret);
    if (it == positions.end()) {
      res.status = 404;
      res.set_content(
          R"({"detail":"Not found.","status":"error","reason":"invalid","reason_explanation":null,"require_attention":false,"checkin_texts":[]})",
          "application/json");
      return;
    }
    PretixPosition& p = it->second;
    const std::string nonce = b.value("nonce", "");
    bool known = false;
    for (const auto& c : p.checkins) known = known || (!nonce.empty() && c.nonce == nonce);
    if (!known) {
      if (p.status == 'c' && !b.value("force", false)) {
        res.status = 400;
        res.set_content(R"({"status":"error","reason":"canceled"})", "application/json");
        return;
      }
      p.checkins.push_back({nonce, b.value("datetime", ""), false, true});
    }
    const std::string ok =
        json{{"status", "ok"}, {"position", {{"secret", secret}}}, {"list", {{"id", list_id}}}}
            .dump();
    lock.unlock();
    if (fail_after(f, res, ok)) return;
    res.status = 201;
    res.set_content(ok, "application/json");
  }
  void annul(const httplib::Request& req, httplib::Response& res) {
    const Fault f = next_fault(true);
    if (!authorized(req, res)) return;
    const json b = json::parse(req.body, nullptr, false);
    std::unique_lock lock(mutex_);
    if (before_write(f) && fail_before(f, res, R"({"status":"ok"})")) return;
    const std::string nonce = b.value("nonce", "");
    for (auto& [s, p] : positions)
      for (auto& c : p.checkins) {
        if (c.nonce != nonce || nonce.empty()) continue;
        if (c.annulled) {
          res.status = 400;
          res.set_content(R"({"detail":"This check-in is already annulled."})", "application/json");
          return;
        }
        c.annulled = true;
        lock.unlock();
        if (fail_after(f, res, R"({"status":"ok"})")) return;
        res.set_content(R"({"status":"ok"})", "application/json");
        return;
      }
    res.status = 404;
    res.set_content(R"({"detail":"Not found."})", "application/json");
  }
};

// ---------------------------------------------------------------------------
// Eventbrite, Meetup, Luma (lists), webhook (receiver)
// ---------------------------------------------------------------------------

struct Person {
  std::string id, name, email, code, status;  // status in the service's words
  bool checked_in = false;
  std::string checked_in_at;
  int guests = 0;
};

class FakeEventbrite : public FakeServer {
 public:
  std::string token = "eb-token", event_id = "1234";
  std::vector<Person> people;
  int page_size = 50;
  FakeEventbrite() {
    server_.Get("/v3/events/([^/]+)/attendees/", [this](const auto& req, auto& res) {
      const Fault f = next_fault(false);
      if (req.get_header_value("Authorization") != "Bearer " + token) {
        res.status = 401;
        res.set_content(
            R"({"status_code":401,"error":"INVALID_AUTH","error_description":"The OAuth token you provided was invalid."})",
            "application/json");
        return;
      }
      std::lock_guard lock(mutex_);
      std::size_t from =
          req.has_param("continuation") ? std::stoul(req.get_param_value("continuation")) : 0;
      if (f == Fault::Duplicate && from >= static_cast<std::size_t>(page_size)) from -= page_size;
      json list = json::array();
      for (std::size_t i = from; i < people.size() && i < from + page_size; ++i) {
        const Person& p = people[i];
        list.push_back({{"id", p.id},
                        {"status", p.status},
                        {"cancelled", p.status == "Cancelled"},
                        {"refunded", false},
                        {"checked_in", p.checked_in},
                        {"ticket_class_name", "General"},
                        {"barcodes", json::array({{{"barcode", p.code}, {"status", "unused"}}})},
                        {"profile", {{"name", p.name}, {"email", p.email}}}});
      }
      const bool more = from + page_size < people.size();
      json page = {{"page_size", page_size}, {"has_more_items", more}};
      if (more) page["continuation"] = std::to_string(from + page_size);
      const std::string body = json{{"pagination", page}, {"attendees", list}}.dump();
      if (fail_before(f == Fault::Duplicate ? Fault::None : f, res, body)) return;
      res.set_content(body, "application/json");
    });
  }
};

class FakeMeetup : public FakeServer {
 public:
  std::string token = "mu-token", event_id = "305";
  std::vector<Person> people;
  int page_size = 100;
  FakeMeetup() {
    server_.Post("/gql-ext", [this](const auto& req, auto& res) {
      const Fault f = next_fault(false);
      if (req.get_header_value("Authorization") != "Bearer " + token) {
        res.status = 401;
        res.set_content(R"({"errors":[{"message":"Not authorized"}]})", "application/json");
        return;
      }
      const json b = json::parse(req.body, nullptr, false);
      std::lock_guard lock(mutex_);
      const json vars = b.is_object() ? b.value("variables", json::object()) : json::object();
      if (vars.value("eventId", "") != event_id) {
        res.set_content(R"({"data":{"event":null},"errors":[{"message":"event not found"}]})",
                        "application/json");
        return;
      }
      std::size_t from = vars.contains("after") && vars["after"].is_string()
                             ? std::stoul(vars["after"].get<std::string>())
                             : 0;
      json edges = json::array();
      for (std::size_t i = from; i < people.size() && i < from + page_size; ++i)
        edges.push_back({{"node",
                          {{"id", "rsvp-" + people[i].id},
                           {"status", people[i].status},
                           {"guestsCount", people[i].guests},
                           {"member", {{"id", people[i].id}, {"name", people[i].name}}}}}});
      const bool more = from + page_size < people.size();
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
    });
  }
};

class FakeLuma : public FakeServer {
 public:
  std::string key = "luma-key", event_id = "evt-abc";
  std::vector<Person> people;
  int page_size = 100;
  FakeLuma() {
    server_.Get("/v1/event/get-guests", [this](const auto& req, auto& res) {
      const Fault f = next_fault(false);
      if (req.get_header_value("x-luma-api-key") != key) {
        res.status = 401;
        res.set_content(R"({"message":"Invalid API key"})", "application/json");
        return;
      }
      std::lock_guard lock(mutex_);
      std::size_t from = req.has_param("pagination_cursor")
                             ? std::stoul(req.get_param_value("pagination_cursor"))
                             : 0;
      json entries = json::array();
      for (std::size_t i = from; i < people.size() && i < from + page_size; ++i) {
        const Person& p = people[i];
        json g = {{"api_id", p.id},
                  {"name", p.name},
                  {"email", p.email},
                  {"approval_status", p.status},
                  {"check_in_qr_code", "https://lu.ma/check-in/" + event_id + "?pk=" + p.code}};
        g["checked_in_at"] = p.checked_in_at.empty() ? json(nullptr) : json(p.checked_in_at);
        entries.push_back({{"api_id", p.id}, {"guest", g}});
      }
      const bool more = from + page_size < people.size();
      json body = {{"entries", entries}, {"has_more", more}};
      if (more) body["next_cursor"] = std::to_string(from + page_size);
      if (fail_before(f, res, body.dump())) return;
      res.set_content(body.dump(), "application/json");
    });
  }
};

class FakeWebhook : public FakeServer {
 public:
  std::string secret = "hook-secret";
  std::map<std::string, json> received;  // by idempotency key
  int bad_signatures = 0, duplicates = 0;
  FakeWebhook() {
    server_.Post("/hook", [this](const auto& req, auto& res) {
      const Fault f = next_fault(true);
      std::unique_lock lock(mutex_);
      if (before_write(f) && fail_before(f, res, "{}")) return;
      unsigned char mac[crypto_auth_hmacsha256_BYTES];
      crypto_auth_hmacsha256_state st;
      crypto_auth_hmacsha256_init(&st, reinterpret_cast<const unsigned char*>(secret.data()),
                                  secret.size());
      crypto_auth_hmacsha256_update(&st, reinterpret_cast<const unsigned char*>(req.body.data()),
                                    req.body.size());
      crypto_auth_hmacsha256_final(&st, mac);
      char hex[65];
      sodium_bin2hex(hex, sizeof hex, mac, sizeof mac);
      if (req.get_header_value("X-Frontdesk-Signature") != std::string("sha256=") + hex) {
        ++bad_signatures;
        res.status = 401;
        return;
      }
      const std::string key = req.get_header_value("Idempotency-Key");
      if (received.count(key)) ++duplicates;
      received[key] = json::parse(req.body, nullptr, false);
      lock.unlock();
      if (fail_after(f, res, R"({"received":true})")) return;
      res.set_content(R"({"received":true})", "application/json");
    });
  }
  // Live check-ins by ticket code: check-ins minus those an annul names.
  std::map<std::string, int> lives() {
    std::lock_guard lock(mutex_);
    std::set<std::string> annulled;
    for (const auto& [k, b] : received)
      if (b.value("type", "") == "annul") annulled.insert(b["check_in"].value("ref_uuid", ""));
    std::map<std::string, int> out;
    for (const auto& [k, b] : received)
      if (b.value("type", "") == "checkin" && !annulled.count(k))
        ++out[b["check_in"].value("ticket_code", "")];
    return out;
  }
};

}  // namespace fdtest
