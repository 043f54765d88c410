// Several doors: pages of this store for a peer, merging a peer's pages in,
// what this door knows of its peers and where it answers, its own name.
#include <algorithm>
#include <cctype>

#include "base/Utf8.h"
#include "engine/Engine.h"
#include "engine/EngineState.h"
#include "store/Store.h"

namespace fd {

std::future<std::vector<ReplicaEntry>> Engine::log_page(std::int64_t since_seq, std::size_t limit) {
  return read<std::vector<ReplicaEntry>>([id = event_id_, since_seq, limit](const Store& s) {
    return s.log_page(id, since_seq, limit);
  });
}

std::future<Engine::AttendeePageRead> Engine::attendee_page(std::string cursor, std::size_t limit) {
  return read<AttendeePageRead>(
      [id = event_id_, cursor = std::move(cursor), limit](const Store& s) {
        AttendeePageRead page;
        page.attendees = s.attendee_page(id, cursor, limit, page.next);
        return page;
      });
}

std::future<std::int64_t> Engine::last_seq() {
  return read<std::int64_t>([id = event_id_](const Store& s) { return s.last_seq(id); });
}

std::future<std::vector<PeerRecord>> Engine::peers() {
  return read<std::vector<PeerRecord>>([id = event_id_](const Store& s) { return s.peers(id); });
}

std::future<std::vector<DoorListener>> Engine::listeners() {
  return read<std::vector<DoorListener>>(
      [id = event_id_](const Store& s) { return s.listeners(id); });
}

Decision Engine::decide(MergeFromDoor& m) {
  Decision d;
  d.verdict = Verdict::Done;
  d.import.updated = store_->merge_replica_attendees(event_id_, m.attendees);
  d.replicated = store_->merge_replica_log(event_id_, m.entries);
  return d;
}

Decision Engine::decide(SavePeer& p) {
  store_->save_peer(event_id_, p.peer);
  Decision d;
  d.verdict = Verdict::Done;
  return d;
}

Decision Engine::decide(SaveListener& l) {
  store_->save_listener(event_id_, l.listener);
  Decision d;
  d.verdict = Verdict::Done;
  return d;
}

// This door's name: --door / [kiosk] door, else the stored one, else "door 1".
void Engine::load_door_name() {
  State& s = *state_;
  if (!options_.door.empty()) {
    s.door = options_.door;
    s.door_naming = DoorNaming::Fixed;
    return;
  }
  const auto stored = event_id_ ? store_->door_name(event_id_) : std::nullopt;
  s.door = stored ? stored->first : "door 1";
  s.door_naming = !stored                         ? DoorNaming::Default
                  : stored->second == "organizer" ? DoorNaming::Organizer
                                                  : DoorNaming::Joined;
}

Decision Engine::decide(NameDoor& n) {
  Decision d;
  d.verdict = Verdict::Failed;
  std::string name = n.name;
  while (!name.empty() && std::isspace(static_cast<unsigned char>(name.front())))
    name.erase(name.begin());
  while (!name.empty() && std::isspace(static_cast<unsigned char>(name.back()))) name.pop_back();
  // Other doors carry it in every check-in and greeting (64 bytes there).
  const bool control = std::any_of(name.begin(), name.end(),
                                   [](char c) { return static_cast<unsigned char>(c) < 0x20; });
  if (name.empty() || name.size() > 64 || control || !is_valid_utf8(name)) {
    d.message = "A door's name is 1 to 64 characters of plain text, like \"Side door\"";
    return d;
  }
  for (const PeerRecord& p : store_->peers(event_id_))
    if (p.name == name) {
      d.message = "Another door of this event is called \"" + name + "\": choose another name";
      return d;
    }
  store_->set_door_name(event_id_, name, n.organizer ? "organizer" : "join");
  load_door_name();
  d.verdict = Verdict::Updated;
  d.door = state_->door;
  d.message = state_->door_naming == DoorNaming::Fixed
                  ? "Saved \"" + name +
                        "\", but --door or [kiosk] door in frontdesk.toml calls "
                        "this door \"" +
                        state_->door + "\", and that wins"
                  : "This door is now called \"" + name + "\"";
  return d;
}

}  // namespace fd
