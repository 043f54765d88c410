#include "doors/DoorPull.h"

#include <httplib.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <algorithm>

#include "doors/DoorAuth.h"
#include "doors/Pairing.h"
#include "doors/Reach.h"
#include "engine/Engine.h"

namespace fd {

bool CallInterrupt::attach(httplib::Client* client) {
  std::lock_guard lock(mutex_);
  client_ = client;
  return !interrupted_;
}

bool CallInterrupt::detach() {
  std::lock_guard lock(mutex_);
  client_ = nullptr;
  return interrupted_;
}

void CallInterrupt::interrupt() {
  std::lock_guard lock(mutex_);
  interrupted_ = true;
  if (client_) client_->stop();
}

void CallInterrupt::reset() {
  std::lock_guard lock(mutex_);
  interrupted_ = false;
}

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
                              "&limit=" + std::to_string(kDoorPage) +
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

}  // namespace fd
