#include "doors/DoorExchange.h"

#include <httplib.h>
#include <pthread.h>

#include <algorithm>
#include <condition_variable>
#include <functional>
#include <set>

#include "base/Log.h"
#include "doors/Discovery.h"
#include "doors/DoorAuth.h"
#include "doors/DoorSecret.h"
#include "doors/Join.h"
#include "doors/Pairing.h"
#include "engine/Engine.h"
#include "web/Certificate.h"
#include "web/WebServer.h"

namespace fd {

// ---------------------------------------------------------------------------
// [SECTION] Serving other doors
// ---------------------------------------------------------------------------

struct DoorService {
  DoorService(Engine& e, const WebServer& s) : engine(e), server(s) {}
  Engine& engine;
  const WebServer& server;
  std::filesystem::path config_dir;
  std::string event_slug;
  std::string device_id;
  std::string door_name;
  std::vector<std::string> addresses;
  std::chrono::milliseconds max_wait{25000};
  mutable std::mutex mutex;
  std::vector<std::string> peers;  // "device@host:port", told to peers in the greeting
  // What a greeting tells the exchange; cleared (under hooks_mutex) before
  // the exchange goes, as a request may still be answered meanwhile.
  struct Hooks {
    // A door that greets us says where it answers: we pull from it too.
    std::function<void(const std::string& device, const std::string& address)> learn;
    // It is up: a link to it that waits to retry need not wait.
    std::function<void(const std::string& device)> greeted_by;
  };
  void set_hooks(Hooks h) {
    std::lock_guard lock(hooks_mutex);
    hooks = std::move(h);
  }
  void learn(const std::string& device, const std::string& address) const {
    std::lock_guard lock(hooks_mutex);
    if (hooks.learn) hooks.learn(device, address);
  }
  void greeted_by(const std::string& device) const {
    std::lock_guard lock(hooks_mutex);
    if (hooks.greeted_by) hooks.greeted_by(device);
  }

  std::vector<std::string> known_peers() const {
    std::lock_guard lock(mutex);
    return peers;
  }
  // The event's door secret, read once it exists: `frontdesk doors pair`
  // may run while this door already serves.
  std::string secret() const {
    std::lock_guard lock(mutex);
    if (cached_secret.empty())
      if (auto s = load_door_secret(config_dir, event_slug)) cached_secret = *s;
    return cached_secret;
  }

