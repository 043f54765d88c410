#include "doors/DoorService.h"

#include <algorithm>

#include "doors/DoorAuth.h"
#include "doors/Pairing.h"
#include "doors/Reach.h"
#include "engine/Engine.h"

namespace fd {

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

constexpr std::size_t kDoorPage = 1000;

std::string what_of(const std::string& method, const std::string& path, const std::string& query) {
  return method + " " + path + (query.empty() ? "" : "?" + query);
}

// Every request must be signed with the event's door secret; every answer
// is signed back, bound to the request's nonce.
bool authorized(const DoorService& s, const DoorAsk& r) {
  return door_signature_ok(s.secret(), what_of(r.method, r.path, r.query), r.header(kDoorHeader),
                           r.header(kNonceHeader), r.body, r.header(kSignatureHeader));
}

DoorReply answer(const DoorService& s, const DoorAsk& r, std::string json) {
  const std::string nonce = r.header(kNonceHeader);
  DoorReply out;
  out.headers.emplace_back(kDoorHeader, s.device_id);
  out.headers.emplace_back(kSignatureHeader,
                           door_signature(s.secret(), "answer " + nonce, s.device_id, nonce, json));
  out.body = std::move(json);
  return out;
}

std::int64_t query_int(const DoorAsk& r, const char* name, std::int64_t fallback) {
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
DoorReply greet(const DoorService& s, const DoorAsk& r) {
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
  return answer(s, r, to_json(s.hello_for(their_host)));
}

// A long poll: answers at once when there is something past `since`,
// else when anything changes here (attendees too) or `wait` ms pass.
DoorReply serve_log(const DoorService& s, const DoorAsk& r) {
  const std::int64_t since = query_int(r, "since", 0);
  const auto limit = static_cast<std::size_t>(
      std::clamp<std::int64_t>(query_int(r, "limit", kDoorPage), 1, kMaxPageItems));
  const auto wait = std::chrono::milliseconds(
      std::min<std::int64_t>(query_int(r, "wait", 0), s.max_wait.count()));
  std::uint64_t version = s.engine.snapshot()->version;
  std::vector<ReplicaEntry> entries = s.engine.log_page(since, limit).get();
  const auto deadline = std::chrono::steady_clock::now() + wait;
  while (entries.empty() && std::chrono::steady_clock::now() < deadline &&
         !(s.stopping && s.stopping())) {
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
  return answer(s, r, to_json(page));
}

DoorReply serve_attendees(const DoorService& s, const DoorAsk& r) {
  const std::string cursor = r.query_param("cursor").value_or("");
  if (cursor.size() > 40) return DoorReply{400, "bad cursor\n", {}};
  const auto limit = static_cast<std::size_t>(
      std::clamp<std::int64_t>(query_int(r, "limit", kDoorPage), 1, kMaxPageItems));
  auto read = s.engine.attendee_page(cursor, limit).get();
  AttendeePage page;
  page.more = read.attendees.size() == limit;
  page.next = read.next;
  page.attendees = std::move(read.attendees);
  return answer(s, r, to_json(page));
}

}  // namespace

void mount_door_routes(const DoorServing& serving, const std::shared_ptr<DoorService>& service) {
  using Handle = DoorReply (*)(const DoorService&, const DoorAsk&);
  const auto guarded = [service](Handle handle) -> DoorHandler {
    return [service, handle](const DoorAsk& r) {
      // The same answer for "no signature" and "wrong secret": nothing
      // to learn about this door without the pairing code.
      if (!authorized(*service, r))
        return DoorReply{
            401, "This door is not paired with yours: join with `frontdesk doors join CODE`\n", {}};
      return handle(*service, r);
    };
  };
  serving.mount("/doors/v1/hello", guarded(&greet));
  serving.mount("/doors/v1/log", guarded(&serve_log));
  serving.mount("/doors/v1/attendees", guarded(&serve_attendees));
}

}  // namespace fd
