#include "doors/DoorExchange.h"

#include <pthread.h>

#include <algorithm>
#include <condition_variable>
#include <functional>
#include <map>
#include <set>

#include "base/Log.h"
#include "doors/Discovery.h"
#include "doors/DoorAuth.h"
#include "doors/DoorSecret.h"
#include "doors/DoorService.h"
#include "doors/Join.h"
#include "doors/Pairing.h"
#include "doors/Reach.h"
#include "engine/Engine.h"

namespace fd {

// The links to other doors and what they learn. What this door answers
// them is in DoorService.cpp, one pull from a door in DoorPull.cpp.

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

Result<std::unique_ptr<DoorExchange>> DoorExchange::start(Engine& engine,
                                                          const DoorServing& serving,
                                                          DoorsOptions options) {
  const auto snap = engine.snapshot();
  auto ex = std::unique_ptr<DoorExchange>(new DoorExchange(engine, std::move(options)));
  DoorExchange* self = ex.get();
  self->my_host_ = this_host();
  self->process_ = this_process();
  self->addresses_ = self->options_.addresses;
  self->service_ = std::make_shared<DoorService>(engine, serving.stopping);
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
  mount_door_routes(serving, self->service_);
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
    if (options_.follow) set_addresses(options_.follow());
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

}  // namespace fd