 private:
  mutable std::string cached_secret;  // guarded by mutex
  mutable std::mutex hooks_mutex;
  Hooks hooks;  // guarded by hooks_mutex
};

namespace {

constexpr std::size_t kPage = 1000;

std::string what_of(const std::string& method, const std::string& path, const std::string& query) {
  return method + " " + path + (query.empty() ? "" : "?" + query);
}

// Every request must be signed with the event's door secret; every answer
// is signed back, bound to the request's nonce.
bool authorized(const DoorService& s, const WebRequest& r) {
  return door_signature_ok(s.secret(), what_of(r.method, r.path, r.query), r.header(kDoorHeader),
                           r.header(kNonceHeader), r.body, r.header(kSignatureHeader));
}

void answer(const DoorService& s, const WebRequest& r, WebResponse& out, std::string json) {
  const std::string nonce = r.header(kNonceHeader);
  out.set_header(kDoorHeader, s.device_id);
  out.set_header(kSignatureHeader,
                 door_signature(s.secret(), "answer " + nonce, s.device_id, nonce, json));
  out.json(200, std::move(json));
}

std::int64_t query_int(const WebRequest& r, const char* name, std::int64_t fallback) {
  const auto v = r.query_param(name);
  if (!v || v->empty() || v->size() > 18) return fallback;
  std::int64_t n = 0;
  for (char c : *v) {
    if (c < '0' || c > '9') return fallback;
    n = n * 10 + (c - '0');
  }
  return n;
}

void mount_routes(WebServer& server, const std::shared_ptr<DoorService>& service) {
  const auto guarded = [service](auto handle) {
    return [service, handle](const WebRequest& r, WebResponse& out) {
      if (!authorized(*service, r)) {
        // The same answer for "no signature" and "wrong secret": nothing
        // to learn about this door without the pairing code.
        out.text(401,
                 "This door is not paired with yours: join with `frontdesk doors join CODE`\n");
        return;
      }
      handle(*service, r, out);
    };
  };
  server.mount("GET", "/doors/v1/hello",
               guarded([](DoorService& s, const WebRequest& r, WebResponse& out) {
                 const auto snap = s.engine.snapshot();
                 DoorHello h;
                 h.door_id = s.device_id;
                 h.door_name = s.door_name;
                 h.event_slug = snap->event.slug;
                 h.event_name = snap->event.name;
                 h.capacity = snap->event.capacity;
                 h.clock = now_ms();
                 h.seq = s.engine.last_seq().get();
                 h.epoch = s.engine.log_epoch();
                 h.addresses = s.addresses;
                 h.peers = s.known_peers();
                 // "from=host:port,host:port": where the greeting door answers.
                 const std::string from = r.query_param("from").value_or("");
                 const std::string door = r.header(kDoorHeader);
                 std::size_t start = 0, told = 0;
                 if (door != s.device_id) s.greeted_by(door);
                 while (start < from.size() && told++ < 8) {
                   const auto comma = from.find(',', start);
                   const std::string a = from.substr(start, comma - start);
                   if (valid_address(a) && door != s.device_id) s.learn(door, a);
                   if (comma == std::string::npos) break;
                   start = comma + 1;
                 }
                 answer(s, r, out, to_json(h));
               }));
  // A long poll: answers at once when there is something past `since`,
  // else when anything changes here (attendees too) or `wait` ms pass.
  server.mount("GET", "/doors/v1/log",
               guarded([](DoorService& s, const WebRequest& r, WebResponse& out) {
                 const std::int64_t since = query_int(r, "since", 0);
                 const auto limit = static_cast<std::size_t>(
                     std::clamp<std::int64_t>(query_int(r, "limit", kPage), 1, kMaxPageItems));
                 const auto wait = std::chrono::milliseconds(
                     std::min<std::int64_t>(query_int(r, "wait", 0), s.max_wait.count()));
                 std::uint64_t version = s.engine.snapshot()->version;
                 std::vector<ReplicaEntry> entries = s.engine.log_page(since, limit).get();
                 const auto deadline = std::chrono::steady_clock::now() + wait;
                 while (entries.empty() && std::chrono::steady_clock::now() < deadline &&
                        !s.server.stopping()) {
                   std::this_thread::sleep_for(std::chrono::milliseconds(40));
                   const std::uint64_t now_version = s.engine.snapshot()->version;
                   if (now_version == version) continue;
                   version = now_version;
                   entries = s.engine.log_page(since, limit).get();
                   break;  // something changed: the peer re-reads attendees too
                 }
                 LogPage page;
                 page.more = entries.size() == limit;
                 page.next = entries.empty() ? since : entries.back().seq;
                 page.entries = std::move(entries);
                 answer(s, r, out, to_json(page));
               }));
  server.mount("GET", "/doors/v1/attendees",
               guarded([](DoorService& s, const WebRequest& r, WebResponse& out) {
                 const std::string cursor = r.query_param("cursor").value_or("");
                 if (cursor.size() > 40) {
                   out.text(400, "bad cursor\n");
                   return;
                 }
                 const auto limit = static_cast<std::size_t>(
                     std::clamp<std::int64_t>(query_int(r, "limit", kPage), 1, kMaxPageItems));
                 auto read = s.engine.attendee_page(cursor, limit).get();
                 AttendeePage page;
                 page.more = read.attendees.size() == limit;
                 page.next = read.next;
                 page.attendees = std::move(read.attendees);
                 answer(s, r, out, to_json(page));
               }));
}

// ---------------------------------------------------------------------------
// [SECTION] Asking other doors
// ---------------------------------------------------------------------------

bool is_loopback_host(const std::string& address) {
  return address.rfind("127.", 0) == 0 || address.rfind("localhost:", 0) == 0 ||
         address.rfind("[::1]", 0) == 0;
}

// One signed GET to a peer; the answer's signature is checked before it is
// believed. Loopback is plain HTTP (tests, two processes on one machine);
// the LAN is HTTPS, whose self-signed certificate needs no trust because
// the answer is signed with the event's secret.
struct PeerCall {
  const std::string& secret;
  const std::string& my_device;
  std::chrono::milliseconds connect_timeout;

