#include "doors/DoorExchange.h"

#include <httplib.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <sys/socket.h>

#include <algorithm>
#include <condition_variable>
#include <functional>
#include <map>
#include <set>

#include "base/Log.h"
#include "doors/Discovery.h"
#include "doors/DoorAuth.h"
#include "doors/DoorSecret.h"
#include "doors/Join.h"
#include "doors/Pairing.h"
#include "doors/Reach.h"
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
  std::string host;  // this door's host key
  std::chrono::milliseconds max_wait{25000};
  mutable std::mutex mutex;
  std::vector<std::string> addresses;        // where this door answers now
  std::vector<std::string> peers;            // "device@host:port", told to peers in the greeting
  std::map<std::string, std::string> names;  // device -> name of the doors this one knows
  // What a greeting tells the exchange; cleared (under hooks_mutex) before
  // the exchange goes, as a request may still be answered meanwhile.
  struct Hooks {
    // A door that greets us says where it answers: we pull from it too.
    std::function<void(const std::string& device, const std::vector<std::string>& addresses,
                       const std::string& host)>
        learn;
    // It is up: a link to it that waits to retry need not wait.
    std::function<void(const std::string& device)> greeted_by;
  };
  void set_hooks(Hooks h) {
    std::lock_guard lock(hooks_mutex);
    hooks = std::move(h);
  }
  void learn(const std::string& device, const std::vector<std::string>& addresses,
             const std::string& host) const {
    std::lock_guard lock(hooks_mutex);
    if (hooks.learn) hooks.learn(device, addresses, host);
  }
  void greeted_by(const std::string& device) const {
    std::lock_guard lock(hooks_mutex);
    if (hooks.greeted_by) hooks.greeted_by(device);
  }
  // The event's door secret, read once it exists: `frontdesk doors pair`
  // may run while this door already serves.
  std::string secret() const {
    std::lock_guard lock(mutex);
    if (cached_secret.empty())
      if (auto s = load_door_secret(config_dir, event_slug)) cached_secret = *s;
    return cached_secret;
  }
  // The greeting for a door on `their_host`: this door's loopback
  // addresses, and those of doors it reaches on this host, only for a door
  // on this host too.
  DoorHello hello_for(const std::string& their_host) const;

 private:
  mutable std::string cached_secret;  // guarded by mutex
  mutable std::mutex hooks_mutex;
  Hooks hooks;  // guarded by hooks_mutex
};

DoorHello DoorService::hello_for(const std::string& their_host) const {
  const auto snap = engine.snapshot();
  DoorHello h;
  h.door_id = device_id;
  h.door_name = snap->door;
  h.event_slug = snap->event.slug;
  h.event_name = snap->event.name;
  h.capacity = snap->event.capacity;
  h.clock = now_ms();
  h.seq = engine.last_seq().get();
  h.epoch = engine.log_epoch();
  h.host = host;
  h.names.emplace_back(device_id, snap->door);
  std::lock_guard lock(mutex);
  h.addresses = offered_to(addresses, their_host, host);
  for (const std::string& p : peers)
    if (usable_from(p.substr(p.find('@') + 1), host, their_host)) h.peers.push_back(p);
  for (const auto& [device, name] : names)
    if (device != device_id && !name.empty()) h.names.emplace_back(device, name);
  return h;
}

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

