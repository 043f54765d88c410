#include "doors/Join.h"

#include <algorithm>

#include "doors/DoorExchange.h"
#include "doors/DoorSecret.h"
#include "doors/Reach.h"
#include "engine/Engine.h"

namespace fd {

ServingDoor serving_door(Engine& engine) {
  ServingDoor out;
  for (const DoorListener& l : engine.listeners().get()) {  // the newest first
    if (!process_alive(l.process)) continue;                // stopped without saying so (killed)
    if (out.host.empty()) out.host = l.host;
    if (l.host != out.host) continue;  // one store is one machine's
    for (const std::string& a : l.addresses)
      if (std::find(out.addresses.begin(), out.addresses.end(), a) == out.addresses.end())
        out.addresses.push_back(a);
  }
  std::stable_partition(out.addresses.begin(), out.addresses.end(),
                        [](const std::string& a) { return !is_loopback(a); });
  return out;
}

Result<PairingCode> make_pairing_code(Engine& engine, const std::filesystem::path& config_dir,
                                      std::vector<std::string> addresses, std::string host) {
  // A kiosk asks long after it started: its own exchange knows where it
  // answers now (DHCP may have renumbered it since).
  const std::string me = this_process();
  for (const DoorListener& l : engine.listeners().get())
    if (l.process == me && !l.addresses.empty()) {
      addresses = l.addresses;
      host = l.host;
    }
  if (host.empty()) host = this_host();
  for (const std::string& a : addresses)
    if (!valid_address(a)) return Error{"pairing.address", "'" + a + "' is not HOST:PORT"};
  if (addresses.empty())
    return Error{"pairing.address", "no address to offer: pass --address HOST:PORT"};
  std::stable_partition(addresses.begin(), addresses.end(),
                        [](const std::string& a) { return !is_loopback(a); });
  if (addresses.size() > 8) addresses.resize(8);  // what a code may carry
  const auto snap = engine.snapshot();
  auto secret = ensure_door_secret(config_dir, snap->event.slug);
  if (!secret) return secret.error();
  PairingCode code;
  code.event_slug = snap->event.slug;
  code.event_name = snap->event.name;
  code.door_id = engine.device_id();
  code.door_name = snap->door;
  code.addresses = addresses;
  code.host = host;
  code.secret = *secret;
  return code;
}

namespace {

// Two doors called "door 1" cannot say which of them admitted whom: a door
// that joins takes the first "door N" free among the doors the first one
// knows, unless --door / [kiosk] door name it, or its own name is free.
Result<bool> name_joining_door(Engine& engine, const DoorHello& first) {
  std::vector<std::pair<std::string, std::string>> names = first.names;
  names.emplace_back(first.door_id, first.door_name);  // an older door leaves itself out
  const auto snap = engine.snapshot();
  if (snap->door_naming == DoorNaming::Fixed) return true;
  const bool taken = std::any_of(names.begin(), names.end(), [&](const auto& d) {
    return d.first != engine.device_id() && d.second == snap->door;
  });
  if (snap->door_naming != DoorNaming::Default && !taken) return true;
  const Decision d = engine.run(NameDoor{first_free_door_name(names, engine.device_id()), false});
  if (d.verdict != Verdict::Updated) return Error{"pairing.name", d.message};
  return true;
}

}  // namespace

Result<JoinReport> join_door(Engine& engine, const std::filesystem::path& config_dir,
                             const PairingCode& code) {
  if (engine.snapshot()->event.slug != code.event_slug)
    return Error{"pairing.event", "this door has \"" + engine.snapshot()->event.slug +
                                      "\" open, not the code's event \"" + code.event_slug + "\""};
  if (engine.snapshot()->event.name != code.event_name)
    engine.run(SetEventDetails{code.event_name, -1, -1});
  // The first door's loopback addresses are this machine's own, unless
  // both doors run on one host.
  const std::string me = this_host();
  std::vector<std::string> addresses;
  for (const std::string& a : code.addresses)
    if (usable_from(a, code.host, me)) addresses.push_back(a);
  if (addresses.empty())
    return Error{"pairing.loopback",
                 "This pairing code names only the first door's own machine (" +
                     code.addresses.front() +
                     "), which this one cannot reach: make a new code while the first door "
                     "serves on the LAN (frontdesk serve, without --listen 127.0.0.1)"};
  PeerRecord peer;
  peer.device_id = code.door_id;
  peer.name = code.door_name;
  peer.addresses = addresses;
  peer.host = code.host;
  PullOptions once;
  once.connect_timeout = std::chrono::milliseconds(3000);
  // The list and the log travel with the pairing: pull until in step.
  Error last{"doors.unreachable", "no address worked"};
  for (const std::string& address : addresses) {
    DoorPull total;
    bool reached = false;
    for (int round = 0; round < 1000; ++round) {
      auto r = pull_from_door(engine, code.secret, address, peer, once);
      if (!r) {
        last = r.error();
        break;
      }
      reached = true;
      peer = r->peer;
      total.attendees += r->attendees;
      total.entries += r->entries;
      total.hello = r->hello;
      if (peer.log_cursor >= r->hello.seq) break;
    }
    if (!reached) continue;
    engine.run(SavePeer{peer});
    if (auto named = name_joining_door(engine, total.hello); !named) return named.error();
    if (total.hello.capacity > 0 && engine.snapshot()->event.capacity == 0)
      engine.run(SetEventDetails{"", total.hello.capacity, -1});
    auto saved = save_door_secret(config_dir, code.event_slug, code.secret);
    if (!saved) return saved.error();
    const auto snap = engine.snapshot();
    JoinReport report;
    report.event_slug = snap->event.slug;
    report.event_name = snap->event.name;
    report.door_name = peer.name.empty() ? "the first door" : peer.name;
    report.my_name = snap->door;
    report.address = address;
    report.people = snap->roster ? snap->roster->size() : 0;
    report.checkins = snap->headcount();
    return report;
  }
  if (last.code == "doors.refused")
    return Error{last.code, "The first door refused this code (" + last.message +
                                "): pair again there and scan the new code"};
  return Error{last.code, "Could not reach the first door: " + last.message +
                              ". Is it serving, and on the same network?"};
}

std::string describe(const JoinReport& r) {
  return "Joined \"" + r.event_name + "\" with " + r.door_name + " at " + r.address + ": " +
         std::to_string(r.people) + " people, " + std::to_string(r.checkins) +
         " check-ins; this is " + r.my_name;
}

std::string first_free_door_name(const std::vector<std::pair<std::string, std::string>>& names,
                                 const std::string& me) {
  for (int n = 1;; ++n) {
    const std::string candidate = "door " + std::to_string(n);
    if (std::none_of(names.begin(), names.end(),
                     [&](const auto& d) { return d.first != me && d.second == candidate; }))
      return candidate;
  }
}

}  // namespace fd