  Result<std::string> get(const std::string& address, const std::string& path_and_query,
                          std::chrono::milliseconds read_timeout) const {
    const std::string base = (is_loopback_host(address) ? "http://" : "https://") + address;
    httplib::Client client(base);
    client.enable_server_certificate_verification(false);
    client.set_connection_timeout(connect_timeout);
    client.set_read_timeout(read_timeout + std::chrono::seconds(5));
    client.set_write_timeout(std::chrono::seconds(5));
    client.set_url_encode(false);  // the signature covers the path exactly as sent
    const std::string nonce = new_nonce();
    const auto q = path_and_query.find('?');
    const std::string what = "GET " + path_and_query.substr(0, q) +
                             (q == std::string::npos ? "" : path_and_query.substr(q));
    httplib::Headers headers{
        {kDoorHeader, my_device},
        {kNonceHeader, nonce},
        {kSignatureHeader, door_signature(secret, what, my_device, nonce, "")}};
    auto res = client.Get(path_and_query, headers);
    if (!res)
      return Error{"doors.unreachable",
                   "cannot reach " + address + " (" + httplib::to_string(res.error()) + ")"};
    if (res->status == 401)
      return Error{"doors.refused", address + " is paired with another secret"};
    if (res->status != 200)
      return Error{"doors.http", address + " answered " + std::to_string(res->status)};
    const std::string door = res->get_header_value(kDoorHeader);
    if (!door_signature_ok(secret, "answer " + nonce, door, nonce, res->body,
                           res->get_header_value(kSignatureHeader)))
      return Error{"doors.forged", "an answer from " + address + " is not signed by a paired door"};
    return res->body;
  }
};

}  // namespace

Result<DoorPull> pull_from_door(Engine& engine, const std::string& secret,
                                const std::string& address, PeerRecord peer,
                                std::chrono::milliseconds long_poll,
                                std::chrono::milliseconds connect_timeout,
                                const std::vector<std::string>& my_addresses,
                                const Greeted& greeted) {
  const PeerCall call{secret, engine.device_id(), connect_timeout};
  DoorPull out;
  std::string from;
  for (const std::string& a : my_addresses) from += (from.empty() ? "" : ",") + a;
  const TimeMs asked = now_ms();
  auto hello_text = call.get(address, "/doors/v1/hello" + (from.empty() ? "" : "?from=" + from),
                             connect_timeout * 2);
  if (!hello_text) return hello_text.error();
  const TimeMs answered = now_ms();
  auto hello = parse_hello(*hello_text);
  if (!hello) return hello.error();
  const auto snap = engine.snapshot();
  if (hello->event_slug != snap->event.slug)
    return Error{"doors.event", address + " serves another event (" + hello->event_slug + ")"};
  if (hello->door_id == engine.device_id()) return Error{"doors.self", address + " is this door"};
  peer.device_id = hello->door_id;
  peer.name = hello->door_name;
  // Restored from a backup since we last read it: its sequence numbers
  // were handed out again from the copy's, so what we read up to says
  // nothing now. Read it all again (a set union: nothing doubles).
  if (!peer.epoch.empty() && peer.epoch != hello->epoch) {
    peer.log_cursor = 0;
    peer.attendee_cursor.clear();
    peer.their_seq = 0;
  }
  peer.epoch = hello->epoch;
  peer.their_seq = hello->seq;
  peer.last_heard = answered;
  // Their clock minus ours, at the middle of the round trip.
  peer.clock_offset_ms = hello->clock - (asked + answered) / 2;
  for (const std::string& a : hello->addresses)
    if (valid_address(a) &&
        std::find(peer.addresses.begin(), peer.addresses.end(), a) == peer.addresses.end())
      peer.addresses.push_back(a);
  out.hello = *hello;
  if (greeted)
    if (auto stop = greeted(peer)) return *stop;

  // Attendees first (a walk-in's check-in needs the walk-in), then the log;
  // a log entry naming someone not yet here means: attendees again.
  for (int round = 0; round < 3; ++round) {
    for (;;) {
      auto text = call.get(address, "/doors/v1/attendees?cursor=" + peer.attendee_cursor,
                           connect_timeout * 4);
      if (!text) return text.error();
      auto page = parse_attendee_page(*text);
      if (!page) return page.error();
      if (!page->attendees.empty()) {
        const Decision d = engine.run(MergeFromDoor{std::move(page->attendees), {}});
        if (d.verdict == Verdict::Failed) return Error{"doors.merge", d.message};
        out.attendees += d.import.updated;
      }
      if (!page->next.empty()) peer.attendee_cursor = page->next;
      if (!page->more) break;
    }
    // Only wait when caught up: a door that is behind pulls at full speed.
    const bool wait = round == 0 && peer.their_seq <= peer.log_cursor;
    const std::string query = "/doors/v1/log?since=" + std::to_string(peer.log_cursor) +
                              "&limit=" + std::to_string(kPage) +
                              (wait ? "&wait=" + std::to_string(long_poll.count()) : "");
    auto text = call.get(address, query, wait ? long_poll : connect_timeout * 4);
    if (!text) return text.error();
    auto page = parse_log_page(*text);
    if (!page) return page.error();
    peer.last_heard = now_ms();
    if (page->entries.empty()) break;
    const std::size_t total = page->entries.size();
    const std::int64_t last = page->entries.back().seq;
    std::vector<ReplicaEntry> entries = std::move(page->entries);
    const std::int64_t first_seq = entries.front().seq;
    const Decision d = engine.run(MergeFromDoor{{}, std::move(entries)});
    if (d.verdict == Verdict::Failed) return Error{"doors.merge", d.message};
    out.entries += d.replicated;
    if (d.replicated == total) {
      peer.log_cursor = last;
      peer.their_seq = std::max(peer.their_seq, last);
      if (!page->more) break;
      continue;
    }
    // Stopped at someone this door does not know yet: read up to there.
    if (d.replicated > 0) peer.log_cursor = first_seq + static_cast<std::int64_t>(d.replicated) - 1;
  }
  peer.last_error.clear();
  out.peer = std::move(peer);
  return out;
}

// ---------------------------------------------------------------------------
// [SECTION] The exchange
// ---------------------------------------------------------------------------

struct DoorExchange::Link {
  std::string device_id;  // "" until its first greeting; guarded by the exchange's mutex_
  mutable std::mutex mutex;
  PeerRecord record;            // guarded by mutex
  bool woken = false;           // guarded by mutex: retry now, the door is up
  std::optional<bool> reached;  // guarded by mutex: whether it answers (said when it changes)
  std::condition_variable_any wake;
  std::jthread thread;
};

void DoorExchange::wake(const std::string& device_id) {
  std::lock_guard lock(mutex_);
  for (auto& l : links_) {
    // A link that never reached its door does not know whose it is.
    if (!l->device_id.empty() && l->device_id != device_id) continue;
    std::lock_guard rl(l->mutex);
    l->woken = true;
    l->wake.notify_all();
  }
}

// Waits before a retry; true when woken early (the door greeted this one).
bool DoorExchange::rest(Link& link, std::stop_token& stop, std::chrono::milliseconds d) {
  std::unique_lock lock(link.mutex);
  const bool woken = link.wake.wait_for(lock, stop, d, [&] { return link.woken; });
  link.woken = false;
  return woken;
}

Result<std::unique_ptr<DoorExchange>> DoorExchange::start(Engine& engine, WebServer& server,
                                                          DoorsOptions options) {
  const auto snap = engine.snapshot();
  auto ex = std::unique_ptr<DoorExchange>(new DoorExchange(engine, std::move(options)));
  ex->service_ = std::make_shared<DoorService>(engine, server);
  ex->service_->config_dir = ex->options_.config_dir;
  ex->service_->event_slug = snap->event.slug;
  ex->service_->device_id = engine.device_id();
  ex->service_->door_name = engine.options().door;
  ex->service_->addresses = ex->options_.addresses;
  DoorExchange* self = ex.get();
  ex->service_->set_hooks(
      {.learn = [self](const std::string& device,
                       const std::string& address) { self->add_peer(address, device); },
       .greeted_by = [self](const std::string& device) { self->wake(device); }});
  mount_routes(server, ex->service_);
  // Every peer this door has heard of, then the config's addresses.
  {
    std::lock_guard lock(ex->mutex_);
    for (const PeerRecord& p : engine.peers().get()) ex->start_link_locked(p);
  }
  for (const std::string& a : ex->options_.static_peers) ex->add_peer(a);
  if (ex->options_.discover) {
    DoorExchange* raw = ex.get();
    ex->discovery_ =
        std::make_unique<Discovery>(snap->event.slug, engine.device_id(), ex->options_.addresses,
                                    [raw](const std::string& device, const std::string& address) {
                                      raw->add_peer(address, device);
                                    });
  }
  return ex;
}

DoorExchange::DoorExchange(Engine& engine, DoorsOptions options)
    : engine_(engine), options_(std::move(options)) {}

DoorExchange::~DoorExchange() {
  discovery_.reset();  // no new peers while the links stop
  service_->set_hooks({});
  std::vector<std::unique_ptr<Link>> links;
  {
    std::lock_guard lock(mutex_);
    links.swap(links_);
  }
  for (auto& l : links) l->thread.request_stop();
  links.clear();  // joins (a link in a long poll returns within its read timeout)
}

PeerRecord DoorExchange::remembered(const std::string& device_id,
                                    const std::vector<std::string>& addresses) const {
  PeerRecord r;
  if (!device_id.empty())
    for (const PeerRecord& p : engine_.peers().get())
      if (p.device_id == device_id) r = p;
  r.device_id = device_id;
  for (const std::string& a : addresses)
    if (std::find(r.addresses.begin(), r.addresses.end(), a) == r.addresses.end())
      r.addresses.push_back(a);
  return r;
}

void DoorExchange::add_peer(const std::string& address, const std::string& device_id) {
  if (!valid_address(address)) return;
  if (device_id == engine_.device_id()) return;
  if (std::find(options_.addresses.begin(), options_.addresses.end(), address) !=
      options_.addresses.end())
    return;                                              // ourselves
  PeerRecord record = remembered(device_id, {address});  // reads the store: before the lock
  // Looking and starting under one lock: two peers telling of the same door
  // at once must not start two links to it.
  std::lock_guard lock(mutex_);
  if (std::find(own_addresses_.begin(), own_addresses_.end(), address) != own_addresses_.end())
    return;
  for (auto& l : links_) {
    std::lock_guard rec(l->mutex);
    const bool same_device = !device_id.empty() && l->device_id == device_id;
    const bool same_address = std::find(l->record.addresses.begin(), l->record.addresses.end(),
                                        address) != l->record.addresses.end();
    if (same_device && !same_address) {
      l->record.addresses.push_back(address);
      l->woken = true;  // a link waiting to retry tries the new way now
      l->wake.notify_all();
    }
    if (same_device || same_address) return;
  }
  start_link_locked(std::move(record));
}

void DoorExchange::start_link_locked(PeerRecord record) {
  auto link = std::make_unique<Link>();
  link->device_id = record.device_id;
  link->record = std::move(record);
  Link& l = *link;
  l.thread = std::jthread([this, &l](std::stop_token stop) {
    // A link that fails for good says so where `doors status` and the
    // dashboard show it, rather than ending the door process.
    try {
      run_link(l, stop);
    } catch (const std::exception& e) {
      std::lock_guard lock(l.mutex);
      l.record.last_error = std::string("stopped following this door: ") + e.what();
      log_error("Doors: " + l.record.last_error);
    }
  });
  pthread_setname_np(l.thread.native_handle(), "fd-door");
  links_.push_back(std::move(link));
}

std::optional<Error> DoorExchange::greeted(Link& link, const std::string& address,
                                           const PeerRecord& peer) {
  std::lock_guard lock(mutex_);
  // The address changed hands (a DHCP lease, a stale tip from a peer): this
  // link's cursors are another door's and must not be used on this one.
  if (!link.device_id.empty() && link.device_id != peer.device_id)
    return Error{"doors.other", address + " now answers as another door"};
  if (link.device_id.empty()) {
    // A link started from an address alone reaches a door another link
    // already follows: that link gets this one's addresses, the one that
    // answered first (its own may all run through a cable that is out),
    // and this one ends.
    for (auto& other : links_) {
      if (other.get() == &link || other->device_id != peer.device_id) continue;
      std::scoped_lock both(link.mutex, other->mutex);
      auto& theirs = other->record.addresses;
      std::vector<std::string> mine = link.record.addresses;
      std::erase(mine, address);
      mine.insert(mine.begin(), address);
      for (auto a = mine.rbegin(); a != mine.rend(); ++a) {
        std::erase(theirs, *a);
        theirs.insert(theirs.begin(), *a);
      }
      return Error{"doors.duplicate", address + " reaches a door another link follows"};
    }
    link.device_id = peer.device_id;
  }
  // Known from the greeting on, not only once the long poll ends (up to
  // its 20 s later): gossip about this door now finds this link, and the
  // organizer sees its name, its clock and that it answers again.
  PeerRecord now;
  bool back = false;
  {
    std::lock_guard rl(link.mutex);
    link.record.device_id = peer.device_id;
    link.record.name = peer.name;
    link.record.last_heard = peer.last_heard;
    link.record.clock_offset_ms = peer.clock_offset_ms;
    link.record.their_seq = std::max(link.record.their_seq, peer.their_seq);
    link.record.last_error.clear();
    back = link.reached != true;
    link.reached = true;
    now = link.record;
  }
  if (back) {
    log_info("Doors: exchanging with " + (now.name.empty() ? "a door" : now.name) + " at " +
             address);
    engine_.post(SavePeer{now}, {});
  }
  return std::nullopt;
}

void DoorExchange::run_link(Link& link, std::stop_token stop) {
  std::chrono::milliseconds backoff(200);
  TimeMs saved_at = 0;
  while (!stop.stop_requested()) {
    PeerRecord rec;
    {
      std::lock_guard lock(link.mutex);
      rec = link.record;
    }
    const std::string secret = service_->secret();
    if (secret.empty()) {  // not paired (yet): nothing to ask anyone
      // A paired door's greeting means `doors pair` has run here meanwhile.
      rest(link, stop, std::chrono::milliseconds(1000));
      continue;
    }
    std::string error;
    bool ok = false;
    std::vector<std::pair<std::string, std::string>> elsewhere;  // address, the door it reaches
    const std::vector<std::string> candidates = rec.addresses;   // rec changes below
    for (const std::string& address : candidates) {
      if (stop.stop_requested()) return;
      std::string answered_as;
      auto r =
          pull_from_door(engine_, secret, address, rec, options_.long_poll,
                         options_.connect_timeout, options_.addresses, [&](const PeerRecord& p) {
                           answered_as = p.device_id;
                           return greeted(link, address, p);
                         });
      if (!r) {
        const std::string& code = r.error().code;
        if (code == "doors.duplicate") return;
        if (code == "doors.self" || code == "doors.other") {
          // Not an address of this link's door: this one (learnt by
          // gossip) or another door (followed by its own link).
          std::lock_guard lock(mutex_);
          if (code == "doors.self")
            own_addresses_.push_back(address);
          else
            elsewhere.emplace_back(address, answered_as);
          std::lock_guard rl(link.mutex);
          std::erase(link.record.addresses, address);
          std::erase(rec.addresses, address);
          continue;
        }
        error = r.error().message;
        continue;
      }
      ok = true;
      rec = std::move(r->peer);
      // Move the address that worked to the front: it is tried first next time.
      if (auto worked = std::find(rec.addresses.begin(), rec.addresses.end(), address);
          worked != rec.addresses.end())
        std::rotate(rec.addresses.begin(), worked, worked + 1);
      for (const std::string& p : r->hello.peers) {
        const auto at = p.find('@');
        if (at != std::string::npos) add_peer(p.substr(at + 1), p.substr(0, at));
      }
      break;
    }
    for (const auto& [address, door] : elsewhere) add_peer(address, door);
    if (!ok) rec.last_error = error.empty() ? "no address answers" : error;
    bool ended = false;
    {
      std::lock_guard lock(mutex_);
      std::lock_guard rl(link.mutex);
      // Addresses added meanwhile (add_peer) stay.
      for (const std::string& a : link.record.addresses)
        if (std::find(rec.addresses.begin(), rec.addresses.end(), a) == rec.addresses.end())
          rec.addresses.push_back(a);
      link.record = rec;
      // Every address it had reached this door itself: nothing to follow.
      ended = link.device_id.empty() && rec.addresses.empty();
    }
    if (ended) return;
    {
      std::lock_guard lock(service_->mutex);
      if (!rec.device_id.empty() && !rec.addresses.empty()) {
        const std::string entry = rec.device_id + "@" + rec.addresses.front();
        auto& peers = service_->peers;
        std::erase_if(peers,
                      [&](const std::string& p) { return p.rfind(rec.device_id + "@", 0) == 0; });
        peers.push_back(entry);
      }
    }
    // Remember the peer (cursors, when heard) at most every few seconds:
    // after a restart the exchange resumes where it was, and a re-read is
    // harmless (merging is a set union). Whether it answers is saved at
    // once: `doors status` reads it from the store.
    // (That it answers again was saved at the greeting.)
    bool lost = false;
    {
      std::lock_guard rl(link.mutex);
      lost = !ok && link.reached != false;
      if (!ok) link.reached = false;
    }
    if (!rec.device_id.empty() && (now_ms() - saved_at > 3000 || !ok)) {
      engine_.post(SavePeer{rec}, {});
      saved_at = now_ms();
    }
    if (!rec.device_id.empty() && lost)
      log_warning("Doors: cannot reach " + (rec.name.empty() ? "a door" : rec.name) + ": " +
                  rec.last_error);
    if (ok) {
      backoff = std::chrono::milliseconds(200);
    } else if (rest(link, stop, backoff)) {
      backoff = std::chrono::milliseconds(200);
    } else {
      backoff = std::min(backoff * 2, options_.retry_max);
    }
  }
}

WorkerHealth DoorExchange::health() const {
  WorkerHealth h{"Doors", true, "", WorkerKind::Doors};
  std::vector<PeerRecord> peers;
  {
    std::lock_guard lock(mutex_);
    for (const auto& l : links_) {
      std::lock_guard rl(l->mutex);
      if (!l->record.device_id.empty()) peers.push_back(l->record);
    }
  }
  if (service_->secret().empty()) {
    h.message = "Not paired with other doors (frontdesk doors pair)";
    return h;
  }
  if (peers.empty()) {
    h.message = "No other door yet: pair one with `frontdesk doors pair`";
    // Why the doors on this LAN may not find each other by themselves.
    if (discovery_)
      if (const std::string why = discovery_->problem(); !why.empty())
        h.message += " (" + why + ")";
    return h;
  }
  const TimeMs now = now_ms();
  std::string problems;
  for (const PeerRecord& p : peers) {
    const std::string name = p.name.empty() ? "a door" : p.name;
    const TimeMs silent = p.last_heard ? now - p.last_heard : -1;
    if (silent < 0 || silent > 30'000) {
      const std::string since = silent < 0 ? " yet"
                                : silent < 120'000
                                    ? " for " + std::to_string(silent / 1000) + " s"
                                    : " for " + std::to_string(silent / 60'000) + " min";
      problems += (problems.empty() ? "" : "; ") + name + " not heard from" + since +
                  " — counts may be low";
      h.counts_may_be_low = true;
    } else if (std::abs(p.clock_offset_ms) > 60'000) {
      problems += (problems.empty() ? "" : "; ") + name + "'s clock is " +
                  std::to_string(std::abs(p.clock_offset_ms) / 60'000) + " min off";
    }
  }
  h.ok = problems.empty();
  h.message = problems.empty() ? std::to_string(peers.size() + 1) + " doors in step" : problems;
  return h;
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