// The greeting. `host` says which host the greeting door runs on (an older
// door says nothing; over loopback it is this one), `from` where it answers.
void greet(const DoorService& s, const WebRequest& r, WebResponse& out) {
  std::string their_host = r.query_param("host").value_or("");
  if (their_host.size() > 64 ||
      their_host.find_first_not_of("0123456789abcdef") != std::string::npos)
    their_host.clear();
  if (their_host.empty() && is_loopback(r.remote_addr + ":0")) their_host = s.host;
  const std::string door = r.header(kDoorHeader);
  if (door != s.device_id) {
    s.greeted_by(door);
    // "from=host:port,host:port", at most 8.
    const std::string from = r.query_param("from").value_or("");
    std::vector<std::string> addresses;
    for (std::size_t start = 0; start < from.size() && addresses.size() < 8;) {
      const auto comma = from.find(',', start);
      const std::string a = from.substr(start, comma - start);
      if (valid_address(a)) addresses.push_back(a);
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
    if (!addresses.empty()) s.learn(door, addresses, their_host);
  }
  answer(s, r, out, to_json(s.hello_for(their_host)));
}

// A long poll: answers at once when there is something past `since`,
// else when anything changes here (attendees too) or `wait` ms pass.
void serve_log(const DoorService& s, const WebRequest& r, WebResponse& out) {
  const std::int64_t since = query_int(r, "since", 0);
  const auto limit = static_cast<std::size_t>(
      std::clamp<std::int64_t>(query_int(r, "limit", kPage), 1, kMaxPageItems));
  const auto wait = std::chrono::milliseconds(
      std::min<std::int64_t>(query_int(r, "wait", 0), s.max_wait.count()));
  std::uint64_t version = s.engine.snapshot()->version;
  std::vector<ReplicaEntry> entries = s.engine.log_page(since, limit).get();
  const auto deadline = std::chrono::steady_clock::now() + wait;
  while (entries.empty() && std::chrono::steady_clock::now() < deadline && !s.server.stopping()) {
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
}

void serve_attendees(const DoorService& s, const WebRequest& r, WebResponse& out) {
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
}

void mount_routes(WebServer& server, const std::shared_ptr<DoorService>& service) {
  using Handle = void (*)(const DoorService&, const WebRequest&, WebResponse&);
  const auto guarded = [service](Handle handle) {
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
  server.mount("GET", "/doors/v1/hello", guarded(&greet));
  server.mount("GET", "/doors/v1/log", guarded(&serve_log));
  server.mount("GET", "/doors/v1/attendees", guarded(&serve_attendees));
}

}  // namespace

// ---------------------------------------------------------------------------
// [SECTION] Asking other doors
// ---------------------------------------------------------------------------

// Lets another thread end a link's call in flight: its door answers
// elsewhere now, or this door's own address changed under the connection.
// httplib's Client::stop() shuts the socket down, and the call returns.
class CallInterrupt {
 public:
  // False when interrupted already: do not start the call.
  bool attach(httplib::Client* client) {
    std::lock_guard lock(mutex_);
    client_ = client;
    return !interrupted_;
  }
  // True when the call was interrupted.
  bool detach() {
    std::lock_guard lock(mutex_);
    client_ = nullptr;
    return interrupted_;
  }
  void interrupt() {
    std::lock_guard lock(mutex_);
    interrupted_ = true;
    if (client_) client_->stop();
  }
  void reset() {
    std::lock_guard lock(mutex_);
    interrupted_ = false;
  }

 private:
  std::mutex mutex_;
  httplib::Client* client_ = nullptr;  // guarded by mutex_
  bool interrupted_ = false;           // guarded by mutex_
};

namespace {

// A door that vanished mid long poll (its Wi-Fi dropped, DHCP gave it
// another address) is noticed within seconds, not at the end of the poll:
// its kernel answers no keep-alive probe.
void probe_often(socket_t sock) {
  int yes = 1, idle = 2, interval = 1, count = 3;
  ::setsockopt(sock, SOL_SOCKET, SO_KEEPALIVE, &yes, sizeof yes);
  ::setsockopt(sock, IPPROTO_TCP, TCP_KEEPIDLE, &idle, sizeof idle);
  ::setsockopt(sock, IPPROTO_TCP, TCP_KEEPINTVL, &interval, sizeof interval);
  ::setsockopt(sock, IPPROTO_TCP, TCP_KEEPCNT, &count, sizeof count);
  unsigned int unacked_ms = 5000;  // data sent and never acknowledged
  ::setsockopt(sock, IPPROTO_TCP, TCP_USER_TIMEOUT, &unacked_ms, sizeof unacked_ms);
}

// One signed GET to a peer; the answer's signature is checked before it is
// believed. Loopback is plain HTTP (tests, two processes on one machine);
// the LAN is HTTPS, whose self-signed certificate needs no trust because
// the answer is signed with the event's secret.
struct PeerCall {
  const std::string& secret;
  const std::string& my_device;
  std::chrono::milliseconds connect_timeout;
  CallInterrupt* interrupt = nullptr;

  Result<std::string> get(const std::string& address, const std::string& path_and_query,
                          std::chrono::milliseconds read_timeout) const {
    const std::string base = (is_loopback(address) ? "http://" : "https://") + address;
    httplib::Client client(base);
    client.enable_server_certificate_verification(false);
    client.set_connection_timeout(connect_timeout);
    client.set_read_timeout(read_timeout + std::chrono::seconds(5));
    client.set_write_timeout(std::chrono::seconds(5));
    client.set_url_encode(false);  // the signature covers the path exactly as sent
    client.set_socket_options(probe_often);
    const std::string nonce = new_nonce();
    const auto q = path_and_query.find('?');
    const std::string what = "GET " + path_and_query.substr(0, q) +
                             (q == std::string::npos ? "" : path_and_query.substr(q));
    httplib::Headers headers{
        {kDoorHeader, my_device},
        {kNonceHeader, nonce},
        {kSignatureHeader, door_signature(secret, what, my_device, nonce, "")}};
    const Error interrupted{"doors.interrupted", "the call to " + address + " was interrupted"};
    if (interrupt && !interrupt->attach(&client)) return interrupted;
    auto res = client.Get(path_and_query, headers);
    if (interrupt && interrupt->detach()) return interrupted;
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

// The greeting: who answers at `address`, its clock, where else it answers.
Result<DoorHello> ask_hello(const PeerCall& call, const std::string& address,
                            const PeerRecord& peer, const std::string& me, const PullOptions& o) {
  // Where this door answers, told only as far as the other can use it: a
  // door first met on a loopback address is on this host.
  const std::string their_host = peer.host.empty() && is_loopback(address) ? me : peer.host;
  std::string from;
  for (const std::string& a : offered_to(o.my_addresses, their_host, me))
    from += (from.empty() ? "" : ",") + a;
  const std::string query = "/doors/v1/hello?host=" + me + (from.empty() ? "" : "&from=" + from);
  auto text = call.get(address, query, o.connect_timeout * 2);
  if (!text) return text.error();
  return parse_hello(*text);
}

}  // namespace

Result<DoorPull> pull_from_door(Engine& engine, const std::string& secret,
                                const std::string& address, PeerRecord peer, const PullOptions& o) {
  const PeerCall call{secret, engine.device_id(), o.connect_timeout, o.interrupt};
  const std::string me = this_host();
  DoorPull out;
  const TimeMs asked = now_ms();
  auto hello = ask_hello(call, address, peer, me, o);
  if (!hello) return hello.error();
  const TimeMs answered = now_ms();
  const auto snap = engine.snapshot();
  if (hello->event_slug != snap->event.slug)
    return Error{"doors.event", address + " serves another event (" + hello->event_slug + ")"};
  if (hello->door_id == engine.device_id()) return Error{"doors.self", address + " is this door"};
  peer.device_id = hello->door_id;
  peer.name = hello->door_name;
  // Reached on our loopback, it is on this host, whatever an older door says.
  peer.host = is_loopback(address) ? me : hello->host;
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
  std::erase_if(peer.addresses,
                [&](const std::string& a) { return !usable_from(a, peer.host, me); });
  for (const std::string& a : hello->addresses)
    if (valid_address(a) && usable_from(a, peer.host, me) &&
        std::find(peer.addresses.begin(), peer.addresses.end(), a) == peer.addresses.end())
      peer.addresses.push_back(a);
  out.hello = *hello;
  if (o.greeted)
    if (auto stop = o.greeted(peer)) return *stop;

  // Attendees first (a walk-in's check-in needs the walk-in), then the log;
  // a log entry naming someone not yet here means: attendees again.
  for (int round = 0; round < 3; ++round) {
    for (;;) {
      auto text = call.get(address, "/doors/v1/attendees?cursor=" + peer.attendee_cursor,
                           o.connect_timeout * 4);
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
    const bool wait = round == 0 && o.long_poll.count() > 0 && peer.their_seq <= peer.log_cursor;
    const std::string query = "/doors/v1/log?since=" + std::to_string(peer.log_cursor) +
                              "&limit=" + std::to_string(kPage) +
                              (wait ? "&wait=" + std::to_string(o.long_poll.count()) : "");
    auto text = call.get(address, query, wait ? o.long_poll : o.connect_timeout * 4);
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

namespace {
// Ways to one door a link keeps (DHCP renumbering a door all evening adds one each time).
constexpr std::size_t kMaxLinkAddresses = 8;
// An address that has not answered for this long while another of its
// door's did is dropped (the door's old DHCP lease).
constexpr TimeMs kDropSilentMs = 60'000;
}  // namespace

struct DoorExchange::Link {
  std::string device_id;  // "" until its first greeting; guarded by the exchange's mutex_
  mutable std::mutex mutex;
  PeerRecord record;            // guarded by mutex
  bool woken = false;           // guarded by mutex: retry now, the door is up
  std::optional<bool> reached;  // guarded by mutex: whether it answers (said when it changes)
  std::string calling;          // guarded by mutex: the address asked right now
  std::string fresh_first;      // guarded by mutex: put first by DNS-SD or the door itself
  std::string announced;        // guarded by mutex: where DNS-SD last said it answers
  std::map<std::string, TimeMs> failing_since;  // guarded by mutex
  CallInterrupt interrupt;
  std::condition_variable_any wake;
  std::jthread thread;
};

// What one pass over a link's addresses came to.
struct DoorExchange::Round {
  PeerRecord rec;
  bool ok = false;
  bool interrupted = false;  // a fresher address came up: go again at once
  bool ended = false;        // another link follows this door: this one ends
  std::string error;
  std::string worked;               // the address that answered
  std::vector<std::string> failed;  // addresses that did not answer at all
  std::vector<std::pair<std::string, std::string>> elsewhere;  // address, the door it reaches
  std::vector<std::string> gossip;  // "device@host:port" the door told of
  std::string gossip_host;          // the host key of the door that told
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
  DoorExchange* self = ex.get();
  self->server_ = &server;
  self->my_host_ = this_host();
  self->process_ = this_process();
  // No --advertise: where this door answers is wherever its server does,
  // on whatever addresses the machine has now.
  self->follow_interfaces_ = self->options_.addresses == door_addresses(server.endpoints());
  self->addresses_ = self->options_.addresses;
  self->service_ = std::make_shared<DoorService>(engine, server);
  DoorService& service = *self->service_;
  service.config_dir = self->options_.config_dir;
  service.event_slug = snap->event.slug;
  service.device_id = engine.device_id();
  service.host = self->my_host_;
  service.addresses = self->addresses_;
  const std::vector<PeerRecord> known = engine.peers().get();
  for (const PeerRecord& p : known) service.names[p.device_id] = p.name;
  service.set_hooks(
      {.learn = [self](const std::string& device, const std::vector<std::string>& addresses,
                       const std::string& host) { self->door_says(device, addresses, host); },
       .greeted_by = [self](const std::string& device) { self->wake(device); }});
  mount_routes(server, self->service_);
  // Where this process answers, for `frontdesk doors pair` elsewhere; rows
  // of processes that died without saying so go.
  for (DoorListener l : engine.listeners().get())
    if (l.process != self->process_ && !process_alive(l.process)) {
      l.addresses.clear();
      engine.post(SaveListener{l}, {});
    }
  self->save_listener(false);
  // Every peer this door has heard of, then the config's addresses.
  {
    std::lock_guard lock(self->mutex_);
    for (PeerRecord p : known) {
      if (!p.host.empty())
        std::erase_if(p.addresses, [&](const std::string& a) {
          return !usable_from(a, p.host, self->my_host_);
        });
      self->start_link_locked(std::move(p));
    }
  }
  for (const std::string& a : self->options_.static_peers)
    self->add_peer(a, "", Heard::Config, self->my_host_);
  if (self->options_.discover) {
    auto discovery =
        std::make_unique<Discovery>(snap->event.slug, engine.device_id(), self->addresses_,
                                    [self](const std::string& device, const std::string& address) {
                                      self->add_peer(address, device, Heard::Discovery, "");
                                    });
    std::lock_guard lock(self->discovery_mutex_);
    self->discovery_ = std::move(discovery);
  }
  self->watcher_ = std::jthread([self](std::stop_token stop) { self->watch(stop); });
  pthread_setname_np(self->watcher_.native_handle(), "fd-door-watch");
  return ex;
}

DoorExchange::DoorExchange(Engine& engine, DoorsOptions options)
    : engine_(engine), options_(std::move(options)) {}

DoorExchange::~DoorExchange() {
  if (watcher_.joinable()) {
    watcher_.request_stop();
    watcher_.join();
  }
  std::unique_ptr<Discovery> discovery;
  {
    std::lock_guard lock(discovery_mutex_);
    discovery.swap(discovery_);
  }
  discovery.reset();  // no new peers while the links stop
  service_->set_hooks({});
  std::vector<std::unique_ptr<Link>> links;
  {
    std::lock_guard lock(mutex_);
    links.swap(links_);
  }
  for (auto& l : links) {
    l->thread.request_stop();
    l->interrupt.interrupt();  // a long poll ends now, not at its timeout
  }
  links.clear();  // joins
  save_listener(true);
}

void DoorExchange::watch(std::stop_token stop) {
  std::mutex m;
  std::condition_variable_any tick;
  while (!stop.stop_requested()) {
    {
      std::unique_lock lock(m);
      tick.wait_for(lock, stop, std::chrono::seconds(1), [] { return false; });
    }
    if (stop.stop_requested()) return;
    // getifaddrs() is cheap; DHCP renumbering the door is rare but must be
    // told to the others at once (they would keep asking the old address).
    if (follow_interfaces_) set_addresses(door_addresses(server_->endpoints()));
    std::lock_guard lock(discovery_mutex_);
    if (discovery_) discovery_->keep_fresh();
  }
}

void DoorExchange::set_addresses(std::vector<std::string> now) {
  {
    std::lock_guard lock(mutex_);
    if (now == addresses_) return;
    bool lost = false;
    for (const std::string& a : addresses_)
      lost = lost || std::find(now.begin(), now.end(), a) == now.end();
    addresses_ = now;
    {
      std::lock_guard sl(service_->mutex);
      service_->addresses = now;
    }
    // Connections made from an address this machine no longer has are
    // dead, however long their poll would wait: start again from the new one.
    if (lost)
      for (auto& l : links_) {
        std::lock_guard rl(l->mutex);
        l->interrupt.interrupt();
        l->woken = true;
        l->wake.notify_all();
      }
  }
  std::string where;
  for (const std::string& a : now) where += (where.empty() ? "" : ", ") + a;
  log_notice("Doors: this door now answers at " + (where.empty() ? "no address" : where));
  save_listener(false);
  std::lock_guard lock(discovery_mutex_);
  if (discovery_) discovery_->set_addresses(now);
}

void DoorExchange::save_listener(bool stopping) {
  DoorListener l;
  l.process = process_;
  l.host = my_host_;
  l.updated_at = now_ms();
  if (!stopping) {
    std::lock_guard lock(mutex_);
    l.addresses = addresses_;
  }
  engine_.post(SaveListener{std::move(l)}, {});
}

void DoorExchange::refresh_discovery() {
  std::lock_guard lock(discovery_mutex_);
  if (discovery_) discovery_->refresh();
}

PeerRecord DoorExchange::remembered(const std::string& device_id,
                                    const std::vector<std::string>& addresses) const {
  PeerRecord r;
  if (!device_id.empty())
    for (const PeerRecord& p : engine_.peers().get())
      if (p.device_id == device_id) r = p;
  r.device_id = device_id;
  if (!r.host.empty())
    std::erase_if(r.addresses,
                  [&](const std::string& a) { return !usable_from(a, r.host, my_host_); });
  for (const std::string& a : addresses)
    if (std::find(r.addresses.begin(), r.addresses.end(), a) == r.addresses.end())
      r.addresses.push_back(a);
  return r;
}

void DoorExchange::remember_address_locked(Link& l, const std::string& address, Heard heard,
                                           bool interrupt) {
  auto& list = l.record.addresses;
  const auto it = std::find(list.begin(), list.end(), address);
  if (heard == Heard::Discovery || heard == Heard::Greeting) {
    // Where the door says (or the LAN says) it answers now: tried first,
    // and a call in flight to an address it left starts again there.
    l.failing_since.erase(address);
    l.fresh_first = address;
    if (it != list.begin() || list.empty()) {
      if (it != list.end()) list.erase(it);
      list.insert(list.begin(), address);
      if (interrupt) l.interrupt.interrupt();
    }
  } else if (it == list.end()) {
    list.push_back(address);
  } else {
    return;
  }
  // The least recently useful way goes first; the config's never.
  for (std::size_t i = list.size(); list.size() > kMaxLinkAddresses && i-- > 1;)
    if (!is_static(list[i]) && list[i] != l.calling)
      list.erase(list.begin() + static_cast<long>(i));
  l.woken = true;  // a link waiting to retry tries the new way now
  l.wake.notify_all();
}

void DoorExchange::add_peer(const std::string& address, const std::string& device_id, Heard heard,
                            const std::string& host) {
  if (!valid_address(address)) return;
  if (device_id == engine_.device_id()) return;
  // Another host's loopback address is this host's: never that door.
  if (!usable_from(address, host, my_host_)) return;
  PeerRecord record = remembered(device_id, {address});  // reads the store: before the lock
  // Looking and starting under one lock: two peers telling of the same door
  // at once must not start two links to it.
  std::lock_guard lock(mutex_);
  if (std::find(addresses_.begin(), addresses_.end(), address) != addresses_.end()) return;
  if (std::find(own_addresses_.begin(), own_addresses_.end(), address) != own_addresses_.end())
    return;
  for (auto& l : links_) {
    std::lock_guard rec(l->mutex);
    const bool same_device = !device_id.empty() && l->device_id == device_id;
    const bool same_address = std::find(l->record.addresses.begin(), l->record.addresses.end(),
                                        address) != l->record.addresses.end();
    if (same_device && heard == Heard::Discovery && l->announced != address) {
      // Said once per move: how the organizer (and the journal) sees a
      // door follow its DHCP lease.
      l->announced = address;
      log_info("Doors: the LAN says " + (l->record.name.empty() ? "a door" : l->record.name) +
               " answers at " + address);
    }
    if (same_device)
      remember_address_locked(*l, address, heard, !l->calling.empty() && l->calling != address);
    if (same_device || same_address) return;
  }
  start_link_locked(std::move(record));
}

void DoorExchange::door_says(const std::string& device_id,
                             const std::vector<std::string>& addresses, const std::string& host) {
  if (device_id.empty() || device_id == engine_.device_id()) return;
  std::vector<std::string> usable;
  for (const std::string& a : addresses)
    if (valid_address(a) && usable_from(a, host, my_host_)) usable.push_back(a);
  if (usable.empty()) return;
  {
    std::lock_guard lock(mutex_);
    for (auto& l : links_) {
      if (l->device_id != device_id) continue;
      std::lock_guard rl(l->mutex);
      // Asking it at an address it no longer names: start again there.
      const bool left = !l->calling.empty() &&
                        std::find(usable.begin(), usable.end(), l->calling) == usable.end();
      for (auto a = usable.rbegin(); a != usable.rend(); ++a)
        remember_address_locked(*l, *a, Heard::Greeting, left);
      return;
    }
  }
  for (const std::string& a : usable) add_peer(a, device_id, Heard::Greeting, host);
}

bool DoorExchange::is_static(const std::string& address) const {
  return std::find(options_.static_peers.begin(), options_.static_peers.end(), address) !=
         options_.static_peers.end();
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
  bool back = false, renamed = false;
  {
    std::lock_guard rl(link.mutex);
    renamed = !link.record.name.empty() && link.record.name != peer.name;
    link.record.device_id = peer.device_id;
    link.record.name = peer.name;
    link.record.host = peer.host;
    // Its loopback addresses (an older door told them) lead back here.
    if (!peer.host.empty())
      std::erase_if(link.record.addresses,
                    [&](const std::string& a) { return !usable_from(a, peer.host, my_host_); });
    link.record.last_heard = peer.last_heard;
    link.record.clock_offset_ms = peer.clock_offset_ms;
    link.record.their_seq = std::max(link.record.their_seq, peer.their_seq);
    link.record.last_error.clear();
    back = link.reached != true;
    link.reached = true;
    now = link.record;
  }
  {
    std::lock_guard sl(service_->mutex);
    service_->names[peer.device_id] = peer.name;
  }
  if (back)
    log_info("Doors: exchanging with " + (now.name.empty() ? "a door" : now.name) + " at " +
             address);
  // Renamed (`frontdesk doors name` there): `doors status` here says so now,
  // not when this long poll ends.
  if (back || renamed) engine_.post(SavePeer{now}, {});
  return std::nullopt;
}

DoorExchange::Round DoorExchange::try_addresses(Link& link, PeerRecord rec,
                                                const std::string& secret, std::stop_token& stop) {
  Round round;
  PullOptions o;
  o.long_poll = options_.long_poll;
  o.connect_timeout = options_.connect_timeout;
  o.interrupt = &link.interrupt;
  {
    std::lock_guard lock(mutex_);
    o.my_addresses = addresses_;
  }
  if (!rec.host.empty())  // never another host's loopback
    std::erase_if(rec.addresses,
                  [&](const std::string& a) { return !usable_from(a, rec.host, my_host_); });
  const std::vector<std::string> candidates = rec.addresses;  // rec changes below
  for (const std::string& address : candidates) {
    if (stop.stop_requested()) break;
    std::string answered_as;
    o.greeted = [&](const PeerRecord& p) {
      answered_as = p.device_id;
      return greeted(link, address, p);
    };
    {
      std::lock_guard rl(link.mutex);
      link.calling = address;
    }
    auto r = pull_from_door(engine_, secret, address, rec, o);
    {
      std::lock_guard rl(link.mutex);
      link.calling.clear();
    }
    if (!r) {
      const std::string& code = r.error().code;
      if (code == "doors.interrupted") {
        round.interrupted = true;
        break;
      }
      if (code == "doors.duplicate") {
        round.ended = true;
        break;
      }
      if (code == "doors.self" || code == "doors.other") {
        // Not an address of this link's door: this one (learnt by
        // gossip) or another door (followed by its own link).
        std::lock_guard lock(mutex_);
        if (code == "doors.self")
          own_addresses_.push_back(address);
        else
          round.elsewhere.emplace_back(address, answered_as);
        std::lock_guard rl(link.mutex);
        std::erase(link.record.addresses, address);
        std::erase(rec.addresses, address);
        continue;
      }
      if (code == "doors.unreachable") round.failed.push_back(address);
      round.error = r.error().message;
      continue;
    }
    round.ok = true;
    round.worked = address;
    round.gossip = r->hello.peers;
    round.gossip_host = r->peer.host;
    rec = std::move(r->peer);
    // Move the address that worked to the front: it is tried first next time.
    if (auto worked = std::find(rec.addresses.begin(), rec.addresses.end(), address);
        worked != rec.addresses.end())
      std::rotate(rec.addresses.begin(), worked, worked + 1);
    break;
  }
  round.rec = std::move(rec);
  return round;
}

bool DoorExchange::settle(Link& link, Round& round) {
  const TimeMs now = now_ms();
  std::lock_guard lock(mutex_);
  std::lock_guard rl(link.mutex);
  PeerRecord& rec = round.rec;
  if (!round.ok) {
    // What the greeting learnt stays; only the error is this round's news.
    std::vector<std::string> tried = rec.addresses;
    rec = link.record;
    rec.addresses = tried;
    if (!round.interrupted)
      rec.last_error = round.error.empty() ? "no address answers" : round.error;
  }
  // Addresses added meanwhile (add_peer) stay; one the door or the LAN just
  // named comes first.
  for (const std::string& a : link.record.addresses)
    if (std::find(rec.addresses.begin(), rec.addresses.end(), a) == rec.addresses.end())
      rec.addresses.push_back(a);
  if (!link.fresh_first.empty()) {
    if (auto f = std::find(rec.addresses.begin(), rec.addresses.end(), link.fresh_first);
        f != rec.addresses.end())
      std::rotate(rec.addresses.begin(), f, f + 1);
    link.fresh_first.clear();
  }
  for (const std::string& a : round.failed) link.failing_since.emplace(a, now);
  if (round.ok) {
    link.failing_since.erase(round.worked);
    // Silent for a minute while this one answers: an old lease, gone.
    for (auto it = link.failing_since.begin(); it != link.failing_since.end();) {
      if (now - it->second > kDropSilentMs && !is_static(it->first)) {
        std::erase(rec.addresses, it->first);
        it = link.failing_since.erase(it);
      } else {
        ++it;
      }
    }
  }
  if (!rec.host.empty())
    std::erase_if(rec.addresses,
                  [&](const std::string& a) { return !usable_from(a, rec.host, my_host_); });
  link.record = rec;
  // Every address it had reached this door itself: nothing to follow.
  return link.device_id.empty() && rec.addresses.empty();
}

void DoorExchange::run_link(Link& link, std::stop_token stop) {
  std::chrono::milliseconds backoff(200);
  TimeMs saved_at = 0;
  std::string saved_front;
  while (!stop.stop_requested()) {
    link.interrupt.reset();
    PeerRecord start;
    {
      std::lock_guard lock(link.mutex);
      start = link.record;
    }
    const std::string secret = service_->secret();
    if (secret.empty()) {  // not paired (yet): nothing to ask anyone
      // A paired door's greeting means `doors pair` has run here meanwhile.
      rest(link, stop, std::chrono::milliseconds(1000));
      continue;
    }
    Round round = try_addresses(link, std::move(start), secret, stop);
    if (round.ended || stop.stop_requested()) return;
    for (const auto& [address, door] : round.elsewhere)
      add_peer(address, door, Heard::Elsewhere, my_host_);
    for (const std::string& p : round.gossip)
      if (const auto at = p.find('@'); at != std::string::npos)
        add_peer(p.substr(at + 1), p.substr(0, at), Heard::Gossip, round.gossip_host);
    if (settle(link, round)) return;
    const PeerRecord& rec = round.rec;
    if (!rec.device_id.empty() && !rec.addresses.empty()) {
      std::lock_guard lock(service_->mutex);
      auto& peers = service_->peers;
      std::erase_if(peers,
                    [&](const std::string& p) { return p.rfind(rec.device_id + "@", 0) == 0; });
      peers.push_back(rec.device_id + "@" + rec.addresses.front());
    }
    if (round.interrupted) continue;  // at once, where the door answers now
    // Remember the peer (cursors, when heard) at most every few seconds:
    // after a restart the exchange resumes where it was, and a re-read is
    // harmless (merging is a set union). Whether it answers is saved at
    // once: `doors status` reads it from the store.
    // (That it answers again was saved at the greeting.)
    bool lost = false;
    {
      std::lock_guard rl(link.mutex);
      lost = !round.ok && link.reached != false;
      if (!round.ok) link.reached = false;
    }
    // Where it answers now is saved at once too (`doors status`, and the
    // first address tried after a restart).
    const std::string front = rec.addresses.empty() ? "" : rec.addresses.front();
    if (!rec.device_id.empty() &&
        (now_ms() - saved_at > 3000 || !round.ok || front != saved_front)) {
      engine_.post(SavePeer{rec}, {});
      saved_at = now_ms();
      saved_front = front;
    }
    if (!rec.device_id.empty() && lost)
      log_warning("Doors: cannot reach " + (rec.name.empty() ? "a door" : rec.name) + ": " +
                  rec.last_error);
    if (round.ok) {
      backoff = std::chrono::milliseconds(200);
      continue;
    }
    // No way to it answers: ask the LAN where it is now.
    if (!rec.device_id.empty()) refresh_discovery();
    if (rest(link, stop, backoff))
      backoff = std::chrono::milliseconds(200);
    else
      backoff = std::min(backoff * 2, options_.retry_max);
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
  const std::string me = engine_.snapshot()->door;
  for (const PeerRecord& p : peers) {
    const std::string name = p.name.empty() ? "a door" : p.name;
    // Two doors joined at once from one code: their check-ins would not say which.
    if (p.name == me)
      problems += (problems.empty() ? "" : "; ") + std::string("another door is also called ") +
                  me + ": rename one (frontdesk doors name)";
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
                  std::to_string((std::abs(p.clock_offset_ms) + 30'000) / 60'000) + " min off";
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
