#include "doors/Join.h"

#include "doors/DoorExchange.h"
#include "doors/DoorSecret.h"
#include "engine/Engine.h"

namespace fd {

Result<PairingCode> make_pairing_code(Engine& engine, const std::filesystem::path& config_dir,
                                      const std::vector<std::string>& addresses) {
  for (const std::string& a : addresses)
    if (!valid_address(a)) return Error{"pairing.address", "'" + a + "' is not HOST:PORT"};
  if (addresses.empty())
    return Error{"pairing.address", "no address to offer: pass --address HOST:PORT"};
  const auto snap = engine.snapshot();
  auto secret = ensure_door_secret(config_dir, snap->event.slug);
  if (!secret) return secret.error();
  PairingCode code;
  code.event_slug = snap->event.slug;
  code.event_name = snap->event.name;
  code.door_id = engine.device_id();
  code.door_name = engine.options().door;
  code.addresses = addresses;
  code.secret = *secret;
  return code;
}

Result<JoinReport> join_door(Engine& engine, const std::filesystem::path& config_dir,
                             const PairingCode& code) {
  if (engine.snapshot()->event.slug != code.event_slug)
    return Error{"pairing.event", "this door has \"" + engine.snapshot()->event.slug +
                                      "\" open, not the code's event \"" + code.event_slug + "\""};
  if (engine.snapshot()->event.name != code.event_name)
    engine.run(SetEventDetails{code.event_name, -1, -1});
  PeerRecord peer;
  peer.device_id = code.door_id;
  peer.name = code.door_name;
  peer.addresses = code.addresses;
  // The list and the log travel with the pairing: pull until in step.
  Error last{"doors.unreachable", "no address worked"};
  for (const std::string& address : code.addresses) {
    DoorPull total;
    bool reached = false;
    for (int round = 0; round < 1000; ++round) {
      auto r = pull_from_door(engine, code.secret, address, peer, std::chrono::milliseconds(0),
                              std::chrono::milliseconds(3000));
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
    if (total.hello.capacity > 0 && engine.snapshot()->event.capacity == 0)
      engine.run(SetEventDetails{"", total.hello.capacity, -1});
    auto saved = save_door_secret(config_dir, code.event_slug, code.secret);
    if (!saved) return saved.error();
    const auto snap = engine.snapshot();
    JoinReport report;
    report.event_slug = snap->event.slug;
    report.event_name = snap->event.name;
    report.door_name = peer.name.empty() ? "the first door" : peer.name;
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
         std::to_string(r.people) + " people, " + std::to_string(r.checkins) + " check-ins";
}

}  // namespace fd
